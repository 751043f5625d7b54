"""Mail: the hook for the outbox's sender (``wijkfonds.services.mail.sender.send_due``).

``send_due()`` is safe to run twice at once (two workers, or a kick during the periodic
run): it claims the outbox rows it sends, in short transactions of its own.
"""

from __future__ import annotations

import logging

from wijkfonds.services.mail import sender
from wijkfonds.tasks.queue import app_context, periodic, task
from wijkfonds.tasks.records import recorded
from wijkfonds.tasks.schedule import SEND_MAIL

log = logging.getLogger(__name__)


@task()
def send_mail_due() -> None:
    """Send the mail that is due (``services.mail.sender.send_due``)."""
    with app_context(), recorded(SEND_MAIL.name) as note:
        report = sender.send_due()
        note.handled = report.sent


@periodic(SEND_MAIL.cron)
def send_mail_every_30_seconds() -> None:
    """Huey's scheduler looks once a minute: send now, and once more half a minute later."""
    send_mail_due()
    send_mail_due.schedule(delay=30)


def kick_mail() -> None:
    """Ask a worker to send due mail now; call it after the request committed its outbox rows.

    It only enqueues (an INSERT into the SQLite queue or a push to Redis), so a request never
    waits on SMTP; if the broker cannot be reached, the error is logged and the periodic run
    sends the mail within 30 seconds. (In immediate mode, unit tests, the task runs at once.)
    """
    try:
        send_mail_due()
    except Exception:  # the broker's own errors (redis, sqlite3) share no base class
        log.warning("could not queue send_mail_due; the periodic run will send the mail", exc_info=True)
