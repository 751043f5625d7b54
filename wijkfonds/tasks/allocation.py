"""Allocation runs on the queue: one task per run, and the periodic recovery of runs whose worker died."""

from __future__ import annotations

import logging

from wijkfonds.extensions import db
from wijkfonds.services.results import runner
from wijkfonds.tasks.queue import app_context, periodic, task
from wijkfonds.tasks.records import recorded
from wijkfonds.tasks.schedule import RECOVER_RUNS

log = logging.getLogger(__name__)


# Huey's retries are safe here because runner.execute is idempotent: it only takes a run
# that is queued, and gives it back to the queue before raising a database error.
@task(retries=2, retry_delay=10)
def run_allocation(run_id: int) -> None:
    """Compute one allocation run (a repeated or retried delivery computes and stores it once)."""
    with app_context():
        runner.execute(run_id)


def enqueue_run(run_id: int) -> bool:
    """Hand a committed run to the queue (after the request's commit); False when the queue is unreachable.

    An unreachable broker fails the run at once with the reason, rather than leaving it
    queued with no task behind it.
    """
    try:
        run_allocation(run_id)
    except Exception as exc:  # the broker's own errors (redis, sqlite3) share no base class
        log.exception("allocation run %s could not be queued", run_id)
        db.session.rollback()
        runner.fail_unqueued(run_id, f"{type(exc).__name__}: {exc}")
        db.session.commit()
        return False
    return True


@periodic(RECOVER_RUNS.cron)
def recover_runs() -> None:
    """Queue again (or fail) running runs whose worker stopped giving signs of life."""
    with app_context(), recorded(RECOVER_RUNS.name) as note:
        requeued = runner.recover_lost()
        db.session.commit()
        for run_id in requeued:
            log.warning("allocation run %s lost its worker; queued again", run_id)
            run_allocation(run_id)
        note.handled = len(requeued)
