"""Retention: what the site keeps about visitors only for a while, and when it goes.

- Rate-limit records (``RateEvent``: a bucket, the IP address or e-mail address that made
  the attempt, the time) count only inside their limit's window (LOGIN_RATE_LIMIT,
  CODE_RATE_LIMIT, REPORT_RATE_LIMIT, ...). Past the longest of those windows they count
  against nobody, and :func:`clean_up` deletes them (every quarter of an hour, task
  ``clean_up``), so an address is kept at most that window plus a quarter of an hour.
- Sessions of voters with a letter code are not stored on the server: the cookie carries
  the voter's ``access_version``, which "Klaar" raises, so there is nothing to delete.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete

from wijkfonds.extensions import db
from wijkfonds.models import RateEvent

DEFAULT_WINDOW = 3600


def longest_window(config: Mapping[str, Any]) -> int:
    """The longest window in seconds of the configured rate limits (``*_RATE_LIMIT = (attempts, seconds)``)."""
    windows = [int(value[1]) for key, value in config.items() if key.endswith("_RATE_LIMIT")]
    return max(windows, default=DEFAULT_WINDOW)


def clean_up(*, now: datetime, keep_seconds: int) -> int:
    """Delete rate-limit records older than ``keep_seconds``; how many went (the caller commits)."""
    if keep_seconds < 0:
        raise ValueError(f"keep_seconds must not be negative, not {keep_seconds}")
    cutoff = now - timedelta(seconds=keep_seconds)
    gone: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]  # a DELETE's result
        delete(RateEvent).where(RateEvent.at < cutoff)
    )
    return gone.rowcount
