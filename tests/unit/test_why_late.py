"""Why late: a directive's days, phase by phase, and who held it at the time."""

from __future__ import annotations

import contextlib
import itertools
import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.directives.directive import Directive, Status
from domain.directives.why_late import Holder, Phase, Span, Total, WhyLate, unit_why_late, why_late
from domain.shared.clock import CITY_TIMEZONE, city_date
from domain.shared.errors import DomainError
from tests.builders import COORDINATOR, LEAD, LEADER, OFFICE, OTHER_UNIT, officer

SECOND_COORDINATOR = "SO-YT"
DEADLINE = date(2024, 3, 14)


def at(day: int, hour: int = 9) -> datetime:
    """A moment in the city: ``day`` days after 4 March 2024 (a Monday), at ``hour`` o'clock."""
    return datetime(2024, 3, 4, hour, tzinfo=CITY_TIMEZONE) + timedelta(days=day)


class Story:
    """One directive driven step by step by the right people, keeping every event it records."""

    def __init__(
        self,
        *,
        deadline: date | None = DEADLINE,
        coordinating: tuple[str, ...] = (COORDINATOR,),
        reference: str = "1234/UBND-VX",
    ) -> None:
        self.directive = Directive.issue(
            reference=reference,
            title="Triển khai Kế hoạch chuyển đổi số năm 2024",
            content="",
            issuer=None,
            lead_unit=LEAD,
            coordinating_units=coordinating,
            deadline=deadline,
            actor=LEADER,
            request_id="r",
            at=at(0),
        )
        self.events: list[Directive.Event] = []
        self._keep()

    def _keep(self) -> Story:
        self.events += [
            e for e in self.directive.collect_events() if isinstance(e, Directive.Event)
        ]
        return self

    def acknowledge(self, day: int, hour: int = 9) -> Story:
        lead = officer(self.directive.lead_unit)
        self.directive.acknowledge(actor=lead, request_id="r", at=at(day, hour))
        return self._keep()

    def progress(self, percent: int, day: int) -> Story:
        self.directive.report_progress(
            percent=percent,
            narrative="Đã triển khai",
            actor=officer(self.directive.lead_unit),
            request_id="r",
            at=at(day),
        )
        return self._keep()

    def contribute(self, unit: str, day: int) -> Story:
        self.directive.contribute(
            narrative="Phần phối hợp", actor=officer(unit), request_id="r", at=at(day)
        )
        return self._keep()

    def request_extension(self, new_deadline: date, day: int) -> Story:
        self.directive.request_extension(
            new_deadline=new_deadline,
            reason="Chờ ý kiến Bộ",
            actor=officer(self.directive.lead_unit),
            request_id="r",
            at=at(day),
        )
        return self._keep()

    def grant_extension(self, day: int) -> Story:
        number = len(self.directive.extensions)
        self.directive.grant_extension(number=number, actor=LEADER, request_id="r", at=at(day))
        return self._keep()

    def deny_extension(self, day: int) -> Story:
        number = len(self.directive.extensions)
        self.directive.deny_extension(
            number=number, reason="Không đủ căn cứ", actor=LEADER, request_id="r", at=at(day)
        )
        return self._keep()

    def report_completion(self, day: int) -> Story:
        self.directive.report_completion(
            summary="Đã hoàn thành",
            actor=officer(self.directive.lead_unit),
            request_id="r",
            at=at(day),
        )
        return self._keep()

    def accept(self, day: int) -> Story:
        self.directive.accept_completion(actor=LEADER, request_id="r", at=at(day))
        return self._keep()

    def return_for_rework(self, day: int) -> Story:
        self.directive.return_completion(
            reason="Chưa đạt", actor=LEADER, request_id="r", at=at(day)
        )
        return self._keep()

    def reassign(self, to_unit: str, day: int) -> Story:
        self.directive.reassign(
            to_unit=to_unit, reason="Đúng thẩm quyền", actor=OFFICE, request_id="r", at=at(day)
        )
        return self._keep()

    def withdraw(self, day: int) -> Story:
        self.directive.withdraw(
            reason="Không còn phù hợp", actor=LEADER, request_id="r", at=at(day)
        )
        return self._keep()

    def remind(self, day: int) -> Story:
        self.directive.send_reminder(message="Đôn đốc", actor=OFFICE, request_id="r", at=at(day))
        return self._keep()

    def why_late(self, now: datetime) -> WhyLate:
        return why_late(self.events, now)


def phases(result: WhyLate) -> list[tuple[Phase, Holder, tuple[str, ...], float]]:
    return [(s.phase, s.holder, s.units, s.days) for s in result.spans]


# --- each phase and who holds it -------------------------------------------------------------


def test_days_before_acknowledgement_are_held_by_the_lead_unit() -> None:
    """From the issue until receipt is acknowledged, the lead unit holds the directive."""
    result = Story().acknowledge(2).why_late(at(5))
    assert phases(result) == [
        (Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (LEAD,), 2.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 3.0),
    ]
    assert result.spans[0].start == at(0)
    assert result.spans[-1].end == at(5)


def test_after_a_reassignment_the_new_lead_unit_holds_the_wait_for_acknowledgement() -> None:
    """A reassignment starts the wait for acknowledgement over, held by the new lead unit."""
    result = Story().acknowledge(1).reassign(OTHER_UNIT, 3).acknowledge(4, hour=21).why_late(at(6))
    assert phases(result) == [
        (Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (LEAD,), 1.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.0),
        (Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (OTHER_UNIT,), 1.5),
        (Phase.IN_PROGRESS, Holder.LEAD, (OTHER_UNIT,), 1.5),
    ]
    assert result.lead_unit == OTHER_UNIT


def test_days_after_full_progress_are_held_by_the_coordinators_still_outstanding() -> None:
    """Once the lead reports 100%, coordinators that have not contributed hold the directive."""
    result = (
        Story(coordinating=(COORDINATOR, SECOND_COORDINATOR))
        .acknowledge(1)
        .progress(60, 2)
        .progress(100, 3)
        .contribute(COORDINATOR, 5)
        .contribute(SECOND_COORDINATOR, 6)
        .report_completion(7)
        .why_late(at(8))
    )
    assert phases(result) == [
        (Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (LEAD,), 1.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.0),
        (
            Phase.WAITING_FOR_COORDINATORS,
            Holder.COORDINATOR,
            (COORDINATOR, SECOND_COORDINATOR),
            2.0,
        ),
        (Phase.WAITING_FOR_COORDINATORS, Holder.COORDINATOR, (SECOND_COORDINATOR,), 1.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 1.0),
        (Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, (), 1.0),
    ]


def test_a_coordinator_that_contributed_early_is_not_waited_for() -> None:
    """A contribution reported before the lead's 100% leaves nobody to wait for."""
    result = Story().acknowledge(1).contribute(COORDINATOR, 2).progress(100, 3).why_late(at(5))
    assert phases(result) == [
        (Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (LEAD,), 1.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 4.0),
    ]


def test_completion_reported_before_the_coordinators_contribute_ends_the_wait() -> None:
    """The lead may report completion without the coordinators; the committee then holds it."""
    result = Story().acknowledge(1).progress(100, 2).report_completion(4).why_late(at(5))
    assert phases(result)[1:] == [
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 1.0),
        (Phase.WAITING_FOR_COORDINATORS, Holder.COORDINATOR, (COORDINATOR,), 2.0),
        (Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, (), 1.0),
    ]


def test_progress_reported_below_full_again_hands_the_directive_back_to_the_lead() -> None:
    """A lead that takes back its 100% holds the directive again."""
    result = Story().acknowledge(1).progress(100, 2).progress(80, 3).why_late(at(5))
    assert phases(result)[1:] == [
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 1.0),
        (Phase.WAITING_FOR_COORDINATORS, Holder.COORDINATOR, (COORDINATOR,), 1.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.0),
    ]


def test_days_waiting_for_an_extension_decision_are_held_by_the_committee() -> None:
    """From the request to the decision the committee holds the directive; then work resumes."""
    result = (
        Story()
        .acknowledge(1)
        .request_extension(date(2024, 3, 20), 3)
        .grant_extension(5)
        .why_late(at(7))
    )
    assert phases(result)[1:] == [
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.0),
        (Phase.EXTENSION_PENDING, Holder.COMMITTEE, (), 2.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.0),
    ]
    assert (result.original_deadline, result.deadline) == (DEADLINE, date(2024, 3, 20))


def test_a_pending_extension_comes_before_the_wait_for_coordinators_which_resumes_after() -> None:
    """While a request is pending the committee holds the directive, even at 100%."""
    result = (
        Story()
        .acknowledge(1)
        .progress(100, 2)
        .request_extension(date(2024, 3, 20), 3)
        .deny_extension(4)
        .contribute(COORDINATOR, 6)
        .why_late(at(7))
    )
    assert phases(result)[1:] == [
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 1.0),
        (Phase.WAITING_FOR_COORDINATORS, Holder.COORDINATOR, (COORDINATOR,), 1.0),
        (Phase.EXTENSION_PENDING, Holder.COMMITTEE, (), 1.0),
        (Phase.WAITING_FOR_COORDINATORS, Holder.COORDINATOR, (COORDINATOR,), 2.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 1.0),
    ]
    assert result.deadline == DEADLINE


def test_a_pending_extension_lapses_when_the_directive_is_reassigned() -> None:
    """The committee's wait ends with the reassignment; the new lead must acknowledge."""
    result = (
        Story()
        .acknowledge(1)
        .request_extension(date(2024, 3, 20), 2)
        .reassign(OTHER_UNIT, 4)
        .why_late(at(5))
    )
    assert phases(result)[1:] == [
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 1.0),
        (Phase.EXTENSION_PENDING, Holder.COMMITTEE, (), 2.0),
        (Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (OTHER_UNIT,), 1.0),
    ]


def test_a_reassignment_forgets_the_previous_leads_full_progress() -> None:
    """The new lead has not reported 100%, so nobody waits for the coordinators yet."""
    result = (
        Story()
        .acknowledge(1)
        .progress(100, 2)
        .reassign(OTHER_UNIT, 3)
        .acknowledge(4)
        .why_late(at(6))
    )
    assert phases(result)[-1] == (Phase.IN_PROGRESS, Holder.LEAD, (OTHER_UNIT,), 2.0)


def test_days_waiting_for_acceptance_are_held_by_the_committee() -> None:
    """From the completion report to its acceptance the committee holds the directive."""
    result = Story().acknowledge(1).report_completion(3).accept(5).why_late(at(9))
    assert phases(result) == [
        (Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (LEAD,), 1.0),
        (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.0),
        (Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, (), 2.0),
    ]
    assert result.finished_at == at(3)
    assert result.spans[-1].end == at(5)


def test_days_after_a_return_are_rework_held_by_the_lead_unit() -> None:
    """A returned report puts the directive back with the lead until it reports again."""
    result = (
        Story()
        .acknowledge(1)
        .report_completion(3)
        .return_for_rework(4)
        .progress(100, 5)
        .report_completion(7)
        .accept(8)
        .why_late(at(9))
    )
    assert phases(result)[2:] == [
        (Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, (), 1.0),
        (Phase.RETURNED_FOR_REWORK, Holder.LEAD, (LEAD,), 3.0),
        (Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, (), 1.0),
    ]
    assert result.finished_at == at(7)


def test_withdrawal_ends_the_last_span_and_the_directive_is_never_late() -> None:
    """A withdrawn directive's time stops at the withdrawal and it leaves every count."""
    result = Story(deadline=date(2024, 3, 5)).acknowledge(1).withdraw(4).why_late(at(10))
    assert phases(result)[-1] == (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 3.0)
    assert result.spans[-1].end == result.finished_at == at(4)
    assert result.days_late == 0


def test_an_open_directives_last_span_ends_now() -> None:
    """Nothing has finished, so the time runs to the moment asked about."""
    result = Story().acknowledge(1).remind(2).why_late(at(3, hour=21))
    assert phases(result)[-1] == (Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.5)
    assert result.finished_at is None


def test_steps_taken_at_the_same_moment_leave_no_empty_span() -> None:
    """Acknowledging at the moment of issue gives no acknowledgement span at all."""
    result = Story().acknowledge(0).why_late(at(2))
    assert phases(result) == [(Phase.IN_PROGRESS, Holder.LEAD, (LEAD,), 2.0)]


def test_reminders_do_not_split_a_span() -> None:
    """Only a change of phase or of holder starts a new span."""
    result = Story().acknowledge(1).remind(2).progress(30, 3).remind(4).why_late(at(6))
    assert len(result.spans) == 2


def test_events_after_now_are_left_out() -> None:
    """A breakdown as of a past moment ignores what happened later."""
    story = Story().acknowledge(1).report_completion(3).accept(5)
    assert story.why_late(at(2)) == Story().acknowledge(1).why_late(at(2))


def test_a_history_starts_with_the_issue() -> None:
    """Without its Issued event a history cannot be read."""
    story = Story().acknowledge(1)
    with pytest.raises(ValueError, match="starts with its Issued event"):
        why_late(story.events[1:], at(2))
    with pytest.raises(ValueError, match="not yet issued"):
        why_late(story.events, at(-1))


# --- the deadline ----------------------------------------------------------------------------


def test_days_after_the_deadline_count_from_the_end_of_its_city_day() -> None:
    """A deadline of 6 March is missed from midnight in the city, 17:00 UTC on the 6th."""
    result = Story(deadline=date(2024, 3, 6)).acknowledge(1).why_late(at(4))
    acknowledging, working = result.spans
    assert acknowledging.days_after_deadline == 0.0
    assert working.days == 3.0
    assert working.days_after_deadline == 1.375  # 7 March 00:00 to 8 March 09:00
    assert result.days_late == 2


def test_days_late_count_to_the_day_the_accepted_report_was_submitted() -> None:
    """A slow acceptance does not add to the days late; a returned report does not count."""
    result = (
        Story(deadline=date(2024, 3, 6))
        .acknowledge(1)
        .report_completion(1)
        .return_for_rework(2)
        .report_completion(5)
        .accept(12)
        .why_late(at(20))
    )
    assert result.finished_at == at(5)
    assert result.days_late == 3  # 6 March to 9 March
    assert result.spans[-1].days_after_deadline == 7.0  # 9 March 09:00 to 16 March 09:00


def test_an_extension_moves_the_deadline_the_days_are_measured_against() -> None:
    """Days after the deadline are measured against the deadline in force, not the original."""
    result = (
        Story(deadline=date(2024, 3, 6))
        .acknowledge(1)
        .request_extension(date(2024, 3, 10), 2)
        .grant_extension(4)
        .why_late(at(8))
    )
    assert result.deadline == date(2024, 3, 10)
    assert sum(s.days_after_deadline for s in result.spans) == 1.375  # from 11 March 00:00
    assert result.days_late == 2  # 10 March to 12 March


def test_a_directive_without_a_deadline_is_never_late() -> None:
    """No deadline, no days after it."""
    result = Story(deadline=None).acknowledge(1).why_late(at(400))
    assert result.days_late == 0
    assert all(s.days_after_deadline == 0.0 for s in result.spans)


def test_a_directive_still_within_its_deadline_is_not_late() -> None:
    """Days late is never negative."""
    assert Story().acknowledge(1).why_late(at(3)).days_late == 0


# --- totals ----------------------------------------------------------------------------------


def test_totals_sum_the_days_by_phase_in_the_order_the_phases_are_declared() -> None:
    """Repeated phases add up; each phase appears once, in a stable order."""
    result = (
        Story(deadline=date(2024, 3, 6))
        .acknowledge(1)
        .report_completion(3)
        .return_for_rework(4)
        .report_completion(7)
        .why_late(at(8))
    )
    assert result.totals == [
        Total(Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, 1.0, 0.0),
        Total(Phase.IN_PROGRESS, Holder.LEAD, 2.0, 0.375),
        Total(Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, 2.0, 2.0),
        Total(Phase.RETURNED_FOR_REWORK, Holder.LEAD, 3.0, 3.0),
    ]


def test_a_units_breakdown_adds_up_the_breakdowns_it_is_given() -> None:
    """Directives, days late and days per phase are summed over the breakdowns."""
    first = Story(deadline=date(2024, 3, 6)).acknowledge(1).why_late(at(8))
    second = (
        Story(deadline=date(2024, 3, 6), reference="2/UBND")
        .acknowledge(2)
        .report_completion(4)
        .why_late(at(8))
    )
    summed = unit_why_late(LEAD, [first, second])
    assert (summed.unit, summed.directives, summed.days_late) == (LEAD, 2, 12)
    assert summed.totals == [
        Total(Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, 3.0, 0.0),
        Total(Phase.IN_PROGRESS, Holder.LEAD, 9.0, 6.75),
        Total(Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, 4.0, 4.0),
    ]
    assert unit_why_late(LEAD, []).totals == []


# --- for every history -----------------------------------------------------------------------

# The steps worth trying in each state, repeated to weight them, so that walks get somewhere:
# most steps drawn are accepted, and every phase turns up.
STEPS = {
    Status.ISSUED: ("acknowledge",) * 4 + ("contribute", "reassign", "withdraw", "remind"),
    Status.IN_PROGRESS: ("progress",) * 3
    + ("contribute",) * 2
    + ("request_extension",) * 2
    + ("grant_extension", "deny_extension")
    + ("report_completion",) * 2
    + ("reassign", "withdraw", "remind"),
    Status.COMPLETION_REPORTED: ("return",) * 2
    + ("accept", "grant_extension", "deny_extension", "contribute"),
}
UNITS = (LEAD, COORDINATOR, SECOND_COORDINATOR, OTHER_UNIT)


def take(directive: Directive, step: str, n: int, moment: datetime) -> None:
    """Try one step by the person whose turn it would be; the aggregate may refuse it."""
    lead = officer(directive.lead_unit)
    if step == "acknowledge":
        directive.acknowledge(actor=lead, request_id="r", at=moment)
    elif step == "progress":
        percent = 100 if n % 2 else n % 101
        directive.report_progress(
            percent=percent, narrative="", actor=lead, request_id="r", at=moment
        )
    elif step == "contribute":
        unit = UNITS[n % len(UNITS)]
        directive.contribute(narrative="", actor=officer(unit), request_id="r", at=moment)
    elif step == "request_extension":
        base = directive.deadline or moment.date()
        directive.request_extension(
            new_deadline=base + timedelta(days=1 + n % 20),
            reason="",
            actor=lead,
            request_id="r",
            at=moment,
        )
    elif step == "grant_extension":
        directive.grant_extension(
            number=len(directive.extensions), actor=LEADER, request_id="r", at=moment
        )
    elif step == "deny_extension":
        directive.deny_extension(
            number=len(directive.extensions), reason="", actor=LEADER, request_id="r", at=moment
        )
    elif step == "report_completion":
        directive.report_completion(summary="Xong", actor=lead, request_id="r", at=moment)
    elif step == "accept":
        directive.accept_completion(actor=LEADER, request_id="r", at=moment)
    elif step == "return":
        directive.return_completion(reason="", actor=LEADER, request_id="r", at=moment)
    elif step == "reassign":
        unit = UNITS[n % len(UNITS)]
        directive.reassign(to_unit=unit, reason="", actor=OFFICE, request_id="r", at=moment)
    elif step == "withdraw":
        directive.withdraw(reason="Thu hồi", actor=LEADER, request_id="r", at=moment)
    else:
        directive.send_reminder(message="", actor=OFFICE, request_id="r", at=moment)


histories = st.tuples(
    st.sampled_from([None, 0, 3, 10, 30]),
    st.lists(st.sampled_from((COORDINATOR, SECOND_COORDINATOR)), unique=True, max_size=2),
    st.lists(
        st.tuples(st.integers(0, 1000), st.integers(0, 200), st.integers(0, 5 * 24 * 60)),
        max_size=40,
    ),
    st.integers(0, 30 * 24 * 60),
)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_spans_partition_the_time_from_issue_to_the_end(
    history: tuple[int | None, list[str], list[tuple[int, int, int]], int],
) -> None:
    """Consecutive, without gaps or overlaps; days after the deadline never exceed the days."""
    deadline_days, coordinating, steps, minutes_after = history
    start = datetime(2024, 1, 1, 1, 0, tzinfo=UTC)
    directive = Directive.issue(
        reference="9/UBND",
        title="Nhiệm vụ",
        content="",
        issuer=None,
        lead_unit=LEAD,
        coordinating_units=coordinating,
        deadline=None if deadline_days is None else start.date() + timedelta(deadline_days),
        actor=LEADER,
        request_id="r",
        at=start,
    )
    moment = start
    for choice, n, minutes in steps:
        if directive.is_closed:
            break
        moment += timedelta(minutes=minutes)
        choices = STEPS[directive.status]
        with contextlib.suppress(DomainError):
            take(directive, choices[choice % len(choices)], n, moment)
    now = moment + timedelta(minutes=minutes_after)
    events = [e for e in directive.collect_events() if isinstance(e, Directive.Event)]
    result = why_late(events, now)

    closing = directive.accepted_at or directive.withdrawn_at
    end = closing or now
    spans: tuple[Span, ...] = result.spans
    if spans:
        assert (spans[0].start, spans[-1].end) == (start, end)
    else:
        assert start == end
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert all(
        (a.phase, a.holder, a.units) != (b.phase, b.holder, b.units)
        for a, b in itertools.pairwise(spans)
    )
    assert all(s.end > s.start and s.days == (s.end - s.start) / timedelta(days=1) for s in spans)
    assert math.isclose(sum(s.days for s in spans), (end - start) / timedelta(days=1), abs_tol=1e-9)
    assert all(0.0 <= s.days_after_deadline <= s.days for s in spans)
    assert all((s.holder is Holder.COMMITTEE) == (s.units == ()) for s in spans)
    assert math.isclose(
        sum(t.days for t in result.totals), sum(s.days for s in spans), abs_tol=1e-9
    )
    assert result.lead_unit == directive.lead_unit
    assert result.deadline == directive.deadline
    day = directive.completion_date() or city_date(now)
    if directive.deadline is None or directive.withdrawn_at is not None:
        assert result.days_late == 0
    else:
        assert result.days_late == max(0, (day - directive.deadline).days)
