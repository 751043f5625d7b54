"""Time helpers: the database stores naive UTC; people see Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """The current time as naive UTC (what every DateTime column holds)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime) -> datetime:
    """Naive UTC -> aware Europe/Amsterdam."""
    return value.replace(tzinfo=UTC).astimezone(LOCAL)


def from_local(value: datetime) -> datetime:
    """Naive Europe/Amsterdam wall-clock time -> naive UTC."""
    return value.replace(tzinfo=LOCAL).astimezone(UTC).replace(tzinfo=None)
