"""Rate limits kept in the database, so that every server worker shares them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import RateEvent
from wijkfonds.services.errors import RateLimited


def check(bucket: str, key: str, limit: tuple[int, int], message: str) -> None:
    """Raise RateLimited when ``key`` has used up ``limit`` = (attempts, seconds)."""
    attempts, seconds = limit
    since = utcnow() - timedelta(seconds=seconds)
    used = db.session.scalar(
        select(func.count(RateEvent.id)).where(RateEvent.bucket == bucket, RateEvent.key == key, RateEvent.at >= since)
    )
    if (used or 0) >= attempts:
        raise RateLimited(message)


def hit(bucket: str, key: str) -> None:
    """Count one attempt (committed by the caller's request)."""
    db.session.add(RateEvent(bucket=bucket, key=key[:128]))


def clear(bucket: str, key: str) -> None:
    """Forget the attempts of ``key`` (e.g. after a successful login)."""
    db.session.execute(delete(RateEvent).where(RateEvent.bucket == bucket, RateEvent.key == key))
