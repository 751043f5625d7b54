"""A real consumer process on a real broker: SqliteHuey on a temporary file by default, Redis
when WIJKFONDS_TEST_REDIS_URL is set (``make test-queue``), on the test's own database.

The worker is killed with SIGKILL while it computes an allocation run (held by a file, see
tests/queue_worker.py, so the moment is known): the run is taken up by the next consumer,
or failed with its reason once it is out of attempts, and never left "running".
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests import factories as f
from tests import factories_results as fr
from tests.conftest import make_app
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, AuditEvent, Role, TaskRun
from wijkfonds.tasks import huey, kick_mail

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("WIJKFONDS_TEST_REDIS_URL")
HEARTBEAT, LOST_AFTER = 0.2, 1.0
RUNS = AllocationRun.__table__


class Workers:
    """Consumer processes started by one test; whatever is still running at the end is killed."""

    def __init__(self, folder: Path, config: dict[str, Any]) -> None:
        self.folder, self.config = folder, config
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *, hold: Path | None = None, args: tuple[str, ...] = (), **config: Any) -> subprocess.Popen[bytes]:
        log = self.folder / f"worker-{len(self.procs) + 1}.log"
        spec = {"config": {**self.config, **config}, "args": list(args), "hold": str(hold) if hold else None}
        env = {**os.environ, "WIJKFONDS_TEST_WORKER": json.dumps(spec)}
        env.pop("WIJKFONDS_QUEUE_URL", None)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.queue_worker"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self.procs.append((proc, log))
        return proc

    def log(self, proc: subprocess.Popen[bytes]) -> str:
        return next(log for p, log in self.procs if p is proc).read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for _p, log in self.procs)

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float = 120) -> None:
        """Poll ``check`` until it holds; fail with the workers' logs after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}\n{self.logs()}")
            for proc, _log in self.procs:
                if proc.poll() not in (None, -signal.SIGKILL, 0):
                    pytest.fail(f"a worker exited with {proc.returncode} while waiting for {what}\n{self.logs()}")
            time.sleep(0.05)

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        proc.send_signal(signal.SIGINT)  # graceful: running tasks finish
        assert proc.wait(timeout=60) == 0, self.logs()

    def close(self) -> None:
        for proc, _log in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.fixture()
def queue(database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, Workers]]:
    """The web side's app on a real broker (not immediate), and a way to start consumers for it."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUEUE_URL": REDIS_URL or f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        "QUEUE_NAME": f"wf-test-{uuid.uuid4().hex[:10]}",  # one queue per test on a shared Redis
        "ALLOCATION_RUN_HEARTBEAT": HEARTBEAT,
        "ALLOCATION_RUN_LOST_AFTER": LOST_AFTER,
    }
    app = make_app(database_url, **{**config, "QUEUE_IMMEDIATE": False})
    workers = Workers(tmp_path, config)
    with app.app_context():
        try:
            yield app, workers
        finally:
            workers.close()
            db.session.remove()
            db.engine.dispose()


def _read(statement: Any) -> Any:
    """One row, read in a transaction that ends at once (SQLite: never hold the write lock)."""
    try:
        return db.session.execute(statement).one_or_none()
    finally:
        db.session.rollback()


def _run(run_id: int) -> Any:
    return _read(select(RUNS).where(RUNS.c.id == run_id))


def _start_run_as_staff(app: Flask) -> int:
    rnd, _inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
    resp = client.post(f"/beheer/toewijzing/ronde/{rnd.id}", data={"rule": "greedy", "completion": "none"})
    assert resp.status_code == 302
    return int(resp.headers["Location"].rstrip("/").split("/")[-1])


def _kill_while_running(app: Flask, workers: Workers, hold: Path) -> int:
    """Start a held consumer, enqueue a run through the staff page, SIGKILL the consumer mid-run."""
    first = workers.start(hold=hold)
    run_id = _start_run_as_staff(app)
    workers.wait_for("the worker to start computing", (hold / "started").exists)
    row = _run(run_id)
    assert (row.status, row.attempts) == ("running", 1)
    first.kill()  # SIGKILL: no handler, no clean-up, the task is gone from Huey's queue
    assert first.wait(timeout=30) == -signal.SIGKILL

    def silent() -> bool:  # nobody writes its heartbeat any more: wait until it is overdue
        r = _run(run_id)
        last = max(r.created_at, r.heartbeat_at or r.created_at)
        return utcnow() - last > timedelta(seconds=LOST_AFTER)

    workers.wait_for("the dead worker's heartbeat to be overdue", silent)
    assert _run(run_id).status == "running"  # still "running" until some worker recovers it
    return run_id


def _kinds() -> list[str]:
    kinds = list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))
    db.session.rollback()
    return kinds


@pytest.mark.slow
def test_a_run_whose_worker_is_killed_is_finished_by_the_next_worker(queue, tmp_path) -> None:
    app, workers = queue
    run_id = _kill_while_running(app, workers, tmp_path)
    second = workers.start()  # not held: computes for real
    workers.wait_for("the run to be done", lambda: _run(run_id).status in ("done", "failed"))
    row = _run(run_id)
    assert (row.status, row.attempts, row.error) == ("done", 2, ""), workers.logs()
    assert row.result and row.result["selected"] and row.progress == 100
    kinds = _kinds()
    assert kinds.count("allocation.run_retried") == 1 and kinds.count("allocation.run") == 1
    workers.stop(second)
    assert "lost its worker; queued again" in workers.log(second)


@pytest.mark.slow
def test_a_run_out_of_attempts_is_failed_with_its_reason(queue, tmp_path) -> None:
    app, workers = queue
    workers.config["ALLOCATION_RUN_ATTEMPTS"] = 1
    run_id = _kill_while_running(app, workers, tmp_path)
    second = workers.start()
    workers.wait_for("the run to be failed", lambda: _run(run_id).status != "running")
    row = _run(run_id)
    assert (row.status, row.error, row.attempts, row.result) == ("failed", "interrupted", 1, None)
    assert _kinds().count("allocation.run_lost") == 1
    workers.stop(second)
    staff = f.user(Role.STAFF)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
    page = client.get(f"/beheer/toewijzing/berekening/{run_id}").get_data(as_text=True)
    assert "De berekening is mislukt" in page and "onderbroken" in page


@pytest.mark.slow
def test_the_consumer_runs_queued_periodic_and_kicked_tasks(queue) -> None:
    app, workers = queue
    worker = workers.start()
    run_id = _start_run_as_staff(app)
    workers.wait_for("the run to be done", lambda: _run(run_id).status == "done")
    # The scheduler enqueues the every-minute tasks as it starts.
    for name in ("recover_runs", "send_mail_due"):
        workers.wait_for(f"{name} to run", lambda name=name: _read(select(TaskRun).where(TaskRun.name == name)))
    workers.stop(worker)

    # Without the scheduler, and with the second mail run of the minute dropped from the
    # broker's schedule, only the kick can make the mail task run.
    huey.flush()
    before = _read(select(TaskRun.runs).where(TaskRun.name == "send_mail_due"))[0]
    quiet = workers.start(args=("--no-periodic",))
    kick_mail()
    workers.wait_for(
        "the kicked mail task",
        lambda: _read(select(TaskRun.runs).where(TaskRun.name == "send_mail_due"))[0] == before + 1,
    )
    workers.stop(quiet)
