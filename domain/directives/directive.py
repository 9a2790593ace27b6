"""The Directive aggregate: a directive of the People's Committee and every step of its execution.

Public methods are commands: they check the rules in a fixed order (role, closed, unit, state)
and compute the payload. The ``@event`` methods only change state, because replay runs them again
and must never re-validate. Rejected commands raise their own domain error and record nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

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
    NoSuchCommentError,
    NotAcknowledgedError,
    NotCoordinatorError,
    NotLeadUnitError,
    NotParticipantError,
    SameLeadUnitError,
)
from domain.directives.references import normalise_reference
from domain.shared.actors import Actor, Command, Role, require_permission
from domain.shared.calendar import WorkingCalendar
from domain.shared.clock import city_date
from domain.shared.files import FiledFile, InvalidFileError
from domain.shared.text import ATTACHMENT_DIGEST, checked


class FilesSinceVersion2:
    """What the events that carry files share: version 2 (issue 27) described the files filed
    with them (``FiledFile``); a version 1 event, stored before, is read with none."""

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["files"] = []


class Urgency(StrEnum):
    """Độ khẩn: thường, khẩn, thượng khẩn, hỏa tốc."""

    NORMAL = "normal"
    URGENT = "urgent"
    VERY_URGENT = "very_urgent"
    IMMEDIATE = "immediate"


class Status(StrEnum):
    """Where a directive stands in its process."""

    ISSUED = "issued"  # waiting for the lead unit to acknowledge receipt
    IN_PROGRESS = "in_progress"
    COMPLETION_REPORTED = "completion_reported"  # awaiting the leader's acceptance
    COMPLETED = "completed"  # completion accepted: closed
    WITHDRAWN = "withdrawn"  # closed


CLOSED = frozenset({Status.COMPLETED, Status.WITHDRAWN})
# A completion report is the lead unit saying the work is done: from the report on, the work is
# shown done, and a return for rework takes that back.
REPORTED_DONE = frozenset({Status.COMPLETION_REPORTED, Status.COMPLETED})


def shown_progress(status: str, reported_percent: int) -> int:
    """The progress every view shows (the bar, the lists, the chart, the exports, the JSON):
    100 % from the completion report on, whatever the last progress report said; otherwise, and
    again after a report is returned, the percent of the last progress report."""
    return 100 if status in REPORTED_DONE else reported_percent


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    DENIED = "denied"
    LAPSED = "lapsed"  # the directive was reassigned or withdrawn before a decision


@dataclass(frozen=True, slots=True)
class ExtensionRequest:
    """A lead unit's request for a later deadline, and what became of it."""

    number: int
    requested_deadline: date
    reason: str
    requested_at: datetime
    requested_by: str
    status: ExtensionStatus = ExtensionStatus.PENDING
    decided_at: datetime | None = None
    granted_deadline: date | None = None
    decision_note: str = ""


@dataclass(frozen=True, slots=True)
class ExplanationRequest:
    """A leader's demand for an explanation (yêu cầu giải trình), and the answer if given."""

    number: int
    question: str
    requested_at: datetime
    answer: str | None = None
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment of a directive's discussion (thảo luận), numbered from 1 in the order made;
    a reply names the comment it answers. Who wrote it is the event's actor, kept here."""

    number: int
    text: str
    author: str  # the user id
    role: Role
    unit: str | None  # a department officer's unit; None for the committee's roles
    at: datetime
    reply_to: int | None = None


def _in_working_days(
    deadline: date | None, days: int, issued_on: date, calendar: WorkingCalendar | None
) -> date:
    """The deadline ``days`` working days after the issue day (the issue day not counted)."""
    if deadline is not None:
        raise InvalidDirectiveError("deadline_and_working_days", deadline=deadline, days=days)
    if days < 1:
        raise InvalidDirectiveError("working_days_not_positive", days=days)
    if calendar is None:
        msg = "a deadline in working days is counted by a calendar"
        raise ValueError(msg)
    return calendar.add_working_days(issued_on, days)


def directive_id(reference: str) -> UUID:
    """The directive's id, derived from its reference (normalised since references are: earlier
    versions derived it from the text as given): a reference is unique by construction."""
    return uuid5(NAMESPACE_URL, "thucthi:directive:" + reference.strip())


class Directive(Aggregate):
    """A directive (văn bản chỉ đạo) and the state of its execution."""

    TOPIC = "thucthi:Directive"

    reference: str
    title: str
    content: str
    issuer: str
    issued_on: date
    lead_unit: str
    coordinating_units: tuple[str, ...]
    original_deadline: date | None
    deadline: date | None
    urgency: Urgency
    parent_id: UUID | None
    status: Status
    acknowledged_at: datetime | None
    percent: int
    progress_reported_at: datetime | None
    progress_reports: int
    contributions: int
    extensions: tuple[ExtensionRequest, ...]
    completion_reported_at: datetime | None
    completion_summary: str
    accepted_at: datetime | None
    returns: int
    reassignments: int
    withdrawn_at: datetime | None
    reminders: int
    last_reminder_at: datetime | None
    explanations: tuple[ExplanationRequest, ...]
    # The discussion, oldest first. A class default, because a snapshot taken before comments
    # existed (issue 27) holds no such field and restores the directive without one.
    comments: tuple[Comment, ...] = ()

    def __deepcopy__(self, memo: dict[int, object]) -> Directive:
        """Every field holds an immutable value (strings, dates, tuples of frozen records) and no
        event changes one in place, so copying the fields is a deep copy; only the list of
        pending events is the copy's own. A command's copy of a kept directive costs a tenth
        of ``copy.deepcopy``'s walk (a test checks every field stays immutable)."""
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied.__dict__["_pending_events"] = list(self.pending_events)
        return copied

    # --- events ------------------------------------------------------------------------------

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request. No TOPIC here on purpose:
        each concrete event names its own, and one that forgets fails at import."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:Directive.Created"

    class Issued(FilesSinceVersion2, Event, Aggregate.Created):
        TOPIC = "thucthi:Directive.Issued"
        reference: str
        title: str
        content: str
        issuer: str
        issued_on: date
        lead_unit: str
        coordinating_units: tuple[str, ...]
        deadline: date | None
        urgency: Urgency
        parent_id: UUID | None
        files: tuple[FiledFile, ...]

    class Acknowledged(Event):
        TOPIC = "thucthi:Directive.Acknowledged"

    class ProgressReported(FilesSinceVersion2, Event):
        TOPIC = "thucthi:Directive.ProgressReported"
        percent: int
        narrative: str
        attachments: tuple[str, ...]
        files: tuple[FiledFile, ...]

    class ContributionReported(FilesSinceVersion2, Event):
        TOPIC = "thucthi:Directive.ContributionReported"
        unit: str
        narrative: str
        attachments: tuple[str, ...]
        files: tuple[FiledFile, ...]

    class ExtensionRequested(Event):
        TOPIC = "thucthi:Directive.ExtensionRequested"
        number: int
        requested_deadline: date
        reason: str

    class ExtensionGranted(Event):
        TOPIC = "thucthi:Directive.ExtensionGranted"
        number: int
        new_deadline: date
        note: str

    class ExtensionDenied(Event):
        TOPIC = "thucthi:Directive.ExtensionDenied"
        number: int
        reason: str

    class CompletionReported(FilesSinceVersion2, Event):
        TOPIC = "thucthi:Directive.CompletionReported"
        summary: str
        attachments: tuple[str, ...]
        files: tuple[FiledFile, ...]

    class CompletionAccepted(Event):
        TOPIC = "thucthi:Directive.CompletionAccepted"
        note: str

    class CompletionReturned(Event):
        TOPIC = "thucthi:Directive.CompletionReturned"
        reason: str

    class Reassigned(Event):
        TOPIC = "thucthi:Directive.Reassigned"
        from_unit: str
        to_unit: str
        reason: str

    class Withdrawn(Event):
        TOPIC = "thucthi:Directive.Withdrawn"
        reason: str

    class HandedOver(Event):
        """A reorganisation of units (docs/units.md): what ``from_unit`` did on this directive,
        leading or coordinating it, ``to_unit`` carries on, where the work stands."""

        TOPIC = "thucthi:Directive.HandedOver"
        from_unit: str
        to_unit: str
        basis: str

    class ReminderSent(Event):
        TOPIC = "thucthi:Directive.ReminderSent"
        message: str

    class ExplanationRequested(Event):
        TOPIC = "thucthi:Directive.ExplanationRequested"
        number: int
        question: str

    class ExplanationGiven(FilesSinceVersion2, Event):
        TOPIC = "thucthi:Directive.ExplanationGiven"
        number: int
        answer: str
        files: tuple[FiledFile, ...]

    class Commented(Event):
        """A comment in the directive's discussion; ``reply_to`` names the comment it answers."""

        TOPIC = "thucthi:Directive.Commented"
        number: int
        text: str
        reply_to: int | None

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:Directive.Snapshot"

    # --- issuing -----------------------------------------------------------------------------

    @classmethod
    def issue(
        cls,
        *,
        reference: str,
        title: str,
        content: str,
        issuer: str | None,
        lead_unit: str,
        coordinating_units: Iterable[str] = (),
        deadline: date | None = None,
        urgency: Urgency = Urgency.NORMAL,
        parent_id: UUID | None = None,
        issued_on: date | None = None,
        deadline_in_working_days: int | None = None,
        calendar: WorkingCalendar | None = None,
        files: Iterable[FiledFile] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> Directive:
        """Issue a directive; the application checks its units exist and its reference is new.
        A deadline may be given as a number of working days instead of a date: it is then the
        that many-th working day after the issue day, by ``calendar`` (the one in force)."""
        require_permission(actor, Command.ISSUE)
        reference = normalise_reference(reference)
        title, content = checked("title", title), checked("content", content)
        if issuer is None:
            if actor.role is not Role.LEADER:
                raise InvalidDirectiveError("issuer_needed")
            issuer = actor.user_id
        issuer = checked("issuer", issuer)
        lead_unit = checked("lead_unit", lead_unit)
        today = city_date(at)
        issued_on = issued_on or today
        if issued_on > today:
            raise InvalidDirectiveError("issued_in_future", issued_on=issued_on, today=today)
        if deadline_in_working_days is not None:
            deadline = _in_working_days(deadline, deadline_in_working_days, issued_on, calendar)
        if deadline is not None and deadline < issued_on:
            raise InvalidDirectiveError(
                "deadline_before_issue", deadline=deadline, issued_on=issued_on
            )
        coordinators = tuple(
            dict.fromkeys(checked("coordinating_units", u) for u in coordinating_units)
        )
        if lead_unit in coordinators:
            raise InvalidDirectiveError("lead_also_coordinates", unit=lead_unit)
        signed = _filed(files)
        for file in signed:
            if file.media_type != "application/pdf":
                raise InvalidFileError("not_pdf", kind=file.name.rsplit(".", 1)[-1].upper())
        return cls._create(
            cls.Issued,
            id=directive_id(reference),
            actor=actor,
            request_id=request_id,
            timestamp=at,
            reference=reference,
            title=title,
            content=content,
            issuer=issuer,
            issued_on=issued_on,
            lead_unit=lead_unit,
            coordinating_units=coordinators,
            deadline=deadline,
            urgency=Urgency(urgency),
            parent_id=parent_id,
            files=signed,
        )

    @event(Issued)
    def __init__(
        self,
        *,
        actor: Actor,
        request_id: str,
        reference: str,
        title: str,
        content: str,
        issuer: str,
        issued_on: date,
        lead_unit: str,
        coordinating_units: tuple[str, ...],
        deadline: date | None,
        urgency: Urgency,
        parent_id: UUID | None,
        files: tuple[FiledFile, ...] = (),
    ) -> None:
        self.reference = reference
        self.title = title
        self.content = content
        self.issuer = issuer
        self.issued_on = issued_on
        self.lead_unit = lead_unit
        self.coordinating_units = coordinating_units
        self.original_deadline = deadline
        self.deadline = deadline
        self.urgency = urgency
        self.parent_id = parent_id
        self.status = Status.ISSUED
        self.acknowledged_at = None
        self.percent = 0
        self.progress_reported_at = None
        self.progress_reports = 0
        self.contributions = 0
        self.extensions = ()
        self.completion_reported_at = None
        self.completion_summary = ""
        self.accepted_at = None
        self.returns = 0
        self.reassignments = 0
        self.withdrawn_at = None
        self.reminders = 0
        self.last_reminder_at = None
        self.explanations = ()
        self.comments = ()

    # --- derived views -----------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def pending_extension(self) -> ExtensionRequest | None:
        for request in self.extensions:
            if request.status is ExtensionStatus.PENDING:
                return request
        return None

    @property
    def progress(self) -> int:
        """The progress shown (``shown_progress``); ``percent`` is the last progress report's."""
        return shown_progress(self.status, self.percent)

    def completion_date(self) -> date | None:
        """The city day the completion report that was accepted was submitted, if accepted."""
        if self.status is not Status.COMPLETED or self.completion_reported_at is None:
            return None
        return city_date(self.completion_reported_at)

    # --- commands of the lead unit -----------------------------------------------------------

    def acknowledge(self, *, actor: Actor, request_id: str, at: datetime) -> None:
        """Tiếp nhận: the lead unit confirms receipt."""
        self._check(actor, Command.ACKNOWLEDGE)
        self._require_lead(actor)
        if self.status is not Status.ISSUED:
            raise AlreadyAcknowledgedError(
                "acknowledged", unit=self.lead_unit, reference=self.reference
            )
        self._acknowledged(actor=actor, request_id=request_id, timestamp=at)

    def report_progress(
        self,
        *,
        percent: int,
        narrative: str,
        attachments: Iterable[str] = (),
        files: Iterable[FiledFile] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Báo cáo tiến độ: percent done, what was done, and digests of attached files."""
        self._check(actor, Command.REPORT_PROGRESS)
        self._require_lead(actor)
        self._require_working()
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            whole = not isinstance(percent, bool) and isinstance(percent, int)
            case = "not_whole" if not whole else "below_zero" if percent < 0 else "above_hundred"
            raise InvalidPercentError(case, percent=percent)
        self._progress_reported(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            percent=percent,
            narrative=checked("narrative", narrative),
            attachments=_digests(attachments),
            files=_filed(files),
        )

    def request_extension(
        self,
        *,
        new_deadline: date,
        reason: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> int:
        """Xin gia hạn, on or before the deadline in force; returns the request's number."""
        self._check(actor, Command.REQUEST_EXTENSION)
        self._require_lead(actor)
        self._require_working()
        if self.deadline is None:
            raise NoDeadlineError("no_deadline", reference=self.reference)
        if city_date(at) > self.deadline:
            raise ExtensionTooLateError("passed", deadline=self.deadline)
        if self.pending_extension is not None:
            raise ExtensionAlreadyPendingError("pending", number=self.pending_extension.number)
        if new_deadline <= self.deadline:
            raise DeadlineNotLaterError("requested", requested=new_deadline, deadline=self.deadline)
        number = len(self.extensions) + 1
        self._extension_requested(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            number=number,
            requested_deadline=new_deadline,
            reason=checked("reason", reason),
        )
        return number

    def report_completion(
        self,
        *,
        summary: str,
        attachments: Iterable[str] = (),
        files: Iterable[FiledFile] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Báo cáo hoàn thành: the lead unit says the work is done; a leader then decides."""
        self._check(actor, Command.REPORT_COMPLETION)
        self._require_lead(actor)
        self._require_working()
        self._completion_reported(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            summary=checked("summary", summary),
            attachments=_digests(attachments),
            files=_filed(files),
        )

    def give_explanation(
        self,
        *,
        number: int,
        answer: str,
        files: Iterable[FiledFile] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Giải trình: the lead unit answers an open explanation request."""
        self._check(actor, Command.GIVE_EXPLANATION)
        self._require_lead(actor)
        if not any(e.number == number and e.answer is None for e in self.explanations):
            raise NoOpenExplanationError("none_open", number=number, reference=self.reference)
        answer = checked("answer", answer)
        self._explanation_given(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            number=number,
            answer=answer,
            files=_filed(files),
        )

    # --- commands of coordinating units ------------------------------------------------------

    def contribute(
        self,
        *,
        narrative: str,
        attachments: Iterable[str] = (),
        files: Iterable[FiledFile] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Phối hợp: a coordinating unit reports its part."""
        self._check(actor, Command.CONTRIBUTE)
        if actor.unit not in self.coordinating_units:
            raise NotCoordinatorError("not_coordinator", unit=actor.unit, reference=self.reference)
        self._contribution_reported(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            unit=actor.unit,
            narrative=checked("narrative", narrative),
            attachments=_digests(attachments),
            files=_filed(files),
        )

    # --- commands of the leadership and the office -------------------------------------------

    def grant_extension(
        self,
        *,
        number: int,
        new_deadline: date | None = None,
        note: str = "",
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Duyệt gia hạn, to the requested date unless the leader sets another."""
        self._check(actor, Command.DECIDE_EXTENSION)
        request = self._require_pending_extension(number)
        granted = new_deadline or request.requested_deadline
        if self.deadline is None or granted <= self.deadline:
            raise DeadlineNotLaterError("granted", granted=granted, deadline=self.deadline)
        self._extension_granted(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            number=number,
            new_deadline=granted,
            note=checked("note", note),
        )

    def deny_extension(
        self, *, number: int, reason: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Từ chối gia hạn: the deadline in force stays."""
        self._check(actor, Command.DECIDE_EXTENSION)
        self._require_pending_extension(number)
        reason = checked("reason", reason)
        self._extension_denied(
            actor=actor, request_id=request_id, timestamp=at, number=number, reason=reason
        )

    def accept_completion(
        self, *, note: str = "", actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Nghiệm thu: the directive is completed, as of the day its report was submitted."""
        self._check(actor, Command.DECIDE_COMPLETION)
        self._require_completion_reported()
        note = checked("note", note)
        self._completion_accepted(actor=actor, request_id=request_id, timestamp=at, note=note)

    def return_completion(
        self, *, reason: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Trả lại: the completion report is sent back for rework."""
        self._check(actor, Command.DECIDE_COMPLETION)
        self._require_completion_reported()
        reason = checked("reason", reason)
        self._completion_returned(actor=actor, request_id=request_id, timestamp=at, reason=reason)

    def reassign(
        self, *, to_unit: str, reason: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Chuyển giao: another unit leads from now on and must acknowledge afresh.

        A pending extension request lapses with the old lead. Whether the new unit exists and
        is active is the application's check.
        """
        self._check(actor, Command.REASSIGN)
        to_unit = checked("to_unit", to_unit)
        if to_unit == self.lead_unit:
            raise SameLeadUnitError("same", unit=to_unit, reference=self.reference)
        if self.status is Status.COMPLETION_REPORTED:
            raise CompletionPendingError("before_reassigning", reference=self.reference)
        self._reassigned(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            from_unit=self.lead_unit,
            to_unit=to_unit,
            reason=checked("reason", reason),
        )

    def hand_over(
        self,
        *,
        from_unit: str,
        to_unit: str,
        basis: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Bàn giao theo sắp xếp tổ chức: the unit that ended hands its part to its heir.

        Unlike a reassignment, nothing starts afresh: an acknowledgement, the progress, a
        pending extension request and a completion report awaiting decision all stay, since
        the heir carries on the same work. Whether the heir exists is the registry's check.
        """
        self._check(actor, Command.MANAGE_UNITS)
        from_unit, to_unit = checked("from_unit", from_unit), checked("to_unit", to_unit)
        if from_unit != self.lead_unit and from_unit not in self.coordinating_units:
            raise NotCoordinatorError("not_coordinator", unit=from_unit, reference=self.reference)
        if to_unit == from_unit:
            raise SameLeadUnitError("same", unit=to_unit, reference=self.reference)
        self._handed_over(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            from_unit=from_unit,
            to_unit=to_unit,
            basis=checked("basis", basis),
        )

    def withdraw(self, *, reason: str, actor: Actor, request_id: str, at: datetime) -> None:
        """Thu hồi: terminal; the directive leaves every count."""
        self._check(actor, Command.WITHDRAW)
        reason = checked("reason", reason, method="withdraw")
        self._withdrawn(actor=actor, request_id=request_id, timestamp=at, reason=reason)

    def send_reminder(self, *, message: str, actor: Actor, request_id: str, at: datetime) -> None:
        """Đôn đốc: urges the lead unit on. Not while its completion report awaits the leader's
        decision: the directive then waits on the committee, not on the unit."""
        self._check(actor, Command.SEND_REMINDER)
        if self.status is Status.COMPLETION_REPORTED:
            raise CompletionPendingError("nothing_to_remind", reference=self.reference)
        message = checked("message", message)
        self._reminder_sent(actor=actor, request_id=request_id, timestamp=at, message=message)

    def request_explanation(
        self, *, question: str, actor: Actor, request_id: str, at: datetime
    ) -> int:
        """Yêu cầu giải trình; returns the request's number."""
        self._check(actor, Command.REQUEST_EXPLANATION)
        number = len(self.explanations) + 1
        self._explanation_requested(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            number=number,
            question=checked("question", question),
        )
        return number

    # --- the discussion ----------------------------------------------------------------------

    def comment(
        self,
        *,
        text: str,
        reply_to: int | None = None,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> int:
        """Thảo luận: a comment, or a reply to one, from an officer of the lead or a
        coordinating unit, the Office or a leader; returns its number. A closed directive
        can only be read, its discussion too."""
        self._check(actor, Command.COMMENT)
        if actor.role is Role.DEPARTMENT and not actor.sees(
            self.lead_unit, self.coordinating_units
        ):
            raise NotParticipantError("not_participant", unit=actor.unit, reference=self.reference)
        text = checked("text", text)
        if reply_to is not None and not 1 <= reply_to <= len(self.comments):
            raise NoSuchCommentError("unknown", number=reply_to, reference=self.reference)
        number = len(self.comments) + 1
        self._commented(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            number=number,
            text=text,
            reply_to=reply_to,
        )
        return number

    # --- rule checks, in the order every command applies them --------------------------------

    def _check(self, actor: Actor, command: Command) -> None:
        require_permission(actor, command)
        if self.is_closed:
            raise DirectiveClosedError(self.status.value, reference=self.reference)

    def _require_lead(self, actor: Actor) -> None:
        if actor.unit != self.lead_unit:
            raise NotLeadUnitError("not_lead", lead_unit=self.lead_unit, unit=actor.unit)

    def _require_working(self) -> None:
        if self.status is Status.ISSUED:
            raise NotAcknowledgedError(
                "not_acknowledged", unit=self.lead_unit, reference=self.reference
            )
        if self.status is Status.COMPLETION_REPORTED:
            raise CompletionPendingError("awaiting", reference=self.reference)

    def _require_pending_extension(self, number: int) -> ExtensionRequest:
        pending = self.pending_extension
        if pending is None or pending.number != number:
            raise NoPendingExtensionError("none_pending", number=number, reference=self.reference)
        return pending

    def _require_completion_reported(self) -> None:
        if self.status is not Status.COMPLETION_REPORTED:
            raise NoCompletionReportError("none", reference=self.reference)

    # --- mutators: replay runs these, so they only change state ------------------------------

    @event(Acknowledged)
    def _acknowledged(self, *, actor: Actor, request_id: str, timestamp: datetime) -> None:
        self.status = Status.IN_PROGRESS
        self.acknowledged_at = timestamp

    @event(ProgressReported)
    def _progress_reported(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        percent: int,
        narrative: str,
        attachments: tuple[str, ...],
        files: tuple[FiledFile, ...] = (),
    ) -> None:
        self.percent = percent
        self.progress_reported_at = timestamp
        self.progress_reports += 1

    @event(ContributionReported)
    def _contribution_reported(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        unit: str,
        narrative: str,
        attachments: tuple[str, ...],
        files: tuple[FiledFile, ...] = (),
    ) -> None:
        self.contributions += 1

    @event(ExtensionRequested)
    def _extension_requested(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        number: int,
        requested_deadline: date,
        reason: str,
    ) -> None:
        request = ExtensionRequest(
            number=number,
            requested_deadline=requested_deadline,
            reason=reason,
            requested_at=timestamp,
            requested_by=actor.user_id,
        )
        self.extensions = (*self.extensions, request)

    @event(ExtensionGranted)
    def _extension_granted(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        number: int,
        new_deadline: date,
        note: str,
    ) -> None:
        self._decide_extension(
            number,
            status=ExtensionStatus.GRANTED,
            decided_at=timestamp,
            granted_deadline=new_deadline,
            decision_note=note,
        )
        self.deadline = new_deadline

    @event(ExtensionDenied)
    def _extension_denied(
        self, *, actor: Actor, request_id: str, timestamp: datetime, number: int, reason: str
    ) -> None:
        self._decide_extension(
            number, status=ExtensionStatus.DENIED, decided_at=timestamp, decision_note=reason
        )

    @event(CompletionReported)
    def _completion_reported(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        summary: str,
        attachments: tuple[str, ...],
        files: tuple[FiledFile, ...] = (),
    ) -> None:
        self.status = Status.COMPLETION_REPORTED
        self.completion_reported_at = timestamp
        self.completion_summary = summary

    @event(CompletionAccepted)
    def _completion_accepted(
        self, *, actor: Actor, request_id: str, timestamp: datetime, note: str
    ) -> None:
        self.status = Status.COMPLETED
        self.accepted_at = timestamp
        self._lapse_pending_extension(timestamp)

    @event(CompletionReturned)
    def _completion_returned(
        self, *, actor: Actor, request_id: str, timestamp: datetime, reason: str
    ) -> None:
        self.status = Status.IN_PROGRESS
        self.completion_reported_at = None
        self.completion_summary = ""
        self.returns += 1

    @event(Reassigned)
    def _reassigned(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        from_unit: str,
        to_unit: str,
        reason: str,
    ) -> None:
        self.lead_unit = to_unit
        self.coordinating_units = tuple(u for u in self.coordinating_units if u != to_unit)
        self.status = Status.ISSUED
        self.acknowledged_at = None
        self.reassignments += 1
        self._lapse_pending_extension(timestamp)

    @event(HandedOver)
    def _handed_over(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        from_unit: str,
        to_unit: str,
        basis: str,
    ) -> None:
        lead, coordinators = handed_over(
            self.lead_unit, self.coordinating_units, from_unit, to_unit
        )
        self.lead_unit, self.coordinating_units = lead, coordinators

    @event(Withdrawn)
    def _withdrawn(
        self, *, actor: Actor, request_id: str, timestamp: datetime, reason: str
    ) -> None:
        self.status = Status.WITHDRAWN
        self.withdrawn_at = timestamp
        self._lapse_pending_extension(timestamp)

    @event(ReminderSent)
    def _reminder_sent(
        self, *, actor: Actor, request_id: str, timestamp: datetime, message: str
    ) -> None:
        self.reminders += 1
        self.last_reminder_at = timestamp

    @event(ExplanationRequested)
    def _explanation_requested(
        self, *, actor: Actor, request_id: str, timestamp: datetime, number: int, question: str
    ) -> None:
        request = ExplanationRequest(number=number, question=question, requested_at=timestamp)
        self.explanations = (*self.explanations, request)

    @event(ExplanationGiven)
    def _explanation_given(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        number: int,
        answer: str,
        files: tuple[FiledFile, ...] = (),
    ) -> None:
        self.explanations = tuple(
            replace(e, answer=answer, answered_at=timestamp) if e.number == number else e
            for e in self.explanations
        )

    @event(Commented)
    def _commented(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        number: int,
        text: str,
        reply_to: int | None,
    ) -> None:
        said = Comment(number, text, actor.user_id, actor.role, actor.unit, timestamp, reply_to)
        self.comments = (*self.comments, said)

    def _decide_extension(
        self,
        number: int,
        *,
        status: ExtensionStatus,
        decided_at: datetime,
        granted_deadline: date | None = None,
        decision_note: str = "",
    ) -> None:
        self.extensions = tuple(
            replace(
                e,
                status=status,
                decided_at=decided_at,
                granted_deadline=granted_deadline,
                decision_note=decision_note,
            )
            if e.number == number
            else e
            for e in self.extensions
        )

    def _lapse_pending_extension(self, at: datetime) -> None:
        pending = self.pending_extension
        if pending is not None:
            self._decide_extension(pending.number, status=ExtensionStatus.LAPSED, decided_at=at)


def handed_over(
    lead: str, coordinators: tuple[str, ...], from_unit: str, to_unit: str
) -> tuple[str, tuple[str, ...]]:
    """The lead and coordinating units once ``from_unit`` hands its part to ``to_unit``: the
    heir takes its place; an heir already coordinating that takes the lead coordinates no more,
    and an heir that already leads does not also coordinate. The board's fold uses it too."""
    if lead == from_unit:
        lead = to_unit
    renamed = (to_unit if u == from_unit else u for u in coordinators)
    return lead, tuple(u for u in dict.fromkeys(renamed) if u != lead)


def progress_over_time(events: Iterable[Directive.Event]) -> list[tuple[datetime, int]]:
    """Each moment the shown progress was set, and to what: at every progress report, at a
    completion report and at its return. The directive's events are replayed and its
    ``progress`` read after each, so the chart can never say other than the bar."""
    directive: Directive | None = None
    steps: list[tuple[datetime, int]] = []
    for e in events:
        directive = e.mutate(directive)
        if directive is not None and isinstance(e, _PROGRESS_EVENTS):
            steps.append((e.timestamp, directive.progress))
    return steps


_PROGRESS_EVENTS = (
    Directive.ProgressReported,
    Directive.CompletionReported,
    Directive.CompletionReturned,
)


def _digests(attachments: Iterable[str]) -> tuple[str, ...]:
    digests = tuple(a.strip().lower() for a in attachments)
    for digest in digests:
        if not ATTACHMENT_DIGEST.match(digest):
            raise InvalidAttachmentError("not_a_digest", digest=digest)
    return digests


def _filed(files: Iterable[FiledFile]) -> tuple[FiledFile, ...]:
    """The files a step files, each once: only files described from their stored bytes (the
    application describes them: ``domain.shared.files.FileRules.describe``)."""
    found: dict[str, FiledFile] = {}
    for file in files:
        if not isinstance(file, FiledFile):
            raise InvalidFileError("not_stored", digest=getattr(file, "digest", file))
        found.setdefault(file.digest, file)
    return tuple(found.values())


@dataclass(frozen=True, slots=True)
class FiledWith:
    """A file as a directive's event filed it: with which event (its version, moment and
    class), and the file as recorded."""

    version: int
    at: datetime
    step: str  # the event's class name: Issued, ProgressReported, …
    file: FiledFile


def files_of(events: Iterable[Directive.Event]) -> list[FiledWith]:
    """Every file a directive's events filed, oldest first (a file filed twice, each time)."""
    return [
        FiledWith(e.originator_version, e.timestamp, type(e).__name__, file)
        for e in events
        for file in getattr(e, "files", ())
    ]
