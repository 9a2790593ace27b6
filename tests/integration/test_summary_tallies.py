"""The oversight summary read from its tallies per unit and day (readmodels.tallies) gives what
counting the board's versions gives, at every whole day, on both bases, for the city and for each
unit, with any due-soon window the tallies hold, on SQLite and PostgreSQL; a log recorded partly
out of order included. The tallies rebuilt from the board are the rows the projection kept, and
a board kept before the tallies existed gets them when its view is opened."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from domain.application import Thucthi
from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    IssueDirective,
    ReportCompletion,
    Withdraw,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock, city_date
from projections.runner import rebuild
from readmodels import tallies
from readmodels.model import AsOf, Basis, Filters, Summary
from readmodels.open import OversightView, open_view
from readmodels.postgres import PostgresOversightView
from readmodels.queries import Point, settle
from readmodels.sqlite import SQLiteOversightView
from readmodels.tallies import AHEAD, tallied
from tests.hypothesis_profiles import examples
from tests.integration.readmodels import all_events, backend, project, table_rows
from tests.integration.test_oversight_properties import UNITS, record_history

BASES: tuple[Basis, Basis] = ("in_force", "original")


def counted(view: OversightView, as_of: AsOf, **kw: object) -> Summary:
    """The summary counted from the board's versions, as before the tallies."""
    assert isinstance(view, SQLiteOversightView | PostgresOversightView)
    view.tallied = False
    try:
        return view.summary(as_of, **kw)  # type: ignore[arg-type]
    finally:
        view.tallied = True


def same(view: OversightView, as_of: AsOf, **kw: object) -> None:
    read = view.summary(as_of, **kw)  # type: ignore[arg-type]
    assert read == counted(view, as_of, **kw), f"as of {as_of}, {kw}"


def responsive(view: OversightView, as_of: AsOf, filters: Filters) -> None:
    """Responsiveness from the tallies (exact microseconds) against the board's count (its
    database's arithmetic on moments): the same units and counts, the same hours and days."""
    read = view.responsiveness(as_of, filters)
    assert isinstance(view, SQLiteOversightView | PostgresOversightView)
    view.tallied = False
    try:
        board = view.responsiveness(as_of, filters)
    finally:
        view.tallied = True
    assert [(r.unit, r.figures, r.directives, r.staleness_count) for r in read] == [
        (r.unit, r.figures, r.directives, r.staleness_count) for r in board
    ], f"as of {as_of}, {filters}"
    for mine, theirs in zip(read, board, strict=True):
        assert math.isclose(
            mine.acknowledge_hours_total, theirs.acknowledge_hours_total, rel_tol=1e-9, abs_tol=1e-6
        )
        assert math.isclose(
            mine.staleness_days_total, theirs.staleness_days_total, rel_tol=1e-9, abs_tol=1e-7
        )


def going_back(clock: SimulatedClock, data: st.DataObject) -> None:
    """Now and then the clock goes back up to three days: a log recorded out of order."""
    if data.draw(st.integers(0, 7), label="back?") == 0:
        clock.set(clock.now() - timedelta(hours=data.draw(st.integers(1, 72), label="back")))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_summary_read_from_the_tallies_equals_the_board_counted_at_every_whole_day(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = iter(range(10**6))
    # The rebuild writes its rows a few days at a time: here every few rows.
    monkeypatch.setattr(tallies, "FLUSHED_ROWS", 5)

    @settings(
        max_examples=examples(12, thorough=120),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        folder = tmp_path / str(next(numbers))
        folder.mkdir()
        with backend(kind, folder) as (app, view, clock):
            disordered = data.draw(st.booleans(), label="out of order")
            record_history(
                app,
                clock,
                data,
                data.draw(st.integers(5, 35), label="steps"),
                (lambda: going_back(clock, data)) if disordered else None,
            )
            project(app, view, batch_size=data.draw(st.integers(1, 25), label="batch"))
            events = all_events(app)
            days = sorted({city_date(e.timestamp) for _, e in events})
            first, last = days[0], max(days[-1], city_date(clock.now()))
            for n in range(-2, (last - first).days + AHEAD + 3):
                day = first + timedelta(n)
                basis = data.draw(st.sampled_from(BASES), label="basis")
                window = data.draw(st.integers(0, AHEAD - 1), label="window")
                same(view, AsOf(day), basis=basis, due_soon_days=window)
                unit = data.draw(st.sampled_from(UNITS), label="unit")
                same(view, AsOf(day), basis=basis, filters=Filters(unit=unit))
                responsive(view, AsOf(day), Filters())
                responsive(view, AsOf(day), Filters(unit=unit))
            # A position inside its day: the day's rows with the versions written after it
            # taken back (or the board, where the log's order around the day says so).
            for _ in range(4):
                position, event = data.draw(st.sampled_from(events), label="inside a day")
                inside = AsOf(city_date(event.timestamp), position)
                basis = data.draw(st.sampled_from(BASES), label="basis")
                window = data.draw(st.integers(0, AHEAD - 1), label="window")
                same(view, inside, basis=basis, due_soon_days=window)
                unit = data.draw(st.sampled_from(UNITS), label="unit")
                same(view, inside, basis=basis, filters=Filters(unit=unit))
                responsive(view, inside, Filters())
                responsive(view, inside, Filters(unit=unit))
            # A window past the tallies' and a narrowed summary are counted from the board (and
            # still agree with themselves).
            position = data.draw(st.sampled_from([p for p, _ in events]), label="position")
            same(view, AsOf(last, position))
            same(view, AsOf(last), due_soon_days=AHEAD + 5)
            same(view, AsOf(last), filters=Filters(urgency="urgent"))
            kept = table_rows(view)
            assert rebuild(app, batch_size=7, workers=1) == app.max_notification_id()
            rebuilt = table_rows(open_view(app))
            assert rebuilt["tally_days"] == kept["tally_days"]
            assert rebuilt["tally_deadlines"] == kept["tally_deadlines"]

    check()


def test_the_tallies_answer_only_a_whole_day_for_the_city_or_a_unit_within_their_window() -> None:
    day = date(2026, 3, 2)
    whole = Point(day, 10, "position", whole_day=True)
    assert tallied(whole, Filters(), 3)
    assert tallied(whole, Filters(unit="SO-XD"), AHEAD - 1)
    assert not tallied(whole, Filters(), AHEAD)
    assert not tallied(whole, Filters(issuer="chu-tich"), 3)
    assert not tallied(whole, Filters(deadline_to=day), 3)
    assert not tallied(Point(day, 9, "position", whole_day=False), Filters(), 3)
    inside = Point(day, 9, "position", whole_day=False, day_end=12)
    assert tallied(inside, Filters(unit="SO-XD"), 3)
    assert not tallied(inside, Filters(urgency="urgent"), 3)


def test_a_position_inside_a_day_keeps_the_days_end_only_when_that_end_is_a_whole_day() -> None:
    day = date(2026, 3, 2)
    # The day ends at 12 and the next begins at 13: position 9 is inside it.
    assert settle(AsOf(day, 9), 20, 12, 13) == Point(day, 9, "position", False, 12)
    assert settle(AsOf(day, 12), 20, 12, 13) == Point(day, 12, "position", True, None)
    # Read models not yet at the day's end: the tallies do not hold it.
    assert settle(AsOf(day, 9), 11, 12, 13).day_end is None
    # A log out of order: something recorded after the day comes before its end.
    assert settle(AsOf(day, 9), 20, 12, 10).day_end is None
    assert settle(AsOf(day, 9), 20, 12, 11).day_end is None


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_board_kept_before_the_tallies_gets_them_when_its_view_is_opened(
    kind: str, tmp_path: Path
) -> None:
    with backend(kind, tmp_path) as (app, view, clock):
        a_fortnight(app, clock)
        project(app, view)
        kept = table_rows(view)
        assert kept["tally_days"], "the fortnight should have left tallies"
        assert isinstance(view, SQLiteOversightView | PostgresOversightView)
        with view.datastore.transaction(commit=True) as c:
            for name in ("tally_days", "tally_deadlines"):
                if isinstance(view, PostgresOversightView):
                    c.execute(sql.SQL("DELETE FROM {}").format(view.table(name)))
                else:
                    c.execute(f"DELETE FROM {view.table(name)}")  # noqa: S608 - fixed names
        assert view.summary(AsOf(city_date(clock.now()))).units == {}  # what it read is gone
        opened = open_view(app, create=True)
        assert table_rows(opened) == kept
        end = city_date(clock.now())
        for day in (end - timedelta(20), end - timedelta(3), end, end + timedelta(9)):
            same(opened, AsOf(day))
            assert opened.summary(AsOf(day)).units or day < end - timedelta(14)


def a_fortnight(app: Thucthi, clock: SimulatedClock) -> None:
    """Six directives over a fortnight: acknowledged, one completed late, one on time, one
    withdrawn, one awaiting a decision past its deadline."""
    leader = Actor("leader.chutich", Role.LEADER)
    for n, unit in enumerate(("SO-CT", "SO-TC", "SO-YT", "SO-CT", "UBND-Q1", "SO-TC")):
        officer = Actor(f"{unit.lower()}.canbo", Role.DEPARTMENT, unit)
        reference = f"{n + 1}/UBND-TALLY"
        app.issue(
            IssueDirective(
                reference=reference,
                title=f"Nhiệm vụ {n + 1}",
                content="Nội dung",
                lead_unit=unit,
                deadline=city_date(clock.now()) + timedelta(days=n),
            ),
            actor=leader,
            request_id=f"t{n}",
        )
        clock.advance(timedelta(hours=20))
        app.execute(Acknowledge(), reference, actor=officer, request_id=f"a{n}")
        if n in (1, 2, 4):
            clock.advance(timedelta(days=2))
            app.execute(
                ReportCompletion(summary="Xong"), reference, actor=officer, request_id=f"c{n}"
            )
            if n != 4:
                app.execute(
                    DecideCompletion(decision="accept"), reference, actor=leader, request_id=f"k{n}"
                )
        if n == 3:
            app.execute(Withdraw(reason="Thu hồi"), reference, actor=leader, request_id=f"w{n}")


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_summary_as_of_a_whole_day_reads_the_tallies_not_the_board(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its cost then grows with the units and days asked, not with the board's versions."""
    with backend(kind, tmp_path) as (app, view, clock):
        a_fortnight(app, clock)
        project(app, view)
        expected = {day: counted(view, AsOf(day)) for day in _days(clock)}

        def counting(*args: object) -> object:
            raise AssertionError("the board was counted")

        monkeypatch.setattr(view, "_counted", counting)
        for day, summary in expected.items():
            assert view.summary(AsOf(day)) == summary
            assert view.summary(AsOf(day), filters=Filters(unit="SO-TC")).units == {
                code: f for code, f in summary.units.items() if code == "SO-TC"
            }
        with pytest.raises(AssertionError, match="the board was counted"):
            view.summary(AsOf(city_date(clock.now())), filters=Filters(urgency="urgent"))


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_summary_as_of_a_position_inside_a_day_reads_the_tallies_not_the_board(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day's rows, with the versions written between the position and the day's end taken
    back: a day's versions at most, whatever the log's length."""
    with backend(kind, tmp_path) as (app, view, clock):
        a_fortnight(app, clock)
        project(app, view)
        inside = [AsOf(city_date(event.timestamp), position) for position, event in all_events(app)]
        expected = {as_of: counted(view, as_of) for as_of in inside}

        def counting(*args: object) -> object:
            raise AssertionError("the board was counted")

        monkeypatch.setattr(view, "_counted", counting)
        for as_of, summary in expected.items():
            assert view.summary(as_of) == summary, as_of


def _days(clock: SimulatedClock) -> list[date]:
    end = city_date(clock.now())
    return [end + timedelta(n) for n in range(-16, 12, 3)]
