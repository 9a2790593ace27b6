"""The demo's year of the digital-transformation index: every unit assessed, appraised and
published for the last full year, with units in every band of each group, the same for the
same seed and different for another, and some units sent back and answering."""

from __future__ import annotations

from datetime import UTC, datetime

from cli.demo_dti import OFFICE, run_dti_demo
from domain.application import Thucthi
from domain.dti.assessment import Stage
from domain.shared.clock import SimulatedClock
from domain.units.hcmc import LEADING_UNITS, UNITS_2024

AT = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)


def demo(seed: int) -> tuple[Thucthi, dict[str, object]]:
    app = Thucthi({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=SimulatedClock(AT))
    app.open_unit_registry(UNITS_2024)
    result = run_dti_demo(app, seed=seed, at=AT)
    view = app.dti.point_of_view(None, result.position)
    totals = {
        s.assessment.unit: (s.place.card.total, s.place.card.band.code, s.assessment.stage)
        for g in app.dti.results("hcm-dti", result.period, view=view, actor=OFFICE)
        for s in g.standings
    }
    return app, {"result": result, "totals": totals}


def test_every_unit_is_published_for_the_last_full_year_with_units_in_every_band() -> None:
    app, found = demo(7)
    result = found["result"]
    totals = found["totals"]
    assert isinstance(totals, dict)
    assert result.period == 2023  # type: ignore[attr-defined]
    units = {u.code for u in UNITS_2024} - LEADING_UNITS
    assert set(totals) == units
    assert {stage for _, _, stage in totals.values()} == {Stage.PUBLISHED}
    view = app.dti.point_of_view(None, None)
    for group in app.dti.results("hcm-dti", 2023, view=view, actor=OFFICE):
        assert all(count > 0 for count in group.distribution.values()), group.distribution


def test_the_same_seed_gives_the_same_year_and_another_a_different_one() -> None:
    _, first = demo(7)
    _, again = demo(7)
    _, other = demo(8)
    assert first["totals"] == again["totals"]
    assert first["totals"] != other["totals"]


def test_some_units_were_sent_back_and_answered() -> None:
    app, _found = demo(7)
    view = app.dti.point_of_view(None, None)
    returned = [a for a in app.dti.folded(view).assessments.values() if a.returns]
    assert returned
    assert all(r.answer for a in returned for r in a.returns)
