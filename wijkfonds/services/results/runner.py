"""Allocation runs: stored as queued rows, computed by a worker of the task queue.

The request only stores a queued :class:`AllocationRun` and, after its commit, enqueues the
``run_allocation`` task (``wijkfonds.tasks``); a worker calls :func:`execute`, which claims
the run, builds the input, runs the rule and stores the outcome, updating
``status``/``progress`` as it goes and writing a heartbeat while the rule runs.

A worker can die in the middle (a restart, SIGKILL, the machine). Huey has already taken the
task off its queue by then, so the run's row is what tells: :func:`recover_lost` (a periodic
task, and at every worker's start) puts a running run whose heartbeat stopped back in the
queue while it has attempts left and fails it after that; :func:`reap_stale` (the run pages)
fails a run still active long after its last sign of life, e.g. when no worker runs at all.
Every state change is a conditional UPDATE on (status, attempts), so a worker that was
thought dead but wakes up cannot overwrite the attempt that replaced it: a run is stored once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, CursorResult, Select, and_, select, update
from sqlalchemy.exc import SQLAlchemyError

from wijkfonds.allocation import AllocationError
from wijkfonds.allocation.rules import COMPLETIONS, RULES, run_rule
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Phase, Round, User
from wijkfonds.services.audit import anchors
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.results.runs import round_input, summarize

ACTIVE = ("queued", "running")
INTERRUPTED = "interrupted"  # shown as a translated sentence
NOT_PICKED_UP = "not-picked-up"  # shown as a translated sentence
# How long a run may stay active before it is considered lost (plus any ILP time limit).
DEFAULT_TIMEOUT = 15 * 60
_RUNS = AllocationRun.__table__
log = logging.getLogger(__name__)


def create_run(rnd: Round, *, rule: str, completion: str, time_limit: int | None, actor: User) -> AllocationRun:
    """Store a queued run for a closed round (the caller commits, then enqueues it: ``tasks.enqueue_run``)."""
    errors: list[tuple[str | None, str]] = []
    if rnd.phase() != Phase.RESULTS:
        raise DomainError(_("Deze ronde is nog niet gesloten: u kunt pas rekenen als het stemmen voorbij is."), 409)
    if rule not in RULES:
        errors.append(("rule", _("Kies een bestaande regel.")))
    if completion not in COMPLETIONS:
        errors.append(("completion", _("Kies een bestaande aanvulling.")))
    elif completion != "none" and rule != "mes":
        errors.append(("completion", _("Een aanvulling hoort alleen bij de regel ‘gelijke delen’ (Equal Shares).")))
    if time_limit is not None and rule != "ilp":
        errors.append(
            ("time_limit", _("Een tijdslimiet hoort alleen bij de exacte berekening (zoveel mogelijk steun)."))
        )
    if time_limit is not None and not 1 <= time_limit <= 3600:
        errors.append(("time_limit", _("Kies een tijdslimiet tussen 1 en 3600 seconden.")))
    if errors:
        raise ValidationFailed(errors)
    # Results always follow the commitment to the ballots they count (409 just after the close).
    anchors.ensure_commitment(rnd)
    params: dict[str, Any] = {"completion": completion}
    if time_limit is not None:
        params["time_limit"] = time_limit
    if rule == "ilp":
        params["goal"] = rnd.ilp_goal  # the round's setting, kept with the run (the export recomputes it)
    run = AllocationRun(
        round_id=rnd.id,
        rule=rule,
        completion=completion,
        params=params,
        status="queued",
        progress=0,
        started_by_id=actor.id,
    )
    db.session.add(run)
    db.session.flush()
    return run


def _owned(run_id: int, attempt: int) -> ColumnElement[bool]:
    """The run's row while ``attempt`` still owns it."""
    return and_(_RUNS.c.id == run_id, _RUNS.c.status == "running", _RUNS.c.attempts == attempt)


def _claim(run_id: int) -> int | None:
    """Take a queued run for this worker: its attempt number, or None when it is not queued."""
    now = utcnow()
    attempt = db.session.execute(
        update(_RUNS)
        .where(_RUNS.c.id == run_id, _RUNS.c.status == "queued")
        .values(status="running", progress=10, attempts=_RUNS.c.attempts + 1, heartbeat_at=now)
        .returning(_RUNS.c.attempts)
    ).scalar_one_or_none()
    db.session.commit()
    return attempt


def _progress(run_id: int, attempt: int, percent: int) -> None:
    db.session.execute(update(_RUNS).where(_owned(run_id, attempt)).values(progress=percent, heartbeat_at=utcnow()))
    db.session.commit()


@contextmanager
def _heartbeat(run_id: int, attempt: int) -> Iterator[None]:
    """Write the run's heartbeat every ALLOCATION_RUN_HEARTBEAT seconds, from a thread of its own.

    Its own short transactions on the engine, never the session's: on SQLite a transaction
    left open while the rule runs would hold the write lock. (SCIP holds Python's GIL while
    it solves, so an ILP run is silent for up to its time limit: allowance() adds it.)
    """
    engine = db.engine
    interval = float(current_app.config["ALLOCATION_RUN_HEARTBEAT"])
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            try:
                with engine.begin() as conn:
                    conn.execute(update(_RUNS).where(_owned(run_id, attempt)).values(heartbeat_at=utcnow()))
            except SQLAlchemyError:
                log.warning("heartbeat of allocation run %s failed", run_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"allocation-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@dataclass(frozen=True)
class _Outcome:
    status: str
    error: str = ""
    result: dict[str, Any] | None = None
    optimal: bool | None = None
    input_digest: str = ""
    seconds: float = 0.0


def _compute(run_id: int, attempt: int) -> _Outcome:
    """Build the input and run the rule; the rule's errors become a failed outcome, database errors raise."""
    run = db.session.get_one(AllocationRun, run_id)
    rule, completion, limit = run.rule, run.completion, run.params.get("time_limit")
    started = time.perf_counter()
    digest = ""
    try:
        data = round_input(run.round)
        digest = data.digest
        # Commits: no database transaction is open while the rule runs (on SQLite it would
        # hold the write lock and make voters and staff wait).
        _progress(run_id, attempt, 40)
        allocation = run_rule(
            rule,
            data.instance,
            data.profile,
            completion=completion,
            time_limit=float(limit) if limit else None,
            goal=run.params.get("goal") if rule == "ilp" else None,
        )
        result = summarize(data, allocation)
    except AllocationError as exc:
        return _Outcome("failed", str(exc), input_digest=digest, seconds=time.perf_counter() - started)
    except SQLAlchemyError:
        raise
    except Exception as exc:
        log.exception("allocation run %s failed", run_id)
        return _Outcome(
            "failed",
            f"unexpected {type(exc).__name__}: {exc}",
            input_digest=digest,
            seconds=time.perf_counter() - started,
        )
    return _Outcome("done", "", result, allocation.optimal, digest, time.perf_counter() - started)


def _store(run_id: int, attempt: int, outcome: _Outcome) -> bool:
    """Store the outcome and its audit event, unless another attempt took the run over meanwhile."""
    stored: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result
        update(_RUNS)
        .where(_owned(run_id, attempt))
        .values(
            status=outcome.status,
            error=outcome.error,
            result=outcome.result,
            optimal=outcome.optimal,
            input_digest=outcome.input_digest,
            seconds=round(outcome.seconds, 3),
            progress=100,
            finished_at=utcnow(),
        )
    )
    if stored.rowcount != 1:
        db.session.rollback()
        log.warning(
            "allocation run %s: attempt %s was replaced by a later one; its outcome is dropped", run_id, attempt
        )
        return False
    row = db.session.execute(
        select(_RUNS.c.round_id, _RUNS.c.rule, _RUNS.c.params, _RUNS.c.started_by_id).where(_RUNS.c.id == run_id)
    ).one()
    audit.record(
        "allocation.run",
        actor=db.session.get(User, row.started_by_id) if row.started_by_id else None,
        round_id=row.round_id,
        run_id=run_id,
        rule=row.rule,
        params=row.params,
        input_digest=outcome.input_digest,
        status=outcome.status,
        selected=len(outcome.result["selected"]) if outcome.result else None,
    )
    db.session.commit()
    return True


def _give_back(run_id: int, attempt: int, exc: SQLAlchemyError) -> None:
    """After a database error: queue the run again for the task's retry, or fail it when out of attempts."""
    try:
        if attempt < max_attempts():
            values: dict[str, Any] = {"status": "queued", "progress": 0, "heartbeat_at": utcnow()}
        else:
            values = {"status": "failed", "progress": 100, "finished_at": utcnow(), "error": f"database error: {exc}"}
        db.session.execute(update(_RUNS).where(_owned(run_id, attempt)).values(**values))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("allocation run %s: could not give it back; recover_lost will", run_id)


def execute(run_id: int) -> None:
    """Claim a queued run, compute it and store its outcome once; a run that is not queued is left alone.

    Idempotent, so a task delivered twice or retried is harmless: only the worker whose claim
    moved the run from queued to running computes it, and only that attempt may store it.
    The rule's errors are stored as a failed run. A database error gives the run back to the
    queue (or fails it after its last attempt) and is raised, so that the task is retried.
    """
    attempt = _claim(run_id)
    if attempt is None:
        return
    try:
        with _heartbeat(run_id, attempt):
            outcome = _compute(run_id, attempt)
        _store(run_id, attempt, outcome)
    except SQLAlchemyError as exc:
        db.session.rollback()
        _give_back(run_id, attempt, exc)
        raise


def fail_unqueued(run_id: int, reason: str) -> None:
    """Fail a queued run whose task could not be put in the queue, with the reason (the caller commits)."""
    error = _("De achtergrondwachtrij was niet bereikbaar (%(reason)s). Start de berekening opnieuw.", reason=reason)
    db.session.execute(
        update(_RUNS)
        .where(_RUNS.c.id == run_id, _RUNS.c.status == "queued")
        .values(status="failed", progress=100, finished_at=utcnow(), error=error)
    )


def max_attempts() -> int:
    """How many workers may take one run before it counts as failed."""
    return max(1, int(current_app.config["ALLOCATION_RUN_ATTEMPTS"]))


def allowance(run: AllocationRun) -> timedelta:
    """How long a running run may be silent before its worker counts as dead.

    SCIP keeps the heartbeat thread waiting while it solves, for up to the run's time limit;
    an ILP run without one may be silent until its timeout.
    """
    limit = run.params.get("time_limit")
    if run.rule == "ilp" and not limit:
        return timeout_for(run)
    return timedelta(seconds=float(current_app.config["ALLOCATION_RUN_LOST_AFTER"]) + int(limit or 0))


def _last_sign_of_life(run: AllocationRun) -> datetime:
    return max(run.created_at, run.heartbeat_at) if run.heartbeat_at else run.created_at


def recover_lost(now: datetime | None = None) -> list[int]:
    """Runs whose worker died: queued again while attempts remain (their ids are returned), else failed.

    The caller commits, then enqueues the returned runs. Runs active long past their
    timeout are failed as by :func:`reap_stale`.
    """
    now = now or utcnow()
    requeued: list[int] = []
    for run in list(db.session.scalars(select(AllocationRun).where(AllocationRun.status == "running"))):
        if now - _last_sign_of_life(run) <= allowance(run):
            continue
        if run.attempts < max_attempts():
            values: dict[str, Any] = {"status": "queued", "progress": 0, "heartbeat_at": now}
            kind = "allocation.run_retried"
        else:
            values = {"status": "failed", "progress": 100, "finished_at": now, "error": INTERRUPTED}
            kind = "allocation.run_lost"
        changed: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result
            update(_RUNS).where(_owned(run.id, run.attempts)).values(**values)
        )
        if changed.rowcount == 1:  # not taken over by another recovery meanwhile
            audit.record(kind, round_id=run.round_id, run_id=run.id, attempt=run.attempts)
            if values["status"] == "queued":
                requeued.append(run.id)
    _reap(select(AllocationRun).where(AllocationRun.status.in_(ACTIVE)), now)
    return requeued


def timeout_for(run: AllocationRun) -> timedelta:
    """How long the run may stay active before it counts as lost."""
    base = current_app.config.get("ALLOCATION_RUN_TIMEOUT", DEFAULT_TIMEOUT)
    return timedelta(seconds=base + int(run.params.get("time_limit") or 0))


def _reap(runs: Select[AllocationRun], now: datetime) -> int:
    count = 0
    for run in list(db.session.scalars(runs)):
        if now - _last_sign_of_life(run) <= timeout_for(run):
            continue
        error = NOT_PICKED_UP if run.status == "queued" else INTERRUPTED
        changed: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result
            update(_RUNS)
            .where(_RUNS.c.id == run.id, _RUNS.c.status == run.status, _RUNS.c.attempts == run.attempts)
            .values(status="failed", progress=100, finished_at=now, error=error)
        )
        if changed.rowcount == 1:
            audit.record("allocation.run_lost", round_id=run.round_id, run_id=run.id, attempt=run.attempts)
            count += 1
    if count:
        db.session.expire_all()
    return count


def reap_stale(round_id: int) -> int:
    """Mark active runs of a round failed when they gave no sign of life for longer than their timeout.

    Covers what :func:`recover_lost` cannot: a run that no worker ever took (none is running)
    or one whose recovery never ran. The caller commits.
    """
    return _reap(
        select(AllocationRun).where(AllocationRun.round_id == round_id, AllocationRun.status.in_(ACTIVE)), utcnow()
    )
