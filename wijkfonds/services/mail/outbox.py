"""The outbox: queue a message with the change that causes it; read, retry and purge it.

The API for the rest of the site is one function::

    from wijkfonds.services.mail.outbox import queue

    queue(
        to: str,                       # one address, e.g. user.email
        template: str,                 # templates/mail/<template>.txt and .html
        *,
        language: str,                 # "nl" or "en": the recipient's language
        context: dict[str, Any],       # what the templates need (plain values)
        unsubscribe_url: str | None = None,   # adds List-Unsubscribe: <url>
        unsubscribe_post: bool = False,       # adds List-Unsubscribe-Post (RFC 8058 one-click)
    ) -> OutboxMessage

It renders the message now (``render.py``: the subject is the ``{% block subject %}`` of
the ``.txt`` template; every link is absolute on ``SITE_URL``, built with ``url_for`` in
the templates or ``links.absolute_url`` in Python, so it works from a worker), gives it its
own Message-ID, and adds one row to the outbox in the caller's transaction (flushed, not
committed): when the request rolls back, the mail is gone with the change that caused it.
Nothing here talks to a mail server; ``sender.send_due`` does, later, from the task queue
(``tasks.kick_mail()`` after the commit makes that soon). A bad argument (no such
template, an unknown language, something that is not one address) raises ValueError: it
is a mistake in the calling code, found by its tests.

Staff read the outbox at ``/beheer/mail`` (blueprints/mail). Rows hold addresses, so
``purge_sent`` removes finished messages after ``MAIL_RETENTION_DAYS`` (AVG); the task
queue runs it daily.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import Select, and_, delete, func, or_, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import MailStatus, OutboxMessage, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError
from wijkfonds.services.mail.message import new_message_id
from wijkfonds.services.mail.render import render

__all__ = ["check_address", "count", "count_by_status", "get", "listing", "page", "purge_sent", "queue", "retry_now"]


def check_address(to: str) -> None:
    """ValueError unless ``to`` is exactly one address, as the site's forms accept them.

    The same check as WTForms' ``Email()`` on the forms (email-validator, no DNS look-up),
    so an address the site took at registration is never refused here; one with a
    non-ASCII local part goes out with SMTPUTF8, or fails for that message alone where the
    server cannot take it.
    """
    if not isinstance(to, str) or len(to) > 254:
        raise ValueError(f"not one e-mail address: {to!r}")
    try:
        validate_email(to, check_deliverability=False)
    except EmailNotValidError as err:
        raise ValueError(f"not one e-mail address: {to!r} ({err})") from None


def _check_unsubscribe(url: str | None, post: bool) -> None:
    if url is None:
        if post:
            raise ValueError("unsubscribe_post needs an unsubscribe_url")
        return
    parts = urlsplit(url)
    web = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not (web or (parts.scheme == "mailto" and parts.path)):
        raise ValueError(f"unsubscribe_url must be an absolute https:// (or mailto:) URL, got {url!r}")
    if not url.isascii() or any(c.isspace() or c in "<>" for c in url) or len(url) > 2000:
        raise ValueError(
            "unsubscribe_url must be ASCII (percent-encoded), without spaces or <>, at most 2000 characters"
        )
    if post and not web:
        raise ValueError("one-click unsubscribe (RFC 8058) needs an https:// unsubscribe_url")


def queue(
    to: str,
    template: str,
    *,
    language: str,
    context: dict[str, Any],
    unsubscribe_url: str | None = None,
    unsubscribe_post: bool = False,
) -> OutboxMessage:
    """Render ``templates/mail/<template>`` in ``language`` and add it to the outbox (see the module)."""
    check_address(to)
    _check_unsubscribe(unsubscribe_url, unsubscribe_post)
    rendered = render(template, language=language, context=context, unsubscribe_url=unsubscribe_url)
    now = utcnow()
    row = OutboxMessage(
        message_id=new_message_id(current_app.config["MAIL_FROM"]),
        to_address=to,
        template=template,
        language=language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        list_unsubscribe=unsubscribe_url,
        list_unsubscribe_post=unsubscribe_post,
        status=MailStatus.QUEUED.value,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )
    db.session.add(row)
    db.session.flush()
    return row


def listing(status: str | None = None) -> Select[OutboxMessage]:
    """Outbox rows, newest first, optionally of one status."""
    q = select(OutboxMessage)
    if status:
        q = q.where(OutboxMessage.status == status)
    return q.order_by(OutboxMessage.id.desc())


def count(status: str | None = None) -> int:
    """How many rows ``listing(status)`` has."""
    return db.session.scalar(select(func.count()).select_from(listing(status).order_by(None).subquery())) or 0


def page(status: str | None, number: int, per_page: int) -> list[OutboxMessage]:
    """Page ``number`` (from 1) of the outbox, ``per_page`` rows."""
    return list(db.session.scalars(listing(status).offset((number - 1) * per_page).limit(per_page)))


def count_by_status() -> dict[str, int]:
    """How many messages each status has (every status present, zero included)."""
    counts = {s.value: 0 for s in MailStatus}
    for status, n in db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)):
        counts[status] = n
    return counts


def get(message_id: int) -> OutboxMessage | None:
    """One outbox row by id."""
    return db.session.get(OutboxMessage, message_id)


def retry_now(row: OutboxMessage, *, actor: User) -> None:
    """Staff's "send now": a failed (or waiting) message is due again at once, with fresh attempts.

    Only marks it; the sender sends it on its next run. A sent message is refused.
    """
    if row.status == MailStatus.SENT.value:
        raise DomainError(_("Dit bericht is al verzonden."), status=409)
    now = utcnow()
    if row.claim is not None and row.next_attempt_at > now:
        # A sender holds it right now; taking it away could send it twice.
        raise DomainError(_("Dit bericht wordt op dit moment verzonden. Kijk zo dadelijk opnieuw."), status=409)
    row.status = MailStatus.QUEUED.value
    row.attempts = 0
    row.next_attempt_at = now
    row.claim = None
    # The audit log is kept for good: it names the message, never the address.
    audit.record("mail.retry", actor=actor, message=row.id, template=row.template)
    db.session.flush()


def purge_sent(older_than: timedelta | None = None, *, now: datetime | None = None) -> int:
    """Delete messages finished longer than ``older_than`` ago (default MAIL_RETENTION_DAYS); return how many.

    Finished means sent (counted from ``sent_at``) or given up (from the last attempt):
    both hold an address that is no longer needed. Queued messages are never purged.
    Flushes; the caller (the retention task, or ``flask mail purge``) commits.
    """
    if older_than is None:
        older_than = timedelta(days=int(current_app.config["MAIL_RETENTION_DAYS"]))
    if older_than < timedelta(0):
        raise ValueError("older_than must not be negative")
    cutoff = (now or utcnow()) - older_than
    t = OutboxMessage.__table__.c
    result = db.session.execute(
        delete(OutboxMessage.__table__).where(
            or_(
                and_(t.status == MailStatus.SENT.value, t.sent_at < cutoff),
                and_(t.status == MailStatus.FAILED.value, func.coalesce(t.last_attempt_at, t.created_at) < cutoff),
            )
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
