"""The Directive aggregate's rules: a rejected command raises its own error and records nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.application import Thucthi
from domain.directives.directive import (
    Directive,
    ExtensionStatus,
    Status,
    Urgency,
    directive_id,
    progress_over_time,
    shown_progress,
)
from domain.directives.errors import (
    AlreadyAcknowledgedError,
    CompletionPendingError,
    DeadlineNotLaterError,
    DirectiveClosedError,
    ExtensionAlreadyPendingError,
    ExtensionTooLateError,
    InvalidAttachmentError,
    InvalidDirectiveError,
    InvalidPercentError,
    NoCompletionReportError,
    NoDeadlineError,
    NoOpenExplanationError,
    NoPendingExtensionError,
    NotAcknowledgedError,
    NotCoordinatorError,
    NotLeadUnitError,
    SameLeadUnitError,
)
from domain.shared.actors import Actor, Role
from domain.shared.errors import DomainError, InvalidTextError, NotPermittedError
from tests.builders import (
    ADMIN,
    COORDINATOR,
    COORDINATOR_OFFICER,
    INSPECTOR,
    LEAD,
    LEAD_OFFICER,
    LEADER,
    OFFICE,
    OTHER_OFFICER,
    OTHER_UNIT,
    acknowledged,
    issued,
)

T0 = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)  # 09:00 on 4 March 2024 in the city
DIGEST = "sha256:" + "ab" * 32


def assert_rejected(
    directive: Directive, error: type[DomainError], command: Callable[[], object]
) -> None:
    """The command raises exactly this error, and the directive is left exactly as it was."""
    before = copy.deepcopy(vars(directive))
    with pytest.raises(error) as raised:
        command()
    assert type(raised.value) is error
    assert vars(directive) == before
    assert directive.collect_events() == []


def completion_reported(at: datetime = T0) -> Directive:
    d = acknowledged(at)
    d.report_completion(summary="Đã hoàn thành", actor=LEAD_OFFICER, request_id="r", at=at)
    d.collect_events()
    return d


def accepted(at: datetime = T0) -> Directive:
    d = completion_reported(at)
    d.accept_completion(actor=LEADER, request_id="r", at=at)
    d.collect_events()
    return d


def withdrawn(at: datetime = T0) -> Directive:
    d = acknowledged(at)
    d.withdraw(reason="Không còn phù hợp", actor=LEADER, request_id="r", at=at)
    d.collect_events()
    return d


# --- issuing ---------------------------------------------------------------------------------


def test_issuing_records_who_issued_it_and_why() -> None:
    """The Issued event carries the actor, the request id and every field of the directive."""
    d = Directive.issue(
        reference=" 12/UBND-KT ",
        title=" Báo cáo quý ",
        content="Nội dung",
        issuer="leader.pct1",
        lead_unit=LEAD,
        coordinating_units=[COORDINATOR, COORDINATOR],
        deadline=date(2024, 3, 30),
        urgency=Urgency.IMMEDIATE,
        actor=OFFICE,
        request_id="req-42",
        at=T0,
    )
    (event,) = d.collect_events()
    assert isinstance(event, Directive.Issued)
    assert event.actor == OFFICE
    assert event.request_id == "req-42"
    assert event.timestamp == T0
    assert (event.reference, event.title, event.issuer) == (
        "12/UBND-KT",
        "Báo cáo quý",
        "leader.pct1",
    )
    assert event.coordinating_units == (COORDINATOR,)
    assert d.id == directive_id("12/UBND-KT")
    assert d.status is Status.ISSUED
    assert d.deadline == d.original_deadline == date(2024, 3, 30)
    assert d.issued_on == date(2024, 3, 4)


def test_a_reference_gives_the_same_id_every_time() -> None:
    """Ids derive from references, so a second issue of a reference collides in the store."""
    assert directive_id("1/UBND") == directive_id("1/UBND") != directive_id("2/UBND")


@pytest.mark.parametrize("actor", [OTHER_OFFICER, INSPECTOR, ADMIN])
def test_only_leaders_and_the_office_issue_directives(actor: Actor) -> None:
    """Departments, inspectors and admins cannot issue."""
    with pytest.raises(NotPermittedError):
        Directive.issue(
            reference="1/UBND",
            title="t",
            content="",
            issuer="leader.chutich",
            lead_unit=LEAD,
            actor=actor,
            request_id="r",
            at=T0,
        )


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"deadline": date(2024, 3, 3)}, "deadline before issue"),
        ({"issued_on": date(2024, 3, 5)}, "issued in the future"),
        ({"coordinating_units": [LEAD]}, "lead also coordinates"),
        ({"issuer": None, "actor": OFFICE}, "office without an issuer"),
    ],
)
def test_malformed_directives_are_refused(changes: dict[str, object], why: str) -> None:
    """Issuing checks its fields and raises InvalidDirectiveError."""
    fields: dict[str, object] = {
        "reference": "1/UBND",
        "title": "t",
        "content": "",
        "issuer": "leader.chutich",
        "lead_unit": LEAD,
        "coordinating_units": [],
        "deadline": date(2024, 3, 10),
        "actor": LEADER,
        "request_id": "r",
        "at": T0,
    }
    fields.update(changes)
    with pytest.raises(InvalidDirectiveError):
        Directive.issue(**fields)  # type: ignore[arg-type]  # fields vary by case


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reference": "  "}, "reference"),
        ({"reference": "1/" + "A" * 63}, "reference"),
        ({"title": " "}, "title"),
        ({"issuer": " "}, "issuer"),
    ],
)
def test_issuing_with_an_empty_or_malformed_text_names_the_field(
    changes: dict[str, object], field: str
) -> None:
    """Text fields are checked by the one text rule, which names the field it refused."""
    fields: dict[str, object] = {
        "reference": "1/UBND",
        "title": "t",
        "content": "",
        "issuer": "leader.chutich",
        "lead_unit": LEAD,
        "actor": LEADER,
        "request_id": "r",
        "at": T0,
        **changes,
    }
    with pytest.raises(InvalidTextError) as refused:
        Directive.issue(**fields)  # type: ignore[arg-type]  # fields vary by case
    assert refused.value.field == field


# --- who may act -----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [COORDINATOR_OFFICER, OTHER_OFFICER])
def test_only_the_lead_unit_acknowledges(actor: Actor) -> None:
    d = issued(T0)
    assert_rejected(d, NotLeadUnitError, lambda: d.acknowledge(actor=actor, request_id="r", at=T0))


@pytest.mark.parametrize("actor", [LEADER, OFFICE, INSPECTOR, ADMIN])
def test_committee_roles_do_not_acknowledge(actor: Actor) -> None:
    d = issued(T0)
    assert_rejected(d, NotPermittedError, lambda: d.acknowledge(actor=actor, request_id="r", at=T0))


def test_only_the_lead_unit_reports_progress() -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        NotLeadUnitError,
        lambda: d.report_progress(
            percent=10, narrative="", actor=COORDINATOR_OFFICER, request_id="r", at=T0
        ),
    )


def test_only_the_lead_unit_asks_for_an_extension() -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        NotLeadUnitError,
        lambda: d.request_extension(
            new_deadline=date(2024, 4, 1), reason="", actor=OTHER_OFFICER, request_id="r", at=T0
        ),
    )


def test_only_the_lead_unit_reports_completion() -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        NotLeadUnitError,
        lambda: d.report_completion(summary="", actor=COORDINATOR_OFFICER, request_id="r", at=T0),
    )


def test_coordinators_only_contribute() -> None:
    """A coordinating unit's contribution is recorded under its own unit."""
    d = issued(T0)
    d.contribute(narrative="Đã phối hợp", actor=COORDINATOR_OFFICER, request_id="r", at=T0)
    (event,) = d.collect_events()
    assert isinstance(event, Directive.ContributionReported)
    assert event.unit == COORDINATOR
    assert d.contributions == 1


@pytest.mark.parametrize("actor", [LEAD_OFFICER, OTHER_OFFICER])
def test_units_that_do_not_coordinate_cannot_contribute(actor: Actor) -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        NotCoordinatorError,
        lambda: d.contribute(narrative="", actor=actor, request_id="r", at=T0),
    )


@pytest.mark.parametrize("actor", [OFFICE, INSPECTOR, LEAD_OFFICER])
def test_only_leaders_decide_extensions(actor: Actor) -> None:
    d = acknowledged(T0)
    d.request_extension(
        new_deadline=date(2024, 4, 1), reason="", actor=LEAD_OFFICER, request_id="r", at=T0
    )
    d.collect_events()
    assert_rejected(
        d,
        NotPermittedError,
        lambda: d.grant_extension(number=1, actor=actor, request_id="r", at=T0),
    )
    assert_rejected(
        d,
        NotPermittedError,
        lambda: d.deny_extension(number=1, reason="", actor=actor, request_id="r", at=T0),
    )


@pytest.mark.parametrize("actor", [OFFICE, INSPECTOR, LEAD_OFFICER])
def test_only_leaders_accept_or_return_completion(actor: Actor) -> None:
    d = completion_reported()
    assert_rejected(
        d, NotPermittedError, lambda: d.accept_completion(actor=actor, request_id="r", at=T0)
    )
    assert_rejected(
        d,
        NotPermittedError,
        lambda: d.return_completion(reason="", actor=actor, request_id="r", at=T0),
    )


def test_inspectors_can_only_read() -> None:
    """Every command refuses an inspector."""
    d = acknowledged(T0)
    commands: list[Callable[[], object]] = [
        lambda: d.report_progress(percent=1, narrative="", actor=INSPECTOR, request_id="r", at=T0),
        lambda: d.withdraw(reason="", actor=INSPECTOR, request_id="r", at=T0),
        lambda: d.send_reminder(message="", actor=INSPECTOR, request_id="r", at=T0),
        lambda: d.request_explanation(question="", actor=INSPECTOR, request_id="r", at=T0),
        lambda: d.reassign(to_unit=OTHER_UNIT, reason="", actor=INSPECTOR, request_id="r", at=T0),
        lambda: d.contribute(narrative="", actor=INSPECTOR, request_id="r", at=T0),
    ]
    for command in commands:
        assert_rejected(d, NotPermittedError, command)


def test_departments_cannot_withdraw_remind_or_reassign() -> None:
    d = acknowledged(T0)
    for command in (
        lambda: d.withdraw(reason="", actor=LEAD_OFFICER, request_id="r", at=T0),
        lambda: d.send_reminder(message="", actor=LEAD_OFFICER, request_id="r", at=T0),
        lambda: d.reassign(
            to_unit=OTHER_UNIT, reason="", actor=LEAD_OFFICER, request_id="r", at=T0
        ),
        lambda: d.request_explanation(question="", actor=LEAD_OFFICER, request_id="r", at=T0),
    ):
        assert_rejected(d, NotPermittedError, command)


# --- acknowledgement and progress ------------------------------------------------------------


def test_acknowledgement_happens_once() -> None:
    d = acknowledged(T0)
    assert d.status is Status.IN_PROGRESS
    assert d.acknowledged_at == T0
    assert_rejected(
        d,
        AlreadyAcknowledgedError,
        lambda: d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0),
    )


def test_progress_waits_for_acknowledgement() -> None:
    d = issued(T0)
    assert_rejected(
        d,
        NotAcknowledgedError,
        lambda: d.report_progress(
            percent=5, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0
        ),
    )


@pytest.mark.parametrize("percent", [-1, 101, 1000, True, 50.5])
def test_progress_is_a_whole_percentage(percent: int) -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        InvalidPercentError,
        lambda: d.report_progress(
            percent=percent, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0
        ),
    )


def test_progress_reports_keep_the_latest_percent_and_time() -> None:
    d = acknowledged(T0)
    later = T0 + timedelta(days=3)
    d.report_progress(percent=0, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.report_progress(
        percent=60,
        narrative="Đã xong 60%",
        attachments=[DIGEST],
        actor=LEAD_OFFICER,
        request_id="r",
        at=later,
    )
    events = d.collect_events()
    assert [e.percent for e in events if isinstance(e, Directive.ProgressReported)] == [0, 60]
    assert (d.percent, d.progress_reported_at, d.progress_reports) == (60, later, 2)


def test_attachments_are_named_by_sha256_digest() -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        InvalidAttachmentError,
        lambda: d.report_progress(
            percent=5,
            narrative="",
            attachments=["report.pdf"],
            actor=LEAD_OFFICER,
            request_id="r",
            at=T0,
        ),
    )


# --- extensions ------------------------------------------------------------------------------


def ask(d: Directive, new_deadline: date, at: datetime = T0) -> int:
    return d.request_extension(
        new_deadline=new_deadline,
        reason="Cần thêm thời gian",
        actor=LEAD_OFFICER,
        request_id="r",
        at=at,
    )


def test_an_extension_can_be_asked_on_the_deadline_day_itself() -> None:
    """The deadline is the last day: asking on it (city time) is still in time."""
    d = acknowledged(T0, deadline=3)
    last_evening = datetime(2024, 3, 7, 16, 59, tzinfo=UTC)  # 23:59 on 7 March in the city
    assert ask(d, date(2024, 3, 20), at=last_evening) == 1
    assert d.pending_extension is not None


def test_an_extension_cannot_be_asked_after_the_deadline() -> None:
    d = acknowledged(T0, deadline=3)
    next_morning = datetime(2024, 3, 7, 17, 0, tzinfo=UTC)  # 00:00 on 8 March in the city
    assert_rejected(d, ExtensionTooLateError, lambda: ask(d, date(2024, 3, 20), at=next_morning))


def test_at_most_one_extension_is_pending() -> None:
    d = acknowledged(T0)
    ask(d, date(2024, 3, 20))
    d.collect_events()
    assert_rejected(d, ExtensionAlreadyPendingError, lambda: ask(d, date(2024, 3, 25)))


def test_a_requested_deadline_must_be_later_than_the_one_in_force() -> None:
    d = acknowledged(T0, deadline=10)
    assert_rejected(d, DeadlineNotLaterError, lambda: ask(d, date(2024, 3, 14)))


def test_a_directive_without_deadline_has_nothing_to_extend() -> None:
    d = acknowledged(T0, deadline=None)
    assert_rejected(d, NoDeadlineError, lambda: ask(d, date(2024, 3, 20)))


def test_a_granted_extension_moves_the_deadline_in_force_only() -> None:
    d = acknowledged(T0, deadline=10)
    n = ask(d, date(2024, 3, 30))
    d.grant_extension(number=n, note="Đồng ý", actor=LEADER, request_id="r", at=T0)
    assert d.deadline == date(2024, 3, 30)
    assert d.original_deadline == date(2024, 3, 14)
    assert d.extensions[0].status is ExtensionStatus.GRANTED
    assert d.pending_extension is None


def test_a_leader_may_grant_a_different_later_date() -> None:
    d = acknowledged(T0, deadline=10)
    n = ask(d, date(2024, 3, 30))
    d.grant_extension(number=n, new_deadline=date(2024, 3, 20), actor=LEADER, request_id="r", at=T0)
    assert d.deadline == date(2024, 3, 20)


def test_a_granted_deadline_must_be_later_than_the_one_it_replaces() -> None:
    d = acknowledged(T0, deadline=10)
    n = ask(d, date(2024, 3, 30))
    d.collect_events()
    assert_rejected(
        d,
        DeadlineNotLaterError,
        lambda: d.grant_extension(
            number=n, new_deadline=date(2024, 3, 14), actor=LEADER, request_id="r", at=T0
        ),
    )


def test_a_denied_extension_keeps_the_deadline() -> None:
    d = acknowledged(T0, deadline=10)
    n = ask(d, date(2024, 3, 30))
    d.deny_extension(number=n, reason="Không có cơ sở", actor=LEADER, request_id="r", at=T0)
    assert d.deadline == date(2024, 3, 14)
    assert d.extensions[0].status is ExtensionStatus.DENIED


@pytest.mark.parametrize("number", [1, 2])
def test_only_a_pending_extension_can_be_decided(number: int) -> None:
    d = acknowledged(T0)
    n = ask(d, date(2024, 3, 30))
    d.deny_extension(number=n, reason="", actor=LEADER, request_id="r", at=T0)
    d.collect_events()
    assert_rejected(
        d,
        NoPendingExtensionError,
        lambda: d.grant_extension(number=number, actor=LEADER, request_id="r", at=T0),
    )


# --- completion ------------------------------------------------------------------------------


def test_acceptance_and_return_only_follow_a_completion_report() -> None:
    d = acknowledged(T0)
    assert_rejected(
        d, NoCompletionReportError, lambda: d.accept_completion(actor=LEADER, request_id="r", at=T0)
    )
    assert_rejected(
        d,
        NoCompletionReportError,
        lambda: d.return_completion(reason="", actor=LEADER, request_id="r", at=T0),
    )


def test_a_pending_completion_report_blocks_progress_and_a_second_report() -> None:
    d = completion_reported()
    assert_rejected(
        d,
        CompletionPendingError,
        lambda: d.report_progress(
            percent=5, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0
        ),
    )
    assert_rejected(
        d,
        CompletionPendingError,
        lambda: d.report_completion(summary="", actor=LEAD_OFFICER, request_id="r", at=T0),
    )


def test_a_returned_report_sends_the_directive_back_to_work() -> None:
    d = completion_reported()
    d.return_completion(reason="Thiếu số liệu", actor=LEADER, request_id="r", at=T0)
    assert (d.status, d.returns, d.completion_reported_at) == (Status.IN_PROGRESS, 1, None)


def test_the_completion_date_is_the_day_the_accepted_report_was_submitted() -> None:
    """A slow acceptance does not move the completion date."""
    submitted = T0 + timedelta(days=2)
    d = acknowledged(T0)
    d.report_completion(summary="Đã xong", actor=LEAD_OFFICER, request_id="r", at=submitted)
    assert d.completion_date() is None
    d.accept_completion(actor=LEADER, request_id="r", at=submitted + timedelta(days=20))
    assert d.completion_date() == date(2024, 3, 6)
    assert d.status is Status.COMPLETED


# --- closed directives -----------------------------------------------------------------------


@pytest.mark.parametrize("close", [accepted, withdrawn], ids=["accepted", "withdrawn"])
def test_nothing_but_reading_happens_after_acceptance_or_withdrawal(
    close: Callable[[], Directive],
) -> None:
    d = close()
    commands: list[Callable[[], object]] = [
        lambda: d.report_progress(
            percent=5, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0
        ),
        lambda: d.contribute(narrative="", actor=COORDINATOR_OFFICER, request_id="r", at=T0),
        lambda: ask(d, date(2024, 4, 30)),
        lambda: d.report_completion(summary="", actor=LEAD_OFFICER, request_id="r", at=T0),
        lambda: d.accept_completion(actor=LEADER, request_id="r", at=T0),
        lambda: d.reassign(to_unit=OTHER_UNIT, reason="", actor=OFFICE, request_id="r", at=T0),
        lambda: d.withdraw(reason="", actor=LEADER, request_id="r", at=T0),
        lambda: d.send_reminder(message="", actor=OFFICE, request_id="r", at=T0),
        lambda: d.request_explanation(question="", actor=LEADER, request_id="r", at=T0),
        lambda: d.give_explanation(number=1, answer="", actor=LEAD_OFFICER, request_id="r", at=T0),
        lambda: d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0),
    ]
    for command in commands:
        assert_rejected(d, DirectiveClosedError, command)


def test_withdrawal_lapses_a_pending_extension() -> None:
    d = acknowledged(T0)
    ask(d, date(2024, 3, 30))
    d.withdraw(reason="Không còn phù hợp", actor=LEADER, request_id="r", at=T0)
    assert d.extensions[0].status is ExtensionStatus.LAPSED
    assert d.status is Status.WITHDRAWN


# --- reassignment, reminders, explanations ---------------------------------------------------


def test_reassignment_hands_the_directive_to_a_new_lead_who_must_acknowledge() -> None:
    d = acknowledged(T0)
    ask(d, date(2024, 3, 30))
    d.reassign(to_unit=COORDINATOR, reason="Đúng chức năng", actor=OFFICE, request_id="r", at=T0)
    assert d.lead_unit == COORDINATOR
    assert d.coordinating_units == ()
    assert d.status is Status.ISSUED
    assert d.extensions[0].status is ExtensionStatus.LAPSED


def test_after_reassignment_only_the_new_lead_acknowledges() -> None:
    d = acknowledged(T0)
    d.reassign(to_unit=COORDINATOR, reason="", actor=OFFICE, request_id="r", at=T0)
    d.collect_events()
    assert_rejected(
        d, NotLeadUnitError, lambda: d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0)
    )
    d.acknowledge(actor=COORDINATOR_OFFICER, request_id="r", at=T0)
    assert d.acknowledged_at == T0


def test_reassignment_names_a_different_unit() -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        SameLeadUnitError,
        lambda: d.reassign(to_unit=LEAD, reason="", actor=OFFICE, request_id="r", at=T0),
    )


def test_reassignment_waits_for_a_pending_completion_decision() -> None:
    d = completion_reported()
    assert_rejected(
        d,
        CompletionPendingError,
        lambda: d.reassign(to_unit=OTHER_UNIT, reason="", actor=OFFICE, request_id="r", at=T0),
    )


def test_reminders_are_counted() -> None:
    d = issued(T0)
    d.send_reminder(message="Đề nghị khẩn trương", actor=OFFICE, request_id="r", at=T0)
    d.send_reminder(message="Nhắc lần 2", actor=LEADER, request_id="r", at=T0)
    assert (d.reminders, d.last_reminder_at) == (2, T0)


def test_explanations_are_answered_by_number_once() -> None:
    d = acknowledged(T0)
    n = d.request_explanation(question="Vì sao chậm?", actor=LEADER, request_id="r", at=T0)
    d.give_explanation(
        number=n, answer="Do thiếu kinh phí", actor=LEAD_OFFICER, request_id="r", at=T0
    )
    assert d.explanations[0].answer == "Do thiếu kinh phí"
    d.collect_events()
    assert_rejected(
        d,
        NoOpenExplanationError,
        lambda: d.give_explanation(number=n, answer="x", actor=LEAD_OFFICER, request_id="r", at=T0),
    )
    assert_rejected(
        d,
        NotLeadUnitError,
        lambda: d.give_explanation(
            number=n, answer="x", actor=COORDINATOR_OFFICER, request_id="r", at=T0
        ),
    )


def test_explanation_requests_are_for_leaders() -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        NotPermittedError,
        lambda: d.request_explanation(question="?", actor=OFFICE, request_id="r", at=T0),
    )


def test_an_actor_needs_an_id_and_a_department_officer_a_unit() -> None:
    with pytest.raises(ValueError, match="user id"):
        Actor(" ", Role.LEADER)
    with pytest.raises(ValueError, match="unit"):
        Actor("x", Role.DEPARTMENT)


# --- a completion report means the work is done (issue 24) -----------------------------------


def test_a_completion_report_shows_the_work_done_whatever_progress_was_reported_before() -> None:
    """The report is the unit saying it is done: 100 % from then on, and after acceptance."""
    d = acknowledged(T0)
    d.report_progress(percent=43, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0)
    assert d.progress == 43
    d.report_completion(summary="Đã xong", actor=LEAD_OFFICER, request_id="r", at=T0)
    assert (d.percent, d.progress) == (43, 100)
    d.accept_completion(actor=LEADER, request_id="r", at=T0)
    assert d.progress == 100


def test_a_returned_report_leaves_the_progress_of_the_last_progress_report() -> None:
    d = acknowledged(T0)
    d.report_progress(percent=43, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.report_completion(summary="Đã xong", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.return_completion(reason="Thiếu số liệu", actor=LEADER, request_id="r", at=T0)
    assert d.progress == 43


def test_progress_over_time_steps_with_the_reports_and_never_at_acceptance() -> None:
    """The chart's steps are the bar's value after each event: a completion report sets 100 %,
    its return falls back, acceptance changes nothing."""
    day = timedelta(days=1)
    d = issued(T0)
    d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0)
    d.report_progress(percent=43, narrative="", actor=LEAD_OFFICER, request_id="r", at=T0 + day)
    d.report_completion(summary="Xong", actor=LEAD_OFFICER, request_id="r", at=T0 + 2 * day)
    d.return_completion(reason="Thiếu", actor=LEADER, request_id="r", at=T0 + 3 * day)
    d.report_completion(summary="Bổ sung", actor=LEAD_OFFICER, request_id="r", at=T0 + 4 * day)
    d.accept_completion(actor=LEADER, request_id="r", at=T0 + 9 * day)
    issue = Directive.issue(
        reference=d.reference,
        title=d.title,
        content=d.content,
        issuer=None,
        lead_unit=d.lead_unit,
        coordinating_units=d.coordinating_units,
        deadline=d.original_deadline,
        urgency=d.urgency,
        actor=LEADER,
        request_id="req-issue",
        at=T0,
    ).collect_events()
    events = [e for e in (*issue, *d.collect_events()) if isinstance(e, Directive.Event)]
    steps = progress_over_time(events)
    assert steps == [(T0 + day, 43), (T0 + 2 * day, 100), (T0 + 3 * day, 43), (T0 + 4 * day, 100)]
    assert steps[-1][1] == d.progress


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("percent", [0, 43, 100])
def test_the_progress_shown_is_one_rule_of_status_and_last_report(
    status: Status, percent: int
) -> None:
    done = status in {Status.COMPLETION_REPORTED, Status.COMPLETED}
    assert shown_progress(status, percent) == (100 if done else percent)
    assert shown_progress(str(status), percent) == shown_progress(status, percent)


# --- texts a command must carry (issue 24) ---------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_a_completion_report_must_say_what_was_done(text: str) -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        InvalidTextError,
        lambda: d.report_completion(summary=text, actor=LEAD_OFFICER, request_id="r", at=T0),
    )
    with pytest.raises(InvalidTextError) as refused:
        d.report_completion(summary=text, actor=LEAD_OFFICER, request_id="r", at=T0)
    assert (refused.value.field, refused.value.problem) == ("summary", "empty")


@pytest.mark.parametrize("text", ["", "   "])
def test_an_explanation_request_must_ask_something(text: str) -> None:
    d = acknowledged(T0)
    assert_rejected(
        d,
        InvalidTextError,
        lambda: d.request_explanation(question=text, actor=LEADER, request_id="r", at=T0),
    )
    assert d.explanations == ()


@pytest.mark.parametrize("text", ["", "  \n "])
def test_a_withdrawal_must_say_why_though_a_reassignment_or_an_extension_need_not(
    text: str,
) -> None:
    d = acknowledged(T0)
    assert_rejected(
        d, InvalidTextError, lambda: d.withdraw(reason=text, actor=LEADER, request_id="r", at=T0)
    )
    with pytest.raises(InvalidTextError) as refused:
        d.withdraw(reason=text, actor=LEADER, request_id="r", at=T0)
    assert refused.value.field == "reason"
    ask(d, date(2024, 3, 30))
    d.reassign(to_unit=OTHER_UNIT, reason=text, actor=OFFICE, request_id="r", at=T0)
    assert d.lead_unit == OTHER_UNIT


def test_events_an_earlier_version_recorded_with_empty_texts_still_replay() -> None:
    """The rules judge commands, never stored events: a log written before the texts were
    required is read back as it was written."""
    app = Thucthi({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    d = Directive.issue(
        reference="1/UBND",
        title="t",
        content="",
        issuer=None,
        lead_unit=LEAD,
        actor=LEADER,
        request_id="r",
        at=T0,
    )
    d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0)
    # The mutators record the events as an earlier version did, without today's checks.
    d._explanation_requested(actor=LEADER, request_id="r", timestamp=T0, number=1, question="")
    d._completion_reported(
        actor=LEAD_OFFICER, request_id="r", timestamp=T0, summary="", attachments=(), files=()
    )
    d._completion_returned(actor=LEADER, request_id="r", timestamp=T0, reason="")
    d._withdrawn(actor=LEADER, request_id="r", timestamp=T0, reason="")
    app.save(d)
    rebuilt: Directive = app.repository.get(d.id)
    assert rebuilt == d
    assert (rebuilt.status, rebuilt.explanations[0].question) == (Status.WITHDRAWN, "")
    assert len(app.history(d.id)) == d.version


# --- reminders go to a unit that owes something (issue 24) -----------------------------------


def test_no_reminder_goes_to_a_unit_whose_completion_report_awaits_the_leader() -> None:
    """The directive then waits on the committee, not on the unit; after a return it is the
    unit's again."""
    d = completion_reported()
    assert_rejected(
        d,
        CompletionPendingError,
        lambda: d.send_reminder(message="Khẩn trương", actor=OFFICE, request_id="r", at=T0),
    )
    d.return_completion(reason="Thiếu số liệu", actor=LEADER, request_id="r", at=T0)
    d.send_reminder(message="Khẩn trương", actor=OFFICE, request_id="r", at=T0)
    assert d.reminders == 1
