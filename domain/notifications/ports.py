"""What the notifications need from the world: a way to send one e-mail (``MailSender``).

The SMTP sender is ``adapters.smtp``; tests send through it to a real SMTP server in process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """One digest as it leaves: ``message_id`` is the same at every attempt, so that a receiver
    can tell a mail sent again after a crash from a new one."""

    message_id: str
    to: str
    subject: str
    body: str


class DeliveryError(RuntimeError):
    """The mail was not accepted; it is tried again later. The text names no secret."""


class MailSender(Protocol):
    """Hands a mail to a mail server; DeliveryError when it was not accepted."""

    def send(self, mail: OutgoingMail) -> None: ...
