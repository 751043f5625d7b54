"""Links in API answers: absolute URLs of API resources, public pages and files (a web concern, kept out of services)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from wijkfonds.services.opendata.plans import PlanList


def url(endpoint: str, **values: Any) -> str:
    """The absolute URL of an endpoint."""
    return url_for(endpoint, _external=True, **values)


def round_links(data: dict[str, Any]) -> dict[str, Any]:
    """A round with links to itself, its plans and (once published) its result."""
    links = {"self": url("api.round_detail", round_id=data["id"]), "plans": url("api.plans_list", round=data["id"])}
    if data["result_published_at"] is not None:
        links["result"] = url("api.round_result", round_id=data["id"])
        links["result_page"] = url("results.round_results", round_id=data["id"])
    return {**data, "links": links}


def plan_links(data: dict[str, Any]) -> dict[str, Any]:
    """A plan with links to itself, its public page and its round."""
    links = {
        "self": url("api.plan_detail", initiative_id=data["id"]),
        "page": url("public.detail", initiative_id=data["id"]),
        "round": url("api.round_detail", round_id=data["round_id"]),
    }
    out = {**data, "links": links}
    if "photos" in data:
        out["photos"] = [
            {**p, "files": [{**f, "url": url("media.photo_file", name=f["name"])} for f in p["files"]]}
            for p in data["photos"]
        ]
    return out


def page_links(plans: PlanList) -> dict[str, Any]:
    """first/last/prev/next of a plan list, with its filters kept."""
    args = {k: v for k, v in plans.filters.items() if v is not None}
    per_page, page, pages = plans.paging.per_page, plans.paging.page, plans.pages

    def at(n: int) -> str:
        return url("api.plans_list", **args, page=n, per_page=per_page)

    return {
        "self": at(page),
        "first": at(1),
        "last": at(pages),
        "prev": at(min(page - 1, pages)) if page > 1 else None,
        "next": at(page + 1) if page < pages else None,
    }
