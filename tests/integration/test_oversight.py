"""The oversight read models on SQLite and PostgreSQL: the brief's scenarios, search, rebuilds,
read-your-writes, and the command line."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.demo import run_demo
from cli.main import main
from domain.application import Thucthi
from domain.directives.commands import (
    Acknowledge,
    Contribute,
    DecideCompletion,
    DecideExtension,
    IssueDirective,
    ReportCompletion,
    ReportProgress,
    RequestExplanation,
    RequestExtension,
    SendReminder,
    Withdraw,
)
from domain.directives.directive import Urgency
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, SimulatedClock
from projections import board
from projections.oversight import OversightProjection, catch_up
from projections.rebuild import Share
from projections.runner import Follower, ProjectionLagError, rebuild, status, wait_for
from readmodels.index import IndexWeights, score_units
from readmodels.model import AsOf, BoardRow, Filters, period
from readmodels.open import OversightView, open_view
from readmodels.postgres import PostgresOversightView
from tests.integration.readmodels import backend, index_names, project, table_rows

LEADER = Actor("leader.chutich", Role.LEADER)
OFFICE = Actor("office.vp", Role.OFFICE)
A, B = "SO-CT", "SO-TC"


def officer(unit: str) -> Actor:
    return Actor(f"{unit.lower()}.canbo", Role.DEPARTMENT, unit)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE).astimezone(UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def rm(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Thucthi, OversightView, SimulatedClock]]:
    with backend(request.param, tmp_path) as triple:
        yield triple


class Q3:
    """Unit A had 10 directives due in Q3 2024: 8 completed on time, 1 late, 1 still open."""

    def __init__(self, app: Thucthi, clock: SimulatedClock) -> None:
        self.app, self.clock = app, clock

    def issue(self, ref: str, deadline: date, unit: str = A) -> None:
        self.clock.set(at(date(2024, 7, 1)))
        self.app.issue(
            IssueDirective(
                reference=ref,
                title=f"Nhiệm vụ {ref}",
                content="",
                lead_unit=unit,
                deadline=deadline,
            ),
            actor=LEADER,
            request_id="r",
        )
        self.app.execute(Acknowledge(), ref, actor=officer(unit), request_id="r")

    def complete(self, ref: str, reported: date, accepted: date, unit: str = A) -> None:
        self.clock.set(at(reported))
        self.app.execute(ReportCompletion(summary="Xong"), ref, actor=officer(unit), request_id="r")
        self.clock.set(at(accepted, 15))
        self.app.execute(DecideCompletion(decision="accept"), ref, actor=LEADER, request_id="r")

    def build(self) -> None:
        for n in range(1, 9):
            deadline = date(2024, 7, 1) + timedelta(days=10 * n)  # 11 Jul … 18 Sep
            self.issue(f"{n}/Q3", deadline)
        self.issue("9/Q3", date(2024, 8, 15))
        self.issue("10/Q3", date(2024, 9, 20))
        for n in range(1, 9):
            deadline = date(2024, 7, 1) + timedelta(days=10 * n)
            # Reported on the deadline day itself; accepted a week later: still on time.
            self.complete(f"{n}/Q3", deadline, deadline + timedelta(days=7))
        self.complete("9/Q3", date(2024, 8, 20), date(2024, 8, 21))  # five days late


def test_unit_a_in_q3_has_an_on_time_rate_of_eight_in_ten(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    Q3(app, clock).build()
    project(app, view)
    first, last = period("2024-Q3")
    summary = view.summary(
        AsOf(date(2024, 9, 30)), filters=Filters(unit=A, deadline_from=first, deadline_to=last)
    )
    figures = summary.units[A]
    assert (figures.completed_on_time, figures.completed_late, figures.overdue) == (8, 1, 1)
    assert figures.on_time_rate == pytest.approx(0.8)
    assert figures.days_overdue_total == 10  # due 20 Sep, open on 30 Sep
    assert [(i.reference, i.days) for i in view.late(AsOf(date(2024, 9, 30)))] == [("10/Q3", 10)]
    assert summary.position == app.max_notification_id()


def test_an_extension_makes_it_on_time_in_force_and_late_against_the_original(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    q3 = Q3(app, clock)
    q3.issue("1/EXT", date(2024, 8, 10))
    clock.set(at(date(2024, 8, 5)))
    app.execute(
        RequestExtension(new_deadline=date(2024, 8, 31), reason=""),
        "1/EXT",
        actor=officer(A),
        request_id="r",
    )
    clock.set(at(date(2024, 8, 8)))
    app.execute(DecideExtension(decision="grant", number=1), "1/EXT", actor=LEADER, request_id="r")
    q3.complete("1/EXT", date(2024, 8, 25), date(2024, 8, 27))
    project(app, view)
    in_force = view.summary(AsOf(date(2024, 9, 30))).units[A]
    original = view.summary(AsOf(date(2024, 9, 30)), basis="original").units[A]
    assert (in_force.completed_on_time, in_force.completed_late) == (1, 0)
    assert (original.completed_on_time, original.completed_late) == (0, 1)
    # On 11 August the original deadline had passed, but the extension granted on 8 August
    # was already in force.
    assert view.summary(AsOf(date(2024, 8, 11))).units[A].overdue == 0
    assert view.summary(AsOf(date(2024, 8, 11)), basis="original").units[A].overdue == 1


def test_a_withdrawal_in_october_does_not_change_the_figures_for_september(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    Q3(app, clock).build()
    clock.set(at(date(2024, 10, 5)))
    app.execute(Withdraw(reason="Không còn phù hợp"), "10/Q3", actor=LEADER, request_id="r")
    project(app, view)
    september = view.summary(AsOf(date(2024, 9, 30))).units[A]
    october = view.summary(AsOf(date(2024, 10, 31))).units[A]
    assert (september.overdue, september.total) == (1, 10)
    assert (october.overdue, october.total) == (0, 9)
    assert view.summary(AsOf(date(2024, 9, 30)), filters=Filters(unit=B)).units == {}


def test_a_late_acceptance_does_not_rewrite_an_earlier_day(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """On 25 Aug the report of 9/Q3 was in but not yet accepted: then it was still overdue."""
    app, view, clock = rm
    q3 = Q3(app, clock)
    q3.issue("9/Q3", date(2024, 8, 15))
    q3.complete("9/Q3", date(2024, 8, 20), date(2024, 8, 28))
    project(app, view)
    assert view.summary(AsOf(date(2024, 8, 25))).units[A].overdue == 1
    assert view.summary(AsOf(date(2024, 8, 28))).units[A].completed_late == 1


def test_a_future_day_shows_what_will_be_overdue_by_then(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    Q3(app, clock).issue("1/F", date(2024, 7, 5))
    project(app, view)
    assert view.summary(AsOf(date(2024, 7, 1))).units[A].in_progress == 1
    assert view.summary(AsOf(date(2024, 7, 1))).units[A].due_soon == 0
    assert view.summary(AsOf(date(2024, 7, 2))).units[A].due_soon == 1
    assert view.summary(AsOf(date(2024, 7, 12))).units[A].overdue == 1
    assert [i.reference for i in view.due_soon(AsOf(date(2024, 7, 1)), 7)] == ["1/F"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("so lao dong", "2/UBND-VX"),
        ("Sở Lao động", "2/UBND-VX"),
        ("SỞ LAO ĐỘNG", "2/UBND-VX"),
        ("quan 1", "1/UBND-TH"),
        ("trat tu via he", "1/UBND-TH"),
        ("1/UBND-TH", "1/UBND-TH"),
    ],
)
def test_search_ignores_accents_and_case(
    rm: tuple[Thucthi, OversightView, SimulatedClock], query: str, expected: str
) -> None:
    app, view, _ = rm
    app.issue(
        IssueDirective(
            reference="1/UBND-TH",
            title="Lập lại trật tự lòng đường, vỉa hè tại Quận 1",
            content="Giao Ủy ban nhân dân Quận 1 chủ trì.",
            lead_unit="UBND-Q1",
        ),
        actor=LEADER,
        request_id="r",
    )
    app.issue(
        IssueDirective(
            reference="2/UBND-VX",
            title="Báo cáo tình hình lao động, việc làm quý 3",
            content="Giao Sở Lao động - Thương binh và Xã hội chủ trì.",
            lead_unit="SO-LDTBXH",
        ),
        actor=LEADER,
        request_id="r",
    )
    project(app, view)
    hits = view.search(query)
    assert hits
    assert hits[0].reference == expected
    assert view.search("khong co gi") == []
    assert view.search("   ") == []


def test_the_issuers_are_every_issuer_on_the_board_once_in_order(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, _ = rm
    for n, issuer in enumerate(("UBND TP", "Chủ tịch UBND TP", "UBND TP")):
        app.issue(
            IssueDirective(
                reference=f"{n + 1}/UBND-TH",
                title="Kiểm tra",
                content="",
                lead_unit="UBND-Q1",
                issuer=issuer,
            ),
            actor=LEADER,
            request_id="r",
        )
    project(app, view)
    assert view.issuers() == sorted({"UBND TP", "Chủ tịch UBND TP"})
    assert view.issuers() == sorted({row.issuer for row in view.board(None)})


def test_the_unit_inbox_says_what_each_unit_owes_next(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, _ = rm
    for ref, urgency in (("1/I", Urgency.NORMAL), ("2/I", Urgency.IMMEDIATE)):
        app.issue(
            IssueDirective(
                reference=ref,
                title=ref,
                content="",
                lead_unit=A,
                coordinating_units=(B,),
                deadline=date(2024, 3, 30),
                urgency=urgency,
            ),
            actor=LEADER,
            request_id="r",
        )
    app.execute(Acknowledge(), "1/I", actor=officer(A), request_id="r")
    app.execute(RequestExplanation(question="?"), "1/I", actor=LEADER, request_id="r")
    app.execute(Contribute(narrative=""), "1/I", actor=officer(B), request_id="r")
    project(app, view)
    assert [(i.reference, i.owes) for i in view.inbox(A)] == [
        ("2/I", "acknowledge"),
        ("1/I", "answer_explanation"),
    ]
    assert [(i.reference, i.role, i.owes) for i in view.inbox(B)] == [
        ("2/I", "coordinator", "contribute"),
        ("1/I", "coordinator", "await_lead"),
    ]


def test_a_rebuild_gives_exactly_the_rows_of_incremental_processing(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """Incremental: one event per transaction while the year is recorded; rebuild: in batches."""
    app, view, _ = rm
    projection = OversightProjection(view)
    done = threading.Event()

    def follow() -> None:
        while not done.is_set():
            catch_up(app, projection, batch_size=1)
        catch_up(app, projection, batch_size=1)

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        run_demo(app, directives=120, seed=5, end=date(2024, 12, 31), force=True, progress=None)
    finally:
        done.set()
        follower.join()
    incremental, indexes = table_rows(view), index_names(view)
    assert rebuild(app, batch_size=700, workers=1) == app.max_notification_id()
    assert table_rows(open_view(app)) == incremental
    assert index_names(open_view(app)) == indexes
    assert status(app, open_view(app))[0].lag == 0
    # Holding back only a few directives' newest versions. SQLite reads the log in its order:
    # most are let go open, then read back and closed when their directive moves again.
    # PostgreSQL, split across three processes, reads each share directive by directive.
    assert rebuild(app, batch_size=50, hold=3, workers=3) == app.max_notification_id()
    assert table_rows(open_view(app)) == incremental
    assert index_names(open_view(app)) == indexes
    assert status(app, open_view(app))[0].lag == 0


def test_a_rebuild_on_postgresql_reads_no_row_back_however_small_its_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read directive by directive, each version is closed by the next as it is read: with a
    hold of one directive over pages of 7 events, nothing is let go while it can still move."""
    with backend("postgres", tmp_path) as (app, view, _):
        _rebuild_reading_nothing_back(app, view, monkeypatch)


def _rebuild_reading_nothing_back(
    app: Thucthi, view: OversightView, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_demo(app, directives=120, seed=5, end=date(2024, 12, 31), force=True, progress=None)
    project(app, view)
    incremental = table_rows(view)

    def read_back(self: PostgresOversightView, directive_ids: object) -> object:
        raise AssertionError(f"a row was read back: {directive_ids}")

    monkeypatch.setattr(PostgresOversightView, "current_rows", read_back)
    assert rebuild(app, batch_size=7, hold=1, workers=1) == app.max_notification_id()
    assert table_rows(open_view(app)) == incremental


@given(st.integers(min_value=1, max_value=64), st.uuids())
def test_every_aggregate_falls_in_exactly_one_share_of_a_rebuild(
    count: int, aggregate: UUID
) -> None:
    owners = []
    for index in range(count):
        low, high = Share(index, count).bounds()
        if low <= aggregate and (high is None or aggregate < high):
            owners.append(index)
    assert len(owners) == 1
    assert Share(0, count).bounds()[0] == UUID(int=0)
    for index in range(count - 1):  # each share ends where the next begins
        assert Share(index, count).bounds()[1] == Share(index + 1, count).bounds()[0]


@given(st.builds(BoardRow), st.builds(BoardRow))
def test_a_board_row_replaced_in_part_is_the_dataclass_replacement(
    row: BoardRow, other: BoardRow
) -> None:
    names = [f.name for f in dataclasses.fields(BoardRow)]
    for chosen in (names[::2], names[1::3], names[-1:], []):
        changes = {name: getattr(other, name) for name in chosen}
        assert board.replace(row, **changes) == dataclasses.replace(row, **changes)


def test_a_projection_that_remembers_rows_reads_them_again_after_another_writer_moved_on(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """The API's inline projection and the follower process write the same view: the rows one
    remembers from its own last batch are stale once the other has projected a later event."""
    app, view, clock = rm
    mine, theirs = OversightProjection(view), OversightProjection(view)
    clock.set(at(date(2024, 7, 1)))
    app.issue(
        IssueDirective(
            reference="1/R", title="Nhiệm vụ", content="", lead_unit=A, deadline=date(2024, 8, 1)
        ),
        actor=LEADER,
        request_id="r",
    )
    app.execute(Acknowledge(), "1/R", actor=officer(A), request_id="r")
    catch_up(app, mine)
    assert mine.remembered  # the directive's current row, kept from the batch it wrote
    app.execute(ReportProgress(percent=40, narrative=""), "1/R", actor=officer(A), request_id="r")
    catch_up(app, theirs)  # the other writer projects the progress report
    app.execute(SendReminder(message="Nhắc"), "1/R", actor=OFFICE, request_id="r")
    catch_up(app, mine)  # evolves the reminder from the row with 40%, not its own older one
    board = view.board()
    assert len(board) == 1
    assert (board[0].percent, board[0].reminders, board[0].version) == (40, 1, 4)


def test_two_writers_projecting_the_same_stretch_at_once_write_each_event_once(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """The follower and the API workers' read-your-writes catch-ups race over the same events:
    one writes each batch, the others give way, and the rows are exactly a rebuild's."""
    app, view, _ = rm
    run_demo(app, directives=150, seed=9, end=date(2024, 12, 31), force=True, progress=None)
    failures: list[BaseException] = []

    def project(batch: int) -> None:
        try:
            catch_up(app, OversightProjection(view), batch_size=batch)
        except BaseException as e:  # reported by the test below
            failures.append(e)

    writers = [threading.Thread(target=project, args=(size,)) for size in (40, 70, 40, 110)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert failures == []
    written = table_rows(view)
    assert rebuild(app, batch_size=500) == app.max_notification_id()
    assert table_rows(open_view(app)) == written


def test_waiting_for_a_position_nobody_projects_gives_up_with_a_clear_error(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, _ = rm
    position = app.issue(
        IssueDirective(reference="1/LAG", title="Chưa chiếu", content="", lead_unit=A),
        actor=LEADER,
        request_id="r",
    )
    with pytest.raises(ProjectionLagError, match=f"position {position}"):
        wait_for(view, app.name, position, timeout=0.05)


def test_commands_can_wait_until_the_read_models_include_them(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """With the follower running (polling on SQLite, LISTEN/NOTIFY on PostgreSQL)."""
    app, view, _ = rm
    follower = Follower(app, view).start()
    try:
        position = app.issue(
            IssueDirective(reference="1/RYW", title="Đọc ngay", content="", lead_unit=A),
            actor=LEADER,
            request_id="r",
        )
        wait_for(view, app.name, position, timeout=5)
        assert [r.reference for r in view.board()] == ["1/RYW"]
    finally:
        follower.stop()


def test_the_execution_index_ranks_grades_and_rescores_under_other_weights(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    Q3(app, clock).build()
    q3 = Q3(app, clock)
    q3.issue("1/B", date(2024, 7, 10), unit=B)
    q3.complete("1/B", date(2024, 8, 30), date(2024, 8, 31), unit=B)
    project(app, view)
    scores = score_units(view.responsiveness(AsOf(date(2024, 9, 30))))
    assert [s.unit for s in scores] == [A, B]
    assert [s.rank for s in scores] == [1, 2]
    assert scores[0].on_time_rate == pytest.approx(0.8)
    assert scores[1].timeliness == 0.0
    assert scores[0].grade_vi in ("Xuất sắc", "Tốt", "Khá")
    only_acknowledgement = IndexWeights(timeliness=0, overdue=0, acknowledgement=1, freshness=0)
    rescored = score_units(view.responsiveness(AsOf(date(2024, 9, 30))), only_acknowledgement)
    assert {s.unit: s.score for s in rescored} == {A: 100.0, B: 100.0}


def run_cli(*argv: str) -> tuple[int, str]:
    out = StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_the_command_line_rebuilds_reports_status_and_summarises(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert (
        run_cli("--db", db, "demo", "--directives", "40", "--end", "2024-12-31", "--quiet")[0] == 0
    )
    code, out = run_cli("--db", db, "projections", "status")
    assert code == 0
    assert "lag" in out
    code, out = run_cli("--db", db, "projections", "rebuild")
    assert code == 0
    assert "rebuilt oversight" in out
    code, out = run_cli("--db", db, "projections", "status")
    assert " lag 0" in out
    code, out = run_cli("--db", db, "oversight", "--as-of", "2024-09-30")
    assert code == 0
    assert "CITY" in out
    assert "as of 2024-09-30" in out
