"""Each run of a scheduled task leaves its start, end and outcome in ``task_run`` (one row per task)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import TaskRun


@dataclass
class Note:
    """What a task tells about its run: how many things it handled, or that it was skipped."""

    handled: int = 0
    skipped: str = ""


def _row(name: str) -> TaskRun:
    row = db.session.get(TaskRun, name)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = TaskRun(name=name, status="", error="", handled=0, runs=0)
            db.session.add(row)
    except IntegrityError:  # another worker wrote the first row at the same moment
        row = db.session.get_one(TaskRun, name)
    return row


@contextmanager
def recorded(name: str) -> Iterator[Note]:
    """Note the start of task ``name``, run the block, then note its outcome (each committed).

    An exception is noted as the outcome and raised again (Huey logs it; a periodic task
    simply runs again at its next time).
    """
    row = _row(name)
    row.started_at, row.status = utcnow(), "running"
    db.session.commit()
    note = Note()
    try:
        yield note
    except Exception as exc:
        db.session.rollback()
        row = _row(name)
        row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
        row.finished_at, row.runs = utcnow(), row.runs + 1
        db.session.commit()
        raise
    row = _row(name)
    row.status = "skipped" if note.skipped else "ok"
    row.error, row.handled = note.skipped, note.handled
    row.finished_at, row.runs = utcnow(), row.runs + 1
    db.session.commit()
