"""Time helpers: the database stores naive UTC; people see Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from wijkfonds.common.translation import gettext as _

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


def duration_text(seconds: float) -> str:
    """A length of time in words: 'een minuut', '15 minuten', 'een uur', '3 uur', 'een dag', '4 dagen'.

    Days and hours are rounded to the nearest whole one, minutes up (at least one).
    """
    if seconds >= 86400:
        days = round(seconds / 86400)
        return _("een dag") if days == 1 else _("%(n)d dagen", n=days)
    if seconds >= 3600:
        hours = round(seconds / 3600)
        return _("een uur") if hours == 1 else _("%(n)d uur", n=hours)
    minutes = max(1, -int(-seconds // 60))
    return _("een minuut") if minutes == 1 else _("%(n)d minuten", n=minutes)
