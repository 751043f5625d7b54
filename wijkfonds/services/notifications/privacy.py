"""What the notifications keep about a person: ``personal_data(user)`` and ``forget(user)``.

For the privacy export and account deletion. Rows kept here per account: its explicit
follows and unfollows (``plan_follow``), its settings (``notification_settings``) and items
waiting for its digest (``notification_pending``); plus ``user.language``, a column of the
account itself. ``notification_mark`` names plans, rounds and districts, never a person, and
stays. Messages already in the outbox belong to the mail outbox (its own retention).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from wijkfonds.extensions import db
from wijkfonds.models import Follow, Initiative, NotificationKind, NotificationSettings, PendingNotification, User
from wijkfonds.services.notifications.follows import followed_by
from wijkfonds.services.notifications.settings import settings_for


def personal_data(user: User) -> dict[str, Any]:
    """Everything the notifications keep about ``user``, as plain JSON-ready values."""
    prefs = settings_for(user)
    stored = db.session.get(NotificationSettings, user.id) is not None
    chosen = db.session.execute(
        select(Follow, Initiative.title)
        .join(Initiative, Initiative.id == Follow.initiative_id)
        .where(Follow.user_id == user.id)
        .order_by(Follow.id)
    ).all()
    pending = db.session.scalars(
        select(PendingNotification).where(PendingNotification.user_id == user.id).order_by(PendingNotification.id)
    )
    return {
        "mail_language": user.language,
        "settings": {
            "stored": stored,  # False: never changed, these are the defaults
            "delivery": prefs.delivery,
            "follow_own_plans": prefs.follow_own,
            "follow_supported_plans": prefs.follow_supported,
            "switches": {kind.value: prefs.is_on(kind) for kind in NotificationKind},
            "last_digest_on": prefs.last_digest_on.isoformat() if prefs.last_digest_on else None,
        },
        "choices": [
            {
                "initiative_id": follow.initiative_id,
                "title": title,
                "following": follow.following,
                "at": follow.created_at.isoformat() + "Z",
            }
            for follow, title in chosen
        ],
        "following": [
            {"initiative_id": ini.id, "title": ini.title, "why": why.value} for ini, why in followed_by(user)
        ],
        "waiting_for_digest": [
            {"kind": row.kind, "data": row.data, "at": row.created_at.isoformat() + "Z"} for row in pending
        ],
    }


def forget(user: User) -> None:
    """Delete every notification row of ``user`` (flushes; the caller commits with the rest)."""
    for model in (Follow, PendingNotification, NotificationSettings):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.flush()
