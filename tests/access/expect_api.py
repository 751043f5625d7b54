"""Access expectations of the open-data API: every endpoint is a public GET."""

from . import ANYONE

EXPECT = {
    endpoint: {"GET": ANYONE}
    for endpoint in (
        "api.index",
        "api.openapi",
        "api.rounds_list",
        "api.round_detail",
        "api.round_result",
        "api.districts",
        "api.themes",
        "api.building_blocks",
        "api.plans_list",
        "api.plan_detail",
        "api.round_implementation",
        "api.plan_implementation",
    )
}
