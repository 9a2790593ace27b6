"""Units that reorganise (issue 27, docs/units.md), on SQLite and PostgreSQL: a merger recorded on
1 July 2025 hands the open work of the units it ends to their heir, and the oversight views as of
a day before it show the old units while those after it show the new ones, the predecessors'
closed record carried under the heir."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    IssueDirective,
    ReportCompletion,
    ReportProgress,
    RequestExtension,
)
from domain.directives.directive import Status
from domain.directives.errors import DirectiveNotFoundError
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, SimulatedClock
from domain.units.commands import MergeUnits
from domain.units.errors import InactiveUnitError
from readmodels.model import AsOf
from readmodels.open import OversightView
from tests.integration.readmodels import backend, project

LEADER = Actor("leader.chutich", Role.LEADER)
GTVT, QHKT, XD, CT = "SO-GTVT", "SO-QHKT", "SO-XD", "SO-CT"
BASIS = "Nghị quyết HĐND TP.HCM ngày 01/7/2025"
BEFORE, CHANGE = date(2025, 6, 30), date(2025, 7, 1)


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


def issue(
    app: Thucthi, ref: str, lead: str, deadline: date, coordinating: tuple[str, ...] = ()
) -> None:
    app.issue(
        IssueDirective(
            reference=ref,
            title=f"Nhiệm vụ {ref}",
            content="",
            lead_unit=lead,
            coordinating_units=coordinating,
            deadline=deadline,
        ),
        actor=LEADER,
        request_id="r",
    )


def june_2025(app: Thucthi, clock: SimulatedClock) -> None:
    """Three directives of June 2025: one Transport finished on time, one it still works on
    (40%, an extension asked), and one Industry and Trade leads with Planning coordinating."""
    clock.set(at(date(2025, 6, 2)))
    issue(app, "1/DT", GTVT, date(2025, 6, 20))
    issue(app, "2/DT", GTVT, date(2025, 8, 30))
    issue(app, "3/KT", CT, date(2025, 9, 30), coordinating=(QHKT,))
    for ref, unit in (("1/DT", GTVT), ("2/DT", GTVT), ("3/KT", CT)):
        app.execute(Acknowledge(), ref, actor=officer(unit), request_id="r")
    clock.set(at(date(2025, 6, 10)))
    app.execute(ReportCompletion(summary="Xong"), "1/DT", actor=officer(GTVT), request_id="r")
    app.execute(DecideCompletion(decision="accept"), "1/DT", actor=LEADER, request_id="r")
    app.execute(
        ReportProgress(percent=40, narrative="Đang thi công"),
        "2/DT",
        actor=officer(GTVT),
        request_id="r",
    )
    app.execute(
        RequestExtension(new_deadline=date(2025, 9, 30), reason="Chờ mặt bằng"),
        "2/DT",
        actor=officer(GTVT),
        request_id="r",
    )


def merge_on_the_first_of_july(app: Thucthi, clock: SimulatedClock) -> int:
    clock.set(at(CHANGE, 8))
    return app.reorganise(
        MergeUnits(predecessors=(QHKT, GTVT), successor=XD, basis=BASIS),
        actor=SYSTEM_ACTOR,
        request_id="merge",
    )


def test_the_views_before_a_merger_show_the_old_units_and_after_it_the_new_ones(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """As of 30 June Transport holds its two directives; as of 1 July Construction holds the
    open one and Transport's finished one is carried under Construction, not added to it."""
    app, view, clock = rm
    june_2025(app, clock)
    last_of_june = app.max_notification_id()
    merge_on_the_first_of_july(app, clock)
    project(app, view)

    before = view.summary(AsOf(BEFORE))
    assert set(before.units) == {GTVT, CT}
    assert (before.units[GTVT].completed_on_time, before.units[GTVT].in_progress) == (1, 1)
    assert before.carried == {}
    assert view.successions(AsOf(BEFORE)) == []

    after = view.summary(AsOf(CHANGE))
    assert set(after.units) == {XD, CT}
    assert (after.units[XD].completed_on_time, after.units[XD].in_progress) == (0, 1)
    assert set(after.carried) == {XD}
    assert after.carried[XD][GTVT].completed_on_time == 1
    assert after.city == before.city  # the same directives, counted once, on either side
    assert [(s.predecessor, s.heir) for s in view.successions(AsOf(CHANGE))] == [
        (QHKT, XD),
        (GTVT, XD),
    ]
    # The board itself: the open directive's lead before and after.
    lead_on = {
        day: {r.reference: r.lead_unit for r in view.board(AsOf(day))} for day in (BEFORE, CHANGE)
    }
    assert lead_on[BEFORE] == {"1/DT": GTVT, "2/DT": GTVT, "3/KT": CT}
    assert lead_on[CHANGE] == {"1/DT": GTVT, "2/DT": XD, "3/KT": CT}
    # A point of view naming a position before the merger sees none of it, whatever the day.
    earlier = view.summary(AsOf(CHANGE, last_of_june))
    assert set(earlier.units) == {GTVT, CT}
    assert earlier.carried == {}


def test_open_work_passes_to_the_heir_with_its_history_and_its_state(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """The heir carries on where the work stood: acknowledged, at 40%, the extension request
    still pending; the ended unit acts on it no more, and no new work goes to it."""
    app, view, clock = rm
    june_2025(app, clock)
    before = app.get_directive("2/DT")
    merge_on_the_first_of_july(app, clock)
    project(app, view)

    after = app.get_directive("2/DT")
    assert after.lead_unit == XD
    assert after.status is Status.IN_PROGRESS
    assert (after.acknowledged_at, after.percent) == (before.acknowledged_at, 40)
    assert after.pending_extension == before.pending_extension
    assert [type(e).__name__ for e in app.history("2/DT")][-1] == "HandedOver"
    assert after.version == before.version + 1
    assert app.get_directive("3/KT").coordinating_units == (XD,)
    assert app.get_directive("1/DT").lead_unit == GTVT  # closed: its record stays its own

    clock.set(at(date(2025, 7, 2)))
    app.execute(
        ReportProgress(percent=60, narrative="Tiếp tục"), "2/DT", actor=officer(XD), request_id="r"
    )
    with pytest.raises(DirectiveNotFoundError):  # no longer its unit's to see
        app.execute(
            ReportProgress(percent=70, narrative="x"), "2/DT", actor=officer(GTVT), request_id="r"
        )
    with pytest.raises(InactiveUnitError):
        issue(app, "4/DT", GTVT, date(2025, 8, 1))
    project(app, view)
    assert {i.reference for i in view.inbox(XD)} == {"2/DT", "3/KT"}
    assert view.inbox(GTVT) == []
    registry = app.unit_registry()
    assert registry.get(GTVT).successors == (XD,)
    assert registry.get(GTVT).ended_on == CHANGE
    assert registry.get(XD).predecessors == (QHKT, GTVT)
