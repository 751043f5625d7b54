"""Helpers for the account tests: an app that mails a real SMTP server, and the links in the mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_app
from tests.smtp_server import SmtpServer
from wijkfonds.extensions import db
from wijkfonds.services.mail.sender import send_due

SITE = "https://wijkfonds.example.nl"


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server that accepts everything (stopped after the test)."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture()
def mail_app(database_url: str, tmp_path: Path, smtp: SmtpServer) -> Iterator[Flask]:
    """The app sending its mail to the test SMTP server, links on SITE (CSRF off, as in make_app)."""
    application = make_app(
        database_url,
        SITE_URL=SITE,
        SMTP_URL=smtp.url,
        MAIL_DIR=str(tmp_path / "mail"),
        MAIL_FROM="Wijkfonds West <noreply@wijkfonds.example.nl>",
    )
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def deliver(smtp: SmtpServer, to: str) -> list[EmailMessage]:
    """Send what the outbox holds to the test server; the messages ``to`` has received so far."""
    send_due()
    db.session.commit()
    return smtp.inbox.to(to)


def parts(msg: EmailMessage) -> tuple[str, str]:
    """The plain text and the HTML of a message."""
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def link(msg: EmailMessage, prefix: str) -> str:
    """The one absolute link under ``SITE + prefix`` in the message, checked to be in both parts."""
    text, html = parts(msg)
    found = set(re.findall(re.escape(SITE + prefix) + r"[^\s<>\"]*", text))
    assert len(found) == 1, (prefix, text)
    (url,) = found
    assert f'href="{url}"' in html
    return url


def path(url: str) -> str:
    """The path of an absolute link on SITE (what the test client requests)."""
    assert url.startswith(SITE + "/")
    return urlsplit(url).path


def log_in(client: FlaskClient, email: str, password: str) -> None:
    """Log in through the form, as a person does."""
    resp = client.post("/account/login", data={"email": email, "password": password})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
