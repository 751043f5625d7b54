"""Factories: build realistic rows with sensible defaults (flushed, not committed)."""

from __future__ import annotations

import functools
import itertools
from datetime import datetime, timedelta

from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import (
    BuildingBlock,
    District,
    DistrictBudget,
    Initiative,
    Phase,
    Role,
    Round,
    Status,
    Theme,
    User,
)

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


@functools.cache
def _hash() -> str:
    """Hash the test password once (scrypt is deliberately slow)."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


def district(slug: str = "de-baarsjes") -> District:
    """A seeded district by slug."""
    return db.session.scalars(select(District).where(District.slug == slug)).one()


def districts() -> list[District]:
    """All seeded districts, by name."""
    return list(db.session.scalars(select(District).order_by(District.name)))


def theme(index: int = 0) -> Theme:
    """A seeded theme."""
    return list(db.session.scalars(select(Theme).order_by(Theme.id)))[index]


def block(index: int = 0) -> BuildingBlock:
    """A seeded building block."""
    return list(db.session.scalars(select(BuildingBlock).order_by(BuildingBlock.number)))[index]


def user(
    role: Role | str = Role.RESIDENT,
    *,
    district_slug: str = "de-baarsjes",
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
    confirmed: bool = True,
) -> User:
    """An account with the given role (its address confirmed unless ``confirmed=False``)."""
    n = next(_seq)
    role_value = role.value if isinstance(role, Role) else role
    u = User(
        email=email or f"{role_value}{n}@voorbeeld.nl",
        display_name=name or f"{role_value.capitalize()} {n}",
        role=role_value,
        district_id=district(district_slug).id if role_value == Role.RESIDENT.value else None,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    if password == PASSWORD:
        u.password_hash = _hash()
    else:
        u.set_password(password)
    db.session.add(u)
    db.session.flush()
    return u


def phase_dates(phase: Phase, now: datetime | None = None) -> dict[str, datetime | None]:
    """Phase dates that put a round in ``phase`` right now."""
    now = now or utcnow()
    day = timedelta(days=1)
    offsets = {
        Phase.UPCOMING: 10,
        Phase.NOMINATION: 5,
        Phase.SUBMISSION: 0,
        Phase.REVIEW: -10,
        Phase.VOTING: -20,
        Phase.RESULTS: -30,
    }
    base = now + offsets[phase] * day  # submission starts at base - 1 day
    return {
        "nomination_start": base - 6 * day,
        "submission_start": base - 1 * day,
        "review_start": base + 9 * day,
        "voting_start": base + 19 * day,
        "results_start": base + 29 * day,
    }


def round_(
    phase: Phase = Phase.SUBMISSION,
    *,
    total: int = 300_000,
    name: str | None = None,
    themes: list[Theme] | None = None,
    threshold: int = 50,
    **fields: object,
) -> Round:
    """A round in the given phase with budgets split evenly over the four districts."""
    n = next(_seq)
    r = Round(
        slug=f"ronde-{n}",
        name=name or f"Testronde {n}",
        total_budget=total,
        support_threshold=threshold,
        **phase_dates(phase),
        **fields,
    )
    r.themes = themes if themes is not None else list(db.session.scalars(select(Theme)))
    ds = districts()
    share = total // len(ds)
    for i, d in enumerate(ds):
        amount = share + (total - share * len(ds) if i == 0 else 0)
        r.district_budgets.append(DistrictBudget(district_id=d.id, amount=amount))
    db.session.add(r)
    db.session.flush()
    return r


def initiative(
    rnd: Round,
    author: User | None = None,
    *,
    status: Status = Status.SUBMITTED,
    cost: int = 5_000,
    district_slug: str | None = None,
    title: str | None = None,
    **fields: object,
) -> Initiative:
    """An initiative in a round."""
    n = next(_seq)
    author = author or user()
    d = district(district_slug) if district_slug else (author.district or district())
    i = Initiative(
        round_id=rnd.id,
        author_id=author.id,
        district_id=d.id,
        theme_id=rnd.themes[0].id if rnd.themes else None,
        block_id=block(n % 21).id,
        title=title or f"Buurtinitiatief {n}",
        summary="Een korte samenvatting van het plan.",
        description="Een uitgebreide beschrijving van wat we willen doen en voor wie.",
        requested_cost=cost,
        status=status.value,
        **fields,
    )
    db.session.add(i)
    db.session.flush()
    return i
