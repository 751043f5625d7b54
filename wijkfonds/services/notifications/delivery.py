"""Getting one event to one account: a message in the outbox now, or an item for the digest.

Everything is written in the caller's transaction (outbox rows through ``mail.outbox.queue``,
or ``PendingNotification`` rows); nothing here talks to a mail server. When a transaction
that queued notification mail commits, the task queue is asked to send soon
(``tasks.kick_mail()``, when the task queue is installed); otherwise ``send_due`` finds the
messages on its next round.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from wijkfonds.extensions import db
from wijkfonds.models import NotificationDelivery, NotificationKind, NotificationSettings, PendingNotification, User
from wijkfonds.services.mail.links import absolute_url
from wijkfonds.services.mail.outbox import queue
from wijkfonds.services.notifications import unsubscribe
from wijkfonds.services.notifications.items import Item, view
from wijkfonds.services.notifications.settings import mail_language, settings_for, settings_of

_KICK = "wijkfonds_notifications_kick_mail"


def may_receive(user: User) -> bool:
    """True for an active account whose owner confirmed the address (no mail to unconfirmed ones)."""
    return user.active and user.email_confirmed_at is not None


def recipients(user_ids: Iterable[int]) -> list[User]:
    """The accounts among ``user_ids`` that may receive mail, by id."""
    ids = sorted(set(user_ids))
    found: list[User] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found += db.session.scalars(
            select(User)
            .where(User.id.in_(chunk), User.active.is_(True), User.email_confirmed_at.is_not(None))
            .order_by(User.id)
        )
    return found


def queue_mail(user: User, template: str, context: dict[str, Any], kind: NotificationKind | None) -> None:
    """Put one notification message for ``user`` in the outbox, with its one-click unsubscribe."""
    queue(
        user.email,
        template,
        language=mail_language(user),
        context={**context, "settings_url": absolute_url("notifications.preferences")},
        unsubscribe_url=unsubscribe.url_for_user(user, kind),
        unsubscribe_post=True,
    )
    db.session.info[_KICK] = True


def deliver(
    user: User,
    kind: NotificationKind,
    data: dict[str, Any],
    prefs: NotificationSettings | None = None,
    *,
    now: datetime | None = None,
) -> bool:
    """Notify ``user`` of one event of ``kind`` (its switch and delivery decide how); True if anything was written."""
    if not may_receive(user):
        return False
    prefs = prefs or settings_for(user)
    if not prefs.is_on(kind):
        return False
    if prefs.delivery == NotificationDelivery.DAILY.value:
        db.session.add(PendingNotification(user_id=user.id, kind=kind.value, data=data))
        db.session.flush()
        return True
    item: Item | None = view(kind, data, mail_language(user), now)
    if item is None:
        return False
    queue_mail(user, f"notify/{kind.value}", {"item": item}, kind)
    return True


def deliver_each(
    user_ids: Iterable[int], kind: NotificationKind, data: dict[str, Any], *, now: datetime | None = None
) -> int:
    """``deliver`` one event to every account of ``user_ids`` that may receive it; how many got it."""
    users = recipients(user_ids)
    prefs = settings_of(u.id for u in users)
    return sum(deliver(u, kind, data, prefs[u.id], now=now) for u in users)


def kick_mail() -> None:
    """Ask the task queue to send the outbox soon, when there is one (wijkfonds.tasks)."""
    try:
        from wijkfonds.tasks import kick_mail as kick  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return  # no task queue installed: the periodic send_due picks the messages up
    try:
        kick()
    except Exception:  # the messages are committed; a queue that is down only delays them
        current_app.logger.exception("notifications: could not ask the task queue to send mail")


@event.listens_for(db.session, "after_commit")
def _kick_after_commit(session: Session) -> None:
    if session.info.pop(_KICK, False):
        kick_mail()


@event.listens_for(db.session, "after_rollback")
def _forget_kick(session: Session) -> None:
    session.info.pop(_KICK, None)
