"""A real SMTP server in the test process (aiosmtpd), on 127.0.0.1 and a free port.

It keeps every message it accepts, refuses the recipients it is told to (with the reply
given, e.g. "550 5.1.1 ..."), and can be stopped and started again on the same port.
"""

from __future__ import annotations

import email
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One accepted message: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


class Inbox:
    """aiosmtpd handler: accepts and keeps messages; refuses listed recipients."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        reply = self.refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=default_policy)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, raw))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages delivered to ``address``."""
        return [r.message for r in self.received if address in r.rcpt_tos]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    """Start, stop and start again an aiosmtpd server; ``url`` is its WIJKFONDS_SMTP_URL."""

    def __init__(self, scheme: str = "smtp+plain", **controller_kwargs: Any) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.scheme = scheme
        self.kwargs = controller_kwargs
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **self.kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
