"""queue(): rendering in the recipient's language, absolute links, checks, and the transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import make_app
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, OutboxMessage
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import ValidationFailed
from wijkfonds.services.mail.links import absolute_url, site_url
from wijkfonds.services.mail.outbox import queue
from wijkfonds.services.mail.sender import send_due
from wijkfonds.web.errors import domain_errors

CONTEXT = {"requested_by": "Fatima Medewerker"}


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_queue_adds_a_row_in_the_callers_transaction(app: Flask) -> None:
    row = queue("bewoner@voorbeeld.nl", "test_message", language="nl", context=CONTEXT)
    assert row.id is not None and row.status == "queued" and row.attempts == 0  # flushed
    assert db.session().in_transaction()
    db.session.rollback()  # the caller's change did not happen: neither did its mail
    assert _count(OutboxMessage) == 0


def test_rendered_without_a_request_as_a_worker_would(database_url: str) -> None:
    app = make_app(database_url, SITE_URL="https://gemeente.example.nl/wijkfonds/")
    with app.app_context():  # no request context at all
        row = queue("resident@example.org", "test_message", language="en", context=CONTEXT)
        assert row.subject == "Test message from Neighbourhood Fund"
        assert "https://gemeente.example.nl/wijkfonds/beheer/mail/" in row.body_text
        assert 'href="https://gemeente.example.nl/wijkfonds/"' in row.body_html  # the site's name links home
        assert absolute_url("outbox.message", mail_id=row.id, _anchor="tekst") == (
            f"https://gemeente.example.nl/wijkfonds/beheer/mail/{row.id}#tekst"
        )
        db.session.rollback()
        db.engine.dispose()


def test_links_fall_back_to_server_name_then_the_demo_address(database_url: str) -> None:
    app = make_app(database_url)  # the test config sets SERVER_NAME=localhost, no SITE_URL
    with app.app_context():
        assert site_url() == "http://localhost"
        app.config["SERVER_NAME"] = None
        assert site_url() == "http://127.0.0.1:5000"
        app.config["SITE_URL"] = "ftp://wijkfonds.example.nl"
        with pytest.raises(ValueError, match="WIJKFONDS_SITE_URL must be the site's address"):
            site_url()
        db.engine.dispose()


def test_the_language_of_the_page_does_not_leak_into_the_mail(app: Flask) -> None:
    # A staff member browsing in English queues a Dutch resident's message, and back.
    with app.test_request_context("/?lang=en", method="POST"):  # a change: POST, as any that queues mail
        from wijkfonds.i18n.languages import request_lang

        assert request_lang() == "en"
        nl = queue("bewoner@voorbeeld.nl", "test_message", language="nl", context=CONTEXT)
        assert request_lang() == "en"  # the page goes on in English
        en = queue("resident@example.org", "test_message", language="en", context=CONTEXT)
    assert nl.subject == "Testbericht van Wijkfonds" and "Dit is een testbericht" in nl.body_text
    assert en.subject == "Test message from Neighbourhood Fund" and "This is a test message" in en.body_text
    assert '<html lang="nl">' in nl.body_html and '<html lang="en">' in en.body_html


def test_text_is_plain_and_html_is_escaped(app: Flask) -> None:
    row = queue("x@voorbeeld.nl", "test_message", language="nl", context={"requested_by": "Jansen & Zn <b>"})
    assert "gevraagd door Jansen & Zn <b> op de pagina" in row.body_text
    assert "Jansen &amp; Zn &lt;b&gt;" in row.body_html and "<b>" not in row.body_html
    assert "\n-- \n" in row.body_text  # the signature separator keeps its space
    assert "\n\n\n" not in row.body_text


def test_unsubscribe_lines_in_both_parts(app: Flask) -> None:
    url = "https://wijkfonds.example.nl/afmelden/t0k3n"
    row = queue("x@voorbeeld.nl", "test_message", language="nl", context=CONTEXT, unsubscribe_url=url)
    assert (row.list_unsubscribe, row.list_unsubscribe_post) == (url, False)
    assert f"Meld u af:\n{url}" in row.body_text
    assert f'href="{url}"' in row.body_html


def test_each_message_gets_its_own_message_id(app: Flask) -> None:
    ids = {queue(f"b{i}@voorbeeld.nl", "test_message", language="nl", context=CONTEXT).message_id for i in range(20)}
    assert len(ids) == 20 and all(i.startswith("<") and i.endswith("@localhost>") for i in ids)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"to": "geen-adres"}, "not one e-mail address"),
        ({"to": "a@voorbeeld.nl, b@voorbeeld.nl"}, "not one e-mail address"),
        ({"to": "a@voorbeeld.nl\r\nBcc: c@voorbeeld.nl"}, "not one e-mail address"),
        ({"to": "Naam <a@voorbeeld.nl>"}, "not one e-mail address"),
        ({"to": "a@voorbeeld.nl "}, "not one e-mail address"),
        ({"to": "a" * 250 + "@voorbeeld.nl"}, "not one e-mail address"),
        ({"template": "bestaat_niet"}, "there is no mail template templates/mail/bestaat_niet.txt"),
        ({"template": "../base"}, "lower-case letters"),
        ({"template": "_layout"}, "lower-case letters"),
        ({"language": "de"}, "unknown language 'de'"),
        ({"context": {"subject": "x"}}, "set by the renderer"),
        ({"unsubscribe_post": True}, "needs an unsubscribe_url"),
        ({"unsubscribe_url": "/afmelden"}, "absolute https://"),
        ({"unsubscribe_url": "https://wijkfonds.example.nl/afmelden/é"}, "ASCII"),
        ({"unsubscribe_url": "mailto:afmelden@wijkfonds.example.nl", "unsubscribe_post": True}, "needs an https://"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(app: Flask, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"to": "x@voorbeeld.nl", "template": "test_message", "language": "nl", "context": CONTEXT}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        queue(**args)  # type: ignore[arg-type]
    assert _count(OutboxMessage) == 0


def test_a_mailto_unsubscribe_is_allowed_without_one_click(app: Flask) -> None:
    row = queue(
        "x@voorbeeld.nl", "test_message", language="nl", context=CONTEXT, unsubscribe_url="mailto:uit@voorbeeld.nl"
    )
    assert row.list_unsubscribe == "mailto:uit@voorbeeld.nl"


def _failing_app(database_url: str, tmp_path: Path) -> Flask:
    """An app with two extra views that queue mail and then fail, as a buggy or refused action would."""
    app = make_app(database_url, MAIL_DIR=str(tmp_path / "mail"))

    def crashes() -> str:
        audit.record("test.change")
        queue("bewoner@voorbeeld.nl", "test_message", language="nl", context=CONTEXT)
        raise RuntimeError("the change failed after its mail was queued")

    def refused() -> tuple[str, int]:
        with domain_errors(refused="view") as outcome:
            audit.record("test.change")
            queue("bewoner@voorbeeld.nl", "test_message", language="nl", context=CONTEXT)
            raise ValidationFailed([(None, "Dit mag niet.")])
        assert not outcome.ok
        return "refused", outcome.status

    app.add_url_rule("/test/crash", "test_crash", crashes, methods=["POST"])
    app.add_url_rule("/test/refused", "test_refused", refused, methods=["POST"])
    return app


def test_the_outbox_row_is_rolled_back_with_a_failed_request(database_url: str, tmp_path: Path) -> None:
    app = _failing_app(database_url, tmp_path)
    with app.app_context():
        client = app.test_client()
        assert client.post("/test/crash").status_code == 500
        assert client.post("/test/refused").status_code == 422
        db.session.remove()
        assert _count(OutboxMessage) == 0 and _count(AuditEvent) == 0
        report = send_due()
        assert report.claimed == 0
        assert not (tmp_path / "mail").exists()  # nothing sent for a change that did not happen
        db.session.remove()
        db.engine.dispose()
