"""Delivery of the notifications (issue 27, item 3): through an SMTP server with STARTTLS and a
login, its password in no log and no row; a refused mail tried again with a growing pause and
given up in the end; two schedulers deciding at once deciding once; the command line's
``notify`` with the settings of the environment."""

from __future__ import annotations

import io
import logging
import ssl
from datetime import UTC, date, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from adapters.database import open_application, parse_database_url
from adapters.notifications import MovedError, open_notifications
from adapters.settings import SettingsError
from adapters.smtp import SmtpSender, SmtpSettings
from bootstrap import Settings
from cli.main import main
from domain.accounts.account import Language, user_id
from domain.application import SYSTEM_ACTOR
from domain.directives.commands import IssueDirective
from domain.narration import narrate
from domain.notifications.ports import DeliveryError, OutgoingMail
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from projections.notifications import MAX_ATTEMPTS, NotifySettings, Scheduler, retry_after
from tests.smtp import smtp_server

PASSWORD = "smtp-secret-of-the-test-42"
HASH = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"


def certificate(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: the server's context, and a client's trusting it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login == b"thucthi" and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok)


def test_a_mail_goes_through_starttls_and_a_login_and_a_refused_login_names_no_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The server requires STARTTLS and a login: the mail arrives; with a wrong password the
    refusal is a DeliveryError whose text and the logs hold neither password."""
    server_tls, client_tls = certificate(tmp_path)
    mail = OutgoingMail("<notify.1@thucthi>", "so-ct.canbo@hcm.gov.vn", "Thử", "Nội dung thư")
    with smtp_server(
        tls_context=server_tls,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    ) as (inbox, port):
        good = SmtpSettings("127.0.0.1", port, username="thucthi", password=PASSWORD)
        assert PASSWORD not in repr(good)
        SmtpSender(good, client_tls).send(mail)
        (arrived,) = inbox.received()
        assert arrived["Message-ID"] == "<notify.1@thucthi>"
        assert arrived.get_content().strip() == "Nội dung thư"
        wrong = SmtpSettings(
            # aiosmtpd keeps a failed login waiting: the timeout ends it, as a refusal
            "127.0.0.1",
            port,
            username="thucthi",
            password=PASSWORD + "x",
            timeout=2,
        )
        caplog.set_level(logging.DEBUG)
        with pytest.raises(DeliveryError) as refused:
            SmtpSender(wrong, client_tls).send(mail)
        plain = SmtpSettings("127.0.0.1", port, starttls=False)
        with pytest.raises(DeliveryError):
            SmtpSender(plain).send(mail)  # the server requires STARTTLS
    assert PASSWORD not in str(refused.value)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("thucthi")]
    assert not [m for m in ours if PASSWORD in m]
    assert len(inbox.received()) == 1


def test_smtp_credentials_that_smtplib_cannot_send_are_refused_by_the_settings() -> None:
    """A password outside ASCII is refused when the settings are read, without saying it."""
    with pytest.raises(SettingsError) as refused:
        SmtpSettings.from_env({"THUCTHI_SMTP_HOST": "mail", "THUCTHI_SMTP_PASSWORD": "mật-khẩu"})
    assert "mật-khẩu" not in str(refused.value)
    assert SmtpSettings.from_env({}) is None
    with pytest.raises(SettingsError):
        SmtpSettings.from_env({"THUCTHI_SMTP_HOST": "mail", "THUCTHI_SMTP_PORT": "70000"})


def test_a_refused_mail_is_tried_again_with_a_growing_pause_then_given_up() -> None:
    """The pause doubles from a minute up to six hours; after MAX_ATTEMPTS it gives up."""
    pauses = [retry_after(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert pauses[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert max(p for p in pauses if p) == timedelta(hours=6)
    assert pauses[-1] is None
    waits = [p for p in pauses if p is not None]
    assert waits == sorted(waits)


def world(tmp_path: Path) -> tuple[Any, Any, SimulatedClock]:
    clock = SimulatedClock(datetime(2025, 6, 2, 1, tzinfo=UTC))  # Monday, 08:00 in the city
    app = open_application(parse_database_url(f"sqlite:///{tmp_path / 'thucthi.db'}"), clock=clock)
    app.open_unit_registry()
    app.create_user(
        username="so-ct.canbo",
        display_name="Nguyễn Văn A",
        role=Role.DEPARTMENT,
        unit="SO-CT",
        password_hash=HASH,
        actor=SYSTEM_ACTOR,
        request_id="r",
    )
    store = open_notifications(getattr(app.factory, "datastore", None))
    assert store is not None
    store.set_address("so-ct.canbo", "so-ct.canbo@hcm.gov.vn")
    app.issue(
        IssueDirective(reference="7/UBND", title="Rà soát", lead_unit="SO-CT"),
        actor=Actor("leader.chutich", Role.LEADER),
        request_id="r",
    )
    return app, store, clock


def test_a_mail_the_server_refuses_is_sent_at_its_next_attempt_and_never_blocks_the_round(
    tmp_path: Path,
) -> None:
    """The server refuses the digest: the round ends, the mail stays pending with its error;
    before the pause is over it is not tried, after it, it is sent once."""
    app, store, clock = world(tmp_path)
    try:
        with smtp_server() as (inbox, port):
            sender = SmtpSender(SmtpSettings("127.0.0.1", port, starttls=False))
            scheduler = Scheduler(app, store, sender=sender, clock=clock)
            inbox.refuse = 1
            first = scheduler.run_once()
            assert (first.composed, first.sent, first.failed) == (1, 0, 1)
            assert store.mail_counts() == {"pending": 1}
            clock.advance(timedelta(seconds=30))
            assert scheduler.run_once().sent == 0  # the pause is a minute
            clock.advance(timedelta(seconds=31))
            assert scheduler.run_once().sent == 1
            assert scheduler.run_once().sent == 0
            assert len(inbox.received()) == 1
        assert store.mail_counts() == {"sent": 1}
    finally:
        app.close()


def test_two_schedulers_deciding_the_same_events_decide_them_once(tmp_path: Path) -> None:
    """The second to write finds the position moved and writes nothing."""
    app, store, clock = world(tmp_path)
    try:
        position, _ = store.state()
        head = app.max_notification_id()
        store.record_events(
            old=position, new=head, people=[], directives=[], notices=[], at=clock.now()
        )
        with pytest.raises(MovedError):
            store.record_events(
                old=position, new=head, people=[], directives=[], notices=[], at=clock.now()
            )
        assert store.state()[0] == head
        store.record_day(None, date(2025, 6, 2), [], clock.now())
        with pytest.raises(MovedError):
            store.record_day(None, date(2025, 6, 2), [], clock.now())
    finally:
        app.close()


def test_the_command_line_runs_a_round_with_the_smtp_server_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``notify address``, ``notify language`` and ``notify once`` through ``thucthi``: the
    issued directive's notice arrives in English at the address given."""
    url = f"sqlite:///{tmp_path / 'thucthi.db'}"
    out = io.StringIO()
    assert (
        main(
            ["--db", url, "user", "add", "so-ct.canbo", "--role", "department", "--unit", "SO-CT"],
            out=out,
        )
        == 0
    )
    assert main(["--db", url, "notify", "address", "so-ct.canbo", "a@hcm.gov.vn"], out=out) == 0
    assert main(["--db", url, "notify", "address", "so-ct.canbo", "not an address"], out=out) == 1
    assert main(["--db", url, "notify", "language", "so-ct.canbo", "en"], out=out) == 0
    app = open_application(parse_database_url(url))
    try:
        app.issue(
            IssueDirective(reference="8/UBND", title="Kiểm tra", lead_unit="SO-CT"),
            actor=Actor("leader.chutich", Role.LEADER),
            request_id="r",
        )
    finally:
        app.close()
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("THUCTHI_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("THUCTHI_SMTP_PORT", str(port))
        monkeypatch.setenv("THUCTHI_SMTP_STARTTLS", "false")
        monkeypatch.setenv("THUCTHI_NOTIFY_DIGEST_HOUR", "0")  # whatever the hour of the run
        settings = Settings.from_env()
        assert settings.smtp is not None
        assert settings.smtp.port == port
        assert settings.notify == NotifySettings(
            policy=settings.notify.policy, digest_hour=0, url=settings.public.url
        )
        out = io.StringIO()
        assert main(["--db", url, "notify", "once"], out=out) == 0
        assert "1 sent" in out.getvalue()
        (arrived,) = inbox.received()
    assert arrived["To"] == "a@hcm.gov.vn"
    assert "New directive for your unit" in arrived.get_content()
    out = io.StringIO()
    assert main(["--db", url, "notify", "status"], out=out) == 0
    assert "sent 1" in out.getvalue()
    app = open_application(parse_database_url(url))
    try:
        (chosen,) = [
            e for e in app.events.get(user_id("so-ct.canbo")) if "Language" in type(e).__name__
        ]
        assert narrate(chosen, {}).vi == "Chọn ngôn ngữ thông báo: tiếng Anh"
        assert app.get_user("so-ct.canbo").language is Language.EN
    finally:
        app.close()
