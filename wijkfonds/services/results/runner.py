"""Allocation runs in the background: one thread per run, with its own app context and session.

The request only stores a queued :class:`AllocationRun` and starts a thread; the thread
builds the input, runs the rule and stores the result, updating ``status``/``progress``
as it goes. A run that is still "queued"/"running" long after it started belongs to a
process that died (a restart, a crash): :func:`reap_stale` marks it failed.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

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
_threads: dict[int, threading.Thread] = {}
_lock = threading.Lock()
# How long a run may stay active before it is considered lost (plus any ILP time limit).
DEFAULT_TIMEOUT = 15 * 60


def create_run(rnd: Round, *, rule: str, completion: str, time_limit: int | None, actor: User) -> AllocationRun:
    """Store a queued run for a closed round (the caller commits, then calls :func:`start`)."""
    errors: list[tuple[str | None, str]] = []
    if rnd.phase() != Phase.RESULTS:
        raise DomainError(_("Deze ronde is nog niet gesloten: u kunt pas rekenen als het stemmen voorbij is."), 409)
    if rule not in RULES:
        errors.append(("rule", _("Kies een bestaande regel.")))
    if completion not in COMPLETIONS:
        errors.append(("completion", _("Kies een bestaande aanvulling.")))
    elif completion != "none" and rule != "mes":
        errors.append(("completion", _("Een aanvulling hoort alleen bij Equal Shares (mes).")))
    if time_limit is not None and rule != "ilp":
        errors.append(("time_limit", _("Een tijdslimiet hoort alleen bij de exacte methode (ilp).")))
    if time_limit is not None and not 1 <= time_limit <= 3600:
        errors.append(("time_limit", _("Kies een tijdslimiet tussen 1 en 3600 seconden.")))
    if errors:
        raise ValidationFailed(errors)
    # Results always follow the commitment to the ballots they count (409 just after the close).
    anchors.ensure_commitment(rnd)
    params: dict[str, Any] = {"completion": completion}
    if time_limit is not None:
        params["time_limit"] = time_limit
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


def start(run_id: int, app: Flask | None = None) -> threading.Thread:
    """Run ``run_id`` in a new daemon thread (call after the queued run is committed)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    thread = threading.Thread(target=_thread_main, args=(app, run_id), name=f"allocation-run-{run_id}", daemon=True)
    with _lock:
        _threads[run_id] = thread
    thread.start()
    return thread


def join(run_id: int, timeout: float | None = None) -> None:
    """Wait for a run's thread (tests, CLI)."""
    with _lock:
        thread = _threads.get(run_id)
    if thread is not None:
        thread.join(timeout)


def is_alive(run_id: int) -> bool:
    """Whether this process is still working on the run."""
    with _lock:
        thread = _threads.get(run_id)
    return thread is not None and thread.is_alive()


def _thread_main(app: Flask, run_id: int) -> None:
    with app.app_context():
        try:
            execute(run_id)
        finally:
            db.session.remove()
            with _lock:
                _threads.pop(run_id, None)


def _progress(run: AllocationRun, status: str, percent: int) -> None:
    run.status, run.progress = status, percent
    db.session.commit()


def execute(run_id: int) -> None:
    """Build the input, run the rule, store the result or the error; never raises."""
    run = db.session.get(AllocationRun, run_id)
    if run is None or run.status not in ACTIVE:
        return
    started = time.perf_counter()
    rule, completion, limit = run.rule, run.completion, run.params.get("time_limit")
    try:
        _progress(run, "running", 10)
        data = round_input(run.round)
        run.input_digest = data.digest
        _progress(run, "running", 40)
        # No database access while the rule runs: on SQLite an open transaction would hold
        # the write lock (BEGIN IMMEDIATE) and make voters and staff wait.
        allocation = run_rule(
            rule, data.instance, data.profile, completion=completion, time_limit=float(limit) if limit else None
        )
        run.progress = 90
        run.result = summarize(data, allocation)
        run.optimal = allocation.optimal
        run.status = "done"
    except AllocationError as exc:
        db.session.rollback()
        run = db.session.get_one(AllocationRun, run_id)  # the row was there before the rollback
        run.status, run.error = "failed", str(exc)
    except Exception as exc:
        current_app.logger.exception("allocation run %s failed", run_id)
        db.session.rollback()
        run = db.session.get_one(AllocationRun, run_id)  # the row was there before the rollback
        run.status, run.error = "failed", f"unexpected {type(exc).__name__}: {exc}"
    run.progress = 100
    run.seconds = round(time.perf_counter() - started, 3)
    run.finished_at = utcnow()
    audit.record(
        "allocation.run",
        actor=db.session.get(User, run.started_by_id) if run.started_by_id else None,
        round_id=run.round_id,
        run_id=run.id,
        rule=run.rule,
        params=run.params,
        input_digest=run.input_digest,
        status=run.status,
        selected=len(run.result["selected"]) if run.result else None,
    )
    db.session.commit()


def timeout_for(run: AllocationRun) -> timedelta:
    """How long the run may stay active before it counts as lost."""
    base = current_app.config.get("ALLOCATION_RUN_TIMEOUT", DEFAULT_TIMEOUT)
    return timedelta(seconds=base + int(run.params.get("time_limit") or 0))


def reap_stale(round_id: int) -> int:
    """Mark active runs of a round that outlived their timeout (and have no thread here) failed."""
    now = utcnow()
    count = 0
    runs = db.session.scalars(
        select(AllocationRun).where(AllocationRun.round_id == round_id, AllocationRun.status.in_(ACTIVE))
    )
    for run in runs:
        if now - run.created_at > timeout_for(run) and not is_alive(run.id):
            run.status, run.progress, run.finished_at = "failed", 100, now
            run.error = INTERRUPTED
            audit.record("allocation.run_lost", round_id=round_id, run_id=run.id)
            count += 1
    return count
