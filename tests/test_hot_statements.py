"""HotStatement: election night's statements on psycopg's cursor (PostgreSQL) or through the
session (SQLite), with the same rows, the same transaction and SQLAlchemy's exception types."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import bindparam, exc, func, insert, select

from wijkfonds.database.hot import HotStatement
from wijkfonds.extensions import db
from wijkfonds.models import District, RateEvent

_D = District.__table__
_RE = RateEvent.__table__

BY_SLUG = HotStatement(select(_D.c.id, _D.c.slug).where(_D.c.slug == bindparam("slug")))
ADD_EVENT = HotStatement(insert(_RE))


def _event(key: str) -> dict:
    from wijkfonds.common.timeutil import utcnow

    return {"bucket": "hot-test", "key": key, "at": utcnow()}


def test_rows_match_the_session(app: Flask) -> None:
    """Rows carry their columns by name, as the session's rows do; LIMIT and literals travel along."""
    expected = db.session.execute(select(_D.c.id, _D.c.slug).where(_D.c.slug == "westerpark")).one()
    row = BY_SLUG.first({"slug": "westerpark"})
    assert (row.id, row.slug) == (expected.id, expected.slug)
    assert BY_SLUG.first({"slug": "bestaat-niet"}) is None
    first_two = HotStatement(select(_D.c.slug).order_by(_D.c.slug).limit(2))
    assert [r.slug for r in first_two.all({})] == sorted(db.session.scalars(select(_D.c.slug)))[:2]


def test_writes_join_the_session_transaction(app: Flask) -> None:
    """What a hot statement writes is committed or rolled back with the session."""
    count = select(func.count(_RE.c.id)).where(_RE.c.bucket == "hot-test")
    ADD_EVENT.run(_event("a"))
    ADD_EVENT.run([_event("b"), _event("c")])
    assert db.session.scalar(count) == 3  # the session sees them inside the same transaction
    db.session.rollback()
    assert db.session.scalar(count) == 0
    ADD_EVENT.run(_event("d"))
    db.session.commit()
    assert db.session.scalar(count) == 1


def test_errors_are_sqlalchemy_errors_and_the_session_recovers(app: Flask) -> None:
    duplicate = HotStatement(insert(_D))
    existing = db.session.execute(select(District)).scalars().first()
    assert existing is not None
    with pytest.raises(exc.IntegrityError):
        duplicate.run(
            {
                "id": existing.id,
                "slug": existing.slug,
                "name": existing.name,
                "population": 0,
                "active": True,
                "letter_languages": "",
            }
        )
    db.session.rollback()
    assert BY_SLUG.first({"slug": existing.slug}).id == existing.id


def test_a_statement_that_needs_python_defaults_is_refused(app: Flask, database_url: str) -> None:
    """SQLAlchemy would fill in RateEvent.at; on the cursor nobody would, so it is refused."""
    if not database_url.startswith("postgresql"):
        pytest.skip("only PostgreSQL runs statements on the cursor")
    with pytest.raises(ValueError, match="every value given"):
        ADD_EVENT.run({"bucket": "hot-test", "key": "no-time"})
