"""For random histories, every read model equals a plain fold over the events (tests/reference.py),
as of random past, present and future days and log positions, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import Thucthi
from domain.directives.directive import Directive, Urgency
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock, city_date, end_of_city_day
from domain.shared.errors import DomainError
from readmodels.model import AsOf, Figures
from readmodels.open import OversightView
from tests import reference
from tests.hypothesis_profiles import examples
from tests.integration.readmodels import all_events, backend, project

UNITS = ("SO-CT", "SO-TC", "SO-YT", "UBND-Q1")
LEADER = Actor("leader.chutich", Role.LEADER)
OFFICE = Actor("office.vp", Role.OFFICE)
COMMANDS = (
    "issue", "acknowledge", "progress", "contribute", "extension", "grant", "deny", "complete",
    "accept", "return", "reassign", "withdraw", "remind", "explain", "answer",
)  # fmt: skip


def officer(unit: str) -> Actor:
    return Actor(f"{unit.lower()}.canbo", Role.DEPARTMENT, unit)


def _likely(d: Directive) -> list[str]:
    """Commands weighted towards what the directive's state invites, with the rest still drawn."""
    invited = {
        "issued": ["acknowledge"] * 6,
        "in_progress": ["progress", "progress", "complete", "complete", "complete", "extension"],
        "completion_reported": ["accept", "accept", "accept", "return"],
    }.get(str(d.status), [])
    if d.pending_extension is not None:
        invited += ["grant", "grant", "deny"]
    if any(e.answer is None for e in d.explanations):
        invited += ["answer", "answer"]
    return invited + list(COMMANDS)


def record_history(
    app: Thucthi,
    clock: SimulatedClock,
    data: st.DataObject,
    steps: int,
    before_each: Callable[[], None] | None = None,
) -> None:
    """Random commands on random directives; those the rules refuse are simply not recorded.
    ``before_each`` runs before each command (a question asked meanwhile)."""
    directives: list[Directive] = []
    for n in range(steps):
        if before_each is not None:
            before_each()
        clock.advance(timedelta(hours=data.draw(st.integers(0, 60), label="hours")))
        at = clock.now()
        if not directives or data.draw(st.integers(0, 5), label="new?") == 0:
            command = "issue"
        else:
            d = directives[data.draw(st.integers(0, len(directives) - 1), label="directive")]
            command = data.draw(st.sampled_from(_likely(d)), label="command")
        if command == "issue":
            deadline_days = data.draw(st.one_of(st.none(), st.integers(0, 15)))
            lead_unit = data.draw(st.sampled_from(UNITS))
            coordinators = data.draw(
                st.lists(
                    st.sampled_from([u for u in UNITS if u != lead_unit]), unique=True, max_size=2
                )
            )
            deadline = None if deadline_days is None else city_date(at) + timedelta(deadline_days)
            d = Directive.issue(
                reference=f"{n + 1}/UBND-TEST", title=f"Nhiệm vụ {n + 1}", content="Nội dung",
                issuer=None, lead_unit=lead_unit, coordinating_units=coordinators,
                deadline=deadline,
                urgency=data.draw(st.sampled_from(list(Urgency))), actor=LEADER,
                request_id=f"r{n}", at=at,
            )  # fmt: skip
            directives.append(d)
            app.save(d)
            continue
        lead = officer(d.lead_unit)
        kw: dict[str, Any] = {"request_id": f"r{n}", "at": at}
        try:
            if command == "acknowledge":
                d.acknowledge(actor=lead, **kw)
            elif command == "progress":
                d.report_progress(
                    percent=data.draw(st.integers(0, 100)), narrative="", actor=lead, **kw
                )
            elif command == "contribute":
                unit = data.draw(st.sampled_from(UNITS))
                d.contribute(narrative="", actor=officer(unit), **kw)
            elif command == "extension":
                base = d.deadline or city_date(at)
                d.request_extension(
                    new_deadline=base + timedelta(data.draw(st.integers(1, 10))), reason="",
                    actor=lead, **kw,
                )  # fmt: skip
            elif command == "grant":
                d.grant_extension(number=len(d.extensions), actor=LEADER, **kw)
            elif command == "deny":
                d.deny_extension(number=len(d.extensions), reason="", actor=LEADER, **kw)
            elif command == "complete":
                d.report_completion(summary="Xong", actor=lead, **kw)
            elif command == "accept":
                d.accept_completion(actor=LEADER, **kw)
            elif command == "return":
                d.return_completion(reason="", actor=LEADER, **kw)
            elif command == "reassign":
                d.reassign(to_unit=data.draw(st.sampled_from(UNITS)), reason="", actor=OFFICE, **kw)
            elif command == "withdraw":
                d.withdraw(reason="Thu hồi", actor=LEADER, **kw)
            elif command == "remind":
                d.send_reminder(message="", actor=OFFICE, **kw)
            elif command == "explain":
                d.request_explanation(question="?", actor=LEADER, **kw)
            elif command == "answer":
                d.give_explanation(number=len(d.explanations), answer="", actor=lead, **kw)
        except DomainError:
            continue
        app.save(d)


def as_dict(f: Figures) -> dict[str, int]:
    return {
        "completed_on_time": f.completed_on_time, "completed_late": f.completed_late,
        "in_progress": f.in_progress, "due_soon": f.due_soon, "overdue": f.overdue,
        "no_deadline": f.no_deadline, "days_overdue_total": f.days_overdue_total,
        "awaiting_acceptance": f.awaiting_acceptance,
        "awaiting_acceptance_overdue": f.awaiting_acceptance_overdue,
    }  # fmt: skip


def check_day(view: OversightView, events: list[tuple[int, Any]], day: date) -> None:
    state = reference.fold(events, until=end_of_city_day(day))
    as_of = AsOf(day)
    for original in (False, True):
        summary = view.summary(as_of, basis="original" if original else "in_force")
        assert {u: as_dict(f) for u, f in summary.units.items()} == reference.figures(
            state, day, original=original
        ), f"summary as of {day}, original={original}"
    assert [(i.reference, i.days) for i in view.late(as_of)] == reference.late(state, day)
    assert [(i.reference, i.days) for i in view.due_soon(as_of, 5)] == reference.due_soon(
        state, day, 5
    )
    awaiting = [
        (i.reference, i.awaiting.reported_on, i.awaiting.days, i.overdue)
        for i in view.awaiting_acceptance(as_of, limit=10_000)
    ]
    assert awaiting == reference.awaiting(state, day)
    board = {
        r.reference: (r.lead_unit, r.status, r.deadline, r.percent, r.progress)
        for r in view.board(as_of)
    }
    assert board == {
        d.reference: (d.lead, d.status, d.deadline, d.percent, d.progress) for d in state.values()
    }
    expected = reference.responsiveness(state, day)
    for r in view.responsiveness(as_of):
        n, hours, stale, stale_n = expected.pop(r.unit)
        assert (r.directives, r.staleness_count) == (n, stale_n)
        assert math.isclose(r.acknowledge_hours_total, hours, rel_tol=1e-6, abs_tol=1e-3)
        assert math.isclose(r.staleness_days_total, stale, rel_tol=1e-6, abs_tol=1e-4)
    assert expected == {}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_read_models_equal_a_plain_fold_over_the_events(kind: str, tmp_path: Path) -> None:
    """Each example gets its own empty store, so what hypothesis draws depends on nothing else."""
    numbers = iter(range(10**6))

    @settings(
        max_examples=examples(20, thorough=200),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        folder = tmp_path / str(next(numbers))
        folder.mkdir()
        with backend(kind, folder) as (app, view, clock):
            record_history(app, clock, data, data.draw(st.integers(5, 40), label="steps"))
            project(app, view, batch_size=data.draw(st.integers(1, 30), label="batch"))
            check_history(app, view, clock, data)

    check()


def check_history(
    app: Thucthi, view: OversightView, clock: SimulatedClock, data: st.DataObject
) -> None:
    events = all_events(app)
    first, last = city_date(events[0][1].timestamp), city_date(clock.now())
    days = {first - timedelta(1), last, last + timedelta(10)}
    days |= {first + timedelta(data.draw(st.integers(0, (last - first).days))) for _ in range(3)}
    # Days on either side of deadlines and completions, where categories change.
    marks = sorted(
        {
            day
            for _, e in events
            for day in (
                getattr(e, "deadline", None),
                getattr(e, "new_deadline", None),
                city_date(e.timestamp),
            )
            if day is not None
        }
    )
    for mark in data.draw(st.lists(st.sampled_from(marks), max_size=4), label="marks"):
        days |= {mark - timedelta(3), mark - timedelta(1), mark, mark + timedelta(1)}
    for day in sorted(days):
        check_day(view, events, day)
    position = data.draw(st.sampled_from([p for p, _ in events]), label="position")
    state = reference.fold(events, upto=position)
    summary = view.summary(AsOf(last, position))
    assert {u: as_dict(f) for u, f in summary.units.items()} == reference.figures(state, last)
    assert summary.position == position
    for unit in UNITS:
        inbox = {(i.reference, i.role, i.owes) for i in view.inbox(unit)}
        assert inbox == reference.inbox(reference.fold(events), unit)
