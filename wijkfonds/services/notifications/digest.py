"""The daily digest: ``send_digests(now)`` turns each account's waiting items into one message.

The task queue runs it periodically (every hour is enough). From ``DIGEST_HOUR``
(Europe/Amsterdam, default 7:00) an account with waiting items gets one message with all
of them, at most one a day (``NotificationSettings.last_digest_on``); what arrives later
that day waits for the next morning. Items whose switch was turned off since, or that no
longer apply (``items.view``), are dropped. Each account's message, its items' removal and
its date are committed together, so running it twice, or in two workers, sends nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, select

from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.extensions import db
from wijkfonds.models import NotificationKind, NotificationSettings, PendingNotification, User
from wijkfonds.services.notifications.delivery import may_receive, queue_mail
from wijkfonds.services.notifications.items import Item, view
from wijkfonds.services.notifications.settings import defaults, mail_language


def _due_users(now: datetime, today: date) -> list[int]:
    waiting = select(PendingNotification.user_id).where(PendingNotification.created_at <= now).distinct()
    done_today = select(NotificationSettings.user_id).where(NotificationSettings.last_digest_on == today)
    return sorted(set(db.session.scalars(waiting)) - set(db.session.scalars(done_today)))


def _digest_one(user_id: int, now: datetime, today: date) -> bool:
    """One account's digest, in its own transaction; True when a message was queued."""
    # The account's row is the lock: a second worker waits here, then reads what the first committed.
    user = db.session.get(User, user_id, with_for_update=True, populate_existing=True)
    prefs = db.session.get(NotificationSettings, user_id, populate_existing=True)
    if prefs is not None and prefs.last_digest_on == today:
        db.session.commit()  # another worker was first
        return False
    rows = list(
        db.session.scalars(
            select(PendingNotification)
            .where(PendingNotification.user_id == user_id, PendingNotification.created_at <= now)
            .order_by(PendingNotification.id)
        )
    )
    sent = False
    if rows and user is not None and may_receive(user):
        if prefs is None:
            prefs = defaults(user_id)
            db.session.add(prefs)
        language = mail_language(user)
        items: list[Item] = []
        for row in rows:
            kind = NotificationKind(row.kind) if row.kind in {k.value for k in NotificationKind} else None
            if kind is not None and prefs.is_on(kind):
                found = view(kind, row.data, language, now)
                if found is not None:
                    items.append(found)
        if items:
            queue_mail(user, "notify/digest", {"items": items}, None)
            prefs.last_digest_on = today
            sent = True
    if rows:
        db.session.execute(delete(PendingNotification).where(PendingNotification.id.in_([r.id for r in rows])))
    db.session.commit()
    return sent


def send_digests(now: datetime | None = None) -> int:
    """Queue the digests due at ``now`` (naive UTC; see the module); returns how many were queued."""
    now = now or utcnow()
    local = to_local(now)
    if local.hour < int(current_app.config["DIGEST_HOUR"]):
        return 0
    today = local.date()
    return sum(_digest_one(uid, now, today) for uid in _due_users(now, today))
