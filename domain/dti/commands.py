"""The commands of the index, as data: each written once, here; the API's request schemas and
the OpenAPI description are derived from them (``api.commands``).

``StartAssessment`` makes an assessment and ``PublishResults`` publishes a period's; every other
command names the assessment's method it runs, and is run by ``DtiDesk.execute`` on the
assessment a key names, with what it needs of the framework (``Context``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from domain.dti.assessment import MAX_ANSWER_DAYS
from domain.dti.framework import Group, GroupKind
from domain.dti.measures import Measurement
from domain.shared.actors import Command
from domain.shared.commands import Origin
from domain.shared.files import FiledFile, FileGiven


class WorkingDays(Protocol):
    def add_working_days(self, start: date, n: int) -> date: ...


@dataclass(frozen=True, slots=True)
class Context:
    """What a command on an assessment needs beside it: the unit's group in the framework it is
    made under, the appraising body now (the framework's, or its heir after a reorganisation),
    the working-day calendar and today in the city; for a command that ``measures``, what
    Thucthi measured of the unit for the group's measured components."""

    group: Group
    appraiser: str
    calendar: WorkingDays
    today: date
    measured: Mapping[str, Measurement] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class StartAssessment:
    """Mở kỳ tự đánh giá: the unit's assessment under a version of an index for a period
    (``group``: the group the unit is scored in; by default departments, or localities for a
    People's Committee of a ward, commune or district)."""

    index: str
    version: int
    period: int
    unit: str
    group: GroupKind | None = None


@dataclass(frozen=True, kw_only=True)
class PublishResults:
    """Công bố kết quả: every appraised assessment of the period under the version, published
    at once (``reference``: the decision or notice that publishes them)."""

    index: str
    version: int
    period: int
    reference: str = ""


@dataclass(frozen=True, kw_only=True)
class AssessmentCommand:
    """A command on an existing assessment, run by the method its ``method`` names."""

    method: ClassVar[str] = ""
    permission: ClassVar[Command]
    # Whether it needs what Thucthi measures of the unit (``Context.measured``).
    measures: ClassVar[bool] = False

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        raise NotImplementedError

    def files_given(self) -> tuple[FileGiven, ...]:
        """The files the command files, to be described from their stored bytes."""
        return ()


@dataclass(frozen=True, kw_only=True)
class EnterValue(AssessmentCommand):
    """Nhập số liệu và minh chứng của một chỉ số thành phần (``number`` absent: no value)."""

    method = "enter_value"
    permission = Command.ASSESS_DTI
    component: str
    number: Decimal | None = None
    of: Decimal | None = None
    evidence: str = ""
    links: tuple[str, ...] = ()
    files: tuple[FileGiven, ...] = ()

    def files_given(self) -> tuple[FileGiven, ...]:
        return self.files

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        filed = tuple(f for f in self.files if isinstance(f, FiledFile))
        assessment.enter_value(
            group=context.group,
            component=self.component,
            number=self.number,
            of=self.of,
            evidence=self.evidence,
            links=self.links,
            files=filed,
            **origin.fields(),
        )


@dataclass(frozen=True, kw_only=True)
class Submit(AssessmentCommand):
    """Gửi kết quả tự đánh giá để thẩm định."""

    method = "submit"
    permission = Command.ASSESS_DTI
    measures = True

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        assessment.submit(group=context.group, measured=context.measured, **origin.fields())


@dataclass(frozen=True, kw_only=True)
class AnswerReturn(AssessmentCommand):
    """Giải trình, bổ sung theo yêu cầu của cơ quan thẩm định."""

    method = "answer_return"
    permission = Command.ASSESS_DTI
    answer: str

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        assessment.answer_return(group=context.group, answer=self.answer, **origin.fields())


@dataclass(frozen=True, kw_only=True)
class AcceptValue(AssessmentCommand):
    """Chấp nhận số liệu của đơn vị."""

    method = "accept_value"
    permission = Command.APPRAISE_DTI
    component: str

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        assessment.accept_value(
            component=self.component, appraiser=context.appraiser, **origin.fields()
        )


@dataclass(frozen=True, kw_only=True)
class AdjustValue(AssessmentCommand):
    """Điều chỉnh số liệu, nêu lý do."""

    method = "adjust_value"
    permission = Command.APPRAISE_DTI
    component: str
    number: Decimal
    of: Decimal | None = None
    reason: str

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        assessment.adjust_value(
            group=context.group,
            component=self.component,
            number=self.number,
            of=self.of,
            reason=self.reason,
            appraiser=context.appraiser,
            **origin.fields(),
        )


@dataclass(frozen=True, kw_only=True)
class SendBack(AssessmentCommand):
    """Trả lại để đơn vị bổ sung, giải trình trong ``working_days`` ngày làm việc."""

    method = "send_back"
    permission = Command.APPRAISE_DTI
    reason: str
    components: tuple[str, ...] = ()
    working_days: int = 5

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        # Counted only for a term the aggregate takes; it refuses any other.
        due_on = (
            context.calendar.add_working_days(context.today, self.working_days)
            if 1 <= self.working_days <= MAX_ANSWER_DAYS
            else context.today
        )
        assessment.send_back(
            group=context.group,
            reason=self.reason,
            components=self.components,
            working_days=self.working_days,
            due_on=due_on,
            appraiser=context.appraiser,
            **origin.fields(),
        )


@dataclass(frozen=True, kw_only=True)
class CompleteAppraisal(AssessmentCommand):
    """Hoàn thành thẩm định: the values not yet decided are accepted as they stand."""

    method = "complete_appraisal"
    permission = Command.APPRAISE_DTI

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        assessment.complete_appraisal(appraiser=context.appraiser, **origin.fields())


@dataclass(frozen=True, kw_only=True)
class CorrectValue(AssessmentCommand):
    """Đính chính kết quả đã công bố, nêu lý do."""

    method = "correct_value"
    permission = Command.CORRECT_DTI
    component: str
    number: Decimal
    of: Decimal | None = None
    reason: str

    def run(self, assessment: Any, context: Context, origin: Origin) -> None:
        assessment.correct_value(
            group=context.group,
            component=self.component,
            number=self.number,
            of=self.of,
            reason=self.reason,
            **origin.fields(),
        )


LIFECYCLE: tuple[type[AssessmentCommand], ...] = (
    EnterValue,
    Submit,
    AnswerReturn,
    AcceptValue,
    AdjustValue,
    SendBack,
    CompleteAppraisal,
    CorrectValue,
)
