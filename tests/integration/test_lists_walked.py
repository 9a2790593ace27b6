"""The oversight lists as of a past position (overdue, due soon, awaiting a decision) walked day
by day down their spans' indexes (readmodels.queries.walks) give what scanning the board's
versions gives: the same items in the same order, cut at any limit, for the city and narrowed,
on SQLite and PostgreSQL, however the walk splits its days. Their plans seek each day's versions
still true after the position, so the versions closed before it are not read."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from domain.shared.clock import city_date
from readmodels import queries
from readmodels.model import AsOf, Filters
from readmodels.open import OversightView
from readmodels.postgres import PostgresOversightView
from readmodels.queries import (
    AWAITING,
    AWAITING_ORDER,
    DEADLINES,
    Point,
    Walk,
    day_chunks,
    walk_bounds,
    walks,
)
from readmodels.sqlite import SQLiteOversightView
from tests.hypothesis_profiles import examples
from tests.integration.readmodels import all_events, backend, project
from tests.integration.test_oversight_properties import UNITS, record_history
from tests.integration.test_summary_tallies import going_back

View = SQLiteOversightView | PostgresOversightView


def lists(view: View, as_of: AsOf, filters: Filters, window: int, limit: int) -> tuple[object, ...]:
    return (
        [(i.reference, i.deadline, i.days) for i in view.late(as_of, filters, limit)],
        [(i.reference, i.deadline) for i in view.due_soon(as_of, window, filters, limit)],
        [
            (i.reference, i.awaiting.reported_on, i.overdue)
            for i in view.awaiting_acceptance(as_of, filters, limit)
        ],
    )


def same(view: OversightView, as_of: AsOf, filters: Filters, window: int, limit: int) -> None:
    assert isinstance(view, SQLiteOversightView | PostgresOversightView)
    walked = lists(view, as_of, filters, window, limit)
    view.walked = False
    try:
        scanned = lists(view, as_of, filters, window, limit)
    finally:
        view.walked = True
    assert walked == scanned, f"as of {as_of}, {filters}, window {window}, limit {limit}"


def settled(view: View, as_of: AsOf) -> Point:
    """Where the lists will read ``as_of`` from (which path they take)."""
    if isinstance(view, PostgresOversightView):
        with view.datastore.transaction(commit=False) as c:
            return view._settle(c, as_of)
    with view.datastore.transaction(commit=False) as s:
        return view._settle(s, as_of)


def drawn_filters(data: st.DataObject, days: list[date]) -> Filters:
    kind = data.draw(st.sampled_from(["none", "unit", "urgency", "deadlines"]), label="filter")
    if kind == "unit":
        return Filters(unit=data.draw(st.sampled_from(UNITS), label="unit"))
    if kind == "urgency":
        return Filters(urgency=data.draw(st.sampled_from(["normal", "urgent"]), label="urgency"))
    if kind == "deadlines":
        low = data.draw(st.sampled_from(days), label="from")
        return Filters(deadline_from=low, deadline_to=low + timedelta(data.draw(st.integers(0, 9))))
    return Filters()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_lists_walked_day_by_day_equal_the_board_scanned_at_every_past_position(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = iter(range(10**6))
    walked = 0
    # A day or two a query, so that every list crosses several of the walk's queries.
    monkeypatch.setattr(queries, "WALK_FIRST_DAYS", 1)
    monkeypatch.setattr(queries, "WALK_MOST_DAYS", 2)

    @settings(
        max_examples=examples(10, thorough=100),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        nonlocal walked
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
            assert isinstance(view, SQLiteOversightView | PostgresOversightView)
            events = all_events(app)
            days = sorted({city_date(e.timestamp) for _, e in events})
            first, last = days[0], max(days[-1], city_date(clock.now()))
            spread = [first + timedelta(n) for n in range(-2, (last - first).days + 12)]
            for _ in range(6):
                position = data.draw(st.sampled_from([p for p, _ in events]), label="position")
                day = data.draw(st.sampled_from(spread), label="day")
                as_of = data.draw(st.sampled_from([AsOf(day, position), AsOf(day)]), label="as of")
                walked += walks(settled(view, as_of))
                same(
                    view,
                    as_of,
                    drawn_filters(data, spread),
                    data.draw(st.integers(0, 10), label="window"),
                    data.draw(st.sampled_from([0, 1, 2, 3, 5, 100]), label="limit"),
                )

    check()
    assert walked > 0, "no list was walked: the comparison compared the scan with itself"


@given(
    first=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    length=st.integers(-3, 900),
)
def test_the_walks_days_are_each_day_once_in_order_in_growing_queries(
    first: date, length: int
) -> None:
    last = first + timedelta(length)
    chunks = list(day_chunks(first, last))
    walked = [day for chunk in chunks for day in chunk]
    assert walked == [first + timedelta(n) for n in range(length + 1)]
    sizes = [len(chunk) for chunk in chunks]
    assert all(size <= queries.WALK_MOST_DAYS for size in sizes)
    assert all(b >= a for a, b in itertools.pairwise(sizes[:-1]))  # the last: what is left
    if sizes:
        assert sizes[0] == min(queries.WALK_FIRST_DAYS, length + 1)


def test_the_walks_days_are_narrowed_by_the_filters_and_absent_when_nothing_is_there() -> None:
    a, b = date(2026, 3, 1), date(2026, 3, 31)
    assert walk_bounds(a, b, None, None) == (a, b)
    assert walk_bounds(a, b, date(2026, 3, 10), date(2026, 4, 30)) == (date(2026, 3, 10), b)
    assert walk_bounds(a, b, date(2026, 4, 1), None) is None
    assert walk_bounds(None, b, None, None) is None
    assert walk_bounds(a, a - timedelta(1), None, None) is None


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_walks_query_seeks_each_days_versions_still_true_after_the_position(
    kind: str, tmp_path: Path
) -> None:
    """The plan's index conditions hold the day and the end of validity, so each day costs one
    step down the index and the versions closed before the position are skipped, not read."""
    with backend(kind, tmp_path) as (_app, view, _clock):
        assert isinstance(view, SQLiteOversightView | PostgresOversightView)
        point = Point(date(2026, 3, 10), 1_000, "position")
        days = [date(2026, 3, 1), date(2026, 3, 2)]
        for walk in (DEADLINES, AWAITING):
            plan = planned(view, walk, point, days)
            assert f"{view.prefix}_{walk.index}" in plan, plan
            if isinstance(view, PostgresOversightView):
                cond = next(line for line in plan.splitlines() if "Index Cond" in line)
                assert walk.column in cond, plan
                assert "ANY" in cond, plan
                assert "COALESCE(valid_to_position" in cond, plan
            else:
                assert f"{walk.index} ({walk.column}=? AND <expr>>?)" in plan, plan


def planned(view: View, walk: Walk, point: Point, days: list[date]) -> str:
    """The plan of one of ``walk``'s queries (PostgreSQL's with its other scans disabled: what
    the index can do, not what the planner picks for a handful of rows)."""
    if isinstance(view, PostgresOversightView):
        query, params = view.walk_statement(walk, point, Filters(), days, 100)
        with view.datastore.transaction(commit=False) as c:
            c.execute("SET LOCAL enable_seqscan = off")
            c.execute("SET LOCAL enable_bitmapscan = off")
            c.execute(b"EXPLAIN " + query.as_bytes(c), params)
            return "\n".join(r["QUERY PLAN"] for r in c.fetchall())
    text, values = view.walk_statement(walk, point, Filters(), days, 100)
    with view.datastore.transaction(commit=False) as c:
        c.execute("EXPLAIN QUERY PLAN " + text, values)
        return "\n".join(str(tuple(r)[3]) for r in c.fetchall())


def test_the_lists_walk_only_at_a_past_position_chosen_by_position() -> None:
    day = date(2026, 3, 10)
    assert walks(Point(day, 9, "position"))
    assert walks(Point(day, 9, "position", whole_day=True))
    assert not walks(Point(day, 9, "current"))
    assert not walks(Point(day, 9, "moment"))
    assert not walks(Point(day, 9, "both"))


def test_todays_awaiting_list_reads_its_own_index_in_its_order_not_the_spans_index(
    tmp_path: Path,
) -> None:
    """At ten million events the planner read the spans' index in report-day order for today's
    list, passing every report ever decided (5 s): today's reports have an index in the list's
    order, and PostgreSQL's plan with sequential scans off takes it and sorts nothing."""
    with backend("postgres", tmp_path) as (_app, view, _clock):
        assert isinstance(view, PostgresOversightView)
        query = sql.SQL(
            "EXPLAIN SELECT directive_id FROM {} WHERE valid_to_position IS NULL AND NOT withdrawn "
            "AND {} ORDER BY {} LIMIT 100"
        ).format(view.table("board"), sql.SQL(AWAITING.condition), sql.SQL(AWAITING_ORDER))
        with view.datastore.transaction(commit=False) as c:
            c.execute("SET LOCAL enable_seqscan = off")
            c.execute("SET LOCAL enable_bitmapscan = off")
            c.execute(query)
            plan = "\n".join(r["QUERY PLAN"] for r in c.fetchall())
    assert f"{view.prefix}_board_awaiting_now" in plan, plan
    assert "Sort" not in plan, plan
