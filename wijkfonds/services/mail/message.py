"""An outbox row as an ``email.message.EmailMessage`` (multipart/alternative: text, then HTML).

Built by the standard library, never pasted together: headers are encoded and folded by
the ``email`` package, both bodies are UTF-8 in quoted-printable (7-bit safe through any
relay, lines of at most 76 characters).
"""

from __future__ import annotations

from datetime import UTC
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, getaddresses, make_msgid

from wijkfonds.models import OutboxMessage

# Headers whose value is a URL in angle brackets: the email package would break such a long
# word into RFC 2047 encoded-words when folding, which no mail client reads as a URL
# (RFC 2369 forbids it). They are ASCII (outbox.queue checks) and stay on one line, well
# within the 998 characters RFC 5322 allows.
UNFOLDED = frozenset({"list-unsubscribe"})


class MailPolicy(EmailPolicy):
    """The SMTP policy (CRLF, 78-character folding) except for the headers in UNFOLDED."""

    def fold(self, name: str, value: str) -> str:
        """One header as text."""
        if name.lower() in UNFOLDED:
            return f"{name}: {value}{self.linesep}"
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: str) -> bytes:
        """One header as bytes (what smtplib sends)."""
        if name.lower() in UNFOLDED:
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


POLICY = MailPolicy(linesep="\r\n")  # what email.policy.SMTP is, plus UNFOLDED
ONE_CLICK = "List-Unsubscribe=One-Click"


def parse_sender(mail_from: str) -> Address:
    """``WIJKFONDS_MAIL_FROM`` (``Name <address>`` or a bare address) as an Address; ValueError if it is not one."""
    found = getaddresses([mail_from])
    if len(found) != 1 or "@" not in found[0][1] or any(c in mail_from for c in "\r\n"):
        raise ValueError(
            f"WIJKFONDS_MAIL_FROM must be one address like 'Wijkfonds <noreply@example.nl>' (got {mail_from!r})"
        )
    name, addr = found[0]
    local, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def new_message_id(mail_from: str) -> str:
    """A fresh Message-ID on the sender's domain."""
    return make_msgid(domain=parse_sender(mail_from).domain)


def build(row: OutboxMessage, mail_from: str) -> EmailMessage:
    """The message to send for ``row`` (From is ``mail_from``)."""
    msg = EmailMessage(policy=POLICY)
    msg["From"] = parse_sender(mail_from)
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(row.created_at.replace(tzinfo=UTC))
    msg["Message-ID"] = row.message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to us
    if row.list_unsubscribe:
        msg["List-Unsubscribe"] = f"<{row.list_unsubscribe}>"
        if row.list_unsubscribe_post:
            msg["List-Unsubscribe-Post"] = ONE_CLICK  # RFC 8058
    msg.set_content(row.body_text, cte="quoted-printable")
    msg.add_alternative(row.body_html, subtype="html", cte="quoted-printable")
    msg["Content-Language"] = row.language  # after the bodies: set_content clears Content-* headers
    return msg
