"""Rounds as open data: their phase, dates, budgets and rules (never a count of ballots)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wijkfonds.common.numbers import MAX_INT
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import BlockQuota, DistrictBudget, Round
from wijkfonds.services.errors import DomainError
from wijkfonds.services.results.publication import published_run


def stamp(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO 8601 with its zone, or None."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def get_round(round_id: int) -> Round:
    """The round with this id; DomainError 404 otherwise."""
    rnd = db.session.get(Round, round_id) if 0 < round_id <= MAX_INT else None
    if rnd is None:
        raise DomainError(_("Deze ronde bestaat niet."), 404)
    return rnd


def round_dict(rnd: Round, now: datetime | None = None) -> dict[str, Any]:
    """One round: phase (from its dates), dates, rules, budget per district, quotas per block."""
    run = published_run(rnd.id)
    return {
        "id": rnd.id,
        "slug": rnd.slug,
        "name": rnd.name,
        "description": rnd.description,
        "phase": rnd.phase(now or utcnow()).value,
        "imported": rnd.imported,
        "ballot_kind": rnd.ballot_kind,
        "approval_min": rnd.approval_min,
        "approval_max": rnd.approval_max,
        "knapsack_min_spend": rnd.knapsack_min_spend,
        "points_total": rnd.points_total,
        "points_min_plans": rnd.points_min_plans,
        "points_max_per_plan": rnd.points_max_per_plan,
        "ranked_max": rnd.ranked_max,
        "ilp_goal": rnd.ilp_goal,
        "support_threshold": rnd.support_threshold,
        "total_budget": rnd.total_budget,
        "dates": {
            "nomination_start": stamp(rnd.nomination_start),
            "submission_start": stamp(rnd.submission_start),
            "review_start": stamp(rnd.review_start),
            "voting_start": stamp(rnd.voting_start),
            "voting_end": stamp(rnd.results_start),
        },
        "theme_ids": [t.id for t in rnd.themes],
        "district_budgets": [_budget(b) for b in rnd.district_budgets],
        "block_quotas": [_quota(q) for q in rnd.block_quotas],
        "result_published_at": stamp(run.published_at) if run is not None and run.result else None,
    }


def _budget(b: DistrictBudget) -> dict[str, Any]:
    return {"district_id": b.district_id, "district": b.district.name, "amount": b.amount, "floor": b.floor}


def _quota(q: BlockQuota) -> dict[str, Any]:
    # Basis points of the round's budget: 1000 = 10 %.
    return {"block_id": q.block_id, "min_basis_points": q.min_bp, "max_basis_points": q.max_bp}


def rounds() -> list[dict[str, Any]]:
    """Every round, newest first."""
    now = utcnow()
    rows = db.session.scalars(
        select(Round)
        .options(selectinload(Round.themes), selectinload(Round.district_budgets), selectinload(Round.block_quotas))
        .order_by(Round.submission_start.desc(), Round.id.desc())
    )
    return [round_dict(r, now) for r in rows]
