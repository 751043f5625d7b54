"""After the vote: reminding initiators of an overdue update or account (services.implementation.reminders)."""

from __future__ import annotations

from wijkfonds.services.implementation import reminders
from wijkfonds.tasks.queue import app_context, periodic
from wijkfonds.tasks.records import recorded
from wijkfonds.tasks.schedule import IMPLEMENTATION_REMINDERS


@periodic(IMPLEMENTATION_REMINDERS.cron)
def remind_initiators() -> None:
    """Queue the reminders that are due (idempotent: once per plan per IMPLEMENTATION_REMINDER_DAYS)."""
    with app_context(), recorded(IMPLEMENTATION_REMINDERS.name) as note:
        note.handled = reminders.send_reminders()
