"""Sending what is due in the outbox: ``send_due(now=None, limit=100) -> SendReport``.

The task queue calls it every 30 seconds (and soon after a request that queued mail
commits, ``tasks.kick_mail()``); ``flask --app wijkfonds mail send`` runs it once by hand.
It runs outside a request and commits its own short transactions; nothing a resident
or staff member does ever waits for a mail server.

1. **Claim.** One short transaction picks up to ``limit`` queued messages whose
   ``next_attempt_at`` has come, oldest first, and marks them with this run's ``claim``
   token and a lease (``next_attempt_at`` moved ``MAIL_CLAIM_SECONDS`` ahead). PostgreSQL
   takes them ``FOR UPDATE SKIP LOCKED``, so two senders never pick the same message and
   never wait for each other; SQLite's write lock (every transaction outside a page view
   begins IMMEDIATE, ``database/engines.py``) does the same. A sender that dies mid-batch
   leaves its messages to come due again when the lease ends; one that is still sending
   when half the lease has gone stops and hands the rest back, so a lease never runs out
   under a live sender.
2. **Send**, one message at a time over one SMTP session (``transport.py``), each outcome
   committed at once and recorded only under this run's claim, so a message is marked sent
   exactly once:

   - accepted: ``sent``, with ``sent_at``;
   - a 5xx for this message (recipient unknown, content refused): ``failed`` at once; the
     other messages go on;
   - a 4xx, a lost connection, a refused sender address, a full disk: kept, ``attempts``
     + 1, ``last_error``, and ``next_attempt_at`` after a wait that starts at
     ``MAIL_RETRY_SECONDS[0]`` (1 minute) and doubles up to ``MAIL_RETRY_SECONDS[1]``
     (1 hour); at ``MAIL_MAX_ATTEMPTS`` (10: the last about four hours after the first) it is ``failed``;
   - no session at all (server down, TLS or login refused): this message and every other
     one of the batch are kept as above, without trying the server again for each.

Staff see every message, its attempts and last error at ``/beheer/mail`` and can send a
failed one again.
"""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import MailStatus, OutboxMessage
from wijkfonds.services.mail.links import site_url
from wijkfonds.services.mail.message import build, parse_sender
from wijkfonds.services.mail.transport import (
    ERROR_MAX,
    ConnectFailed,
    DirectoryTransport,
    PermanentFailure,
    SmtpSettings,
    SmtpTransport,
    TemporaryFailure,
    Transport,
)

__all__ = ["SendReport", "backoff", "mail_dir", "send_due", "transport_for"]


@dataclass
class SendReport:
    """What one ``send_due`` run did."""

    via: str = ""
    claimed: int = 0
    sent: int = 0
    retried: int = 0  # kept for a later attempt
    failed: int = 0  # given up
    handed_back: int = 0  # claimed, not tried before half the lease had gone
    errors: list[str] = field(default_factory=list)  # "message 12: 550 ..."

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retried} kept for another attempt, {self.failed} failed"
            + (f", {self.handed_back} handed back" if self.handed_back else "")
            + f" (via {self.via})"
        )


def mail_dir() -> Path:
    """Where development mail is written: ``MAIL_DIR``, default ``instance/mail``."""
    configured = current_app.config.get("MAIL_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "mail"


def transport_for(config: dict[str, Any] | Any) -> Transport:
    """The SMTP transport for ``SMTP_URL``, or the ``.eml`` directory without one (ValueError: bad URL)."""
    url = config.get("SMTP_URL")
    if not url:
        return DirectoryTransport(mail_dir())
    host = urlsplit(site_url()).hostname or socket.getfqdn()
    return SmtpTransport(
        SmtpSettings.parse(url),
        timeout=float(config.get("SMTP_TIMEOUT", 30.0)),
        local_hostname=host,
        ca_file=config.get("SMTP_CA_FILE"),
    )


def backoff(attempts: int) -> timedelta:
    """The wait after the given number of failed attempts: doubling from the first wait, capped."""
    first, cap = current_app.config["MAIL_RETRY_SECONDS"]
    return timedelta(seconds=min(float(first) * 2 ** max(attempts - 1, 0), float(cap)))


_T = OutboxMessage.__table__.c


def _claim(now: datetime, limit: int, token: str) -> list[int]:
    lease = timedelta(seconds=float(current_app.config["MAIL_CLAIM_SECONDS"]))
    ids = list(
        db.session.scalars(
            select(_T.id)
            .where(_T.status == MailStatus.QUEUED.value, _T.next_attempt_at <= now)
            .order_by(_T.next_attempt_at, _T.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        db.session.execute(
            update(OutboxMessage.__table__).where(_T.id.in_(ids)).values(claim=token, next_attempt_at=now + lease)
        )
    db.session.commit()
    return ids


def _record(message_id: int, token: str, **values: Any) -> bool:
    """Write one outcome, only while this run's claim holds; True when it was written."""
    result = db.session.execute(
        update(OutboxMessage.__table__).where(_T.id == message_id, _T.claim == token).values(claim=None, **values)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0))


def _kept(row: OutboxMessage, token: str, error: str, at: datetime, report: SendReport) -> None:
    attempts = row.attempts + 1
    values: dict[str, Any] = {"attempts": attempts, "last_error": error[:ERROR_MAX], "last_attempt_at": at}
    if attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        values["status"] = MailStatus.FAILED.value
        report.failed += 1
    else:
        values["next_attempt_at"] = at + backoff(attempts)
        report.retried += 1
    report.errors.append(f"message {row.id}: {error}")
    _record(row.id, token, **values)


def _failed(row: OutboxMessage, token: str, error: str, at: datetime, report: SendReport) -> None:
    report.failed += 1
    report.errors.append(f"message {row.id}: {error}")
    _record(
        row.id,
        token,
        status=MailStatus.FAILED.value,
        attempts=row.attempts + 1,
        last_error=error[:ERROR_MAX],
        last_attempt_at=at,
    )


def _hand_back(ids: list[int], token: str, at: datetime, report: SendReport) -> None:
    db.session.execute(
        update(OutboxMessage.__table__).where(_T.id.in_(ids), _T.claim == token).values(claim=None, next_attempt_at=at)
    )
    db.session.commit()
    report.handed_back = len(ids)


def _send_one(
    row: OutboxMessage, transport: Transport, token: str, clock: Callable[[], datetime], report: SendReport
) -> str | None:
    """Send one claimed message and record the outcome; the error when no session could be had, else None."""
    cfg = current_app.config
    try:
        msg = build(row, cfg["MAIL_FROM"])
        transport.send(msg, sender=parse_sender(cfg["MAIL_FROM"]).addr_spec, recipient=row.to_address)
    except ConnectFailed as err:
        _kept(row, token, str(err), clock(), report)
        return str(err)
    except TemporaryFailure as err:
        _kept(row, token, str(err), clock(), report)
    except PermanentFailure as err:
        _failed(row, token, str(err), clock(), report)
    except Exception as err:  # a bug must not stall the other messages: logged, kept, retried
        current_app.logger.exception("mail: unexpected error sending message %s", row.id)
        _kept(row, token, f"unexpected error: {type(err).__name__}: {err}", clock(), report)
    else:
        at = clock()
        sent = MailStatus.SENT.value
        if _record(row.id, token, status=sent, sent_at=at, last_attempt_at=at, attempts=row.attempts + 1):
            report.sent += 1
        else:  # cannot happen while the lease holds (see the module); said loudly if it does
            current_app.logger.error("mail: message %s was sent but its claim had gone", row.id)
    return None


def _claimed(message_id: int, token: str) -> OutboxMessage | None:
    row = db.session.get(OutboxMessage, message_id)
    return row if row is not None and row.claim == token else None  # else purged or retried by staff


def send_due(now: datetime | None = None, limit: int = 100) -> SendReport:
    """Send up to ``limit`` due messages (see the module); ``now`` (naive UTC) is for tests."""
    cfg = current_app.config
    transport = transport_for(cfg)  # a bad SMTP URL or sender raises before anything is claimed
    parse_sender(cfg["MAIL_FROM"])
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    report = SendReport(via=transport.describe())
    token = secrets.token_hex(16)
    ids = _claim(clock(), limit, token)
    report.claimed = len(ids)
    half_lease = float(cfg["MAIL_CLAIM_SECONDS"]) / 2
    started = time.monotonic()
    try:
        for position, message_id in enumerate(ids):
            if time.monotonic() - started > half_lease:
                _hand_back(ids[position:], token, clock(), report)
                break
            row = _claimed(message_id, token)
            error = _send_one(row, transport, token, clock, report) if row is not None else None
            if error is not None:
                # No session: the rest of the batch cannot go either; all wait for the next try.
                for other_id in ids[position + 1 :]:
                    other = _claimed(other_id, token)
                    if other is not None:
                        _kept(other, token, error, clock(), report)
                break
    finally:
        transport.close()
    if ids:
        current_app.logger.info("mail: %s", report)
    return report
