"""The application service on every backend: memory, SQLite and PostgreSQL run the same tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, timedelta
from typing import Any, cast
from uuid import UUID

import pytest

from adapters.database import Database
from domain import writer
from domain.application import Thucthi
from domain.directives.commands import (
    Acknowledge,
    Contribute,
    DecideCompletion,
    DecideExtension,
    GiveExplanation,
    IssueDirective,
    Reassign,
    ReportCompletion,
    ReportProgress,
    RequestExplanation,
    RequestExtension,
    SendReminder,
)
from domain.directives.directive import Directive, Status, Urgency, directive_id
from domain.directives.errors import (
    DirectiveNotFoundError,
    DuplicateReferenceError,
    InvalidDirectiveError,
    InvalidPercentError,
    NotLeadUnitError,
    ParentDirectiveNotFoundError,
)
from domain.shared.actors import Actor
from domain.shared.clock import SimulatedClock
from domain.shared.errors import ConcurrencyConflictError, VersionNotFoundError
from domain.units.errors import InactiveUnitError, UnknownUnitError
from domain.units.registry import REGISTRY_ID
from tests.builders import (
    ADMIN,
    COORDINATOR_OFFICER,
    LEAD,
    LEAD_OFFICER,
    LEADER,
    OFFICE,
    OTHER_OFFICER,
    OTHER_UNIT,
)

REF = "1234/UBND-VX"


def issue(app: Thucthi, reference: str = REF, **changes: object) -> int:
    fields: dict[str, object] = {
        "reference": reference,
        "title": "Triển khai Kế hoạch chuyển đổi số",
        "content": "Giao Sở Công Thương chủ trì.",
        "lead_unit": LEAD,
        "coordinating_units": ("SO-TC",),
        "deadline": date(2024, 3, 20),
        "urgency": Urgency.URGENT,
    }
    fields.update(changes)
    actor = cast("Actor", fields.pop("actor", LEADER))
    request_id = cast("str", fields.pop("request_id", "req-1"))
    command = IssueDirective(**fields)  # type: ignore[arg-type]  # fields vary per test
    return app.issue(command, actor=actor, request_id=request_id)


def test_each_command_returns_the_notification_id_it_recorded(app: Thucthi) -> None:
    """Positions grow by one per event, and the last one is the log's maximum."""
    first = issue(app)
    second = app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="req-2")
    third = app.execute(
        ReportProgress(percent=40, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
    )
    assert first < second < third == app.max_notification_id()


def test_a_directive_lives_its_whole_lifecycle_through_the_service(
    app: Thucthi, clock: SimulatedClock
) -> None:
    issue(app)
    clock.advance(timedelta(hours=3))
    app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
    app.execute(
        Contribute(narrative="Số liệu tài chính"), REF, actor=COORDINATOR_OFFICER, request_id="r"
    )
    clock.advance(timedelta(days=5))
    app.execute(
        ReportProgress(percent=50, narrative="Một nửa"), REF, actor=LEAD_OFFICER, request_id="r"
    )
    app.execute(
        RequestExtension(new_deadline=date(2024, 3, 31), reason="Chờ số liệu"),
        REF,
        actor=LEAD_OFFICER,
        request_id="r",
    )
    app.execute(DecideExtension(decision="grant", number=1), REF, actor=LEADER, request_id="r")
    app.execute(SendReminder(message="Đề nghị khẩn trương"), REF, actor=OFFICE, request_id="r")
    app.execute(RequestExplanation(question="Vì sao chậm?"), REF, actor=LEADER, request_id="r")
    app.execute(
        GiveExplanation(number=1, answer="Chờ số liệu"), REF, actor=LEAD_OFFICER, request_id="r"
    )
    clock.advance(timedelta(days=10))
    app.execute(ReportCompletion(summary="Xong"), REF, actor=LEAD_OFFICER, request_id="r")
    app.execute(
        DecideCompletion(decision="return", note="Thiếu phụ lục"), REF, actor=LEADER, request_id="r"
    )
    app.execute(
        ReportCompletion(summary="Bổ sung phụ lục"), REF, actor=LEAD_OFFICER, request_id="r"
    )
    submitted = clock.now()
    clock.advance(timedelta(days=3))
    app.execute(DecideCompletion(decision="accept", note="Đạt"), REF, actor=LEADER, request_id="r")

    d = app.get_directive(REF)
    assert d.status is Status.COMPLETED
    assert (d.deadline, d.original_deadline) == (date(2024, 3, 31), date(2024, 3, 20))
    assert d.completion_reported_at == submitted
    assert d.returns == 1
    assert d.version == 13
    events = app.history(REF)
    assert [e.originator_version for e in events] == list(range(1, 14))
    assert isinstance(events[-1], Directive.CompletionAccepted)
    assert events[-1].timestamp == submitted + timedelta(days=3)


def test_a_reference_can_be_issued_only_once(app: Thucthi) -> None:
    issue(app)
    before = app.max_notification_id()
    with pytest.raises(DuplicateReferenceError):
        issue(app, title="Khác")
    assert app.max_notification_id() == before


class _BlindApp(Thucthi):
    """Never sees existing directives, as if a rival issued the same reference a moment ago."""

    def _exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id == REGISTRY_ID and super()._exists(aggregate_id)


def test_two_racing_issues_of_one_reference_leave_one_directive(
    database: Database, clock: SimulatedClock
) -> None:
    """Past a stale existence check, the store's version constraint still refuses the second."""
    app = _BlindApp(database.eventsourcing_env(), clock=clock)
    try:
        app.open_unit_registry()
        issue(app, title="Thứ nhất")
        with pytest.raises(DuplicateReferenceError):
            issue(app, title="Thứ hai")
        assert app.get_directive(REF).title == "Thứ nhất"
        assert len(app.history(REF)) == 1
    finally:
        app.close()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"lead_unit": "SO-KHONG-CO"}, UnknownUnitError),
        ({"coordinating_units": ["SO-TC", "KHONG-CO"]}, UnknownUnitError),
        ({"lead_unit": "UBND-TP"}, InvalidDirectiveError),
        ({"parent_reference": "99/UBND"}, ParentDirectiveNotFoundError),
    ],
)
def test_issuing_checks_units_and_parent(
    app: Thucthi, changes: dict[str, Any], error: type[Exception]
) -> None:
    before = app.max_notification_id()
    with pytest.raises(error):
        issue(app, **changes)
    assert app.max_notification_id() == before


def test_a_child_directive_points_to_its_parent(app: Thucthi) -> None:
    issue(app, "1/UBND")
    issue(app, "2/UBND", parent_reference="1/UBND")
    assert app.get_directive("2/UBND").parent_id == directive_id("1/UBND")


def test_deactivated_units_receive_no_new_work(app: Thucthi) -> None:
    issue(app)
    app.deactivate_unit(code="UBND-Q1-BENNGHE", reason="Sáp nhập", actor=ADMIN, request_id="r")
    with pytest.raises(InactiveUnitError):
        issue(app, "2/UBND", lead_unit="UBND-Q1-BENNGHE")
    with pytest.raises(InactiveUnitError):
        app.execute(
            Reassign(to_unit="UBND-Q1-BENNGHE", reason=""), REF, actor=OFFICE, request_id="r"
        )
    assert app.get_directive(REF).lead_unit == LEAD


def test_unit_changes_are_recorded_and_read_back(app: Thucthi) -> None:
    app.add_unit(
        code="SO-MOI",
        name_vi="Sở Mới",
        name_en="New Department",
        parent="UBND-TP",
        actor=ADMIN,
        request_id="r",
    )
    app.rename_unit(
        code="SO-MOI", name_vi="Sở Mới 2", name_en="New Department 2", actor=ADMIN, request_id="r"
    )
    assert app.unit_registry().get("SO-MOI").name_vi == "Sở Mới 2"
    assert app.open_unit_registry() is None  # already open: nothing recorded


def test_rejected_commands_record_nothing(app: Thucthi) -> None:
    issue(app)
    before = app.max_notification_id()
    with pytest.raises(NotLeadUnitError):
        app.execute(Acknowledge(), REF, actor=COORDINATOR_OFFICER, request_id="r")
    assert app.max_notification_id() == before
    assert app.get_directive(REF).version == 1


def test_commands_on_unknown_directives_say_so(app: Thucthi) -> None:
    with pytest.raises(DirectiveNotFoundError):
        app.execute(Acknowledge(), "404/UBND", actor=LEAD_OFFICER, request_id="r")
    with pytest.raises(DirectiveNotFoundError):
        app.get_directive("404/UBND")
    with pytest.raises(DirectiveNotFoundError):
        app.history("404/UBND")


def test_a_unit_that_may_not_see_a_directive_is_told_it_does_not_exist_and_nothing_is_recorded(
    app: Thucthi,
) -> None:
    """Judged on the state the command runs on: after a reassignment the new lead unit sees it
    and the old one, no longer leading or coordinating, does not."""
    issue(app)
    before = app.max_notification_id()
    with pytest.raises(DirectiveNotFoundError):
        app.execute(Acknowledge(), REF, actor=OTHER_OFFICER, request_id="r")
    with pytest.raises(DirectiveNotFoundError):  # before the version is compared
        app.execute(Acknowledge(), REF, actor=OTHER_OFFICER, request_id="r", expected_version=9)
    assert app.max_notification_id() == before
    app.execute(Reassign(to_unit=OTHER_UNIT, reason=""), REF, actor=LEADER, request_id="r")
    app.execute(Acknowledge(), REF, actor=OTHER_OFFICER, request_id="r")
    with pytest.raises(DirectiveNotFoundError):
        app.execute(
            ReportProgress(percent=10, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
        )
    assert app.get_directive(REF).lead_unit == OTHER_UNIT


def test_a_command_leaves_the_state_it_saved_for_its_own_answer_once(app: Thucthi) -> None:
    issue(app)
    app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
    assert app.saved_directive("999/UBND") is None  # the last command was on another directive
    app.execute(ReportProgress(percent=40, narrative=""), REF, actor=LEAD_OFFICER, request_id="r")
    saved = app.saved_directive(REF)
    assert saved is not None
    current = app.get_directive(REF)
    assert (saved.version, saved.percent) == (current.version, current.percent) == (3, 40)
    assert app.saved_directive(REF) is None  # taken once
    app.execute(ReportProgress(percent=50, narrative=""), REF, actor=LEAD_OFFICER, request_id="r")
    with pytest.raises(InvalidPercentError):
        app.execute(
            ReportProgress(percent=140, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
        )
    assert app.saved_directive(REF) is None  # a refused command saved nothing
    app.execute(ReportProgress(percent=60, narrative=""), REF, actor=LEAD_OFFICER, request_id="r")
    elsewhere: list[Directive | None] = []
    thread = threading.Thread(target=lambda: elsewhere.append(app.saved_directive(REF)))
    thread.start()
    thread.join()
    assert elsewhere == [None]  # another thread's command is not this one's
    assert directive_id(REF) == cast(Directive, app.saved_directive(REF)).id


def test_a_directive_can_be_read_at_any_version_or_moment(
    app: Thucthi, clock: SimulatedClock
) -> None:
    issue(app)
    issued_at = clock.now()
    clock.advance(timedelta(days=1))
    app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
    clock.advance(timedelta(days=1))
    app.execute(ReportProgress(percent=30, narrative=""), REF, actor=LEAD_OFFICER, request_id="r")

    assert app.get_directive(REF, version=1).status is Status.ISSUED
    assert app.get_directive(REF, version=3).percent == 30
    assert app.get_directive(str(directive_id(REF)), version=2).status is Status.IN_PROGRESS
    assert app.directive_at(REF, issued_at + timedelta(hours=30)).version == 2
    assert app.directive_at(REF, issued_at).version == 1
    with pytest.raises(VersionNotFoundError):
        app.get_directive(REF, version=4)
    with pytest.raises(VersionNotFoundError):
        app.get_directive(REF, version=0)
    with pytest.raises(VersionNotFoundError):
        app.directive_at(REF, issued_at - timedelta(seconds=1))


def test_long_lived_directives_are_snapshotted_and_still_read_exactly(app: Thucthi) -> None:
    """Every 10 events a snapshot is taken; reading now and at old versions both stay correct."""
    issue(app)
    app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
    for i in range(120):
        app.execute(
            ReportProgress(percent=i % 101, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
        )
    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(directive_id(REF)))
    assert [s.originator_version for s in snapshots] == list(range(10, 121, 10))
    d = app.get_directive(REF)
    assert (d.version, d.percent, d.progress_reports) == (122, 119 % 101, 120)
    assert app.get_directive(REF, version=75).progress_reports == 73
    assert app.get_directive(REF, version=9).progress_reports == 7  # before the first snapshot
    folded: Any = None
    for event in app.events.get(directive_id(REF)):  # every event, ignoring snapshots
        folded = cast("Directive.Event", event).mutate(folded)
        # Each version as read (from a snapshot and the events after it) is the fold so far.
        assert app.get_directive(REF, version=event.originator_version) == folded
    assert folded == d
    with pytest.raises(VersionNotFoundError):
        app.get_directive(REF, version=123)
    with pytest.raises(VersionNotFoundError):
        app.get_directive(REF, version=0)


def test_many_aggregates_each_at_its_own_version_are_read_as_each_is_alone(app: Thucthi) -> None:
    """``aggregates_at`` (one round trip on PostgreSQL) gives each aggregate exactly as
    ``aggregate_at`` does, before, at and after snapshots; one that is not there is left out."""
    references = [f"{n}/UBND-VX" for n in range(1, 4)]
    for n, reference in enumerate(references):
        issue(app, reference)
        app.execute(Acknowledge(), reference, actor=LEAD_OFFICER, request_id="r")
        for i in range(7 * n + 3):  # 5, 12 and 19 versions: with none, one and two snapshots
            app.execute(
                ReportProgress(percent=i, narrative=""),
                reference,
                actor=LEAD_OFFICER,
                request_id="r",
            )
    ids = [directive_id(r) for r in references]
    for version in range(1, 20):
        wanted = {i: version for i in ids if version <= app.get_directive(i).version}
        wanted[directive_id("9/UBND-VX")] = version  # never issued
        found = app.aggregates_at(wanted)
        assert set(found) == set(wanted) - {directive_id("9/UBND-VX")}
        for aggregate_id, aggregate in found.items():
            assert aggregate == app.aggregate_at(aggregate_id, version)
            assert aggregate.version == version
    mixed = {ids[0]: 2, ids[1]: 11, ids[2]: 19}
    assert {i: a.version for i, a in app.aggregates_at(mixed).items()} == mixed


def test_a_snapshot_due_in_the_middle_of_one_save_holds_the_state_at_its_own_version(
    app: Thucthi,
) -> None:
    """Saving versions 9 to 11 at once snapshots version 10 as it was, not the aggregate in hand."""
    issue(app)
    app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
    for i in range(6):
        app.execute(
            ReportProgress(percent=i, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
        )
    directive = app.get_directive(REF)
    assert directive.version == 8
    at = app.clock.now()
    for percent in (40, 50, 60):
        directive.report_progress(
            percent=percent, narrative="", actor=LEAD_OFFICER, request_id="r", at=at
        )
    app.save(directive)
    assert app.snapshots is not None
    (snapshot,) = app.snapshots.get(directive_id(REF))
    assert snapshot.originator_version == 10
    restored = cast("Directive", cast("Directive.Snapshot", snapshot).mutate(None))
    assert (restored.version, restored.percent, restored.progress_reports) == (10, 50, 8)
    assert app.get_directive(REF, version=10) == restored
    assert app.get_directive(REF).percent == 60


class _RacedApp(Thucthi):
    """Another writer slips a reminder in before each of the first ``races`` directive saves."""

    races = 0
    attempts = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.save_unraced = self.writer.save
        self.writer.save = self._racing_save  # type: ignore[method-assign]

    def _racing_save(self, *aggregates: Any) -> int:
        if any(isinstance(a, Directive) for a in aggregates):
            self.attempts += 1
            if self.races:
                self.races -= 1
                rival: Directive = self.repository.get(aggregates[0].id)
                rival.send_reminder(
                    message="rival", actor=OFFICE, request_id="rival", at=self.clock.now()
                )
                self.save_unraced(rival)
        return self.save_unraced(*aggregates)


@pytest.fixture
def raced(database: Database, clock: SimulatedClock) -> Iterator[_RacedApp]:
    app = _RacedApp(database.eventsourcing_env(), clock=clock, max_attempts=4)
    app.open_unit_registry()
    issue(app)
    app.attempts = 0
    try:
        yield app
    finally:
        app.close()


def test_a_lost_race_is_retried_on_fresh_state_and_keeps_the_rivals_event(raced: _RacedApp) -> None:
    raced.races = 2
    raced.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
    assert raced.attempts == 3
    kinds = [type(e).__name__ for e in raced.history(REF)]
    assert kinds == ["Issued", "ReminderSent", "ReminderSent", "Acknowledged"]


class _VouchingForEverything:
    """A change feed that always says "unchanged": as wrong as a feed can be."""

    def mark(self) -> Hashable | None:
        return 0

    def unchanged(self, aggregate_id: UUID, version: int, mark: Hashable) -> bool:
        return True

    def close(self) -> None:
        pass


@pytest.fixture
def vouched(database: Database, clock: SimulatedClock) -> Iterator[_RacedApp]:
    """A raced application whose change feed vouches for everything."""
    env = database.eventsourcing_env()
    app = _RacedApp(env, clock=clock, max_attempts=4, changes=_VouchingForEverything())
    app.open_unit_registry()
    issue(app)
    app.attempts = 0
    try:
        yield app
    finally:
        app.close()


def test_a_state_wrongly_vouched_for_is_refused_by_the_version_constraint_and_rerun_fresh(
    vouched: _RacedApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a feed that never hears of other writers cannot make a command act on stale state."""
    raced = vouched
    raced.execute(
        Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r"
    )  # version 2, kept for commands
    rival: Directive = raced.repository.get(directive_id(REF))  # another writer, unheard of
    rival.send_reminder(message="rival", actor=OFFICE, request_id="rival", at=raced.clock.now())
    raced.save_unraced(rival)
    reads: list[object] = []
    get = raced.repository.get

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return get(*args, **kwargs)

    monkeypatch.setattr(raced.repository, "get", counted)
    raced.execute(ReportProgress(percent=10, narrative=""), REF, actor=LEAD_OFFICER, request_id="r")
    assert raced.attempts == 3  # acknowledged; refused on the kept version 2; rerun on version 3
    assert len(reads) == 1  # the first attempt read nothing, the rerun read the store
    kinds = [type(e).__name__ for e in raced.history(REF)]
    assert kinds == ["Issued", "Acknowledged", "ReminderSent", "ProgressReported"]
    directive = raced.get_directive(REF)
    assert (directive.version, directive.percent, directive.reminders) == (4, 10, 1)


class _RecordedLocks:
    """The cross-process lock, recording which aggregates were held."""

    def __init__(self) -> None:
        self.held: list[UUID] = []

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]:
        self.held.append(aggregate_id)
        return nullcontext()

    def close(self) -> None:
        pass


def test_writers_take_the_shared_lock_only_while_an_aggregate_is_contended(
    database: Database, clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "CONTENDED_SECONDS", 0.2)
    locks = _RecordedLocks()
    app = _RacedApp(database.eventsourcing_env(), clock=clock, max_attempts=4, locks=locks)
    try:
        app.open_unit_registry()
        issue(app)
        app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
        assert locks.held == []  # nobody raced: no round trip for a lock
        app.races = 1
        app.execute(
            ReportProgress(percent=10, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
        )
        assert locks.held == [directive_id(REF)]  # the retry after the lost race queued
        app.execute(
            ReportProgress(percent=20, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
        )
        assert locks.held == [directive_id(REF)] * 2  # still contended: queued from the start
        time.sleep(0.25)
        app.execute(
            ReportProgress(percent=30, narrative=""), REF, actor=LEAD_OFFICER, request_id="r"
        )
        assert len(locks.held) == 2  # calm again: optimistic again
    finally:
        app.close()


def test_conflicts_are_retried_a_bounded_number_of_times_then_surfaced(raced: _RacedApp) -> None:
    raced.races = 100
    with pytest.raises(ConcurrencyConflictError, match="4 attempts"):
        raced.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")
    assert raced.attempts == 4
    assert raced.get_directive(REF).status is Status.ISSUED
    assert raced.get_directive(REF).reminders == 4


def test_the_clock_decides_every_recorded_moment(app: Thucthi, clock: SimulatedClock) -> None:
    clock.set(datetime.fromisoformat("2025-06-01T01:00:00+00:00"))
    issue(app, deadline=date(2025, 6, 30))
    assert app.history(REF)[0].timestamp == clock.now()
    assert app.get_directive(REF).issued_on == date(2025, 6, 1)
