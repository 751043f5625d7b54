"""Mail through the outbox: queued with the change, sent later by send_due to a real SMTP server.

The server is aiosmtpd in the test process (tests/smtp_server.py) on 127.0.0.1.
"""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests.conftest import PG_URL, make_app
from tests.smtp_server import SmtpServer
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import MailStatus, OutboxMessage
from wijkfonds.services.mail import sender
from wijkfonds.services.mail.outbox import purge_sent, queue
from wijkfonds.services.mail.sender import backoff, send_due

SITE = "https://wijkfonds.example.nl"


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server that accepts everything (stopped after the test)."""
    server = SmtpServer().start()
    yield server
    server.stop()


def _app(database_url: str, tmp_path: Path, **overrides: object) -> Flask:
    config: dict[str, object] = {
        "SITE_URL": SITE,
        "MAIL_DIR": str(tmp_path / "mail"),
        "MAIL_FROM": "Wijkfonds West <noreply@wijkfonds.example.nl>",
    }
    config.update(overrides)
    return make_app(database_url, **config)


@pytest.fixture()
def mail_app(database_url: str, tmp_path: Path, smtp: SmtpServer) -> Iterator[Flask]:
    """The app sending to the test SMTP server, links on SITE."""
    application = _app(database_url, tmp_path, SMTP_URL=smtp.url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _test_mail(to: str, language: str = "nl", **kwargs: object) -> OutboxMessage:
    return queue(to, "test_message", language=language, context={"requested_by": "Fatima Medewerker"}, **kwargs)  # type: ignore[arg-type]


def _rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _parts(msg: email.message.EmailMessage) -> tuple[str, str]:
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def test_messages_arrive_with_text_and_html_in_each_recipients_language(mail_app: Flask, smtp: SmtpServer) -> None:
    nl = _test_mail("bewoner@voorbeeld.nl", "nl")
    en = _test_mail(
        "resident@example.org",
        "en",
        unsubscribe_url=f"{SITE}/account/afmelden/abc123",
        unsubscribe_post=True,
    )
    db.session.commit()
    assert smtp.inbox.received == []  # queueing sends nothing

    report = send_due()
    assert (report.claimed, report.sent, report.retried, report.failed) == (2, 2, 0, 0)

    (dutch,) = smtp.inbox.to("bewoner@voorbeeld.nl")
    (english,) = smtp.inbox.to("resident@example.org")
    assert smtp.inbox.received[0].mail_from == "noreply@wijkfonds.example.nl"
    for msg in (dutch, english):
        assert msg.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
        assert msg["From"] == "Wijkfonds West <noreply@wijkfonds.example.nl>"
        assert msg["Auto-Submitted"] == "auto-generated"

    assert dutch["Subject"] == "Testbericht van Wijkfonds"
    assert dutch["Content-Language"] == "nl"
    text, html = _parts(dutch)
    assert "Dit is een testbericht, gevraagd door Fatima Medewerker" in text
    assert '<html lang="nl">' in html and "Komt het aan, dan werkt de verzending van mail." in html
    assert "List-Unsubscribe" not in dutch and "List-Unsubscribe-Post" not in dutch

    assert english["Subject"] == "Test message from Neighbourhood Fund"
    text_en, html_en = _parts(english)
    assert "This is a test message, requested by Fatima Medewerker" in text_en
    assert '<html lang="en">' in html_en and "District West" in html_en
    assert english["List-Unsubscribe"] == f"<{SITE}/account/afmelden/abc123>"
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Unsubscribe" in html_en and f"{SITE}/account/afmelden/abc123" in text_en
    raw = next(r.raw for r in smtp.inbox.received if "resident@example.org" in r.rcpt_tos)
    assert f"List-Unsubscribe: <{SITE}/account/afmelden/abc123>".encode() in raw  # whole, not encoded

    # Each row its own Message-ID, the one that was sent.
    assert {dutch["Message-ID"], english["Message-ID"]} == {nl.message_id, en.message_id}
    assert nl.message_id != en.message_id and nl.message_id.endswith("@wijkfonds.example.nl>")
    assert [(r.status, r.attempts) for r in _rows()] == [("sent", 1), ("sent", 1)]

    # The link in the message is absolute on the site's address and opens the outbox page.
    link = next(line for line in text.splitlines() if line.startswith(SITE))
    assert link == f"{SITE}/beheer/mail/"
    assert f'href="{SITE}/beheer/mail/"' in html
    client = mail_app.test_client()
    staff = f.user("staff")
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = staff.get_id()
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200 and "Uitgaande mail" in page.get_data(as_text=True)

    assert send_due().claimed == 0  # nothing twice


def test_a_server_that_is_down_loses_nothing_and_sends_each_message_once(mail_app: Flask, smtp: SmtpServer) -> None:
    smtp.stop()
    addresses = [f"buur{i}@voorbeeld.nl" for i in range(5)]
    for address in addresses:
        _test_mail(address)
    db.session.commit()

    t0 = utcnow()
    first = send_due(now=t0)
    assert (first.claimed, first.sent, first.retried, first.failed) == (5, 0, 5, 0)
    rows = _rows()
    assert all(r.status == "queued" and r.attempts == 1 for r in rows)
    assert all("cannot reach 127.0.0.1" in (r.last_error or "") for r in rows)
    assert all(r.next_attempt_at == t0 + timedelta(minutes=1) for r in rows)
    assert all(r.claim is None and r.sent_at is None for r in rows)

    smtp.start()
    assert send_due(now=t0 + timedelta(seconds=30)).claimed == 0  # still waiting
    later = send_due(now=t0 + timedelta(minutes=2))
    assert (later.claimed, later.sent, later.retried, later.failed) == (5, 5, 0, 0)
    assert sorted(a for r in smtp.inbox.received for a in r.rcpt_tos) == sorted(addresses)
    assert len({r.message["Message-ID"] for r in smtp.inbox.received}) == 5
    assert all(r.status == "sent" and r.attempts == 2 for r in _rows())

    again = send_due(now=t0 + timedelta(hours=3))
    assert (again.claimed, again.sent) == (0, 0)
    assert len(smtp.inbox.received) == 5


def test_a_550_for_one_recipient_fails_that_message_only(mail_app: Flask, smtp: SmtpServer) -> None:
    smtp.inbox.refuse["verhuisd@voorbeeld.nl"] = "550 5.1.1 <verhuisd@voorbeeld.nl>: no such user"
    _test_mail("een@voorbeeld.nl")
    dead = _test_mail("verhuisd@voorbeeld.nl")
    _test_mail("twee@voorbeeld.nl")
    db.session.commit()

    report = send_due()
    assert (report.sent, report.retried, report.failed) == (2, 0, 1)
    assert sorted(a for r in smtp.inbox.received for a in r.rcpt_tos) == ["een@voorbeeld.nl", "twee@voorbeeld.nl"]
    row = db.session.get(OutboxMessage, dead.id)
    assert row is not None and row.status == "failed" and row.attempts == 1
    assert "550 5.1.1" in (row.last_error or "") and "verhuisd@voorbeeld.nl" in (row.last_error or "")
    assert send_due(now=utcnow() + timedelta(days=1)).claimed == 0  # a failed message is not retried on its own


def test_a_4xx_is_retried_with_doubling_waits_until_it_fails(
    database_url: str, tmp_path: Path, smtp: SmtpServer
) -> None:
    app = _app(database_url, tmp_path, SMTP_URL=smtp.url, MAIL_MAX_ATTEMPTS=4, MAIL_RETRY_SECONDS=(60, 150))
    with app.app_context():
        assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 150, 150]
        smtp.inbox.refuse["vol@voorbeeld.nl"] = "452 4.2.2 mailbox full"
        row_id = _test_mail("vol@voorbeeld.nl").id
        db.session.commit()
        now = utcnow()
        waits = []
        for _attempt in range(3):
            report = send_due(now=now)
            assert report.retried == 1 and report.failed == 0
            row = db.session.get(OutboxMessage, row_id)
            assert row is not None and "452 4.2.2 mailbox full" in (row.last_error or "")
            waits.append((row.next_attempt_at - now).total_seconds())
            now = row.next_attempt_at
        assert waits == [60, 120, 150]
        report = send_due(now=now)
        assert report.failed == 1
        row = db.session.get(OutboxMessage, row_id)
        assert row is not None and (row.status, row.attempts) == ("failed", 4)
        assert smtp.inbox.received == []
        db.session.remove()
        db.engine.dispose()


def test_a_4xx_then_success_sends_once(mail_app: Flask, smtp: SmtpServer) -> None:
    smtp.inbox.refuse["later@voorbeeld.nl"] = "451 4.3.0 try again later"
    _test_mail("later@voorbeeld.nl")
    db.session.commit()
    now = utcnow()
    assert send_due(now=now).retried == 1
    del smtp.inbox.refuse["later@voorbeeld.nl"]
    assert send_due(now=now + timedelta(seconds=61)).sent == 1
    assert len(smtp.inbox.to("later@voorbeeld.nl")) == 1


def test_development_mode_writes_eml_files_that_parse_back(database_url: str, tmp_path: Path) -> None:
    app = _app(database_url, tmp_path, SMTP_URL=None)
    with app.app_context():
        _test_mail("bewoner@voorbeeld.nl", "nl")
        _test_mail("resident@example.org", "en", unsubscribe_url=f"{SITE}/afmelden/x", unsubscribe_post=True)
        _test_mail("zoë@voorbeeld.nl")
        db.session.commit()
        report = send_due()
        assert report.sent == 3 and report.via == str(tmp_path / "mail")
        files = sorted((tmp_path / "mail").glob("*.eml"))
        assert len(files) == 3
        assert not list((tmp_path / "mail").glob(".*"))  # no half-written files left
        parsed = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]
        by_to = {m["To"]: m for m in parsed}
        assert set(by_to) == {"bewoner@voorbeeld.nl", "resident@example.org", "zoë@voorbeeld.nl"}
        nl_msg = by_to["bewoner@voorbeeld.nl"]
        assert nl_msg["Subject"] == "Testbericht van Wijkfonds"
        assert nl_msg.get_content_type() == "multipart/alternative"
        text, html = _parts(nl_msg)  # type: ignore[arg-type]
        assert "Dit is een testbericht" in text and "<html" in html
        assert by_to["resident@example.org"]["List-Unsubscribe"] == f"<{SITE}/afmelden/x>"
        assert all(r.status == "sent" for r in _rows())
        assert send_due().claimed == 0 and len(list((tmp_path / "mail").glob("*.eml"))) == 3
        db.session.remove()
        db.engine.dispose()


def test_development_default_directory_is_instance_mail(database_url: str) -> None:
    app = make_app(database_url, MAIL_DIR=None)  # the default, not the tests' own folder
    with app.app_context():
        assert sender.mail_dir() == Path(app.instance_path) / "mail"
        assert sender.transport_for(app.config).describe().endswith("instance/mail")
        db.engine.dispose()


def test_two_senders_at_once_send_each_message_once(mail_app: Flask, smtp: SmtpServer) -> None:
    addresses = [f"tegelijk{i}@voorbeeld.nl" for i in range(12)]
    for address in addresses:
        _test_mail(address)
    db.session.commit()
    reports: list[sender.SendReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with mail_app.app_context():
                reports.append(send_due(limit=12))
                db.session.remove()
        except BaseException as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r.sent for r in reports) == 12
    assert sorted(a for r in smtp.inbox.received for a in r.rcpt_tos) == sorted(addresses)


def test_a_dead_senders_claim_runs_out(mail_app: Flask, smtp: SmtpServer) -> None:
    row_id = _test_mail("wacht@voorbeeld.nl").id
    db.session.commit()
    now = utcnow()
    assert sender._claim(now, 10, "a-sender-that-died") == [row_id]
    assert send_due(now=now + timedelta(minutes=9)).claimed == 0  # the lease (10 minutes) holds
    assert send_due(now=now + timedelta(minutes=11)).sent == 1
    assert len(smtp.inbox.to("wacht@voorbeeld.nl")) == 1


def test_purge_removes_finished_messages_after_the_retention(mail_app: Flask) -> None:
    now = utcnow()
    rows = {name: _test_mail(f"{name}@voorbeeld.nl") for name in ("oud", "nieuw", "mislukt", "wacht")}
    rows["oud"].status, rows["oud"].sent_at = MailStatus.SENT.value, now - timedelta(days=31)
    rows["nieuw"].status, rows["nieuw"].sent_at = MailStatus.SENT.value, now - timedelta(days=29)
    rows["mislukt"].status, rows["mislukt"].last_attempt_at = MailStatus.FAILED.value, now - timedelta(days=40)
    rows["wacht"].created_at = now - timedelta(days=90)  # still queued: never purged
    db.session.commit()
    assert mail_app.config["MAIL_RETENTION_DAYS"] == 30
    assert purge_sent(now=now) == 2
    db.session.commit()
    assert sorted(r.to_address for r in _rows()) == ["nieuw@voorbeeld.nl", "wacht@voorbeeld.nl"]
    assert purge_sent(timedelta(days=1), now=now) == 1
    with pytest.raises(ValueError, match="negative"):
        purge_sent(timedelta(days=-1))


def test_cli_send_and_purge(mail_app: Flask, smtp: SmtpServer) -> None:
    _test_mail("cli@voorbeeld.nl")
    db.session.commit()
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 kept for another attempt, 0 failed" in result.output
    assert len(smtp.inbox.to("cli@voorbeeld.nl")) == 1
    result = runner.invoke(args=["mail", "purge", "--days", "0"])
    assert result.exit_code == 0 and "purged 1 messages" in result.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_cli_send_with_a_bad_smtp_url_says_what_is_wrong(database_url: str, tmp_path: Path) -> None:
    app = _app(database_url, tmp_path, SMTP_URL="smtp://ik:geheim@mail.voorbeeld.nl:poort")
    with app.app_context():
        _test_mail("x@voorbeeld.nl")
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["mail", "send"])
        assert result.exit_code == 1
        assert "port that is not a number" in result.output and "geheim" not in result.output
        assert _rows()[0].claim is None  # nothing was claimed
        db.session.remove()
        db.engine.dispose()


def test_an_international_address_goes_out_with_smtputf8(mail_app: Flask, smtp: SmtpServer) -> None:
    _test_mail("zoë@voorbeeld.nl")
    db.session.commit()
    assert send_due().sent == 1
    (msg,) = smtp.inbox.to("zoë@voorbeeld.nl")
    assert msg["To"] == "zoë@voorbeeld.nl"


def test_a_server_without_smtputf8_fails_only_the_international_address(database_url: str, tmp_path: Path) -> None:
    server = SmtpServer(enable_SMTPUTF8=False).start()
    try:
        app = _app(database_url, tmp_path, SMTP_URL=server.url)
        with app.app_context():
            zoe = _test_mail("zoë@voorbeeld.nl").id
            _test_mail("zoe@voorbeeld.nl")
            db.session.commit()
            report = send_due()
            assert (report.sent, report.failed) == (1, 1)
            row = db.session.get(OutboxMessage, zoe)
            assert row is not None and row.status == "failed" and "SMTPUTF8" in (row.last_error or "")
            assert len(server.inbox.to("zoe@voorbeeld.nl")) == 1
            db.session.remove()
            db.engine.dispose()
    finally:
        server.stop()


def test_a_421_mid_batch_keeps_that_message_and_the_rest_go_on_a_new_session(mail_app: Flask, smtp: SmtpServer) -> None:
    # smtplib drops the session after a 421; the sender opens a new one for the next message.
    smtp.inbox.refuse["eerste@voorbeeld.nl"] = "421 4.3.2 shutting down, come back later"
    first = _test_mail("eerste@voorbeeld.nl").id
    _test_mail("tweede@voorbeeld.nl")
    _test_mail("derde@voorbeeld.nl")
    db.session.commit()
    report = send_due()
    assert (report.sent, report.retried, report.failed) == (2, 1, 0)
    row = db.session.get(OutboxMessage, first)
    assert row is not None and row.status == "queued" and "421 4.3.2" in (row.last_error or "")
    assert sorted(a for r in smtp.inbox.received for a in r.rcpt_tos) == ["derde@voorbeeld.nl", "tweede@voorbeeld.nl"]


@pytest.mark.skipif(not PG_URL, reason="FOR UPDATE SKIP LOCKED is PostgreSQL's (SQLite serialises on its write lock)")
def test_postgres_skips_messages_another_sender_holds(mail_app: Flask, smtp: SmtpServer) -> None:
    held = _test_mail("vast@voorbeeld.nl").id
    _test_mail("vrij@voorbeeld.nl")
    db.session.commit()
    with db.engine.connect() as other:
        other.execute(select(OutboxMessage.id).where(OutboxMessage.id == held).with_for_update())
        report = send_due(now=utcnow() + timedelta(seconds=1))  # would wait here without SKIP LOCKED
        assert (report.claimed, report.sent) == (1, 1)
        other.rollback()
    assert [a for r in smtp.inbox.received for a in r.rcpt_tos] == ["vrij@voorbeeld.nl"]
    assert send_due().sent == 1  # once released, it goes
