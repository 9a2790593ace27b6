"""The demo spanning the reorganisation of 1 July 2025, read through the oversight and petitions
read models on SQLite and PostgreSQL: a view as of a day before the change shows the units of
2024, one after it those of 2026, with the open work handed over counted for the heirs and the
ended units' record carried under them (docs/units.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from cli.demo import run_demo
from cli.demo_units import change_moment
from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.units.hcmc import ESTABLISHED_2025, REORGANISED_ON
from readmodels.model import AsOf, Figures
from readmodels.open import OversightView
from tests.integration.readmodels import backend, project

END = date(2026, 3, 31)  # a year from 1 January 2025
BEFORE, AFTER = REORGANISED_ON - timedelta(days=1), REORGANISED_ON + timedelta(days=1)
FIELDS = ("completed_on_time", "completed_late", "in_progress", "overdue", "no_deadline")


@pytest.fixture(params=["sqlite", "postgres"], scope="module")
def year(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Thucthi, OversightView]]:
    """The demo year on a registry opened with the units of 2024 and 2025 and no change: the
    demo records the change itself."""
    with backend(request.param, tmp_path_factory.mktemp(request.param)) as (app, view, _):
        run_demo(app, directives=200, seed=8, end=END, force=True, progress=None, petitions=60)
        project(app, view)
        yield app, view


def ended(app: Thucthi) -> set[str]:
    return {u.code for u in app.unit_registry().units.values() if u.ended_on == REORGANISED_ON}


def test_a_view_before_the_change_shows_the_units_of_2024_and_after_it_those_of_2026(
    year: tuple[Thucthi, OversightView],
) -> None:
    app, view = year
    gone = ended(app)
    then = view.summary(AsOf(BEFORE))
    assert set(then.units) & gone  # districts and departments that ended a day later
    assert not set(then.units) & ESTABLISHED_2025
    assert not then.carried
    now = view.summary(AsOf(AFTER))
    assert set(now.units) & ESTABLISHED_2025
    assert not set(now.units) & gone
    carried = {p for held in now.carried.values() for p in held}
    assert carried
    assert carried <= gone
    registry = app.unit_registry()
    assert all(registry.heir_of(p) == heir for heir, held in now.carried.items() for p in held)
    # The city counts every directive once, on either side of the change.
    for summary in (then, now):
        held = [*summary.units.values(), *(f for c in summary.carried.values() for f in c.values())]
        for name in FIELDS:
            assert sum(getattr(f, name) for f in held) == getattr(summary.city, name), name


def test_the_open_work_handed_over_counts_for_the_heir_from_the_change(
    year: tuple[Thucthi, OversightView],
) -> None:
    """A directive open at the change is its old lead's on the board the day before and the
    heir's the day after; the heir's in-progress figure includes it."""
    app, view = year
    handed = app.recorder.select_notifications(1, 10**6, topics=[Directive.HandedOver.TOPIC])
    events = [app.mapper.to_domain_event(n) for n in handed]
    leads = {
        e.originator_id: (e.from_unit, e.to_unit)
        for e in events
        if isinstance(e, Directive.HandedOver) and e.timestamp == change_moment()
    }
    before = {r.directive_id: r for r in view.board(AsOf(BEFORE))}
    after = {r.directive_id: r for r in view.board(AsOf(AFTER))}
    moved = 0
    for directive_id, (old, heir) in leads.items():
        if before[directive_id].lead_unit == old:
            assert after[directive_id].lead_unit == heir
            moved += 1
    assert moved > 5
    now = view.summary(AsOf(AFTER))
    open_after = [r for r in after.values() if r.directive_id in leads and not r.completion_on]
    heirs = {r.lead_unit for r in open_after}
    assert any(now.units.get(h, Figures()).in_progress for h in heirs)


def test_the_petitions_held_by_ended_agencies_are_their_heirs_after_the_change(
    year: tuple[Thucthi, OversightView],
) -> None:
    """The petitions' figures by agency: the ended agencies' before, their heirs' after."""
    app, view = year
    gone = ended(app)
    then = view.petitions.summary(AsOf(BEFORE))
    now = view.petitions.summary(AsOf(AFTER))
    open_then = {a for a, f in then.agencies.items() if f.open}
    open_now = {a for a, f in now.agencies.items() if f.open}
    assert open_then & gone
    assert not open_now & gone
    assert open_now & ESTABLISHED_2025
