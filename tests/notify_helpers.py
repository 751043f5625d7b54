"""Shared set-up of the notification tests: an app that sends to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask

from tests import factories as f
from tests.conftest import make_app
from tests.smtp_server import SmtpServer
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Role, User
from wijkfonds.services.mail.sender import send_due

SITE = "https://wijkfonds.example.nl"


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server that accepts everything."""
    server = SmtpServer().start()
    yield server
    server.stop()


def notify_app(database_url: str, tmp_path: Path, smtp: SmtpServer, **overrides: object) -> Flask:
    """The app, sending to ``smtp``, links on SITE."""
    config: dict[str, object] = {
        "SITE_URL": SITE,
        "SMTP_URL": smtp.url,
        "MAIL_DIR": str(tmp_path / "mail"),
        "MAIL_FROM": "Wijkfonds West <noreply@wijkfonds.example.nl>",
    }
    config.update(overrides)
    return make_app(database_url, **config)


def person(language: str = "nl", *, confirmed: bool = True, role: Role = Role.RESIDENT, **kw: object) -> User:
    """An account whose owner confirmed the address (notifications go to confirmed addresses only)."""
    u = f.user(role, **kw)  # type: ignore[arg-type]
    u.language = language
    u.email_confirmed_at = utcnow() if confirmed else None
    db.session.flush()
    return u


def deliver(smtp: SmtpServer) -> None:
    """Commit, then send everything due to the SMTP server."""
    db.session.commit()
    report = send_due()
    assert report.failed == 0 and report.retried == 0, report.errors


def text_of(msg: EmailMessage) -> str:
    """The plain-text body."""
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(msg: EmailMessage) -> str:
    """The HTML body."""
    part = msg.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def unsubscribe_path(msg: EmailMessage) -> str:
    """The path of the message's List-Unsubscribe link (on SITE)."""
    found = re.fullmatch(r"<(https://[^>]+)>", str(msg["List-Unsubscribe"]))
    assert found, msg["List-Unsubscribe"]
    parts = urlsplit(found.group(1))
    assert f"{parts.scheme}://{parts.netloc}" == SITE
    return parts.path
