"""The list of directives, paged (keyset), sorted and filtered in the database on SQLite and
PostgreSQL: for random histories and random questions, walking it page by page gives exactly
the directives a plain filter and sort of the board gives, once each, even while directives are
issued during the walk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import Thucthi
from domain.directives.commands import IssueDirective
from domain.directives.directive import Urgency
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock, city_date
from readmodels.model import (
    LIST_STATUSES,
    SORTS,
    AsOf,
    BoardRow,
    Counted,
    DirectiveQuery,
    Filters,
    PageKey,
)
from readmodels.open import OversightView
from readmodels.queries import CATEGORY_RANKS, URGENCY_RANK, category_of
from tests.hypothesis_profiles import examples
from tests.integration.readmodels import backend, project
from tests.integration.test_oversight_properties import UNITS, record_history

LEADER = Actor("leader.chutich", Role.LEADER)
STATUS_RANK = {"issued": 0, "in_progress": 1, "completion_reported": 2, "completed": 3}
CLOSED = {"completed", "withdrawn"}


def has_status(row: BoardRow, status: str) -> bool:
    """The list's status filter, in Python."""
    return {
        "issued": row.status == "issued",
        "in_progress": row.status == "in_progress",
        "awaiting_acceptance": row.status == "completion_reported",
        "extension_pending": row.extension_pending and row.status not in CLOSED,
        "completed": row.status == "completed",
        "withdrawn": row.status == "withdrawn",
        "open": row.status not in CLOSED,
    }[status]


def key_of(row: BoardRow, query: DirectiveQuery) -> Any:
    """The sorted column's value of a row, as the list orders it (the SQL's rule, in Python)."""
    category = category_of(row, query.day, query.basis)
    return {
        "issued": row.issued_at,
        "reference": row.reference,
        "title": row.title,
        "lead_unit": row.lead_unit,
        "deadline": row.deadline or date(9999, 12, 31),
        "urgency": URGENCY_RANK[row.urgency],
        "category": 5 if category is None else CATEGORY_RANKS[category],
        "progress": row.progress,
        "status": STATUS_RANK.get(row.status, 4),
    }[query.sort]


def expected(
    rows: list[BoardRow], query: DirectiveQuery, members: dict[Any, set[str]]
) -> list[str]:
    """The references the list holds, in its order: the board filtered and sorted in Python."""
    f = query.filters
    kept = []
    for r in rows:
        if f.unit is not None and query.role == "lead" and r.lead_unit != f.unit:
            continue
        if f.unit is not None and query.role == "coordinating" and f.unit not in r.coordinators:
            continue
        if f.urgency is not None and r.urgency != f.urgency:
            continue
        if f.deadline_from is not None and (r.deadline is None or r.deadline < f.deadline_from):
            continue
        if f.deadline_to is not None and (r.deadline is None or r.deadline > f.deadline_to):
            continue
        if query.status is not None and not has_status(r, query.status):
            continue
        if query.category is not None and category_of(r, query.day) != query.category:
            continue
        if query.seen_by is not None and query.seen_by not in members.get(r.directive_id, set()):
            continue
        kept.append(r)
    kept.sort(key=lambda r: (key_of(r, query), str(r.directive_id)), reverse=query.descending)
    return [r.reference for r in kept]


def walk(
    view: OversightView,
    as_of: AsOf | None,
    query: DirectiveQuery,
    limit: int,
    between: Any = None,
) -> tuple[list[str], list[int]]:
    """Every page from the first to the last: the references shown, and each page's total."""
    shown: list[str] = []
    totals: list[int] = []
    after: PageKey | None = None
    while True:
        page = view.directive_page(as_of, query, after, limit)
        assert len(page.rows) <= limit
        shown += [r.reference for r in page.rows]
        totals.append(page.total)
        if page.next is None:
            return shown, totals
        assert len(page.rows) == limit
        after = page.next
        if between is not None:
            between()


@pytest.fixture(params=["sqlite", "postgres"])
def rm(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Thucthi, OversightView, SimulatedClock]]:
    with backend(request.param, tmp_path) as triple:
        yield triple


def questions(day: date) -> st.SearchStrategy[DirectiveQuery]:
    maybe_day = st.one_of(st.none(), st.integers(-10, 20).map(lambda n: day + timedelta(n)))
    return st.builds(
        DirectiveQuery,
        day=st.just(day),
        filters=st.builds(
            Filters,
            unit=st.one_of(st.none(), st.sampled_from(UNITS)),
            urgency=st.one_of(st.none(), st.sampled_from(list(URGENCY_RANK))),
            deadline_from=maybe_day,
            deadline_to=maybe_day,
        ),
        role=st.sampled_from(["lead", "coordinating"]),
        status=st.one_of(st.none(), st.sampled_from(LIST_STATUSES)),
        category=st.one_of(st.none(), st.sampled_from(list(CATEGORY_RANKS))),
        sort=st.sampled_from([s for s in SORTS if s != "relevance"]),
        descending=st.booleans(),
        seen_by=st.one_of(st.none(), st.sampled_from(UNITS)),
    )


def memberships(view: OversightView) -> dict[Any, set[str]]:
    """Who leads or coordinates each directive now."""
    found: dict[Any, set[str]] = {}
    for unit in UNITS:
        for directive_id in view.directives_of(unit):
            found.setdefault(directive_id, set()).add(unit)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_walking_the_list_gives_the_board_filtered_and_sorted_once_each(
    kind: str, tmp_path: Path
) -> None:
    """Random histories, random questions, random page sizes: the pages, one after the other,
    are the board filtered and sorted in Python, and each page names the whole list's count."""
    numbers = iter(range(10**6))

    @settings(
        max_examples=examples(6, thorough=150),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        folder = tmp_path / str(next(numbers))
        folder.mkdir()
        with backend(kind, folder) as (app, view, clock):
            record_history(app, clock, data, data.draw(st.integers(5, 40), label="steps"))
            project(app, view)
            today = city_date(clock.now())
            members = memberships(view)
            for _ in range(3):
                query = data.draw(questions(today), label="query")
                limit = data.draw(st.integers(1, 7), label="limit")
                want = expected(view.board(), query, members)
                shown, totals = walk(view, None, query, limit)
                assert shown == want
                assert set(totals) == {len(want)}
            # As of an earlier day and position: the board as it stood then, filtered the same.
            day = today - timedelta(days=data.draw(st.integers(0, 10), label="days back"))
            as_of = AsOf(day, view.position_of(AsOf(day)))
            query = data.draw(questions(day), label="earlier query")
            want = expected(view.board(as_of), query, members)
            assert walk(view, as_of, query, data.draw(st.integers(1, 7)))[0] == want

    check()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_every_row_is_reached_exactly_once_while_directives_are_issued_during_the_walk(
    kind: str, tmp_path: Path
) -> None:
    """Keyset paging: what was on the list when the walk began is shown once each, and nothing
    is shown twice, however many directives are issued between two pages and wherever they
    sort."""
    with backend(kind, tmp_path) as (app, view, clock):
        numbers = iter(range(10**6))

        def issue(data: st.DataObject) -> None:
            n = next(numbers)
            clock.advance(timedelta(minutes=data.draw(st.integers(0, 600), label="minutes")))
            deadline = data.draw(st.one_of(st.none(), st.integers(0, 30)), label="deadline")
            lead = data.draw(st.sampled_from(UNITS), label="lead")
            app.issue(
                IssueDirective(
                    reference=f"{n}/W",
                    title=data.draw(st.sampled_from(["Kế hoạch", "Báo cáo", "Ăn", "Z"])) + str(n),
                    content="",
                    lead_unit=lead,
                    coordinating_units=tuple(u for u in UNITS if u != lead)[: n % 3],
                    deadline=None
                    if deadline is None
                    else city_date(clock.now()) + timedelta(deadline),
                    urgency=data.draw(st.sampled_from(list(Urgency)), label="urgency"),
                ),
                actor=LEADER,
                request_id=f"w{n}",
            )
            project(app, view)

        @settings(
            max_examples=examples(12, thorough=250),
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(data=st.data())
        def check(data: st.DataObject) -> None:
            for _ in range(data.draw(st.integers(0, 6), label="before")):
                issue(data)
            query = DirectiveQuery(
                city_date(clock.now()),
                sort=data.draw(st.sampled_from([s for s in SORTS if s != "relevance"])),
                descending=data.draw(st.booleans(), label="descending"),
            )
            at_start = {r.reference for r in view.board()}

            pages = iter(range(3))

            def meanwhile() -> None:
                # Directives are issued while the first three pages are read: a walk that
                # drew new ones at every page could be made to run on for as long as the
                # drawing lasts (hypothesis then discards the example and draws again, for
                # minutes on a busy machine).
                if next(pages, None) is None:
                    return
                for _ in range(data.draw(st.integers(0, 3), label="during")):
                    issue(data)

            shown, _ = walk(view, None, query, data.draw(st.integers(1, 5)), meanwhile)
            assert len(shown) == len(set(shown)), "a directive was shown twice"
            assert at_start <= set(shown), "a directive on the list was never shown"

        check()


def test_a_count_known_at_the_same_position_is_reused_and_at_another_is_not(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """The list's count is read again unless the caller knows it at the very position the page
    is read at (a page of the same list read after the view moved on counts afresh)."""
    app, view, clock = rm
    for n in range(3):
        app.issue(
            IssueDirective(reference=f"{n}/C", title="t", content="", lead_unit="SO-CT"),
            actor=LEADER,
            request_id=f"c{n}",
        )
    project(app, view)
    query = DirectiveQuery(city_date(clock.now()))
    page = view.directive_page(None, query, limit=2)
    assert (page.total, page.position) == (3, view.position())
    # A count said to be known at this position is taken as it is, without counting.
    assert view.directive_page(None, query, limit=2, counted=Counted(page.position, 99)).total == 99
    stale = Counted(page.position - 1, 99)
    assert view.directive_page(None, query, limit=2, counted=stale).total == 3
