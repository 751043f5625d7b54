"""Plans (initiatives) as open data: what the public plan list and plan page show.

No author, no comments, no supporters' identities; hidden photos stay out. A plan's votes
and outcome appear only in the published result (:mod:`.results`), never before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from wijkfonds.common.numbers import MAX_INT
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, Initiative, Photo, Status
from wijkfonds.services.dialogue import listing
from wijkfonds.services.errors import DomainError
from wijkfonds.services.media import photos
from wijkfonds.services.opendata import params, results
from wijkfonds.services.opendata.catalog import block_dict, district_dict, theme_dict
from wijkfonds.services.opendata.rounds import get_round, stamp

STATUSES = tuple(s.value for s in Status)
LIST_PARAMETERS = ("round", "district", "status", "page", "per_page")


@dataclass(frozen=True)
class PlanList:
    """One page of plans with the totals a client pages by."""

    items: list[dict[str, Any]]
    total: int
    paging: params.Paging
    filters: dict[str, Any]

    @property
    def pages(self) -> int:
        """How many pages the list has (at least 1)."""
        return max(1, -(-self.total // self.paging.per_page))


def plan_dict(ini: Initiative) -> dict[str, Any]:
    """One plan as the list shows it: status, costs, district, block, theme, place."""
    point = (
        {"latitude": ini.latitude, "longitude": ini.longitude}
        if ini.latitude is not None and ini.longitude is not None
        else None
    )
    return {
        "id": ini.id,
        "round_id": ini.round_id,
        "title": ini.title,
        "summary": ini.summary,
        "status": ini.status,
        "cost": {"requested": ini.requested_cost, "estimated": ini.estimated_cost, "counted": ini.cost},
        "district": district_dict(ini.district),
        "theme": theme_dict(ini.theme) if ini.theme is not None else None,
        "building_block": block_dict(ini.block) if ini.block is not None else None,
        "place": {"name": ini.location, "point": point},
        # Supporters from the submission phase (a like on the plan page), not votes.
        "supporters": ini.support_count,
        "created_at": stamp(ini.created_at),
        "updated_at": stamp(ini.updated_at),
    }


def photo_dict(p: Photo) -> dict[str, Any]:
    """A visible photo: its alt text and the file name of every stored width."""
    ref = photos.ref(p)
    return {
        "id": ref.id,
        "alt": ref.alt,
        "width": ref.width,
        "height": ref.height,
        "files": [{"width": w, "name": ref.name(w)} for w in ref.widths],
    }


def plan_detail(ini: Initiative) -> dict[str, Any]:
    """One plan as its page shows it: the list's fields, the description, the reason if not feasible, photos."""
    return {
        **plan_dict(ini),
        "description": ini.description,
        "infeasible_reason": ini.infeasible_reason if ini.status == Status.NOT_FEASIBLE.value else None,
        "photos": [photo_dict(p) for p in photos.for_owner(photos.OWNER_INITIATIVE, ini.id)],
        # Votes and outcome: null until the round's result is published.
        "result": results.plan_outcome(ini),
    }


def get_plan(plan_id: int) -> Initiative:
    """The plan with this id as the plan page finds it; DomainError 404 otherwise."""
    ini = db.session.get(Initiative, plan_id) if 0 < plan_id <= MAX_INT else None
    if ini is None:
        raise DomainError(_("Dit plan bestaat niet (meer)."), 404)
    return ini


def plan_list(args: Mapping[str, str]) -> PlanList:
    """The page of plans the query string asks for (round, district, status, page, per_page)."""
    params.only(args, LIST_PARAMETERS)
    round_id = params.an_id(args, "round")
    district_id = params.an_id(args, "district")
    status = params.choice(args, "status", STATUSES)
    paging = params.paging(args)
    if round_id is not None:
        try:
            get_round(round_id)
        except DomainError:
            raise params.BadParameter("round", _("Er is geen ronde met id %(id)s.", id=round_id)) from None
    if district_id is not None and db.session.get(District, district_id) is None:
        raise params.BadParameter("district", _("Er is geen gebied met id %(id)s.", id=district_id))
    stmt = listing.public_plans(round_id, status=status, district=district_id, sort="id")
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(
        stmt.options(selectinload(Initiative.district), selectinload(Initiative.theme), selectinload(Initiative.block))
        .limit(paging.per_page)
        .offset(paging.offset)
    )
    filters = {"round": round_id, "district": district_id, "status": status}
    return PlanList([plan_dict(i) for i in rows], total, paging, filters)
