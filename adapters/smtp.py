"""Sending the notifications' e-mails through the SMTP server the settings name.

``THUCTHI_SMTP_HOST`` (none: notifications stay in the app), ``THUCTHI_SMTP_PORT`` (587),
``THUCTHI_SMTP_STARTTLS`` (on unless ``0``/``false``/``no``), ``THUCTHI_SMTP_USERNAME`` and
``THUCTHI_SMTP_PASSWORD`` (log in only if a user name is given), ``THUCTHI_SMTP_FROM``
(``thucthi@localhost``), ``THUCTHI_SMTP_TIMEOUT`` (seconds, 30). The password is kept out of
every ``repr``, and a refusal is said without it, so that neither reaches a log or a row.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

from adapters.settings import SettingsError
from domain.notifications.ports import DeliveryError, OutgoingMail

DEFAULT_PORT = 587
DEFAULT_FROM = "thucthi@localhost"
_OFF = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = DEFAULT_PORT
    starttls: bool = True
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = DEFAULT_FROM
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SmtpSettings | None:
        """The server the environment names, or None when it names none."""
        host = environ.get("THUCTHI_SMTP_HOST", "").strip()
        if not host:
            return None

        def number(variable: str, default: int, most: int) -> int:
            text = environ.get(variable, "").strip()
            if not text:
                return default
            if not (text.isascii() and text.isdecimal() and 0 < int(text) <= most):
                msg = f"{variable} phải là số từ 1 đến {most} / must be a number from 1 to {most}"
                raise SettingsError(f"{msg}, not {text!r}")
            return int(text)

        username = environ.get("THUCTHI_SMTP_USERNAME", "")
        password = environ.get("THUCTHI_SMTP_PASSWORD", "")
        if not (username.isascii() and password.isascii()):
            # smtplib sends them in ASCII only (AUTH PLAIN and LOGIN): refused here, once,
            # rather than at every mail. The value itself is not said.
            msg = (
                "THUCTHI_SMTP_USERNAME và THUCTHI_SMTP_PASSWORD chỉ gồm ký tự ASCII / must be ASCII"
            )
            raise SettingsError(msg)
        return cls(
            host=host,
            port=number("THUCTHI_SMTP_PORT", DEFAULT_PORT, 65_535),
            starttls=environ.get("THUCTHI_SMTP_STARTTLS", "").strip().lower() not in _OFF,
            username=username,
            password=password,
            sender=environ.get("THUCTHI_SMTP_FROM", "").strip() or DEFAULT_FROM,
            timeout=float(number("THUCTHI_SMTP_TIMEOUT", 30, 3600)),
        )


class SmtpSender:
    """One connection per mail: the scheduler sends a few digests a day, not a stream."""

    def __init__(self, settings: SmtpSettings, tls: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.tls = tls or ssl.create_default_context()

    def __repr__(self) -> str:
        s = self.settings
        return f"SmtpSender({s.host}:{s.port}, starttls={s.starttls}, user={s.username!r})"

    def send(self, mail: OutgoingMail) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"] = s.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = mail.message_id
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
        message.set_content(mail.body)
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                if s.starttls:
                    smtp.starttls(context=self.tls)
                if s.username:
                    smtp.login(s.username, s.password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError, UnicodeError) as e:
            # Said by kind and code only: a server's reply to a failed login may echo what
            # was sent, and the text is kept on the mail's row.
            code = getattr(e, "smtp_code", None)
            said = f"{type(e).__name__}" + (f" {code}" if code else "")
            raise DeliveryError(f"{s.host}:{s.port}: {said}") from None
