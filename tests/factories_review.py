"""Factories for review and admin tests (built on tests/factories.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Initiative, Phase, Round, Status, User


def review_round(phase: Phase = Phase.REVIEW, threshold: int = 50, **fields: object) -> Round:
    """A round in the given phase (review by default) with the given support threshold."""
    return f.round_(phase, threshold=threshold, **fields)


def supported(rnd: Round, support: int, *, status: Status = Status.SUBMITTED, **fields: object) -> Initiative:
    """An initiative with the given support count (the counter; no Support rows needed)."""
    ini = f.initiative(rnd, status=status, **fields)
    ini.support_count = support
    db.session.flush()
    return ini


def staff() -> User:
    """A staff account, committed so that a test client can log in with it."""
    u = f.user("staff")
    db.session.commit()
    return u


def admin() -> User:
    """An admin account, committed."""
    u = f.user("admin")
    db.session.commit()
    return u


def audit_kinds() -> list[str]:
    """Kinds of every audit event, in order."""
    return list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))


def count(model: type) -> int:
    """Number of rows of a model."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0
