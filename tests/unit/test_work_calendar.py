"""The calendar of working days as an aggregate: an administrator declares and withdraws the
government's swaps as events; every rule broken records nothing; the events are plain JSON the
codec reads back; and the calendar folded from any sequence of commands is a plain model's."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime

import orjson
import pytest
from eventsourcing.persistence import JSONTranscoder
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar.errors import InvalidSwapError, SwapNotFoundError
from domain.calendar.work_calendar import CALENDAR_ID, TOPICS, WorkCalendar
from domain.narration import tell
from domain.shared.calendar import Swap, WorkingCalendar
from domain.shared.codec import OrjsonMapper
from domain.shared.errors import (
    DomainError,
    InvalidTextError,
    NotPermittedError,
    OutsideCalendarError,
)
from tests.builders import ADMIN, LEADER, OFFICE
from tests.strategies import calendar_days

T0 = datetime(2025, 12, 26, 2, 0, tzinfo=UTC)
MAPPER = OrjsonMapper(transcoder=JSONTranscoder())
DECISION = "12729/VPCP-KGVX"


def opened() -> WorkCalendar:
    calendar = WorkCalendar.open(actor=ADMIN, request_id="open", at=T0)
    calendar.collect_events()
    return calendar


def declare(
    calendar: WorkCalendar,
    day_off: date = date(2026, 1, 2),
    make_up_day: date | None = date(2026, 1, 10),
    decision_reference: str = DECISION,
    actor: object = ADMIN,
) -> None:
    calendar.declare_swap(
        day_off=day_off,
        make_up_day=make_up_day,
        decision_reference=decision_reference,
        note="Tết Dương lịch 2026: nghỉ 4 ngày liên tục",
        actor=actor,  # type: ignore[arg-type]  # the refusals try other roles
        request_id="req-swap",
        at=T0,
    )


def assert_refused(
    calendar: WorkCalendar, error: type[DomainError], command: Callable[[], None]
) -> None:
    before = copy.deepcopy(vars(calendar))
    with pytest.raises(error):
        command()
    assert vars(calendar) == before
    assert calendar.collect_events() == []


def test_a_declared_swap_is_an_event_with_its_actor_and_request() -> None:
    """The event says both days, the decision and who declared it in answer to which request;
    the calendar then has Friday 2/1/2026 off and Saturday 10/1/2026 worked."""
    calendar = opened()
    declare(calendar)
    (event,) = calendar.collect_events()
    assert isinstance(event, WorkCalendar.SwapDeclared)
    assert (event.day_off, event.make_up_day) == (date(2026, 1, 2), date(2026, 1, 10))
    assert (event.actor, event.request_id, event.decision_reference) == (
        ADMIN,
        "req-swap",
        DECISION,
    )
    assert calendar.id == CALENDAR_ID
    assert calendar.calendar() == WorkingCalendar.from_swaps(
        [Swap(date(2026, 1, 2), date(2026, 1, 10), DECISION, event.note)]
    )
    assert not calendar.calendar().is_working_day(date(2026, 1, 2))
    assert calendar.calendar().is_working_day(date(2026, 1, 10))
    assert calendar.swaps["2026-01-02"].declared_by == ADMIN.user_id


def test_a_withdrawn_swap_gives_both_days_back_to_the_law() -> None:
    calendar = opened()
    declare(calendar)
    calendar.withdraw_swap(
        day_off=date(2026, 1, 2), reason="nhập nhầm", actor=ADMIN, request_id="w", at=T0
    )
    withdrawn = calendar.collect_events()[-1]
    assert isinstance(withdrawn, WorkCalendar.SwapWithdrawn)
    assert (withdrawn.actor, withdrawn.request_id) == (ADMIN, "w")
    assert calendar.calendar() == WorkingCalendar()
    assert calendar.swaps == {}


def test_a_day_off_without_a_make_up_day_is_declared_alone() -> None:
    """For a day off the government grants once, or a holiday a new law adds before the library
    knows it."""
    calendar = opened()
    declare(calendar, day_off=date(2026, 11, 24), make_up_day=None)
    assert not calendar.calendar().is_working_day(date(2026, 11, 24))


@pytest.mark.parametrize(
    ("error", "changes"),
    [
        (NotPermittedError, {"actor": OFFICE}),
        (NotPermittedError, {"actor": LEADER}),
        (InvalidSwapError, {"day_off": date(2026, 1, 3)}),  # a Saturday
        (InvalidSwapError, {"day_off": date(2026, 2, 17)}),  # Tết
        (InvalidSwapError, {"make_up_day": date(2026, 1, 9)}),  # a Friday worked anyway
        (InvalidSwapError, {"make_up_day": date(2026, 1, 2)}),  # the day off itself
        (InvalidTextError, {"decision_reference": "  "}),
        (OutsideCalendarError, {"day_off": date(2101, 1, 3)}),
        (OutsideCalendarError, {"make_up_day": date(2101, 1, 1)}),
    ],
)
def test_a_swap_that_breaks_a_rule_is_refused_and_records_nothing(
    error: type[DomainError], changes: dict[str, object]
) -> None:
    """Only an administrator; a working day swapped off; a day off made up; the decision named."""
    calendar = opened()
    assert_refused(calendar, error, lambda: declare(calendar, **changes))  # type: ignore[arg-type]


def test_a_day_already_swapped_cannot_be_swapped_again() -> None:
    """Neither the day off nor the make-up day of a swap in force, until it is withdrawn."""
    calendar = opened()
    declare(calendar)
    calendar.collect_events()
    assert_refused(calendar, InvalidSwapError, lambda: declare(calendar))
    assert_refused(
        calendar,
        InvalidSwapError,
        lambda: declare(calendar, day_off=date(2026, 1, 5), make_up_day=date(2026, 1, 10)),
    )


def test_withdrawing_needs_a_swap_a_reason_and_an_administrator() -> None:
    calendar = opened()
    declare(calendar)
    calendar.collect_events()

    def withdraw(day: date, reason: str = "sai", actor: object = ADMIN) -> None:
        calendar.withdraw_swap(day_off=day, reason=reason, actor=actor, request_id="w", at=T0)  # type: ignore[arg-type]

    assert_refused(calendar, SwapNotFoundError, lambda: withdraw(date(2026, 1, 5)))
    assert_refused(calendar, SwapNotFoundError, lambda: withdraw(date(2026, 1, 10)))
    assert_refused(calendar, InvalidTextError, lambda: withdraw(date(2026, 1, 2), reason=" "))
    assert_refused(calendar, NotPermittedError, lambda: withdraw(date(2026, 1, 2), actor=OFFICE))


def test_the_calendar_is_opened_by_an_administrator_only() -> None:
    with pytest.raises(NotPermittedError):
        WorkCalendar.open(actor=OFFICE, request_id="o", at=T0)


def test_the_events_are_plain_json_that_the_codec_reads_back() -> None:
    """Dates as YYYY-MM-DD, a missing make-up day as null, topics stable; the snapshot too."""
    calendar = WorkCalendar.open(actor=ADMIN, request_id="open", at=T0)
    declare(calendar)
    declare(calendar, day_off=date(2026, 11, 24), make_up_day=None)
    calendar.withdraw_swap(
        day_off=date(2026, 1, 2), reason="sai", actor=ADMIN, request_id="w", at=T0
    )
    events = calendar.collect_events()
    stored = [MAPPER.to_stored_event(e) for e in events]
    assert [s.topic for s in stored] == [
        "thucthi:WorkCalendar.Opened",
        "thucthi:WorkCalendar.SwapDeclared",
        "thucthi:WorkCalendar.SwapDeclared",
        "thucthi:WorkCalendar.SwapWithdrawn",
    ]
    assert set(TOPICS) == {s.topic for s in stored}
    state = orjson.loads(stored[2].state)
    assert (state["day_off"], state["make_up_day"]) == ("2026-11-24", None)
    decoded = [MAPPER.to_domain_event(s) for s in stored]
    assert decoded == events
    assert type(decoded[1].day_off) is date  # type: ignore[attr-defined]
    rebuilt = None
    for event in decoded:
        rebuilt = event.mutate(rebuilt)  # type: ignore[attr-defined]
    assert isinstance(rebuilt, WorkCalendar)
    assert rebuilt.calendar() == calendar.calendar()
    snapshot = WorkCalendar.Snapshot.take(calendar)
    restored = MAPPER.to_domain_event(MAPPER.to_stored_event(snapshot)).mutate(None)  # type: ignore[attr-defined]
    assert restored.swaps == calendar.swaps


def test_the_swaps_are_told_in_both_languages() -> None:
    """As the audit trail and the history tell them."""
    calendar = opened()
    declare(calendar)
    said = tell(calendar.collect_events()[0], ADMIN, {})
    assert said.vi == (
        "Quản trị hệ thống hoán đổi ngày làm việc theo 12729/VPCP-KGVX: nghỉ 2026-01-02, "
        "làm bù 2026-01-10"
    )
    assert said.en == (
        "The system administrator swapped working days per 12729/VPCP-KGVX: 2026-01-02 off, "
        "2026-01-10 worked instead"
    )


_COMMANDS = st.lists(
    st.tuples(st.sampled_from(["declare", "withdraw"]), calendar_days, st.none() | calendar_days),
    max_size=25,
)


@given(_COMMANDS)
def test_the_calendar_is_the_plain_fold_of_the_commands_it_took(
    commands: list[tuple[str, date, date | None]],
) -> None:
    """Whatever is tried, the swaps in force are those of a plain model that applies the rules
    by hand: a working day off, a day off made up, neither day in a swap in force, a withdrawal
    of a swap in force."""
    calendar = opened()
    model: dict[date, date | None] = {}
    for kind, day, other in commands:
        law = WorkingCalendar.from_swaps(Swap(d, m, DECISION) for d, m in model.items())
        if kind == "declare":
            swapped = set(model) | {m for m in model.values() if m is not None}
            allowed = (
                day not in swapped
                and other not in swapped
                and law.is_working_day(day)
                and (other is None or not law.is_working_day(other))
            )
            try:
                declare(calendar, day_off=day, make_up_day=other)
            except InvalidSwapError:
                assert not allowed
            else:
                assert allowed
                model[day] = other
        else:
            try:
                calendar.withdraw_swap(day_off=day, reason="r", actor=ADMIN, request_id="w", at=T0)
            except SwapNotFoundError:
                assert day not in model
            else:
                del model[day]
    expected = WorkingCalendar.from_swaps(Swap(d, m, DECISION) for d, m in model.items())
    assert [(s.day_off, s.make_up_day) for s in calendar.calendar().swaps] == [
        (s.day_off, s.make_up_day) for s in expected.swaps
    ]
