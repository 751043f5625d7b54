"""The OpenAPI 3.1 document of the API, built from :mod:`.schemas` (the same schemas the tests validate against)."""

from __future__ import annotations

from typing import Any

from wijkfonds.blueprints.api.schemas import ID, SCHEMAS, Schema, ref
from wijkfonds.services.opendata.params import PER_PAGE_MAX
from wijkfonds.services.opendata.plans import STATUSES

VERSION = "1.0.0"


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(ref("Error"), "A query parameter the API cannot use (named in error.parameter)."),
    "404": _json(ref("Error"), "No such resource."),
}
NOT_MODIFIED = {"304": {"description": "Not modified: the If-None-Match ETag is still current."}}
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of error messages (the data holds both).",
    "schema": {"enum": ["nl", "en"]},
}


def _path_id(name: str, what: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "description": f"The {what}'s id.", "schema": ID}


def _query(name: str, description: str, schema: Schema) -> Schema:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _get(summary: str, schema: str, description: str, parameters: list[Schema] | None = None) -> Schema:
    return {
        "get": {
            "summary": summary,
            "description": description,
            "parameters": [*(parameters or []), LANG],
            "responses": {"200": _json(ref(schema), summary), **NOT_MODIFIED, **ERRORS},
        }
    }


PATHS: dict[str, Schema] = {
    "/": _get("Where everything is", "Index", "Links to every collection and to this document."),
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "parameters": [LANG],
            "responses": {"200": {"description": "The OpenAPI document.", "content": {"application/json": {}}}},
        }
    },
    "/rounds": _get("Every round", "RoundList", "Rounds, newest first, with their phase, dates and budgets."),
    "/rounds/{round_id}": _get("One round", "Round", "A round.", [_path_id("round_id", "round")]),
    "/rounds/{round_id}/result": _get(
        "The published result",
        "Result",
        "The official result: the rule in plain words, budget and spend per district, the funded plans, and "
        "every plan's votes and reason. 404 until the result is published: no vote count exists here before.",
        [_path_id("round_id", "round")],
    ),
    "/rounds/{round_id}/implementation": _get(
        "What the funded plans did with the money",
        "Implementation",
        "Granted, paid, spent and returned in total and per funded plan, its status and milestones, and the "
        "money per building block and per function of social infrastructure (each plan counted once). The same "
        "figures as the year report. 404 until the result is published. No personal data.",
        [_path_id("round_id", "round")],
    ),
    "/districts": _get("Every district", "DistrictList", "The districts (gebieden), by name."),
    "/themes": _get("Every theme", "ThemeList", "The themes rounds accept."),
    "/building-blocks": _get(
        "Every building block",
        "BuildingBlockList",
        "The 21 bouwstenen of a social base infrastructure, then staff's own.",
    ),
    "/plans": _get(
        "Plans, a page at a time",
        "PlanPage",
        "Plans as the public list shows them (withdrawn plans only when asked for with status=withdrawn), "
        "oldest first. No votes: those are in the round's result once it is published.",
        [
            _query("round", "Only this round's plans.", ID),
            _query("district", "Only this district's plans.", ID),
            _query("status", "Only plans with this status.", {"enum": list(STATUSES)}),
            _query("page", "Page number, from 1.", ID),
            _query("per_page", f"Plans per page, 1 to {PER_PAGE_MAX} (default 50).", {**ID, "maximum": PER_PAGE_MAX}),
        ],
    ),
    "/plans/{initiative_id}": _get(
        "One plan",
        "PlanDetail",
        "A plan with its description, visible photos and, once the round's result is published, its votes and outcome.",
        [_path_id("initiative_id", "plan")],
    ),
    "/plans/{initiative_id}/implementation": _get(
        "A funded plan's implementation",
        "PlanImplementation",
        "Status, money (granted, paid, and from an approved account spent and returned) and milestones of a plan "
        "funded in a published result; 404 for any other plan.",
        [_path_id("initiative_id", "plan")],
    ),
}


def document(server: str) -> dict[str, Any]:
    """The OpenAPI document, with ``server`` (this API's base URL) as its one server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wijkfonds open data",
            "version": VERSION,
            "description": "Read-only open data of the neighbourhood fund: rounds, districts, themes, building blocks, "
            "plans, published results, and what funded plans did with the money. GET only; CORS open to every origin; strong ETags (send If-None-Match "
            "for a 304). Vote counts appear only after a round's result is published.",
        },
        "servers": [{"url": server}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
