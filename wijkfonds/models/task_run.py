"""When each background task last ran (shown to staff next to the schedule)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.extensions import Model


class TaskRun(Model):
    """One row per scheduled task: its last start and finish, outcome, what it handled, how often it ran."""

    __tablename__ = "task_run"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="")  # running/ok/failed/skipped
    handled: Mapped[int] = mapped_column(default=0)  # what the last run did (mails sent, rows deleted, ...)
    error: Mapped[str] = mapped_column(Text, default="")  # why the last run failed or was skipped
    runs: Mapped[int] = mapped_column(default=0)
