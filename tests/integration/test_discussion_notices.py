"""A directive's discussion in the daily digests (issue 27, item 5): each comment reaches the
other participants (the lead and coordinating units' officers and the Office, never its author)
once, in the day's one mail in their language, through a real SMTP server, on SQLite
and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date

from adapters.notifications import open_notifications
from adapters.smtp import SmtpSender, SmtpSettings
from domain.application import Thucthi
from domain.directives.commands import AddComment
from domain.notifications.rules import Kind
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from projections.notifications import NotifySettings, Scheduler
from tests.integration.test_notifications import (
    ADDRESSES,
    LEADER,
    SO_CT,
    SO_TC,
    at,
    issue,
    month_app,  # noqa: F401 - the fixture, on both backends
    people,
)
from tests.smtp import smtp_server

OFFICE = Actor("office.vp", Role.OFFICE)
DAY = date(2025, 4, 15)


def test_each_comment_reaches_the_other_participants_once_in_their_days_digest(
    month_app: Thucthi,  # noqa: F811 - the fixture imported above
) -> None:
    app = month_app
    clock = app.clock
    assert isinstance(clock, SimulatedClock)
    store = open_notifications(getattr(app.factory, "datastore", None))
    assert store is not None
    people(app, store)
    clock.set(at(DAY, 9))
    issue(app, "200/UBND-VX", "SO-CT", date(2025, 5, 30), "SO-TC")
    clock.set(at(DAY, 10))
    said = "Đề nghị Sở Tài chính\ncho số liệu quý I"
    app.execute(AddComment(text=said), "200/UBND-VX", actor=SO_CT, request_id="c1")
    clock.set(at(DAY, 11))
    reply = AddComment(text="Sẽ gửi trong tuần", reply_to=1)
    app.execute(reply, "200/UBND-VX", actor=SO_TC, request_id="c2")
    app.execute(AddComment(text="Văn phòng theo dõi"), "200/UBND-VX", actor=OFFICE, request_id="c3")
    urged = AddComment(text="Khẩn trương", reply_to=2)
    app.execute(urged, "200/UBND-VX", actor=LEADER, request_id="c4")
    with smtp_server() as (inbox, port):
        sender = SmtpSender(SmtpSettings("127.0.0.1", port, starttls=False))
        settings = NotifySettings(url="https://thucthi.hcm.gov.vn")
        for hour in (12, 18):  # decided twice: told once
            clock.set(at(DAY, hour))
            Scheduler(app, store, sender=sender, clock=clock, settings=settings).run_once()
        clock.set(at(date(2025, 4, 16), 7))
        Scheduler(app, store, sender=sender, clock=clock, settings=settings).run_once()
        received = inbox.received()

    told = Counter(
        (username, n.values["number"])
        for username in (*ADDRESSES, "ubnd-q1.canbo", "leader.chutich")
        for n in store.notices_of(username, limit=100)
        if n.kind is Kind.COMMENTED
    )
    assert told == Counter(
        {
            ("so-tc.canbo", "1"): 1,
            ("office.vp", "1"): 1,
            ("so-ct.canbo", "2"): 1,
            ("office.vp", "2"): 1,
            ("so-ct.canbo", "3"): 1,
            ("so-tc.canbo", "3"): 1,
            ("so-ct.canbo", "4"): 1,
            ("so-tc.canbo", "4"): 1,
            ("office.vp", "4"): 1,
        }
    )
    mails = {m["To"]: m.get_content() for m in received}
    assert len(received) == len(mails) == 3  # one digest each, the issue's notices with them
    english = mails[ADDRESSES["so-tc.canbo"]]
    assert "Comment 1 by so-ct.canbo: Đề nghị Sở Tài chính cho số liệu quý I" in english
    assert "Comment 4 by leader.chutich: Khẩn trương" in english
    office = mails[ADDRESSES["office.vp"]]
    assert "Ý kiến thảo luận số 2 của so-tc.canbo: Sẽ gửi trong tuần" in office
    assert "số 3" not in office  # its own comment
    assert "Văn phòng theo dõi" in mails[ADDRESSES["so-ct.canbo"]]
