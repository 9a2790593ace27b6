"""Filings linked as one matter and unlinked, in any order, through the application and the
projection (issue 26): the read model's counts of matters and filings equal a plain fold of the
events (a breadth-first search over the links standing), now and as of every position; figures
as of a past point use the links as they stood then; each matter is judged once, by its first
result, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import Thucthi
from domain.petitions.commands import (
    Accept,
    AnswerWithEarlier,
    Classify,
    MarkSameMatter,
    ReceivePetition,
    Resolve,
    UnmarkSameMatter,
)
from domain.petitions.petition import Competence, Field, Kind, Petition, Verdict
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock, city_date
from domain.shared.errors import DomainError
from projections.runner import rebuild
from readmodels.model import AsOf
from readmodels.open import OversightView, open_view
from readmodels.petitions import PetitionFilters
from tests.hypothesis_profiles import examples
from tests.integration.readmodels import all_events, backend, project, table_rows
from tests.petition_builders import NGUYEN, Receipts

AGENCIES = ("SO-XD", "UBND-Q1", "UBND-Q3")
TEXT = "Khiếu nại việc thu hồi đất tại thửa 45, tờ bản đồ 12, phường Bến Thành."


def reception(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.tiepdan", Role.RECEPTION, agency)


def head(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.thutruong", Role.AGENCY_HEAD, agency)


def handler(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.canbo", Role.DEPARTMENT, agency)


def receive(app: Thucthi, agency: str) -> str:
    receipt, _ = app.petitions.receive(
        ReceivePetition(agency=agency, petitioners=(NGUYEN,), content=TEXT),
        actor=reception(agency),
        request_id="req-receive",
    )
    return receipt


# --- the plain fold ----------------------------------------------------------------------------


class Plain:
    """The filings and the links standing after some of the events, in plain Python."""

    def __init__(self, events: Iterable[tuple[int, Any]], upto: int) -> None:
        self.agency: dict[str, str] = {}  # receipt → the agency that received it
        receipts: dict[Any, str] = {}
        self.links: set[tuple[str, str]] = set()
        for position, e in events:
            if position > upto or not isinstance(e, Petition.Event):
                continue
            if isinstance(e, Petition.Received):
                receipts[e.originator_id] = e.receipt
                self.agency[e.receipt] = e.agency
            elif isinstance(e, Petition.SameMatterMarked):
                self.links.add((receipts[e.originator_id], e.earlier))
            elif isinstance(e, Petition.SameMatterUnmarked):
                self.links.discard((receipts[e.originator_id], e.earlier))

    def matter(self, receipt: str) -> frozenset[str]:
        """The filings reached from ``receipt`` over the links standing, breadth first."""
        seen, queue = {receipt}, deque([receipt])
        while queue:
            code = queue.popleft()
            for later, earlier in self.links:
                for other in (earlier,) if later == code else (later,) if earlier == code else ():
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
        return frozenset(seen)

    def counts(self, agency: str | None = None) -> tuple[int, int, int]:
        """Filings received (at ``agency``), matters among them, of which filed more than once."""
        filed = [r for r, a in self.agency.items() if agency is None or a == agency]
        matters = {self.matter(r) for r in filed}
        return len(filed), len(matters), sum(len(m) > 1 for m in matters)


def counted(view: OversightView, at: AsOf, agency: str | None = None) -> tuple[int, int, int]:
    summary = view.petitions.summary(at, PetitionFilters(agency=agency))
    m = summary.matters if agency is None else summary.agency_matters[agency]
    return m.filings, m.matters, m.repeated


# --- the property ------------------------------------------------------------------------------


def record(app: Thucthi, clock: SimulatedClock, data: st.DataObject, steps: int) -> int:
    """Random filings, links and unlinks, some refused by the rules; the refusals counted."""
    filed: list[str] = []
    refused = 0
    for n in range(steps):
        clock.advance(timedelta(hours=data.draw(st.sampled_from((1, 5, 20, 30)), label="hours")))
        action = data.draw(st.sampled_from(("receive", "mark", "mark", "unmark")), label="do")
        if len(filed) < 2 or action == "receive":
            filed.append(receive(app, data.draw(st.sampled_from(AGENCIES), label="agency")))
            continue
        later = data.draw(st.sampled_from(filed), label="later")
        earlier = data.draw(st.sampled_from(filed), label="earlier")
        holder = app.petitions.get(later).agency
        # Now and then the officer of another agency tries: refused, not recorded.
        agency = data.draw(st.sampled_from((holder, holder, holder, *AGENCIES)), label="by")
        command: MarkSameMatter | UnmarkSameMatter = (
            MarkSameMatter(earlier=earlier, reason=f"Cùng thửa đất ({n})")
            if action == "mark"
            else UnmarkSameMatter(earlier=earlier, reason=f"Khác nội dung ({n})")
        )
        try:
            app.petitions.execute(command, later, actor=head(agency), request_id=f"r{n}")
        except DomainError:
            refused += 1
    return refused


def check(app: Thucthi, view: OversightView) -> None:
    events = all_events(app)
    last = city_date(events[-1][1].timestamp)
    for position in sorted({p for p, e in events if isinstance(e, Petition.Event)}):
        plain = Plain(events, position)
        at = AsOf(last, position)
        assert counted(view, at) == plain.counts(), position
        for agency in {*plain.agency.values()}:
            assert counted(view, at, agency) == plain.counts(agency), (position, agency)
        assert {(k.later, k.earlier) for k in view.petitions.links(at)} == plain.links
    now = Plain(events, events[-1][0])
    for receipt in now.agency:
        assert set(view.petitions.matter(receipt)) == now.matter(receipt)


@pytest.mark.parametrize(
    ("kind", "count"),
    [("sqlite", examples(20, thorough=300)), ("postgres", examples(8, thorough=80))],
)
def test_linking_and_unlinking_in_any_order_leaves_the_counts_of_a_plain_fold(
    kind: str, count: int, tmp_path: Path
) -> None:
    """Each example has its own store; the projection takes the events in batches of a drawn
    size, so a link made and undone within one batch is met as well as across batches."""
    numbered = iter(range(10**6))

    @settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        folder = tmp_path / str(next(numbered))
        folder.mkdir()
        with backend(kind, folder) as (app, view, clock):
            app.petitions.receipts = Receipts()
            record(app, clock, data, data.draw(st.integers(3, 22), label="steps"))
            project(app, view, batch_size=data.draw(st.integers(1, 9), label="batch"))
            check(app, view)

    run()


# --- the rules, case by case -------------------------------------------------------------------


def mark(app: Thucthi, later: str, earlier: str) -> int:
    agency = app.petitions.get(later).agency
    return app.petitions.execute(
        MarkSameMatter(earlier=earlier, reason="Cùng thửa đất, cùng quyết định"),
        later,
        actor=head(agency),
        request_id="req-mark",
    )


def unmark(app: Thucthi, later: str, earlier: str) -> int:
    agency = app.petitions.get(later).agency
    return app.petitions.execute(
        UnmarkSameMatter(earlier=earlier, reason="Khác thửa đất"),
        later,
        actor=head(agency),
        request_id="req-unmark",
    )


def taken_on(app: Thucthi, receipt: str, kind: Kind = Kind.COMPLAINT) -> None:
    agency = app.petitions.get(receipt).agency
    app.petitions.execute(
        Classify(kind=kind, field=Field.LAND, competence=Competence.OURS),
        receipt,
        actor=reception(agency),
        request_id="req-classify",
    )
    app.petitions.execute(
        Accept(handler=handler(agency).user_id), receipt, actor=head(agency), request_id="req-a"
    )


def resolve(app: Thucthi, receipt: str, verdict: Verdict = Verdict.WRONG) -> None:
    agency = app.petitions.get(receipt).agency
    app.petitions.execute(
        Resolve(verdict=verdict, summary="Giữ nguyên quyết định", decision_reference="9/QĐ-UBND"),
        receipt,
        actor=head(agency),
        request_id="req-resolve",
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_figures_as_of_a_past_point_use_the_links_as_they_stood_then(
    kind: str, tmp_path: Path
) -> None:
    """Three filings at three agencies: two linked on the second day, the third on the third,
    the wrong link undone on the fourth. Each day's figures count the links of that day."""
    with backend(kind, tmp_path) as (app, view, clock):
        app.petitions.receipts = Receipts()
        a, b, c = (receive(app, agency) for agency in AGENCIES)
        first = city_date(clock.now())
        clock.advance(timedelta(days=1))
        mark(app, b, a)
        clock.advance(timedelta(days=1))
        marked = mark(app, c, b)
        clock.advance(timedelta(days=1))
        unmark(app, c, b)
        project(app, view)
        day = city_date(clock.now())
        assert counted(view, AsOf(first)) == (3, 3, 0)
        assert counted(view, AsOf(first + timedelta(days=1))) == (3, 2, 1)
        assert counted(view, AsOf(first + timedelta(days=2))) == (3, 1, 1)
        assert counted(view, AsOf(day, marked)) == (3, 1, 1)
        assert counted(view, AsOf(day)) == (3, 2, 1)
        then = view.petitions.summary(AsOf(first + timedelta(days=2)))
        (matter,) = then.repeated_matters
        assert (matter.receipts, matter.filings) == ((a, b, c), 3)
        assert matter.agencies == tuple(sorted(AGENCIES))
        assert [k.undone_position is not None for k in view.petitions.links()] == [False]
        assert view.petitions.matter(c) == (c,)
        assert view.petitions.matter(a) == tuple(sorted((a, b)))
        # A rebuild from the log gives the same links, made and undone, as the follower wrote.
        incremental = table_rows(view)
        assert len(incremental["petition_links"]) == 2
        rebuild(app, batch_size=3, workers=1)
        assert table_rows(open_view(app)) == incremental


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_matter_is_judged_once_by_its_first_result_and_each_agency_by_its_own_filings(
    kind: str, tmp_path: Path
) -> None:
    """One matter filed at two agencies: the first resolves it on time; the second, handling
    it again, resolves it past the term. The city counts one matter resolved on time; per
    filing, and at the second agency, the late result still counts. Two other linked filings
    open past their term are one overdue matter."""
    with backend(kind, tmp_path) as (app, view, clock):
        app.petitions.receipts = Receipts()
        a = receive(app, "SO-XD")
        b = receive(app, "UBND-Q1")
        c = receive(app, "UBND-Q3")
        d = receive(app, "UBND-Q3")
        for receipt in (a, b, c, d):
            taken_on(app, receipt)
        mark(app, b, a)
        mark(app, d, c)
        clock.advance(timedelta(days=10))
        resolve(app, a)
        clock.advance(timedelta(days=120))
        resolve(app, b)
        project(app, view)
        summary = view.petitions.summary(AsOf(city_date(clock.now())))
        assert (summary.city.resolved_on_time, summary.city.resolved_late) == (1, 1)
        assert (summary.city.overdue, summary.city.share_on_time) == (2, 1 / 4)
        m = summary.matters
        assert (m.filings, m.matters, m.repeated) == (4, 2, 2)
        assert (m.resolved_on_time, m.resolved_late, m.overdue, m.overdue_handling) == (1, 0, 1, 1)
        assert m.share_on_time == 1 / 2
        q1 = summary.agency_matters["UBND-Q1"]
        assert (q1.matters, q1.resolved_on_time, q1.resolved_late) == (1, 0, 1)
        q3 = summary.agency_matters["UBND-Q3"]
        assert (q3.filings, q3.matters, q3.overdue) == (2, 1, 1)
        assert summary.agencies["UBND-Q3"].overdue == 2
        scoped = view.petitions.summary(
            AsOf(city_date(clock.now())), PetitionFilters(agency="UBND-Q1")
        )
        assert (scoped.matters.filings, scoped.matters.matters, scoped.matters.repeated) == (
            1,
            1,
            1,
        )
        assert [(r.receipts, r.filings) for r in scoped.repeated_matters] == [((b,), 2)]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_filing_answered_with_the_earlier_result_is_neither_a_second_result_nor_late(
    kind: str, tmp_path: Path
) -> None:
    """A proposal answered, then filed again elsewhere long after and answered with that
    result: one matter resolved on time; the repeat is archived, not resolved and not late."""
    with backend(kind, tmp_path) as (app, view, clock):
        app.petitions.receipts = Receipts()
        a = receive(app, "SO-XD")
        taken_on(app, a, Kind.PROPOSAL)
        clock.advance(timedelta(days=5))
        resolve(app, a, Verdict.ANSWERED)
        clock.advance(timedelta(days=90))
        b = receive(app, "UBND-Q1")
        app.petitions.execute(
            Classify(kind=Kind.PROPOSAL, field=Field.LAND, competence=Competence.OURS),
            b,
            actor=reception("UBND-Q1"),
            request_id="req-classify",
        )
        mark(app, b, a)
        clock.advance(timedelta(days=40))
        app.petitions.execute(
            AnswerWithEarlier(earlier=a), b, actor=head("UBND-Q1"), request_id="req-answer"
        )
        project(app, view)
        summary = view.petitions.summary(AsOf(city_date(clock.now())))
        assert (summary.city.resolved_on_time, summary.city.resolved_late) == (1, 0)
        assert summary.city.archived == 1
        m = summary.matters
        assert (m.filings, m.matters, m.resolved_on_time, m.resolved_late, m.overdue) == (
            2,
            1,
            1,
            0,
            0,
        )
        q1 = summary.agency_matters["UBND-Q1"]
        assert (q1.resolved_on_time, q1.resolved_late, q1.overdue, q1.share_on_time) == (
            0,
            0,
            0,
            None,
        )
