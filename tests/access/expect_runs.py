"""Access expectations of the staff allocation runs (and import) pages."""

from . import STAFF

EXPECT = {
    "runs.index": {"GET": STAFF},
    "runs.round_page": {"GET": STAFF, "POST": STAFF},
    "runs.run_page": {"GET": STAFF},
    "runs.publish": {"POST": STAFF},
    "runs.compare": {"GET": STAFF},
    "runs.import_page": {"GET": STAFF, "POST": STAFF},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """A closed round with a finished greedy run, for run_id."""
    from tests import factories as f
    from tests import factories_results as fr
    from wijkfonds.models import Role

    rnd, _inis = fr.closed_round(per_district=2, voters=3)
    run = fr.finished_run(rnd, f.user(Role.STAFF))
    return {"run_id": run.id}
