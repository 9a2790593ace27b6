"""A real SMTP server in the test's process (aiosmtpd), and what arrived at it."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """Every message the server accepted; ``refuse`` the next that many with a 451."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            message = email.message_from_bytes(envelope.content, policy=default)
            assert isinstance(message, EmailMessage)  # the policy makes one
            self.messages.append(message)
        return "250 OK"

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(**options: Any) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on a free local port until the block ends: its inbox and its port."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
