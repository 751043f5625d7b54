"""Factories and helpers for the resident-side tests (initiatives, support, dialogue)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Comment, Initiative, Report, Revision, Round, Support, User


def comment(
    ini: Initiative,
    author: User | None = None,
    body: str = "Mooi plan, ik doe graag mee.",
    parent: Comment | None = None,
    created_at: datetime | None = None,
) -> Comment:
    """A comment (or a reply when ``parent`` is given)."""
    c = Comment(
        initiative_id=ini.id,
        author_id=(author or f.user()).id,
        body=body,
        parent_id=parent.id if parent is not None else None,
    )
    if created_at is not None:
        c.created_at = created_at
    db.session.add(c)
    db.session.flush()
    return c


def report(c: Comment, reporter: User | None = None, reason: str = "Dit is beledigend.") -> Report:
    """An open report about a comment."""
    r = Report(comment_id=c.id, reporter_id=reporter.id if reporter is not None else None, reason=reason)
    db.session.add(r)
    db.session.flush()
    return r


def initiative_form(rnd: Round, **over: object) -> dict[str, object]:
    """Valid form data for an initiative in ``rnd``; override single fields."""
    data: dict[str, object] = {
        "title": "Moestuin op het Mercatorplein",
        "summary": "Een moestuin waar buren samen groente kweken.",
        "description": "We maken zes bakken en tuinieren elke zaterdag samen met de buurt.",
        "requested_cost": "4500",
        "district": f.district().id,
        "theme": rnd.themes[0].id,
        "block": f.block(5).id,
        "location": "Mercatorplein",
    }
    data.update(over)
    return data


def snapshot() -> dict[str, int]:
    """Row counts that a refused action must leave alone."""
    models = {
        "initiative": Initiative,
        "support": Support,
        "revision": Revision,
        "comment": Comment,
        "report": Report,
        "audit": AuditEvent,
    }
    counts = {name: db.session.scalar(select(func.count(m.id))) or 0 for name, m in models.items()}
    counts["support_total"] = db.session.scalar(select(func.coalesce(func.sum(Initiative.support_count), 0))) or 0
    return counts
