"""JSON Schemas of the API's answers (OpenAPI 3.1 components): the one description of every field.

The tests validate every real answer of every endpoint against these, so a field the API
gives that is not here (``additionalProperties: false``), or one described wrongly, fails.
"""

from __future__ import annotations

from typing import Any

from wijkfonds.common.numbers import MAX_INT
from wijkfonds.i18n.offer import ALL
from wijkfonds.services.opendata.params import PER_PAGE_MAX
from wijkfonds.services.opendata.plans import STATUSES

Schema = dict[str, Any]

PHASES = ["upcoming", "nomination", "submission", "review", "voting", "results"]


def ref(name: str) -> Schema:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None, **extra: Any) -> Schema:
    """An object with exactly these properties (the ``required`` ones always present)."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": sorted(required),
        "additionalProperties": False,
        **extra,
    }


def nullable(schema: Schema) -> Schema:
    """The schema, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


INT = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
EUROS = {**INT, "description": "Whole euros."}
TEXT = {"type": "string"}
URL = {"type": "string", "format": "uri"}
TIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601."}
BOTH = obj({"nl": TEXT, "en": TEXT}, description="The same text in Dutch and English.")
NAMES = obj(
    {"nl": TEXT, "en": TEXT},
    {lang.code: TEXT for lang in ALL if lang.code not in ("nl", "en")},
    description="The same text in Dutch and English, and in each other language of the site that has "
    "its translation (the site's codes: b1 is Eenvoudig Nederlands, plain Dutch). A building block or "
    "theme that staff added has Dutch and English only.",
)


def items(schema: Schema) -> Schema:
    """``{"items": [schema, ...]}``."""
    return obj({"items": {"type": "array", "items": schema}})


SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        {
            "error": obj(
                {"status": {"type": "integer", "minimum": 400, "maximum": 599}, "code": TEXT, "message": TEXT},
                {"parameter": {**TEXT, "description": "The query parameter at fault (400)."}},
            )
        }
    ),
    "Index": obj(
        {
            "openapi": URL,
            "rounds": URL,
            "districts": URL,
            "themes": URL,
            "building_blocks": URL,
            "plans": URL,
        }
    ),
    "District": obj({"id": ID, "slug": TEXT, "name": TEXT, "population": INT, "active": {"type": "boolean"}}),
    "Theme": obj({"id": ID, "slug": TEXT, "name": NAMES, "description": NAMES}),
    "BuildingBlock": obj(
        {
            "id": ID,
            "number": {**INT, "description": "1 to 21 for the bouwstenen of a social base infrastructure."},
            "slug": TEXT,
            "name": NAMES,
            "description": NAMES,
            "custom": {"type": "boolean", "description": "Added by staff, beyond the 21."},
            "active": {"type": "boolean"},
        }
    ),
    "Round": obj(
        {
            "id": ID,
            "slug": TEXT,
            "name": TEXT,
            "description": TEXT,
            "phase": {"enum": PHASES},
            "imported": {"type": "boolean", "description": "Read from a pabulib file (a past election)."},
            "ballot_kind": {"enum": ["knapsack", "approval", "points", "ranked"]},
            "approval_min": INT,
            "approval_max": nullable(INT),
            "knapsack_min_spend": EUROS,
            "points_total": {**INT, "description": "Points ballots: the points each voter distributes (N)."},
            "points_min_plans": {**INT, "description": "Points ballots: the fewest plans that get points (k)."},
            "points_max_per_plan": nullable(INT),
            "ranked_max": {**INT, "description": "Ranked ballots: the most plans a voter ranks (k)."},
            "ilp_goal": {"enum": ["cost-approval", "approval"]},
            "support_threshold": {**INT, "description": "Supporters a plan needs in the submission phase."},
            "total_budget": EUROS,
            "dates": obj(
                {
                    "nomination_start": nullable(TIME),
                    "submission_start": TIME,
                    "review_start": TIME,
                    "voting_start": TIME,
                    "voting_end": TIME,
                }
            ),
            "theme_ids": {"type": "array", "items": ID},
            "district_budgets": {
                "type": "array",
                "items": obj({"district_id": ID, "district": TEXT, "amount": EUROS, "floor": EUROS}),
            },
            "block_quotas": {
                "type": "array",
                "items": obj(
                    {
                        "block_id": ID,
                        "min_basis_points": {**INT, "description": "1000 = 10 % of the round's budget."},
                        "max_basis_points": nullable(INT),
                    }
                ),
            },
            "result_published_at": nullable(TIME),
            "links": obj({"self": URL, "plans": URL}, {"result": URL, "result_page": URL}),
        }
    ),
    "Plan": obj(
        {
            "id": ID,
            "round_id": ID,
            "title": TEXT,
            "summary": TEXT,
            "status": {"enum": list(STATUSES)},
            "cost": obj(
                {
                    "requested": EUROS,
                    "estimated": nullable(EUROS),
                    "counted": {**EUROS, "description": "The estimate once staff set one, else the requested cost."},
                }
            ),
            "district": ref("District"),
            "theme": nullable(ref("Theme")),
            "building_block": nullable(ref("BuildingBlock")),
            "place": obj(
                {
                    "name": TEXT,
                    "point": nullable(
                        obj(
                            {
                                "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                                "longitude": {"type": "number", "minimum": -180, "maximum": 180},
                            }
                        )
                    ),
                }
            ),
            "supporters": {**INT, "description": "Supporters in the submission phase (not votes)."},
            "created_at": TIME,
            "updated_at": TIME,
            "links": obj({"self": URL, "page": URL, "round": URL}),
        }
    ),
    "Photo": obj(
        {
            "id": ID,
            "alt": TEXT,
            "width": INT,
            "height": INT,
            "files": {"type": "array", "items": obj({"width": INT, "name": TEXT, "url": URL})},
        }
    ),
    "PlanOutcome": obj(
        {"run_id": ID, "votes": INT, "funded": {"type": "boolean"}, "explanation": BOTH},
        description="The plan in the published result; null before publication.",
    ),
    "PlanPage": obj(
        {
            "items": {"type": "array", "items": ref("Plan")},
            "meta": obj(
                {
                    "total": INT,
                    "page": ID,
                    "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
                    "pages": ID,
                    "filters": obj({"round": nullable(ID), "district": nullable(ID), "status": nullable(TEXT)}),
                }
            ),
            "links": obj({"self": URL, "first": URL, "last": URL, "prev": nullable(URL), "next": nullable(URL)}),
        }
    ),
    "Result": obj(
        {
            "round_id": ID,
            "run_id": ID,
            "published_at": TIME,
            "rule": obj(
                {
                    "code": {"enum": ["greedy", "greedy-stop", "ilp", "mes"]},
                    "completion": TEXT,
                    "name": BOTH,
                    "description": BOTH,
                }
            ),
            "input_digest": TEXT,
            "budget": EUROS,
            "cost": EUROS,
            "voters": INT,
            "voters_with_funded": INT,
            "votes_total": INT,
            "districts": {"type": "array", "items": obj({"district": TEXT, "budget": EUROS, "spent": EUROS})},
            "selected": {"type": "array", "items": ID, "description": "Ids of the funded plans."},
            "plans": {
                "type": "array",
                "items": obj(
                    {
                        "plan_id": ID,
                        "project_id": TEXT,
                        "title": TEXT,
                        "district": TEXT,
                        "cost": EUROS,
                        "votes": INT,
                        "funded": {"type": "boolean"},
                        "rank": nullable(INT),
                        "explanation": BOTH,
                    }
                ),
            },
            "links": obj(
                {"page": URL, "csv": URL, "pb": {"type": "array", "items": obj({"district": TEXT, "url": URL})}}
            ),
        }
    ),
}
SCHEMAS["PlanDetail"] = obj(
    {
        **SCHEMAS["Plan"]["properties"],
        "description": TEXT,
        "infeasible_reason": nullable(TEXT),
        "photos": {"type": "array", "items": ref("Photo")},
        "result": nullable(ref("PlanOutcome")),
    }
)
SCHEMAS["RoundList"] = items(ref("Round"))
SCHEMAS["DistrictList"] = items(ref("District"))
SCHEMAS["ThemeList"] = items(ref("Theme"))
SCHEMAS["BuildingBlockList"] = items(ref("BuildingBlock"))

IMPL_STATUSES = ["granted", "started", "in_progress", "completed", "stopped"]
DAY = {"type": "string", "format": "date", "description": "A date in Amsterdam, ISO 8601."}
PLAN_PROGRESS: dict[str, Schema] = {
    "plan_id": ID,
    "title": TEXT,
    "district_id": ID,
    "district": TEXT,
    "status": {"enum": IMPL_STATUSES},
    "stop_reason": nullable({**TEXT, "description": "Why a stopped plan stopped (as on its page)."}),
    "granted": EUROS,
    "paid": {**EUROS, "description": "Whole euros paid out so far."},
    "spent": {**EUROS, "description": "Whole euros spent, from an approved account only (else 0)."},
    "returned": {**EUROS, "description": "Whole euros returned, from an approved account only (else 0)."},
    "account_approved": {"type": "boolean"},
    "milestones_done": INT,
    "milestones_total": INT,
    "updates": {**INT, "description": "Visible progress updates."},
    "last_update_at": nullable(TIME),
    "started_at": nullable(TIME),
    "completed_at": nullable(TIME),
}
MONEY_SHARE = obj(
    {
        "slug": nullable({**TEXT, "description": "null: plans without one."}),
        "name": NAMES,
        "plans": INT,
        "granted": EUROS,
        "paid": EUROS,
        "spent": EUROS,
    }
)
SCHEMAS["Implementation"] = obj(
    {
        "round_id": ID,
        "published_at": TIME,
        "totals": obj({"granted": EUROS, "paid": EUROS, "spent": EUROS, "returned": EUROS}),
        "plans_count": obj({"funded": INT, "completed": INT, "stopped": INT}),
        "by_status": obj(dict.fromkeys(IMPL_STATUSES, INT)),
        "plans": {"type": "array", "items": obj({**PLAN_PROGRESS, "links": obj({"self": URL})})},
        "building_blocks": {"type": "array", "items": MONEY_SHARE},
        "functions": {
            "type": "array",
            "items": MONEY_SHARE,
            "description": "The five functions of social infrastructure (the themes), then plans under none.",
        },
        "attribution": BOTH,
        "links": obj({"page": URL, "pdf": URL, "result": URL}),
    },
    description="What the funded plans of a published round did with the money; no personal data.",
)
SCHEMAS["PlanImplementation"] = obj(
    {
        **PLAN_PROGRESS,
        "round_id": ID,
        "milestones": {
            "type": "array",
            "items": obj({"title": TEXT, "target_on": DAY, "done_on": nullable(DAY)}),
        },
        "links": obj({"self": URL, "plan": URL, "page": URL, "round": URL}),
    }
)
