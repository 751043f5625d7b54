"""Factories for the round-management and theme-nomination tests."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import func, select

from tests import factories as f
from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Round, ThemeNomination, User

_seq = itertools.count(1)


def local(value: datetime) -> str:
    """A naive-UTC moment as a datetime-local input value (Amsterdam time)."""
    return to_local(value).strftime("%Y-%m-%dT%H:%M")


def round_form(**over: object) -> dict[str, object]:
    """A complete, valid POST for the round form (EUR 300,000 split evenly, knapsack)."""
    now = utcnow()
    day = timedelta(days=1)
    data: dict[str, object] = {
        "name": f"Ronde {next(_seq)}",
        "description": "Bewoners kiezen samen.",
        "total_budget": "300.000",
        "themes": [str(f.theme(0).id), str(f.theme(1).id)],
        "support_threshold": "50",
        "ballot_kind": "knapsack",
        "knapsack_min_spend": "0",
        "approval_min": "0",
        "approval_max": "",
        "nomination_start": "",
        "submission_start": local(now + day),
        "review_start": local(now + 10 * day),
        "voting_start": local(now + 20 * day),
        "results_start": local(now + 30 * day),
    }
    for d in f.districts():
        data[f"budget_{d.id}"] = "75000"
        data[f"floor_{d.id}"] = ""
    data.update(over)
    return data


def form_of(rnd: Round) -> dict[str, object]:
    """The POST the edit form of an unlocked round sends when nothing is changed."""
    data = round_form(
        name=rnd.name,
        description=rnd.description,
        total_budget=str(rnd.total_budget),
        themes=[str(t.id) for t in rnd.themes],
        support_threshold=str(rnd.support_threshold),
        ballot_kind=rnd.ballot_kind,
        knapsack_min_spend=str(rnd.knapsack_min_spend),
        approval_min=str(rnd.approval_min),
        approval_max="" if rnd.approval_max is None else str(rnd.approval_max),
        nomination_start=local(rnd.nomination_start) if rnd.nomination_start else "",
        submission_start=local(rnd.submission_start),
        review_start=local(rnd.review_start),
        voting_start=local(rnd.voting_start),
        results_start=local(rnd.results_start),
    )
    for b in rnd.district_budgets:
        data[f"budget_{b.district_id}"] = str(b.amount)
        data[f"floor_{b.district_id}"] = str(b.floor)
    return data


def nomination(
    rnd: Round, author: User | None = None, *, title: str | None = None, supporters: int = 0
) -> ThemeNomination:
    """A theme nomination with ``supporters`` distinct supporting residents."""
    from wijkfonds.models import NominationSupport

    nom = ThemeNomination(
        round_id=rnd.id,
        author_id=(author or f.user()).id,
        title=title or f"Thema {next(_seq)}",
        description="Dit is belangrijk voor de buurt.",
    )
    db.session.add(nom)
    db.session.flush()
    for _ in range(supporters):
        db.session.add(NominationSupport(nomination_id=nom.id, user_id=f.user().id))
    db.session.flush()
    return nom


def audit_kinds() -> list[str]:
    """Kinds of every audit event, in order."""
    return list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))


def count(model: type) -> int:
    """Number of rows of a model."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0
