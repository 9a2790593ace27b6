"""A completion report in the read models, on SQLite and PostgreSQL: the progress shown is 100 %
from the report on and falls back when it is returned; while the report awaits the leader's
decision the directive keeps its national category (overdue past the deadline) but is counted and
listed apart, with the day it was reported, the days it has waited and the leader who holds it;
and events an earlier version stored with empty texts still project."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from domain.application import Thucthi
from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    IssueDirective,
    ReportCompletion,
    ReportProgress,
)
from domain.directives.directive import Directive
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, SimulatedClock
from readmodels.model import AsOf, Awaiting, Filters
from readmodels.open import OversightView
from tests.integration.readmodels import backend, project

LEADER = Actor("leader.pct3", Role.LEADER)
UNIT = "SO-CT"
OFFICER = Actor("so-ct.canbo", Role.DEPARTMENT, UNIT)
REF = "1250/UBND-KT"
DEADLINE = date(2024, 10, 15)
REPORTED = date(2024, 10, 13)  # two days before the deadline


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE).astimezone(UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def rm(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Thucthi, OversightView, SimulatedClock]]:
    with backend(request.param, tmp_path) as triple:
        yield triple


def reported_at_43_percent(app: Thucthi, clock: SimulatedClock) -> None:
    """Issued by a vice-chairman, 43 % reported, then completion reported before the deadline."""
    clock.set(at(date(2024, 9, 1)))
    app.issue(
        IssueDirective(reference=REF, title="Rà soát", lead_unit=UNIT, deadline=DEADLINE),
        actor=LEADER,
        request_id="r",
    )
    app.execute(Acknowledge(), REF, actor=OFFICER, request_id="r")
    clock.set(at(date(2024, 9, 20)))
    app.execute(ReportProgress(percent=43, narrative="Một nửa"), REF, actor=OFFICER, request_id="r")
    clock.set(at(REPORTED))
    app.execute(ReportCompletion(summary="Đã xong"), REF, actor=OFFICER, request_id="r")


def test_a_completion_report_shows_100_percent_on_the_board_and_in_the_late_list(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    reported_at_43_percent(app, clock)
    project(app, view)
    (row,) = view.board(None)
    assert (row.percent, row.progress) == (43, 100)
    (late,) = view.late(AsOf(DEADLINE + timedelta(days=50)))
    assert late.percent == 100
    (before,) = view.board(AsOf(REPORTED - timedelta(days=1)))
    assert before.progress == 43


def test_a_returned_report_falls_back_to_the_last_progress_report_and_acceptance_keeps_100(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    reported_at_43_percent(app, clock)
    clock.set(at(REPORTED + timedelta(days=1)))
    app.execute(
        DecideCompletion(decision="return", note="Thiếu số liệu"), REF, actor=LEADER, request_id="r"
    )
    project(app, view)
    assert [r.progress for r in view.board(None)] == [43]
    clock.set(at(REPORTED + timedelta(days=3)))
    app.execute(ReportCompletion(summary="Bổ sung"), REF, actor=OFFICER, request_id="r")
    clock.set(at(REPORTED + timedelta(days=9)))
    app.execute(DecideCompletion(decision="accept"), REF, actor=LEADER, request_id="r")
    project(app, view)
    assert [(r.status, r.progress) for r in view.board(None)] == [("completed", 100)]


def test_a_report_awaiting_acceptance_stays_overdue_but_is_counted_and_listed_apart(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """Reported two days before the deadline and not accepted 50 days after it: the brief's
    category is overdue, and the figures say it waits on the leader, since when, and who."""
    app, view, clock = rm
    reported_at_43_percent(app, clock)
    project(app, view)
    day = DEADLINE + timedelta(days=50)
    figures = view.summary(AsOf(day)).units[UNIT]
    assert (figures.overdue, figures.days_overdue_total) == (1, 50)  # the national category
    assert (figures.awaiting_acceptance, figures.awaiting_acceptance_overdue) == (1, 1)
    (late,) = view.late(AsOf(day))
    assert late.days == 50
    waited = (day - REPORTED).days
    assert late.awaiting == Awaiting(reported_on=REPORTED, days=waited, held_by=LEADER.user_id)
    (item,) = view.awaiting_acceptance(AsOf(day))
    assert (item.reference, item.lead_unit, item.deadline) == (REF, UNIT, DEADLINE)
    assert item.awaiting == late.awaiting
    assert (item.overdue, item.days_late_at_report) == (True, 0)
    # Before the deadline it is in progress, and still awaiting.
    early = view.summary(AsOf(REPORTED)).units[UNIT]
    assert (early.in_progress, early.awaiting_acceptance, early.awaiting_acceptance_overdue) == (
        1,
        1,
        0,
    )
    assert [i.awaiting.days for i in view.awaiting_acceptance(AsOf(REPORTED))] == [0]
    assert view.awaiting_acceptance(AsOf(day), Filters(unit="SO-TC")) == []


def test_an_acceptance_ends_the_wait_and_leaves_the_earlier_days_as_they_were(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    app, view, clock = rm
    reported_at_43_percent(app, clock)
    accepted = DEADLINE + timedelta(days=60)
    clock.set(at(accepted))
    app.execute(DecideCompletion(decision="accept"), REF, actor=LEADER, request_id="r")
    project(app, view)
    after = view.summary(AsOf(accepted)).units[UNIT]
    assert (after.completed_on_time, after.awaiting_acceptance) == (1, 0)
    assert view.awaiting_acceptance(AsOf(accepted)) == []
    assert view.late(AsOf(accepted)) == []
    before = view.summary(AsOf(accepted - timedelta(days=1))).units[UNIT]
    assert (before.overdue, before.awaiting_acceptance) == (1, 1)
    assert [i.reference for i in view.awaiting_acceptance(AsOf(accepted - timedelta(1)))] == [REF]
    city = view.summary(AsOf(accepted - timedelta(days=1))).city
    assert city.awaiting_acceptance_overdue == 1


def test_events_stored_with_empty_texts_by_an_earlier_version_still_replay_and_project(
    rm: tuple[Thucthi, OversightView, SimulatedClock],
) -> None:
    """The texts the rules now require were optional once: such a log reads and projects as
    it was written."""
    app, view, clock = rm
    moment = clock.now()
    d = Directive.issue(
        reference="7/UBND",
        title="Nhiệm vụ",
        content="",
        issuer=None,
        lead_unit=UNIT,
        deadline=date(2024, 3, 10),
        actor=LEADER,
        request_id="r",
        at=moment,
    )
    d.acknowledge(actor=OFFICER, request_id="r", at=moment)
    # Recorded as an earlier version did, through the mutators, without today's checks.
    d._explanation_requested(actor=LEADER, request_id="r", timestamp=moment, number=1, question="")
    d._completion_reported(
        actor=OFFICER, request_id="r", timestamp=moment, summary="", attachments=(), files=()
    )
    app.save(d)
    project(app, view)
    stored = app.get_directive("7/UBND")
    assert (stored.explanations[0].question, stored.completion_summary) == ("", "")
    assert (stored.progress, [r.progress for r in view.board(None)]) == (100, [100])
    d._withdrawn(actor=LEADER, request_id="r", timestamp=moment, reason="")
    app.save(d)
    project(app, view)
    assert app.get_directive("7/UBND").status == "withdrawn"
    assert [r.withdrawn for r in view.board(None)] == [True]
