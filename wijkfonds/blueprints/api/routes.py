"""The API's views: each reads its parameters, calls one open-data function and answers JSON."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, request
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.api import bp
from wijkfonds.blueprints.api.links import page_links, plan_links, round_links, url
from wijkfonds.blueprints.api.openapi import document
from wijkfonds.blueprints.api.respond import cors, error_json, json_response, preflight
from wijkfonds.services.errors import DomainError
from wijkfonds.services.opendata import catalog, downloads, implementation, plans, results, rounds
from wijkfonds.services.opendata.params import BadParameter, only

View = Callable[..., Any]

# What funded plans did with the money (/rounds/<id>/implementation, /plans/<id>/implementation)
# comes from services.opendata.implementation, on top of the year report (services.report) and
# so of services.implementation.overview.summary: the same amounts as the public pages.


@bp.before_request
def _preflight() -> ResponseReturnValue | None:
    # A CORS preflight gets the API's own answer, not Flask's automatic OPTIONS response.
    return preflight() if request.method == "OPTIONS" else None


@bp.after_request
def _cors(response: Response) -> Response:
    return cors(response)


def api_view(*parameters: str) -> Callable[[View], View]:
    """Refuse unknown parameters (400), turn the view's data into JSON, and a DomainError into a JSON error."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            try:
                only(request.args, parameters)
                return json_response(view(**kwargs))
            except BadParameter as err:
                return error_json(err.status, err.message, err.parameter)
            except DomainError as err:
                return error_json(err.status, err.message)

        return wrapper

    return decorate


@bp.route("/")
@api_view()
def index() -> dict[str, Any]:
    """Where everything is: the API's collections and its OpenAPI document."""
    return {
        "openapi": url("api.openapi"),
        "rounds": url("api.rounds_list"),
        "districts": url("api.districts"),
        "themes": url("api.themes"),
        "building_blocks": url("api.building_blocks"),
        "plans": url("api.plans_list"),
    }


@bp.route("/openapi.json")
@api_view()
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this API."""
    return document(url("api.index").rstrip("/"))


@bp.route("/rounds")
@api_view()
def rounds_list() -> dict[str, Any]:
    """Every round, newest first."""
    return {"items": [round_links(r) for r in rounds.rounds()]}


@bp.route("/rounds/<int:round_id>")
@api_view()
def round_detail(round_id: int) -> dict[str, Any]:
    """One round."""
    return round_links(rounds.round_dict(rounds.get_round(round_id)))


@bp.route("/rounds/<int:round_id>/result")
@api_view()
def round_result(round_id: int) -> dict[str, Any]:
    """The published result (404 before publication)."""
    data = results.result(rounds.get_round(round_id))
    data["links"] = {
        "page": url("results.round_results", round_id=round_id),
        "csv": url("results.result_csv", round_id=round_id),
        "pb": [
            {"district": d.name, "url": url("results.result_pb", round_id=round_id, district_id=d.id)}
            for d in downloads.district_files(rounds.get_round(round_id))
        ],
    }
    return data


@bp.route("/districts")
@api_view()
def districts() -> dict[str, Any]:
    """Every district."""
    return {"items": catalog.districts()}


@bp.route("/themes")
@api_view()
def themes() -> dict[str, Any]:
    """Every theme."""
    return {"items": catalog.themes()}


@bp.route("/building-blocks")
@api_view()
def building_blocks() -> dict[str, Any]:
    """Every building block (bouwsteen)."""
    return {"items": catalog.building_blocks()}


@bp.route("/plans")
@api_view(*plans.LIST_PARAMETERS)
def plans_list() -> dict[str, Any]:
    """A page of plans, filtered by round, district and status."""
    found = plans.plan_list(request.args)
    return {
        "items": [plan_links(p) for p in found.items],
        "meta": {
            "total": found.total,
            "page": found.paging.page,
            "per_page": found.paging.per_page,
            "pages": found.pages,
            "filters": found.filters,
        },
        "links": page_links(found),
    }


@bp.route("/plans/<int:initiative_id>")
@api_view()
def plan_detail(initiative_id: int) -> dict[str, Any]:
    """One plan with its description, photos and (once published) its votes and outcome."""
    return plan_links(plans.plan_detail(plans.get_plan(initiative_id)))


@bp.route("/rounds/<int:round_id>/implementation")
@api_view()
def round_implementation(round_id: int) -> dict[str, Any]:
    """What the funded plans of a published round did with the money (404 before publication)."""
    data = implementation.round_implementation(rounds.get_round(round_id))
    data["links"] = {
        "page": url("report.round_report", round_id=round_id),
        "pdf": url("report.round_pdf", round_id=round_id),
        "result": url("api.round_result", round_id=round_id),
    }
    for plan in data["plans"]:
        plan["links"] = {"self": url("api.plan_implementation", initiative_id=plan["plan_id"])}
    return data


@bp.route("/plans/<int:initiative_id>/implementation")
@api_view()
def plan_implementation(initiative_id: int) -> dict[str, Any]:
    """A funded plan's progress, money and milestones (404 for a plan not funded in a published result)."""
    data = implementation.plan_implementation(plans.get_plan(initiative_id))
    data["links"] = {
        "self": url("api.plan_implementation", initiative_id=initiative_id),
        "plan": url("api.plan_detail", initiative_id=initiative_id),
        "page": url("public.detail", initiative_id=initiative_id),
        "round": url("api.round_implementation", round_id=data["round_id"]),
    }
    return data
