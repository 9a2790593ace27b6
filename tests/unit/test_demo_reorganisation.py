"""The demo across Ho Chi Minh City's reorganisation of 1 July 2025 (issue 27, item 7): its period
spans the change when it ends after it, the change is recorded at its moment as ``thucthi init``
records it, the open work of the units that ended passes to their heirs with the application's
own hand-over, and from then on the work goes to the units of 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.demo import run_demo
from cli.demo_units import SPANS_FROM, change_moment, period_start
from cli.demo_users import DEMO_USERS, DEMO_USERS_2024, demo_users
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.directive import Directive
from domain.petitions.petition import Petition
from domain.shared.actors import Role
from domain.shared.clock import SimulatedClock, city_date
from domain.units.hcmc import ESTABLISHED_2025, REORGANISATION_2025, REORGANISED_ON
from domain.units.registry import UnitRegistry
from tests.conftest import START

SPANNING = date(2026, 3, 31)  # its year starts on 1 January 2025
INIT = datetime(2026, 12, 7, 2, tzinfo=UTC)  # when ``thucthi init`` ran
CHANGES = (UnitRegistry.UnitsMerged, UnitRegistry.UnitSplit, UnitRegistry.UnitSucceeded)


def demo(end: date = SPANNING, *, init: bool = False, seed: int = 3) -> Thucthi:
    """A demo of 300 directives and 120 matters on a store of its own; ``init``: on the
    registry ``thucthi init`` records, the city of 2026."""
    clock = SimulatedClock(INIT if init else START)
    app = Thucthi({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    if init:
        app.open_city_registry()
    run_demo(app, directives=300, seed=seed, end=end, progress=None, petitions=120)
    return app


@pytest.fixture(scope="module")
def spanning() -> Thucthi:
    return demo()


def events(app: Thucthi) -> list[Any]:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10**7)]


def settled(registry: UnitRegistry) -> dict[str, tuple[Any, ...]]:
    """What a registry says of each unit: active or not, its successors, end and basis."""
    return {
        u.code: (u.parent, u.active, u.successors, u.ended_on, u.basis, u.predecessors)
        for u in registry.units.values()
    }


@pytest.mark.parametrize(
    ("end", "start"),
    [
        (date(2024, 12, 31), date(2024, 1, 1)),
        (date(2025, 6, 30), date(2024, 6, 30)),
        (date(2025, 12, 31), date(2024, 12, 31)),
        (date(2026, 12, 7), date(2025, 1, 1)),
    ],
)
def test_the_period_is_a_year_begun_early_enough_to_span_the_reorganisation(
    end: date, start: date
) -> None:
    assert period_start(end) == start


@given(end=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)))
def test_a_period_ending_after_the_reorganisation_always_has_months_before_it(end: date) -> None:
    """At least a year long, and from 1 July 2025 on it starts half a year before that day."""
    start = period_start(end)
    assert start <= end - timedelta(days=365)
    if end >= REORGANISED_ON:
        assert start <= SPANS_FROM < REORGANISED_ON


def test_a_year_ending_before_the_reorganisation_records_none_and_works_with_2024s_units() -> None:
    """`--end 2024-12-31`, as many tests use it: the registry of 2024 alone, no hand-over."""
    app = demo(date(2024, 12, 31))
    log = events(app)
    assert not any(isinstance(e, CHANGES) for e in log)
    assert not any(isinstance(e, Directive.HandedOver | Petition.HandedOver) for e in log)
    assert not set(app.unit_registry().units) & ESTABLISHED_2025


def test_the_demo_records_the_reorganisation_at_its_moment_as_init_records_the_city(
    spanning: Thucthi,
) -> None:
    """The units established in 2025 and every change of the data file, at 07:00 on 1 July
    2025 in the stream, by the administrator: the registry ends as ``thucthi init`` makes it."""
    changed = [e for e in events(spanning) if isinstance(e, UnitRegistry.Event)]
    during = [e for e in changed if e.timestamp == change_moment()]
    assert sum(isinstance(e, CHANGES) for e in during) == len(REORGANISATION_2025)
    assert {e.code for e in during if isinstance(e, UnitRegistry.UnitAdded)} == ESTABLISHED_2025
    assert {(e.actor, e.request_id) for e in during} == {(SYSTEM_ACTOR, "demo")}
    city = Thucthi({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=SimulatedClock(INIT))
    city.open_city_registry()
    assert settled(spanning.unit_registry()) == settled(city.unit_registry())


def test_after_init_the_demo_keeps_its_record_of_the_change_and_hands_over_all_the_same() -> None:
    """The registry init recorded already holds the change: the demo records it no second
    time, and still hands the open work over at its moment."""
    app = demo(init=True)
    changed = [e for e in events(app) if isinstance(e, CHANGES)]
    assert len(changed) == len(REORGANISATION_2025)
    assert all(e.request_id == "init" for e in changed)
    handed = [e for e in events(app) if isinstance(e, Directive.HandedOver)]
    assert handed
    assert {e.timestamp for e in handed} == {change_moment()}


def test_every_case_open_at_the_change_passes_to_its_heirs_and_no_other(
    spanning: Thucthi,
) -> None:
    """A directive or petition an ended unit held, still open at the change's moment, is handed
    over then to the unit's heir, by the basis its end records, with the events the
    application's hand-over records; a case closed before keeps its units."""
    app = spanning
    registry = app.unit_registry()
    ended = {u.code for u in registry.units.values() if u.ended_on == REORGANISED_ON}
    just_before = change_moment() - timedelta(microseconds=1)
    log = events(app)
    issued = [e for e in log if isinstance(e, Directive.Issued)]
    handed: dict[Any, list[Directive.HandedOver]] = {}
    for e in log:
        if isinstance(e, Directive.HandedOver):
            handed.setdefault(e.originator_id, []).append(e)
    open_then = 0
    for e in issued:
        if e.timestamp >= change_moment():
            assert e.lead_unit not in ended
            assert not set(e.coordinating_units) & ended
            assert e.originator_id not in handed
            continue
        then = app.directive_at(e.originator_id, just_before)
        held = {then.lead_unit, *then.coordinating_units} & ended
        if then.is_closed or not held:
            assert e.originator_id not in handed
            continue
        open_then += 1
        over = handed[e.originator_id]
        assert {h.from_unit for h in over} == held
        for h in over:
            assert h.timestamp == change_moment()
            assert (h.actor, h.request_id) == (SYSTEM_ACTOR, "demo")
            assert h.to_unit == registry.heir_of(h.from_unit)
            assert h.basis == registry.get(h.from_unit).basis
        now = app.get_directive(e.originator_id)
        assert now.lead_unit not in ended
        assert not set(now.coordinating_units) & ended
    assert open_then > 20
    passed = [e for e in log if isinstance(e, Petition.HandedOver)]
    assert passed
    for p in passed:
        assert p.from_agency in ended
        assert p.to_agency == registry.heir_of(p.from_agency)
        assert p.timestamp == change_moment()
    for e in log:
        if isinstance(e, Petition.Received) and e.timestamp >= change_moment():
            assert e.agency not in ended
        if isinstance(e, Petition.Received) and e.timestamp < change_moment():
            petition = app.petitions.get(e.receipt)
            assert petition.agency not in ended or not petition.is_open


def test_after_a_hand_over_the_heirs_officers_take_the_next_steps(spanning: Thucthi) -> None:
    """The heir acknowledges, reports and completes the work it was handed (the aggregate
    refuses anyone else; here it is seen to happen)."""
    app = spanning
    by_heir = 0
    handed_to: dict[Any, str] = {}
    for e in events(app):
        if isinstance(e, Directive.HandedOver):
            handed_to[e.originator_id] = e.to_unit
        elif isinstance(e, Directive.Event) and e.originator_id in handed_to:
            actor = e.actor
            if actor.role is Role.DEPARTMENT:
                assert actor.unit not in {
                    u.code for u in app.unit_registry().units.values() if not u.active
                }
                by_heir += actor.unit == handed_to[e.originator_id]
    assert by_heir > 20


@pytest.mark.parametrize(("end", "users"), [(date(2024, 12, 31), DEMO_USERS_2024),
                                           (SPANNING, DEMO_USERS)])  # fmt: skip
def test_the_demo_accounts_are_of_units_in_force_on_its_last_day(end: date, users: Any) -> None:
    """Whose desks the demo's accounts are: 2024's for a year ending before the change,
    the heirs' (phường Sài Gòn, Bàn Cờ, Sở Nông nghiệp và Môi trường) for one ending after."""
    assert demo_users(end) == users
    registry = demo(end).unit_registry()
    for user in users:
        if user.unit is not None:
            unit = registry.get(user.unit)
            assert unit.active or (unit.ended_on is not None and end < unit.ended_on), user
    assert {u.unit for u in DEMO_USERS} >= {"UBND-P-SAIGON", "UBND-P-BANCO", "SO-NNMT"}


def test_a_directive_of_each_day_goes_to_the_units_of_that_day(spanning: Thucthi) -> None:
    """Before the change, departments of 2024 and districts; from it, the merged departments
    and the wards and communes."""
    issued = [e for e in events(spanning) if isinstance(e, Directive.Issued)]
    before = {e.lead_unit for e in issued if city_date(e.timestamp) < REORGANISED_ON}
    after = {e.lead_unit for e in issued if city_date(e.timestamp) >= REORGANISED_ON}
    assert {"UBND-Q1", "SO-TNMT"} & before
    assert not before & ESTABLISHED_2025
    assert any(code.startswith(("UBND-P-", "UBND-X-")) for code in after)
    assert not any(code.startswith("UBND-Q") for code in after)
