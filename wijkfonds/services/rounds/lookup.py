"""Reading rounds: which one is current, lookups. (Writes live in rounds/admin.py.)"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Phase, Round


def current_round() -> Round | None:
    """The round residents see first: the newest one that is not over, else the newest."""
    now = utcnow()
    rounds = list(
        db.session.scalars(select(Round).where(Round.imported.is_(False)).order_by(Round.submission_start.desc()))
    )
    for r in rounds:
        if r.phase(now) != Phase.RESULTS:
            return r
    return rounds[0] if rounds else None


def get_round_or_404(round_id: int) -> Round:
    """The round with this id, or a 404 page."""
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        abort(404)
    return rnd
