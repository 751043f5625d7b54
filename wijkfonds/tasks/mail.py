"""Mail: the hook for the outbox's sender (``wijkfonds.services.mail.sender.send_due``).

The sender is imported when the task runs; until that module exists in this installation the
task records that it was skipped. ``send_due()`` must be safe to run twice at once (two
workers, or a kick during the periodic run): it claims the outbox rows it sends.
"""

from __future__ import annotations

import logging

from wijkfonds.extensions import db
from wijkfonds.tasks.queue import app_context, optional_module, periodic, task
from wijkfonds.tasks.records import recorded
from wijkfonds.tasks.schedule import SEND_MAIL

SENDER = "wijkfonds.services.mail.sender"
log = logging.getLogger(__name__)


@task()
def send_mail_due() -> None:
    """Send the mail that is due (``services.mail.sender.send_due``); skipped while that module is missing."""
    with app_context(), recorded(SEND_MAIL.name) as note:
        sender = optional_module(SENDER)
        if sender is None:
            log.info("%s is not installed yet: no mail to send", SENDER)
            note.skipped = f"{SENDER} is not installed"
            return
        sent = sender.send_due()
        db.session.commit()
        note.handled = sent if isinstance(sent, int) else len(sent or ())


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
