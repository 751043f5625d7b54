"""Where messages go: an SMTP server (``WIJKFONDS_SMTP_URL``) or, without one, ``.eml`` files.

``WIJKFONDS_SMTP_URL`` takes three forms; user and password are optional and
percent-encoded (``@`` in a password is ``%40``):

``smtp://user:pass@host:587``
    STARTTLS, required: a server that does not offer it is not used (default port 587);
``smtps://user:pass@host:465``
    TLS from the first byte ("implicit TLS", default port 465);
``smtp+plain://host:25``
    neither: only for a relay on the same machine or network (default port 25).

Certificates are checked against the system's CAs, or ``WIJKFONDS_SMTP_CA_FILE`` for a
relay with a private CA. Without an SMTP URL (the development default, ``make demo``)
each message is written as ``<time>-<hash of its Message-ID>.eml`` into ``MAIL_DIR``
(default ``instance/mail/``), which a mail client opens as it would the real thing.

A transport raises :class:`TemporaryFailure` (try again later: a 4xx, a lost connection),
:class:`ConnectFailed` (a temporary failure of the whole session: nothing else in this
batch can go either) or :class:`PermanentFailure` (a 5xx for this message: it never will).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from wijkfonds.common.timeutil import utcnow
from wijkfonds.services.mail.message import POLICY

SCHEMES = {"smtp": 587, "smtps": 465, "smtp+plain": 25}
ERROR_MAX = 1000


class TemporaryFailure(Exception):
    """The message may go later (a 4xx reply, a lost connection, a full disk)."""


class ConnectFailed(TemporaryFailure):
    """No session with the server (refused, timed out, TLS or login failed)."""


class PermanentFailure(Exception):
    """The server refused this message for good (a 5xx reply)."""


class Transport(Protocol):
    """Sends one message at a time; ``close`` ends the session."""

    def describe(self) -> str:
        """Where messages go, for people (no password)."""

    def send(self, msg: EmailMessage, *, sender: str, recipient: str) -> None:
        """Hand ``msg`` over for ``recipient``, or raise one of the failures above."""

    def close(self) -> None:
        """End the session (if any)."""


@dataclass(frozen=True)
class SmtpSettings:
    """A parsed ``WIJKFONDS_SMTP_URL``."""

    scheme: str
    host: str
    port: int
    username: str | None
    password: str

    @classmethod
    def parse(cls, url: str) -> SmtpSettings:
        """Read the URL; ValueError with a message that never repeats the password."""
        parts = urlsplit(url.strip())
        if parts.scheme not in SCHEMES:
            raise ValueError(
                "WIJKFONDS_SMTP_URL must start with smtp:// (STARTTLS), smtps:// (TLS) or smtp+plain:// "
                f"(neither), not {parts.scheme + '://' if parts.scheme else 'nothing'}"
            )
        try:
            port = parts.port or SCHEMES[parts.scheme]
        except ValueError:
            raise ValueError("WIJKFONDS_SMTP_URL has a port that is not a number from 1 to 65535") from None
        if not parts.hostname:
            raise ValueError("WIJKFONDS_SMTP_URL names no host, e.g. smtp://user:pass@mail.example.nl:587")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError("WIJKFONDS_SMTP_URL takes no path or query: smtp://user:pass@host:port")
        return cls(
            scheme=parts.scheme,
            host=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password or ""),
        )

    def describe(self) -> str:
        """The URL without the password."""
        user = f"{self.username}@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


def _by_code(code: int, message: bytes | str, what: str) -> Exception:
    text = f"{what}: {_reply(code, message)}"
    return PermanentFailure(text) if 500 <= code < 600 else TemporaryFailure(text)


class SmtpTransport:
    """One SMTP session for a batch, opened on the first message, opened again after a loss."""

    def __init__(self, settings: SmtpSettings, *, timeout: float, local_hostname: str, ca_file: str | None) -> None:
        self.settings = settings
        self.timeout = timeout
        self.local_hostname = local_hostname
        self.ca_file = ca_file
        self._conn: smtplib.SMTP | None = None

    def describe(self) -> str:
        """The server, without the password."""
        return self.settings.describe()

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        conn: smtplib.SMTP | None = None
        try:
            if s.scheme == "smtps":
                conn = smtplib.SMTP_SSL(
                    s.host, s.port, local_hostname=self.local_hostname, timeout=self.timeout, context=self._tls()
                )
            else:
                conn = smtplib.SMTP(s.host, s.port, local_hostname=self.local_hostname, timeout=self.timeout)
            conn.ehlo()
            if s.scheme == "smtp":
                if not conn.has_extn("starttls"):
                    raise ConnectFailed(
                        f"{s.host}:{s.port} offers no STARTTLS; use smtps:// for TLS, or smtp+plain:// for a local relay"
                    )
                conn.starttls(context=self._tls())
                conn.ehlo()
            if s.username is not None:
                conn.login(s.username, s.password)
        except ConnectFailed:
            self._quietly_close(conn)
            raise
        except smtplib.SMTPAuthenticationError as err:
            self._quietly_close(conn)
            raise ConnectFailed(f"login as {s.username} refused: {_reply(err.smtp_code, err.smtp_error)}") from None
        except smtplib.SMTPResponseException as err:
            self._quietly_close(conn)
            raise ConnectFailed(
                f"{s.host}:{s.port} refused the session: {_reply(err.smtp_code, err.smtp_error)}"
            ) from None
        except (smtplib.SMTPException, OSError) as err:
            self._quietly_close(conn)
            raise ConnectFailed(f"cannot reach {s.host}:{s.port}: {err or type(err).__name__}") from None
        return conn

    @staticmethod
    def _quietly_close(conn: smtplib.SMTP | None) -> None:
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def send(self, msg: EmailMessage, *, sender: str, recipient: str) -> None:
        """Send over the batch's session (opening it when needed)."""
        if self._conn is None:
            self._conn = self._open()
        conn = self._conn
        try:
            conn.send_message(msg, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as err:
            code, reply = err.recipients.get(recipient) or next(iter(err.recipients.values()), (451, b"refused"))
            raise _by_code(code, reply, f"recipient {recipient} refused") from None
        except smtplib.SMTPSenderRefused as err:
            # The operator's setting (WIJKFONDS_MAIL_FROM), not this message: kept and retried.
            raise TemporaryFailure(f"sender {sender} refused: {_reply(err.smtp_code, err.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError as err:
            raise PermanentFailure(f"the server cannot take this message: {err}") from None
        except smtplib.SMTPResponseException as err:
            raise _by_code(err.smtp_code, err.smtp_error, "message refused") from None
        except (smtplib.SMTPException, OSError) as err:
            self._quietly_close(conn)
            self._conn = None
            raise TemporaryFailure(f"connection lost: {err or type(err).__name__}") from None
        finally:
            if self._conn is not None and self._conn.sock is None:  # smtplib closes it after a 421
                self._conn = None

    def close(self) -> None:
        """Say QUIT (or just drop a broken session)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                self._quietly_close(conn)


class DirectoryTransport:
    """Development: every message becomes an ``.eml`` file in a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def describe(self) -> str:
        """The directory."""
        return str(self.directory)

    def path_for(self, msg: EmailMessage) -> Path:
        """The file a message is written to: the time, then a hash of its Message-ID."""
        digest = hashlib.sha256(str(msg["Message-ID"]).encode()).hexdigest()[:12]
        return self.directory / f"{utcnow():%Y%m%d-%H%M%S}-{digest}.eml"

    def send(self, msg: EmailMessage, *, sender: str, recipient: str) -> None:
        """Write the message atomically (a reader never sees half a file)."""
        path = self.path_for(msg)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            try:
                # An address with a non-ASCII local part is written as UTF-8, as SMTPUTF8 sends it.
                policy = POLICY if recipient.isascii() else POLICY.clone(utf8=True)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(msg.as_bytes(policy=policy))
                Path(tmp).replace(path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            raise TemporaryFailure(f"cannot write {path}: {err}") from None

    def close(self) -> None:
        """Nothing to end."""
