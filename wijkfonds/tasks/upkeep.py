"""Periodic upkeep: the audit log's anchors, and the retention clean-up."""

from __future__ import annotations

import logging

from flask import current_app

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.services.accounts import retention
from wijkfonds.tasks.queue import app_context, optional_module, periodic
from wijkfonds.tasks.records import recorded
from wijkfonds.tasks.schedule import ANCHORS, RETENTION

ANCHORS_MODULE = "wijkfonds.services.audit.anchors"
log = logging.getLogger(__name__)


@periodic(ANCHORS.cron)
def ensure_anchors() -> None:
    """Publish the audit anchors that are due (``services.audit.anchors.ensure_current``, idempotent)."""
    with app_context(), recorded(ANCHORS.name) as note:
        # Imported here: the anchors service comes from another branch; until it is merged
        # the task records that it was skipped.
        anchors = optional_module(ANCHORS_MODULE)
        if anchors is None:
            log.info("%s is not installed yet: no anchors to publish", ANCHORS_MODULE)
            note.skipped = f"{ANCHORS_MODULE} is not installed"
            return
        made = anchors.ensure_current(utcnow())
        db.session.commit()
        note.handled = len(made or ())


@periodic(RETENTION.cron)
def clean_up() -> None:
    """Delete what the site no longer needs to keep (services.accounts.retention)."""
    with app_context(), recorded(RETENTION.name) as note:
        note.handled = retention.clean_up(now=utcnow(), keep_seconds=retention.longest_window(current_app.config))
        db.session.commit()
