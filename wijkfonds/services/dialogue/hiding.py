"""Hiding by staff, one way for everything they hide: a comment, a photo, a need or its reply,
a plan's progress update. The reason is checked (clean_reason), then whether the item is hidden
already; the item's service names its audit event and what the event records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed

REASON_MAX = 300


def clean_reason(reason: str | None) -> str:
    """A moderator's reason, stripped; ValidationFailed when empty or too long (hiding and reports alike)."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed([("reason", _("Geef een reden."))])
    if len(text) > REASON_MAX:
        raise ValidationFailed([("reason", _("De reden mag hoogstens %(n)d tekens hebben.", n=REASON_MAX))])
    return text


class Hideable(Protocol):
    """What moderators hide: a comment, a photo, a need or its reply, a plan's progress update."""

    hidden_at: datetime | None
    hidden_by_id: int | None
    hidden_reason: str


def set_hidden(item: Hideable, moderator: User | None, reason: str | None) -> None:
    """Hide ``item`` by ``moderator`` with ``reason`` (already checked by clean_reason), or show it again (None)."""
    item.hidden_at = utcnow() if moderator is not None else None
    item.hidden_by_id = moderator.id if moderator is not None else None
    item.hidden_reason = reason if moderator is not None and reason is not None else ""


def hide_recorded(
    item: Hideable,
    moderator: User,
    reason: str | None,
    *,
    already: str,
    event: str,
    details: Callable[[], dict[str, Any]],
    resolve: Callable[[], int] | None = None,
) -> None:
    """Hide ``item`` with a checked reason and record ``event`` with ``details()`` (round_id too, where the kind has one).

    ``already`` is the 409 message when it is hidden already (the reason is checked first);
    ``resolve`` closes the item's open reports, their number recorded as reports_resolved.
    """
    text = clean_reason(reason)
    if item.hidden_at is not None:
        raise DomainError(already, 409)
    set_hidden(item, moderator, text)
    resolved = resolve() if resolve is not None else None
    db.session.flush()
    payload = details()
    if resolved is not None:
        payload["reports_resolved"] = resolved
    audit.record(event, actor=moderator, **payload)


def unhide_recorded(
    item: Hideable, moderator: User, *, not_hidden: str, event: str, details: Callable[[], dict[str, Any]]
) -> None:
    """Show a hidden ``item`` again and record ``event``; ``not_hidden`` is the 409 message when it is not."""
    if item.hidden_at is None:
        raise DomainError(not_hidden, 409)
    set_hidden(item, None, None)
    db.session.flush()
    audit.record(event, actor=moderator, **details())
