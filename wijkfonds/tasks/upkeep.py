"""Periodic upkeep: the audit log's anchors, and the retention clean-up."""

from __future__ import annotations

import logging

from flask import current_app

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.services.accounts import privacy_retention, tokens
from wijkfonds.services.audit import anchors
from wijkfonds.services.mail import outbox
from wijkfonds.services.notifications import digest, events
from wijkfonds.tasks.queue import app_context, periodic
from wijkfonds.tasks.records import recorded
from wijkfonds.tasks.schedule import ANCHORS, DIGESTS, NOTICES, RETENTION

log = logging.getLogger(__name__)


@periodic(ANCHORS.cron)
def ensure_anchors() -> None:
    """Publish the audit anchors that are due (``services.audit.anchors.ensure_current``, idempotent)."""
    with app_context(), recorded(ANCHORS.name) as note:
        made = anchors.ensure_current(utcnow())
        db.session.commit()
        note.handled = len(made or ())


@periodic(RETENTION.cron)
def clean_up() -> None:
    """Delete what the site no longer needs to keep: sent or failed mail past
    MAIL_RETENTION_DAYS (outbox.purge_sent), expired links, and what the privacy statement
    promises to remove (services.accounts.privacy_retention.run_all: rate-limit records,
    unused voters, voter links, reporters)."""
    with app_context(), recorded(RETENTION.name) as note:
        now = utcnow()
        handled = outbox.purge_sent(now=now)
        handled += tokens.purge_old(now)  # expired links sent by mail (they hold addresses)
        # The privacy statement's retention rules (rate-limit records, unused voters, voter links, reporters).
        handled += sum(privacy_retention.run_all(current_app.config, now).values())
        db.session.commit()
        note.handled = handled


@periodic(NOTICES.cron)
def notify_due() -> None:
    """'Voting has opened' notices that are due (services.notifications.events.notify_due, idempotent)."""
    with app_context(), recorded(NOTICES.name) as note:
        note.handled = events.notify_due(utcnow())


@periodic(DIGESTS.cron)
def send_digests() -> None:
    """The daily digests that are due (services.notifications.digest.send_digests, idempotent)."""
    with app_context(), recorded(DIGESTS.name) as note:
        note.handled = digest.send_digests(utcnow())
