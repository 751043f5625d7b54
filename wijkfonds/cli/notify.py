"""``flask --app wijkfonds notify due|digests``: the notifications' periodic work by hand or from cron.

The task queue's periodic tasks call the same functions; both are idempotent, so running
them from cron as well (or twice) sends nothing twice.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

notify_group = AppGroup("notify", help="Notifications: voting opened, daily digests.")


@notify_group.command("due")
def due() -> None:
    """Send "voting has opened" for every district whose voting runs now (each once)."""
    from wijkfonds.services.notifications.events import notify_due

    told = notify_due()
    click.echo(f"voting opened: {told} {'account' if told == 1 else 'accounts'} told")


@notify_group.command("digests")
def digests() -> None:
    """Queue the daily digests that are due (from DIGEST_HOUR, Europe/Amsterdam, once a day)."""
    from wijkfonds.services.notifications.digest import send_digests

    queued = send_digests()
    click.echo(f"daily digests: {queued} queued")
