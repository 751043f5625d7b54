"""Following plans and notifications: who follows what, each account's switches, digest items.

Nothing here refers to ballots, voters or receipts: following is built from plans one wrote,
supported (public-ish already) or chose to follow, never from how anyone voted.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model


class NotificationKind(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """A kind of notification; each has its own switch (a column of NotificationSettings)."""

    COMMENT = "comment"  # a comment or reply on a plan one follows
    THRESHOLD = "threshold"  # one's own plan reached the support threshold
    REVIEW = "review"  # staff's decision on one's own plan, with its public reason
    VOTING_OPEN = "voting_open"  # voting opened in one's district
    RESULT = "result"  # the result was published, for the plans one follows
    PLAN_UPDATE = "plan_update"  # news about a funded plan one follows (its feature comes later)


class NotificationDelivery(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """When an account gets its notifications."""

    INSTANT = "instant"  # one message per event, at once
    DAILY = "daily"  # one digest a day with everything since the last one


class Follow(Model):
    """One account's explicit choice about one plan: follow (True) or not (False).

    Without a row, authors follow their own plans and supporters the plans they support,
    as their settings say (``follow_own``, ``follow_supported``); a row overrides that.
    """

    __tablename__ = "plan_follow"
    __table_args__ = (UniqueConstraint("user_id", "initiative_id"), Index("ix_plan_follow_initiative", "initiative_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    following: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationSettings(Model):
    """One account's notification switches (no row: the defaults, every switch on, instant)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(8), default=NotificationDelivery.INSTANT.value)
    follow_own: Mapped[bool] = mapped_column(default=True)
    follow_supported: Mapped[bool] = mapped_column(default=True)
    comment: Mapped[bool] = mapped_column(default=True)
    threshold: Mapped[bool] = mapped_column(default=True)
    review: Mapped[bool] = mapped_column(default=True)
    voting_open: Mapped[bool] = mapped_column(default=True)
    result: Mapped[bool] = mapped_column(default=True)
    plan_update: Mapped[bool] = mapped_column(default=True)
    # The local (Europe/Amsterdam) date of the last daily digest: one a day at most.
    last_digest_on: Mapped[date | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def is_on(self, kind: NotificationKind) -> bool:
        """True when notifications of ``kind`` are switched on."""
        return bool(getattr(self, kind.value))


class PendingNotification(Model):
    """An event waiting for its account's daily digest; ``data`` holds plain ids and values."""

    __tablename__ = "notification_pending"
    __table_args__ = (Index("ix_notification_pending_user_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationMark(Model):
    """A notice that went out once and must never go again, by a key such as 'threshold:12'.

    Keys name plans, rounds and districts, never a person.
    """

    __tablename__ = "notification_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
