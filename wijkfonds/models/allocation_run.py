"""Stored runs of the allocation engine for a round."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.round import Round
    from wijkfonds.models.user import User


class AllocationRun(Model):
    """One run of a rule over a closed round: input digest, result and explanations."""

    __tablename__ = "allocation_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(32))
    completion: Mapped[str] = mapped_column(String(32), default="none")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    input_digest: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued/running/done/failed
    progress: Mapped[int] = mapped_column(default=0)  # percent
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    optimal: Mapped[bool | None] = mapped_column()
    seconds: Mapped[float | None] = mapped_column()
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    publish_reason: Mapped[str] = mapped_column(Text, default="")
    # Set by the task queue's worker: how many times a worker took the run, and its last
    # sign of life (a run whose worker died is queued again or failed; runner.recover_lost).
    attempts: Mapped[int] = mapped_column(default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column()

    round: Mapped[Round] = relationship("Round")
    started_by: Mapped[User | None] = relationship("User", foreign_keys=[started_by_id])
