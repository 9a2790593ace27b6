"""The commands of a directive's life, as data: each is written once, here, and the API's request
schema, the OpenAPI description and the pages' forms are derived from it (``api.commands``).

Each names the directive's method it runs (``domain.shared.commands``). ``Thucthi.execute`` runs
one on the directive a reference names; ``Thucthi.issue`` makes a directive from
``IssueDirective``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

from domain.directives.directive import Directive, Urgency
from domain.shared.commands import Command, Origin
from domain.shared.files import FileGiven


@dataclass(frozen=True, kw_only=True)
class DirectiveCommand(Command):
    """A command on an existing directive. ``numbered``: the command is about one of the
    directive's numbered requests (its ``number`` comes from the path)."""

    numbered: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True)
class IssueDirective:
    """Ban hành: a new directive. Its reference must not have been used before."""

    reference: str
    title: str
    content: str = ""
    lead_unit: str
    coordinating_units: tuple[str, ...] = ()
    deadline: date | None = None
    urgency: Urgency = Urgency.NORMAL
    issuer: str | None = None
    parent_reference: str | None = None
    issued_on: date | None = None
    # Instead of ``deadline``: the N-th working day after the issue day, by the calendar in
    # force (``domain.shared.calendar``); giving both is refused.
    deadline_in_working_days: int | None = None
    # The signed directive, a PDF uploaded before (``POST /api/files``), by its digest and name.
    files: tuple[FileGiven, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Acknowledge(DirectiveCommand):
    """Tiếp nhận: the lead unit confirms receipt."""

    method = "acknowledge"


@dataclass(frozen=True, kw_only=True)
class ReportProgress(DirectiveCommand):
    """Báo cáo tiến độ: percent done, what was done, and digests of attached files."""

    method = "report_progress"
    percent: int
    narrative: str = ""
    attachments: tuple[str, ...] = ()
    files: tuple[FileGiven, ...] = ()  # report or evidence files uploaded before


@dataclass(frozen=True, kw_only=True)
class Contribute(DirectiveCommand):
    """Phối hợp: a coordinating unit reports its part."""

    method = "contribute"
    narrative: str = ""
    attachments: tuple[str, ...] = ()
    files: tuple[FileGiven, ...] = ()  # report or evidence files uploaded before


@dataclass(frozen=True, kw_only=True)
class RequestExtension(DirectiveCommand):
    """Xin gia hạn: a later deadline, asked for on or before the one in force."""

    method = "request_extension"
    new_deadline: date
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class DecideExtension(DirectiveCommand):
    """Duyệt hoặc từ chối gia hạn: grant (to the date asked for unless another is set) or deny."""

    numbered = True
    number: int
    decision: Literal["grant", "deny"]
    new_deadline: date | None = None
    note: str = ""

    def apply(self, directive: Directive, origin: Origin) -> None:
        if self.decision == "grant":
            directive.grant_extension(
                number=self.number,
                new_deadline=self.new_deadline,
                note=self.note,
                **origin.fields(),
            )
        else:
            directive.deny_extension(number=self.number, reason=self.note, **origin.fields())


@dataclass(frozen=True, kw_only=True)
class ReportCompletion(DirectiveCommand):
    """Báo cáo hoàn thành: the lead unit says the work is done; a leader then decides."""

    method = "report_completion"
    summary: str
    attachments: tuple[str, ...] = ()
    files: tuple[FileGiven, ...] = ()  # report or evidence files uploaded before


@dataclass(frozen=True, kw_only=True)
class DecideCompletion(DirectiveCommand):
    """Nghiệm thu hoặc trả lại: accept the completion report, or return it for rework."""

    decision: Literal["accept", "return"]
    note: str = ""

    def apply(self, directive: Directive, origin: Origin) -> None:
        if self.decision == "accept":
            directive.accept_completion(note=self.note, **origin.fields())
        else:
            directive.return_completion(reason=self.note, **origin.fields())


@dataclass(frozen=True, kw_only=True)
class Reassign(DirectiveCommand):
    """Chuyển giao: another unit leads from now on and must acknowledge afresh."""

    method = "reassign"
    to_unit: str
    reason: str = ""

    def units_assigned(self) -> tuple[str, ...]:
        return (self.to_unit,)


@dataclass(frozen=True, kw_only=True)
class Withdraw(DirectiveCommand):
    """Thu hồi: terminal; the directive leaves every count. Its reason is required."""

    method = "withdraw"
    reason: str


@dataclass(frozen=True, kw_only=True)
class SendReminder(DirectiveCommand):
    """Đôn đốc."""

    method = "send_reminder"
    message: str = ""


@dataclass(frozen=True, kw_only=True)
class RequestExplanation(DirectiveCommand):
    """Yêu cầu giải trình."""

    method = "request_explanation"
    question: str


@dataclass(frozen=True, kw_only=True)
class GiveExplanation(DirectiveCommand):
    """Giải trình: the lead unit answers an open explanation request."""

    method = "give_explanation"
    numbered = True
    number: int
    answer: str
    files: tuple[FileGiven, ...] = ()  # report or evidence files uploaded before


@dataclass(frozen=True, kw_only=True)
class AddComment(DirectiveCommand):
    """Thảo luận: a comment in the directive's discussion, or a reply to comment ``reply_to``."""

    method = "comment"
    text: str
    reply_to: int | None = None


LIFECYCLE: tuple[type[DirectiveCommand], ...] = (
    Acknowledge,
    ReportProgress,
    Contribute,
    RequestExtension,
    DecideExtension,
    ReportCompletion,
    DecideCompletion,
    Reassign,
    Withdraw,
    SendReminder,
    RequestExplanation,
    GiveExplanation,
    AddComment,
)
