"""The tamper-evident audit log: a SHA-256 hash chain of events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model


class AuditEvent(Model):
    """One change of state; ``hash`` covers every field and the previous event's hash."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(120), default="system")
    kind: Mapped[str] = mapped_column(String(64))
    round_id: Mapped[int | None] = mapped_column()
    payload: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
