"""The three ways to a mail server (STARTTLS, implicit TLS, plain) and logging in."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask

from tests.conftest import make_app
from tests.smtp_server import SmtpServer
from wijkfonds.extensions import db
from wijkfonds.models import OutboxMessage
from wijkfonds.services.mail.outbox import queue
from wijkfonds.services.mail.sender import send_due
from wijkfonds.services.mail.transport import SmtpSettings


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA): (cert.pem, key.pem)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(*certificate)
    return ctx


def _send_one(database_url: str, tmp_path: Path, url: str, **config: object) -> OutboxMessage:
    app: Flask = make_app(
        database_url,
        SMTP_URL=url,
        SMTP_TIMEOUT=5.0,
        MAIL_DIR=str(tmp_path),
        SITE_URL="https://wijkfonds.example.nl",
        **config,
    )
    with app.app_context():
        row_id = queue("bewoner@voorbeeld.nl", "test_message", language="nl", context={"requested_by": "Test"}).id
        db.session.commit()
        send_due()
        db.session.expire_all()
        row = db.session.get(OutboxMessage, row_id)
        assert row is not None
        db.session.expunge(row)
        db.session.remove()
        db.engine.dispose()
    return row


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    from aiosmtpd.smtp import AuthResult

    ok = auth_data.login == b"wijkfonds" and auth_data.password == b"p@ss:w/rd"
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture()
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """A server that requires STARTTLS and a login."""
    server = SmtpServer(
        "smtp",
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=_authenticator,
    ).start()
    yield server
    server.stop()


def test_starttls_with_login(
    database_url: str, tmp_path: Path, starttls_server: SmtpServer, certificate: tuple[Path, Path]
) -> None:
    # The password has @ : / in it, percent-encoded in the URL.
    url = f"smtp://wijkfonds:p%40ss%3Aw%2Frd@127.0.0.1:{starttls_server.port}"
    row = _send_one(database_url, tmp_path, url, SMTP_CA_FILE=str(certificate[0]))
    assert (row.status, row.last_error) == ("sent", None)
    assert len(starttls_server.inbox.to("bewoner@voorbeeld.nl")) == 1


def test_a_wrong_password_keeps_the_message(
    database_url: str, tmp_path: Path, starttls_server: SmtpServer, certificate: tuple[Path, Path]
) -> None:
    url = f"smtp://wijkfonds:fout@127.0.0.1:{starttls_server.port}"
    row = _send_one(database_url, tmp_path, url, SMTP_CA_FILE=str(certificate[0]))
    assert row.status == "queued" and row.attempts == 1
    assert "login as wijkfonds refused: 535" in (row.last_error or "") and "fout" not in (row.last_error or "")
    assert starttls_server.inbox.received == []


def test_an_unknown_certificate_is_refused(database_url: str, tmp_path: Path, starttls_server: SmtpServer) -> None:
    row = _send_one(database_url, tmp_path, f"smtp://wijkfonds:x@127.0.0.1:{starttls_server.port}")
    assert row.status == "queued" and "CERTIFICATE_VERIFY_FAILED" in (row.last_error or "")
    assert starttls_server.inbox.received == []


def test_smtp_without_starttls_on_the_server_is_not_used(database_url: str, tmp_path: Path) -> None:
    plain = SmtpServer().start()
    try:
        row = _send_one(database_url, tmp_path, f"smtp://127.0.0.1:{plain.port}")
    finally:
        plain.stop()
    assert row.status == "queued" and "offers no STARTTLS" in (row.last_error or "")
    assert plain.inbox.received == []


def test_implicit_tls(database_url: str, tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    server = SmtpServer("smtps", ssl_context=_server_context(certificate)).start()
    try:
        row = _send_one(database_url, tmp_path, server.url, SMTP_CA_FILE=str(certificate[0]))
    finally:
        server.stop()
    assert (row.status, row.last_error) == ("sent", None)
    assert len(server.inbox.to("bewoner@voorbeeld.nl")) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.voorbeeld.nl", "must start with smtp://"),
        ("mail.voorbeeld.nl:587", "must start with smtp://"),
        ("smtp://", "names no host"),
        ("smtp://u:geheim@mail.voorbeeld.nl:99999", "port that is not a number"),
        ("smtps://mail.voorbeeld.nl/pad", "takes no path"),
    ],
)
def test_bad_smtp_urls_are_explained_without_the_password(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        SmtpSettings.parse(url)
    assert "geheim" not in str(info.value)


def test_smtp_url_defaults() -> None:
    assert SmtpSettings.parse("smtp://mail.voorbeeld.nl").port == 587
    assert SmtpSettings.parse("smtps://mail.voorbeeld.nl").port == 465
    plain = SmtpSettings.parse("smtp+plain://relay")
    assert (plain.port, plain.username) == (25, None)
    s = SmtpSettings.parse("smtp://a%40b.nl:p%40ss@mail.voorbeeld.nl:2525")
    assert (s.username, s.password, s.port) == ("a@b.nl", "p@ss", 2525)
    assert s.describe() == "smtp://a@b.nl@mail.voorbeeld.nl:2525" and "p@ss" not in s.describe()
