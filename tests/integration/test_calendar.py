"""The working-day calendar through the application, on every backend: swaps declared and
withdrawn as events at log positions, the calendar as it stood at any position (a past deadline
counted again as it was), directives given a deadline in working days by the calendar in force,
and the swaps in the audit trail, which still verifies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from domain.application import Thucthi
from domain.calendar.commands import DeclareSwap, WithdrawSwap
from domain.calendar.errors import InvalidSwapError
from domain.calendar.work_calendar import CALENDAR_ID
from domain.directives.commands import IssueDirective
from domain.directives.errors import InvalidDirectiveError
from domain.shared.calendar import WorkingCalendar
from domain.shared.clock import SimulatedClock
from domain.shared.errors import NotPermittedError
from projections.audit import AuditProjection
from projections.trail import describe
from projections.verify import verify
from readmodels.audit import AuditFilters
from readmodels.open import open_trail
from tests.builders import ADMIN, LEAD, LEADER, OFFICE
from tests.postgres import fresh_schema, require_server

NEW_YEAR_2026 = DeclareSwap(
    day_off=date(2026, 1, 2),
    make_up_day=date(2026, 1, 10),
    decision_reference="12729/VPCP-KGVX",
    note="Tết Dương lịch 2026: nghỉ từ 1/1 đến hết 4/1",
)
RECEIVED = date(2025, 12, 31)  # a Wednesday, the day before New Year 2026
T0 = datetime(2025, 12, 26, 2, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database that two applications open, as two processes would, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'calendar.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


def opened(url: str) -> Thucthi:
    return open_application(parse_database_url(url), clock=SimulatedClock(T0))


def issue(app: Thucthi, reference: str, **changes: object) -> int:
    fields: dict[str, object] = {"reference": reference, "title": "Báo cáo", "lead_unit": LEAD}
    fields.update(changes)
    return app.issue(IssueDirective(**fields), actor=LEADER, request_id=f"issue-{reference}")  # type: ignore[arg-type]


def test_a_deadline_counted_before_a_swap_is_counted_again_as_it_stood(app: Thucthi) -> None:
    """A case received Wed 31/12/2025 with 6 working days to answer. Before the New Year swap
    was declared: [Thu 1/1 off], Fri 2/1 (1), Mon 5 (2) ... Thu 8 (5), Fri 9/1/2026 (6). Once
    declared (Fri 2/1 off, Sat 10/1 worked): Mon 5 (1) ... Fri 9 (5), Sat 10/1/2026 (6). As
    the calendar stood at the earlier position it is still Friday 9/1."""
    before = issue(app, "1/CAL")
    declared = app.declare_swap(NEW_YEAR_2026, actor=ADMIN, request_id="swap-1")
    assert declared > before
    assert app.working_calendar(before).add_working_days(RECEIVED, 6) == date(2026, 1, 9)
    assert app.working_calendar(declared).add_working_days(RECEIVED, 6) == date(2026, 1, 10)
    assert app.working_calendar().add_working_days(RECEIVED, 6) == date(2026, 1, 10)
    assert app.working_calendar(0) == WorkingCalendar()


def test_a_withdrawn_swap_is_gone_from_then_on_and_there_before(app: Thucthi) -> None:
    """The calendar at each position is the fold of the calendar's events up to it."""
    declared = app.declare_swap(NEW_YEAR_2026, actor=ADMIN, request_id="swap-1")
    between = issue(app, "2/CAL")
    withdrawn = app.withdraw_swap(
        WithdrawSwap(day_off=date(2026, 1, 2), reason="nhập nhầm ngày"),
        actor=ADMIN,
        request_id="swap-2",
    )
    assert app.working_calendar(between) == app.working_calendar(declared)
    assert not app.working_calendar(between).is_working_day(date(2026, 1, 2))
    assert app.working_calendar(withdrawn) == WorkingCalendar() == app.working_calendar()
    again = app.declare_swap(NEW_YEAR_2026, actor=ADMIN, request_id="swap-3")
    assert app.working_calendar(again).is_working_day(date(2026, 1, 10))
    found = app.work_calendar(again)
    assert found is not None
    assert found.swaps["2026-01-02"].declared_by == ADMIN.user_id


def test_each_swap_event_carries_its_actor_and_request(app: Thucthi) -> None:
    app.declare_swap(NEW_YEAR_2026, actor=ADMIN, request_id="swap-1")
    events = list(app.events.get(CALENDAR_ID))
    assert [type(e).__name__ for e in events] == ["Opened", "SwapDeclared"]
    assert all(e.actor == ADMIN and e.request_id == "swap-1" for e in events)  # type: ignore[attr-defined]


def test_a_refused_swap_records_nothing(app: Thucthi) -> None:
    """Nor does a refused first swap open the calendar."""
    head = app.max_notification_id()
    with pytest.raises(NotPermittedError):
        app.declare_swap(NEW_YEAR_2026, actor=OFFICE, request_id="x")
    with pytest.raises(InvalidSwapError):
        app.declare_swap(
            DeclareSwap(day_off=date(2026, 1, 3), decision_reference="1/TB"),
            actor=ADMIN,
            request_id="y",
        )
    assert app.max_notification_id() == head
    assert app.work_calendar() is None


def test_a_directive_due_in_working_days_is_due_by_the_calendar_in_force(
    app: Thucthi, clock: SimulatedClock
) -> None:
    """Issued on Wed 31/12/2025 with 6 working days: Fri 9/1/2026 by the law alone, Sat
    10/1/2026 once the New Year swap is declared; a date and a number together are refused."""
    clock.set(datetime(2025, 12, 31, 3, 0, tzinfo=UTC))
    issue(app, "3/CAL", deadline_in_working_days=6)
    app.declare_swap(NEW_YEAR_2026, actor=ADMIN, request_id="swap-1")
    issue(app, "4/CAL", deadline_in_working_days=6)
    assert app.get_directive("3/CAL").deadline == date(2026, 1, 9)
    assert app.get_directive("4/CAL").deadline == date(2026, 1, 10)
    with pytest.raises(InvalidDirectiveError) as refused:
        issue(app, "5/CAL", deadline=date(2026, 2, 1), deadline_in_working_days=3)
    assert refused.value.case == "deadline_and_working_days"


def test_another_process_sees_a_swap_declared_after_it_read_the_calendar(
    shared_url: str,
) -> None:
    """The calendar a process keeps, now and the events it read to know it at past positions, is
    brought up to date with what others record, even after it was asked past the log's head."""
    first, second = opened(shared_url), opened(shared_url)
    try:
        assert second.working_calendar() == WorkingCalendar()
        assert second.working_calendar(10**9) == WorkingCalendar()  # past the head: all there is
        declared = first.declare_swap(NEW_YEAR_2026, actor=ADMIN, request_id="swap-1")
        assert not second.working_calendar().is_working_day(date(2026, 1, 2))
        assert not second.working_calendar(10**9).is_working_day(date(2026, 1, 2))
        withdrawn = first.withdraw_swap(
            WithdrawSwap(day_off=date(2026, 1, 2), reason="sai"), actor=ADMIN, request_id="w"
        )
        assert second.working_calendar() == WorkingCalendar()
        assert second.working_calendar(withdrawn) == WorkingCalendar()
        assert second.working_calendar(declared) == first.working_calendar(declared)
        assert second.working_calendar(declared) != WorkingCalendar()
    finally:
        first.close()
        second.close()


def test_the_swaps_are_in_the_audit_trail_which_still_verifies(shared_url: str) -> None:
    """Each entry names the administrator and the request and says the swap in both languages;
    the log with them verifies against the trail and its checkpoint."""
    app = opened(shared_url)
    try:
        app.open_unit_registry()
        app.declare_swap(NEW_YEAR_2026, actor=ADMIN, request_id="swap-1")
        app.withdraw_swap(
            WithdrawSwap(day_off=date(2026, 1, 2), reason="nhập nhầm"),
            actor=ADMIN,
            request_id="swap-2",
        )
        store = open_trail(app)
        signer = Signer("calendar.test/log", Ed25519PrivateKey.generate())
        projection = AuditProjection(app, store, signer, every=100)
        projection.catch_up(batch_size=50)
        assert projection.sign_now() is not None
        entries = store.entries(AuditFilters(actor=ADMIN.user_id), limit=500)
        shown = [s for s in describe(app, store, entries) if s.request_id in {"swap-1", "swap-2"}]
        assert [s.action for s in shown] == ["Opened", "SwapDeclared", "SwapWithdrawn"]
        assert shown[1].vi.startswith("Quản trị hệ thống hoán đổi ngày làm việc theo 12729")
        assert shown[2].en == (
            "The system administrator withdrew the swap that made 2026-01-02 a day off"
        )
        assert {c["field"] for c in shown[1].changes} == {"swaps.2026-01-02"}
        report = verify(app, store, origin=signer.origin, public_key=signer.public_key)
        assert report.ok
    finally:
        app.close()
