"""Reminders that arrive (issue 27, item 3): a simulated month of directives, driven by the clock,
with the scheduler deciding from the events and the days and sending through a real SMTP server
in the test's process; the mails that arrived are counted against the events, with the scheduler
killed at each stage and started again, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from adapters.database import open_application, parse_database_url
from adapters.notifications import NotificationStore, open_notifications
from adapters.smtp import SmtpSender, SmtpSettings
from domain.accounts.account import Language
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    DecideExtension,
    IssueDirective,
    ReportCompletion,
    RequestExplanation,
    RequestExtension,
    Withdraw,
)
from domain.notifications.digest import told
from domain.notifications.ports import MailSender, OutgoingMail
from domain.notifications.rules import Kind
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, SimulatedClock
from projections.notifications import NotifySettings, Scheduler
from tests.postgres import fresh_schema, require_server
from tests.smtp import smtp_server

HASH = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"
FIRST, LAST = date(2025, 4, 14), date(2025, 5, 14)  # a Monday; 30/4 and 1/5 are holidays
ROUNDS = (6, 9, 14, 18)  # city hours at which the scheduler runs; commands come at 10:00
LEADER = Actor("leader.chutich", Role.LEADER)
SO_CT = Actor("so-ct.canbo", Role.DEPARTMENT, "SO-CT")
SO_TC = Actor("so-tc.canbo", Role.DEPARTMENT, "SO-TC")
ADDRESSES = {
    "so-ct.canbo": "so-ct.canbo@hcm.gov.vn",
    "so-tc.canbo": "so-tc.canbo@hcm.gov.vn",
    "office.vp": "office.vp@hcm.gov.vn",
}


class KilledError(BaseException):
    """The scheduler's process ends here, as a SIGKILL would end it: nothing after runs."""


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE)


@pytest.fixture(params=["sqlite", "postgres"])
def month_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Thucthi]:
    clock = SimulatedClock(at(FIRST, 0))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'thucthi.db'}"
        app = open_application(parse_database_url(url), clock=clock)
        try:
            yield app
        finally:
            app.close()
    else:
        with fresh_schema(require_server()) as url:
            app = open_application(parse_database_url(url), clock=clock, pool_size=2)
            try:
                yield app
            finally:
                app.close()


def people(app: Thucthi, store: NotificationStore) -> None:
    app.open_unit_registry()
    for username, role, unit in (
        ("leader.chutich", Role.LEADER, None),
        ("office.vp", Role.OFFICE, None),
        ("so-ct.canbo", Role.DEPARTMENT, "SO-CT"),
        ("so-tc.canbo", Role.DEPARTMENT, "SO-TC"),
        ("ubnd-q1.canbo", Role.DEPARTMENT, "UBND-Q1"),  # no address: told in the app only
    ):
        app.create_user(
            username=username,
            display_name=username,
            role=role,
            unit=unit,
            password_hash=HASH,
            actor=SYSTEM_ACTOR,
            request_id="r",
        )
    app.choose_language("so-tc.canbo", Language.EN, actor=SO_TC, request_id="r")
    for username, address in ADDRESSES.items():
        store.set_address(username, address)


def issue(app: Thucthi, reference: str, lead: str, deadline: date | None, *coords: str) -> None:
    app.issue(
        IssueDirective(
            reference=reference,
            title=f"Nhiệm vụ {reference}",
            lead_unit=lead,
            coordinating_units=coords,
            deadline=deadline,
        ),
        actor=LEADER,
        request_id="r",
    )


# What each day's 10:00 brings: the directives' commands of the month.
def commands_of(app: Thucthi, day: date) -> None:
    def run(command: object, ref: str, actor: Actor) -> None:
        app.execute(command, ref, actor=actor, request_id="r")  # type: ignore[arg-type]

    if day == date(2025, 4, 14):
        issue(app, "100/UBND-VX", "SO-CT", date(2025, 5, 2), "SO-TC")
        issue(app, "104/UBND-VX", "SO-CT", date(2025, 4, 20))
    elif day == date(2025, 4, 15):
        issue(app, "101/UBND-VX", "SO-TC", date(2025, 4, 25))
    elif day == date(2025, 4, 16):
        issue(app, "102/UBND-VX", "UBND-Q1", None, "SO-CT")
        run(Acknowledge(), "101/UBND-VX", SO_TC)
    elif day == date(2025, 4, 17):
        asked = RequestExtension(new_deadline=date(2025, 5, 9), reason="Chờ số liệu")
        run(asked, "101/UBND-VX", SO_TC)
    elif day == date(2025, 4, 18):
        granted = DecideExtension(number=1, decision="grant", new_deadline=date(2025, 5, 9))
        run(granted, "101/UBND-VX", LEADER)
    elif day == date(2025, 4, 21):
        run(RequestExplanation(question="Vì sao chưa tiếp nhận?"), "102/UBND-VX", LEADER)
    elif day == date(2025, 4, 22):
        issue(app, "103/UBND-VX", "SO-CT", None)
    elif day == date(2025, 4, 23):
        run(Acknowledge(), "103/UBND-VX", SO_CT)
    elif day == date(2025, 4, 24):
        run(ReportCompletion(summary="Đã xong"), "103/UBND-VX", SO_CT)
    elif day == date(2025, 4, 25):
        run(DecideCompletion(decision="return", note="Thiếu số liệu"), "103/UBND-VX", LEADER)
    elif day == date(2025, 4, 28):
        run(RequestExplanation(question="Bổ sung số liệu khi nào?"), "103/UBND-VX", LEADER)
    elif day == date(2025, 5, 6):
        run(Withdraw(reason="Không còn phù hợp"), "104/UBND-VX", LEADER)
    elif day == date(2025, 5, 7):
        run(ReportCompletion(summary="Đã xong"), "101/UBND-VX", SO_TC)
    elif day == date(2025, 5, 8):
        run(DecideCompletion(decision="accept"), "101/UBND-VX", LEADER)


D = date
# Every notice of the month, worked out by hand from the commands above and the calendar
# (due soon 3 and 1 working days before; overdue on day 1, 8, 15; the Office told on day 5).
EXPECTED = Counter(
    {
        ("so-ct.canbo", Kind.ISSUED, "100/UBND-VX", D(2025, 4, 14)): 1,
        ("so-ct.canbo", Kind.ISSUED, "104/UBND-VX", D(2025, 4, 14)): 1,
        ("so-ct.canbo", Kind.DUE_SOON, "104/UBND-VX", D(2025, 4, 15)): 1,  # 16, 17, 18
        ("so-ct.canbo", Kind.ISSUED, "102/UBND-VX", D(2025, 4, 16)): 1,  # as coordinator
        ("so-ct.canbo", Kind.DUE_SOON, "104/UBND-VX", D(2025, 4, 17)): 1,  # 18; 19-20 off
        ("so-ct.canbo", Kind.OVERDUE, "104/UBND-VX", D(2025, 4, 21)): 1,
        ("so-ct.canbo", Kind.ISSUED, "103/UBND-VX", D(2025, 4, 22)): 1,
        ("so-ct.canbo", Kind.DUE_SOON, "100/UBND-VX", D(2025, 4, 25)): 1,  # 28, 29, 2 May
        ("so-ct.canbo", Kind.COMPLETION_RETURNED, "103/UBND-VX", D(2025, 4, 25)): 1,
        ("so-ct.canbo", Kind.OVERDUE, "104/UBND-VX", D(2025, 4, 28)): 1,
        ("so-ct.canbo", Kind.EXPLANATION_REQUESTED, "103/UBND-VX", D(2025, 4, 28)): 1,
        ("so-ct.canbo", Kind.DUE_SOON, "100/UBND-VX", D(2025, 4, 29)): 1,  # 30/4, 1/5 off
        ("so-ct.canbo", Kind.OVERDUE, "100/UBND-VX", D(2025, 5, 3)): 1,
        ("so-ct.canbo", Kind.OVERDUE, "104/UBND-VX", D(2025, 5, 5)): 1,  # withdrawn on 6/5
        ("so-ct.canbo", Kind.OVERDUE, "100/UBND-VX", D(2025, 5, 10)): 1,
        ("so-tc.canbo", Kind.ISSUED, "100/UBND-VX", D(2025, 4, 14)): 1,  # as coordinator
        ("so-tc.canbo", Kind.ISSUED, "101/UBND-VX", D(2025, 4, 15)): 1,
        ("so-tc.canbo", Kind.EXTENSION_GRANTED, "101/UBND-VX", D(2025, 4, 18)): 1,
        ("so-tc.canbo", Kind.DUE_SOON, "101/UBND-VX", D(2025, 5, 6)): 1,  # 7, 8, 9 May
        # not due in 1 on 8/5: its completion was reported on 7/5, the leader's turn
        ("so-tc.canbo", Kind.COMPLETION_ACCEPTED, "101/UBND-VX", D(2025, 5, 8)): 1,
        ("office.vp", Kind.ESCALATED, "104/UBND-VX", D(2025, 4, 25)): 1,
        ("office.vp", Kind.ESCALATED, "100/UBND-VX", D(2025, 5, 7)): 1,
        ("ubnd-q1.canbo", Kind.ISSUED, "102/UBND-VX", D(2025, 4, 16)): 1,
        ("ubnd-q1.canbo", Kind.EXPLANATION_REQUESTED, "102/UBND-VX", D(2025, 4, 21)): 1,
    }
)


class KilledBeforeHandingOver:
    """A sender whose process is killed as it is about to hand over a mail."""

    def send(self, mail: OutgoingMail) -> None:
        raise KilledError


class KilledInDecision(NotificationStore):
    """A store whose process is killed inside a decision's transaction, before its commit."""

    def _insert(self, *args: object, **kwargs: object) -> None:
        raise KilledError


def test_a_simulated_month_sends_each_notice_once_in_one_digest_a_day_through_kills(
    month_app: Thucthi,
) -> None:
    """Each notice of the month reaches its person once, in at most one mail a day, never an
    empty one, in their language, with the scheduler killed inside a decision, between its
    decisions and its sending, and while sending, and one delivery refused and retried."""
    app = month_app
    clock = app.clock
    assert isinstance(clock, SimulatedClock)
    store = open_notifications(getattr(app.factory, "datastore", None))
    assert store is not None
    people(app, store)
    settings = NotifySettings(url="https://thucthi.hcm.gov.vn")

    def scheduler(
        port: int, *, sender: MailSender | None = None, on: NotificationStore | None = None
    ) -> Scheduler:
        # A new scheduler each time it is started: nothing is kept in memory between them.
        smtp = SmtpSender(SmtpSettings("127.0.0.1", port, starttls=False))
        return Scheduler(
            app,
            on or NotificationStore(store.datastore),
            sender=sender or smtp,
            clock=clock,
            settings=settings,
        )

    kills = Counter[str]()
    with smtp_server() as (inbox, port):
        running = scheduler(port)
        day = FIRST
        while day <= LAST:
            for hour in ROUNDS:
                clock.set(at(day, hour))
                if hour == 14:
                    clock.set(at(day, 10))
                    commands_of(app, day)
                    clock.set(at(day, 14))
                if (day, hour) == (date(2025, 4, 18), 14):
                    # Killed inside the transaction that decides the grant of an extension.
                    killed = scheduler(port, on=KilledInDecision(store.datastore))
                    with pytest.raises(KilledError):
                        killed.run_once()
                    kills["decision"] += 1
                    running = scheduler(port)
                elif (day, hour) == (date(2025, 4, 25), 9):
                    # Killed after deciding and making the digests, before sending any.
                    killed = scheduler(port)
                    killed.decide_events()
                    killed.sweep_days()
                    assert killed.compose() > 0
                    kills["before sending"] += 1
                    running = scheduler(port)
                elif (day, hour) == (date(2025, 5, 7), 9):
                    # Killed while handing over the first mail of the day (it holds its lease).
                    killed = scheduler(port, sender=KilledBeforeHandingOver())
                    with pytest.raises(KilledError):
                        killed.run_once()
                    kills["while sending"] += 1
                    running = scheduler(port)
                elif (day, hour) == (date(2025, 4, 22), 9):
                    inbox.refuse = 1  # the server refuses the next mail once: tried again
                running.run_once()
            day += timedelta(days=1)
        clock.set(at(LAST, 23))
        running.run_once()
        received = inbox.received()

    assert kills == {"decision": 1, "before sending": 1, "while sending": 1}
    assert inbox.refused == 1
    # What was decided: every notice of the month, once.
    decided = Counter(
        (username, n.kind, n.reference, n.day)
        for username in (*ADDRESSES, "ubnd-q1.canbo", "leader.chutich")
        for n in store.notices_of(username, limit=1000)
    )
    assert decided == EXPECTED
    # What arrived: no message twice, at most one a day per person, none empty.
    assert len({m["Message-ID"] for m in received}) == len(received)
    days = Counter((m["To"], m["Subject"].split()[-1]) for m in received)
    assert max(days.values()) == 1
    assert {m["To"] for m in received} == set(ADDRESSES.values())
    # Each notice of a person with an address is in exactly one mail, said in their language.
    for username, address in ADDRESSES.items():
        language = Language.EN if username == "so-tc.canbo" else Language.VI
        lines = Counter(
            line for m in received if m["To"] == address for line in _notice_lines(m.get_content())
        )
        assert set(lines.values()) == {1}
        told_of = Counter(
            f"- {n.reference} — {n.title} | {told(n.kind, n.values, language)}"
            for n in store.notices_of(username, limit=1000)
        )
        assert lines == told_of
        assert sum(c for k, c in EXPECTED.items() if k[0] == username) == sum(lines.values())
    # A person without an address was told in the app only.
    assert all(not n.mailed for n in store.notices_of("ubnd-q1.canbo"))
    assert store.mail_counts() == {"sent": len(received)}


def _notice_lines(body: str) -> list[str]:
    """A digest's notices: each is a "- reference — title" line and the line saying what."""
    lines = body.splitlines()
    return [
        f"{line} | {lines[i + 1].strip()}" for i, line in enumerate(lines) if line.startswith("- ")
    ]
