"""The mail outbox: one row per message, written with the change that caused it, sent later."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model


class MailStatus(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """Where a message stands: waiting (also between attempts), delivered to the relay, or given up."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Model):
    """One rendered message for one recipient (services/mail/outbox.py writes it).

    Subject, text and HTML are rendered when the message is queued, in the recipient's
    language, so sending needs neither templates nor a request. ``claim`` and
    ``next_attempt_at`` together are the sender's lease (services/mail/sender.py).
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)  # RFC 5322 Message-ID, with <>
    to_address: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    list_unsubscribe: Mapped[str | None] = mapped_column(String(2000))
    list_unsubscribe_post: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=MailStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    # Set by the sender that claimed the message for its batch; only that sender records the outcome.
    claim: Mapped[str | None] = mapped_column(String(32))
