"""A unit's assessment under one version of an index for one period, as an event-sourced
aggregate: self-assessment → appraisal → publication (tự đánh giá → thẩm định → công bố).

- The unit's officer enters each component's value with its evidence (text, links, files by
  their digests) and submits (``draft`` → ``submitted``).
- The appraising body (the department in charge of digital transformation: Sở Thông tin và
  Truyền thông until 2025, Sở Khoa học và Công nghệ since) accepts each value or adjusts it with
  a reason, or sends the assessment back with what to look at and a deadline in working days
  (``returned``); the unit answers (back to ``submitted``), and its values changed meanwhile
  wait for a new decision. Completing the appraisal accepts every value not yet decided, named
  in the event (``appraised``).
- The Office publishes the period's results (``published``); after that a value changes only
  by a correction, an event with its reason. What was published stays reproducible: the
  results at a log position before the correction are those published.

Public methods are commands: they check the rules and compute the payload; the ``@event``
methods only change state. What a command needs of the framework (the unit's group, the
appraising body now) the application service gives it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.dti.errors import (
    AssessmentStageError,
    AssessmentUnitError,
    EvidenceMissingError,
    InvalidAssessmentError,
    InvalidValueError,
)
from domain.dti.framework import Component, Group, GroupKind, RuleKind
from domain.dti.measures import NO_MEASUREMENTS, Measurement
from domain.dti.scoring import Value
from domain.shared.actors import Actor, Command, Role, require_permission
from domain.shared.clock import city_date
from domain.shared.files import FiledFile
from domain.shared.text import checked

KEY_EXAMPLE = "hcm-dti~1~2023~SO-CT"
MAX_LINKS = 20
MAX_ANSWER_DAYS = 60  # working days a unit may be given to answer a return
VALUE_PLACES = 6
VALUE_DIGITS = 18
_LINK = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


def assessment_key(index: str, version: int, period: int, unit: str) -> str:
    """How an assessment is named in paths and answers: ``hcm-dti~1~2023~SO-CT``."""
    return f"{index}~{version}~{period}~{unit}"


def assessment_id(index: str, version: int, period: int, unit: str) -> UUID:
    return uuid5(
        NAMESPACE_URL, "thucthi:dti-assessment:" + assessment_key(index, version, period, unit)
    )


class Stage(StrEnum):
    DRAFT = "draft"  # đang tự đánh giá
    SUBMITTED = "submitted"  # chờ thẩm định
    RETURNED = "returned"  # trả lại để bổ sung, giải trình
    APPRAISED = "appraised"  # đã thẩm định
    PUBLISHED = "published"  # đã công bố


OPEN_TO_UNIT = frozenset({Stage.DRAFT, Stage.RETURNED})


class Decision(StrEnum):
    """What became of a component's value after the unit's."""

    ACCEPTED = "accepted"  # chấp nhận
    ADJUSTED = "adjusted"  # điều chỉnh, with a reason
    CORRECTED = "corrected"  # đính chính after publication, with a reason


@dataclass(frozen=True, slots=True)
class Evidence:
    """Minh chứng: what the unit says, the addresses it links, the files it filed."""

    text: str = ""
    links: tuple[str, ...] = ()
    files: tuple[FiledFile, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.text or self.links or self.files)


@dataclass(frozen=True, slots=True)
class Entry:
    """A component as it stands: the unit's value and evidence, and the appraisal's."""

    value: Value | None = None
    evidence: Evidence = Evidence()
    decision: Decision | None = None
    appraised: Value | None = None
    reason: str = ""
    # Measured by Thucthi when the unit submitted (``value`` is then the measurement's).
    measured: Measurement | None = None

    @property
    def scored(self) -> Value | None:
        """The value the scores count: the appraisal's once decided, else the unit's."""
        return self.appraised if self.decision is not None else self.value


@dataclass(frozen=True, slots=True)
class Return:
    """A sending back (trả lại): why, which components to look at, by when the unit answers
    (``working_days`` from the day it was sent, on the working-day calendar), and its answer."""

    reason: str
    components: tuple[str, ...]
    working_days: int
    due_on: date
    sent_at: datetime
    answer: str = ""
    answered_at: datetime | None = None
    late: bool = False


def checked_value(component: Component, number: Decimal, of: Decimal | None) -> Value:
    """The value as the component's rule takes it, else InvalidValueError."""
    code = component.code
    for given in (number, of):
        if given is None:
            continue
        exponent = given.as_tuple().exponent if given.is_finite() else None
        if (
            not isinstance(exponent, int)
            or exponent < -VALUE_PLACES
            or given.adjusted() >= VALUE_DIGITS - VALUE_PLACES
        ):
            raise InvalidValueError(
                "precision", component=code, places=VALUE_PLACES, digits=VALUE_DIGITS
            )
        if given < 0:
            raise InvalidValueError("negative", component=code, number=given)
    kind = component.rule.kind
    if kind is RuleKind.SHARE:
        if of is None:
            raise InvalidValueError("no_whole", component=code)
        if of == 0:
            raise InvalidValueError("whole_zero", component=code, of=of)
        if number > of:
            raise InvalidValueError("part_over", component=code, number=number, of=of)
        return Value(number, of)
    if of is not None:
        raise InvalidValueError("not_share", component=code)
    if kind is RuleKind.YES_NO and number not in (0, 1):
        raise InvalidValueError("yes_no", component=code, number=number)
    if kind is RuleKind.THRESHOLDS and number != number.to_integral_value():
        raise InvalidValueError("whole", component=code, number=number)
    return Value(number)


def checked_links(links: tuple[str, ...]) -> tuple[str, ...]:
    if len(links) > MAX_LINKS:
        raise InvalidAssessmentError("too_many_links", count=len(links), limit=MAX_LINKS)
    found = []
    for link in links:
        text = checked("links", link)
        if not _LINK.fullmatch(text):
            raise InvalidAssessmentError("link", link=text)
        found.append(text)
    return tuple(found)


class Assessment(Aggregate):
    """One unit's assessment under one version of an index, for one period."""

    TOPIC = "thucthi:DtiAssessment"

    index: str
    framework_version: int
    period: int
    unit: str
    group: GroupKind
    stage: Stage
    entries: dict[str, Entry]
    returns: tuple[Return, ...]
    submitted_at: datetime | None
    appraised_at: datetime | None
    published_at: datetime | None
    publication: str
    corrections: int

    def __deepcopy__(self, memo: dict[int, object]) -> Assessment:
        """Every field holds an immutable value (texts, moments, frozen records, tuples of
        them) but ``entries``, a dictionary of frozen records the events replace items of: a
        copy of the fields with a dictionary of its own is a deep copy (a command's copy of a
        kept assessment, without ``copy.deepcopy``'s walk over every value)."""
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied.__dict__["entries"] = dict(self.entries)
        copied.__dict__["_pending_events"] = list(self.pending_events)
        return copied

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:DtiAssessment.Created"

    class Started(Event, Aggregate.Created):
        TOPIC = "thucthi:DtiAssessment.Started"
        index: str
        framework_version: int
        period: int
        unit: str
        group: GroupKind

    class ValueEntered(Event):
        """The unit's value of a component (None: withdrawn) and its evidence."""

        TOPIC = "thucthi:DtiAssessment.ValueEntered"
        component: str
        value: Value | None
        evidence: Evidence

    class ValueMeasured(Event):
        """A component's value as Thucthi measured it, with the day, the log position and the
        figures it came from (``Measurement``)."""

        TOPIC = "thucthi:DtiAssessment.ValueMeasured"
        component: str
        measurement: Measurement

    class Submitted(Event):
        TOPIC = "thucthi:DtiAssessment.Submitted"

    class ValueAccepted(Event):
        TOPIC = "thucthi:DtiAssessment.ValueAccepted"
        component: str

    class ValueAdjusted(Event):
        TOPIC = "thucthi:DtiAssessment.ValueAdjusted"
        component: str
        value: Value
        reason: str

    class SentBack(Event):
        TOPIC = "thucthi:DtiAssessment.SentBack"
        reason: str
        components: tuple[str, ...]
        working_days: int
        due_on: date

    class Answered(Event):
        TOPIC = "thucthi:DtiAssessment.Answered"
        answer: str
        late: bool

    class AppraisalCompleted(Event):
        """The appraisal done: ``accepted`` names the values accepted as they stood."""

        TOPIC = "thucthi:DtiAssessment.AppraisalCompleted"
        accepted: tuple[str, ...]

    class Published(Event):
        TOPIC = "thucthi:DtiAssessment.Published"
        reference: str

    class Corrected(Event):
        TOPIC = "thucthi:DtiAssessment.Corrected"
        component: str
        value: Value
        reason: str

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:DtiAssessment.Snapshot"

    # --- starting ----------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        *,
        index: str,
        framework_version: int,
        period: int,
        unit: str,
        group: GroupKind,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> Assessment:
        """Mở kỳ tự đánh giá: the unit begins its assessment (the framework, the period and the
        unit were checked by the application service)."""
        require_permission(actor, Command.ASSESS_DTI)
        if actor.unit != unit:
            raise AssessmentUnitError("own", unit=unit)
        return cls._create(
            cls.Started,
            id=assessment_id(index, framework_version, period, unit),
            index=index,
            framework_version=framework_version,
            period=period,
            unit=unit,
            group=group,
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    @event(Started)
    def __init__(
        self,
        *,
        index: str,
        framework_version: int,
        period: int,
        unit: str,
        group: GroupKind,
        actor: Actor,
        request_id: str,
    ) -> None:
        self.index = index
        self.framework_version = framework_version
        self.period = period
        self.unit = unit
        self.group = group
        self.stage = Stage.DRAFT
        self.entries = {}
        self.returns = ()
        self.submitted_at = None
        self.appraised_at = None
        self.published_at = None
        self.publication = ""
        self.corrections = 0

    # --- what it is --------------------------------------------------------------------------

    @property
    def key(self) -> str:
        return assessment_key(self.index, self.framework_version, self.period, self.unit)

    def values(self) -> dict[str, Value]:
        """The values the scores count, by component."""
        return {code: e.scored for code, e in self.entries.items() if e.scored is not None}

    def seen_by(self, actor: Actor, appraiser: str) -> bool:
        """The unit's officers and the appraising body's see it; the leadership, the Office and
        the inspectorate see every unit's; the administrator and the petitions desks none."""
        if actor.role is Role.DEPARTMENT:
            return actor.unit in (self.unit, appraiser)
        return actor.role in {Role.LEADER, Role.OFFICE, Role.INSPECTOR}

    def missing_evidence(self, group: Group) -> tuple[str, ...]:
        """The components that require evidence and have a value without any."""
        return tuple(
            c.code
            for c in group.components()
            if c.evidence
            and (entry := self.entries.get(c.code)) is not None
            and entry.value is not None
            and not entry.evidence.given
        )

    @property
    def open_return(self) -> Return | None:
        return self.returns[-1] if self.stage is Stage.RETURNED and self.returns else None

    # --- the unit ----------------------------------------------------------------------------

    def enter_value(
        self,
        *,
        group: Group,
        component: str,
        number: Decimal | None,
        of: Decimal | None = None,
        evidence: str = "",
        links: tuple[str, ...] = (),
        files: tuple[FiledFile, ...] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Nhập số liệu: a component's value (None: none) and its evidence, as often as needed
        while the assessment is the unit's to change."""
        self._as_unit(actor)
        if self.stage not in OPEN_TO_UNIT:
            raise AssessmentStageError("not_open", key=self.key, stage=self.stage.value)
        found = group.component(component)
        if found is None:
            raise InvalidAssessmentError("unknown_component", component=component)
        if found.automatic:
            raise InvalidAssessmentError("automatic", component=component)
        self._value_entered(
            component=component,
            value=None if number is None else checked_value(found, number, of),
            evidence=Evidence(
                text=checked("evidence", evidence), links=checked_links(links), files=files
            ),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def submit(
        self,
        *,
        group: Group,
        measured: Mapping[str, Measurement] = NO_MEASUREMENTS,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Gửi kết quả tự đánh giá for appraisal, with what Thucthi measured of the unit for
        the group's measured components (``domain.dti.measures.measure_group``), each recorded
        as the component's value."""
        self._as_unit(actor)
        if self.stage is not Stage.DRAFT:
            raise AssessmentStageError("not_draft", key=self.key, stage=self.stage.value)
        for code in measured:
            found = group.component(code)
            if found is None or found.measure is None:
                raise InvalidAssessmentError("not_measured", component=code)
        entered = any(e.value is not None for e in self.entries.values())
        if not entered and not any(m.value is not None for m in measured.values()):
            raise InvalidAssessmentError("nothing_entered")
        missing = self.missing_evidence(group)
        if missing:
            raise EvidenceMissingError("missing", components=", ".join(missing))
        for code, measurement in measured.items():
            self._value_measured(
                component=code,
                measurement=measurement,
                actor=actor,
                request_id=request_id,
                timestamp=at,
            )
        self._submitted(actor=actor, request_id=request_id, timestamp=at)

    def answer_return(
        self, *, group: Group, answer: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Giải trình, bổ sung: the unit answers a return, and the assessment is appraised
        again; an answer after the deadline is recorded as late."""
        self._as_unit(actor)
        sent = self.open_return
        if sent is None:
            raise AssessmentStageError("not_returned", key=self.key, stage=self.stage.value)
        missing = self.missing_evidence(group)
        if missing:
            raise EvidenceMissingError("missing", components=", ".join(missing))
        self._answered(
            answer=checked("answer", answer, method="answer_return"),
            late=city_date(at) > sent.due_on,
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    # --- the appraising body -----------------------------------------------------------------

    def accept_value(
        self, *, component: str, appraiser: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Chấp nhận: the unit's value stands."""
        self._as_appraiser(actor, appraiser)
        entry = self.entries.get(component)
        if entry is None or entry.value is None:
            raise AssessmentStageError("no_value", component=component)
        self._value_accepted(component=component, actor=actor, request_id=request_id, timestamp=at)

    def adjust_value(
        self,
        *,
        group: Group,
        component: str,
        number: Decimal,
        of: Decimal | None = None,
        reason: str,
        appraiser: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Điều chỉnh: the appraisal's value instead of the unit's, with the reason (and the
        value of a component Thucthi measures)."""
        self._as_appraiser(actor, appraiser)
        found = group.component(component)
        if found is None:
            raise InvalidAssessmentError("unknown_component", component=component)
        self._value_adjusted(
            component=component,
            value=checked_value(found, number, of),
            reason=checked("reason", reason, method="adjust_value"),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def send_back(
        self,
        *,
        group: Group,
        reason: str,
        components: tuple[str, ...] = (),
        working_days: int,
        due_on: date,
        appraiser: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Trả lại: the unit is to look again at ``components`` (all, if none are named) and
        answer by ``due_on``, ``working_days`` working days from today (the service counts
        them on the working-day calendar)."""
        self._as_appraiser(actor, appraiser)
        if not 1 <= working_days <= MAX_ANSWER_DAYS:
            raise InvalidAssessmentError("working_days", days=working_days, limit=MAX_ANSWER_DAYS)
        for code in components:
            if group.component(code) is None:
                raise InvalidAssessmentError("unknown_component", component=code)
        self._sent_back(
            reason=checked("reason", reason, method="send_back"),
            components=tuple(dict.fromkeys(components)),
            working_days=working_days,
            due_on=due_on,
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def complete_appraisal(
        self, *, appraiser: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Hoàn thành thẩm định: every value not yet decided is accepted as it stands."""
        self._as_appraiser(actor, appraiser)
        undecided = tuple(
            code for code, e in self.entries.items() if e.value is not None and e.decision is None
        )
        self._appraisal_completed(
            accepted=undecided, actor=actor, request_id=request_id, timestamp=at
        )

    # --- the Office --------------------------------------------------------------------------

    def publish(self, *, reference: str = "", actor: Actor, request_id: str, at: datetime) -> None:
        """Công bố: the appraised results become the published ones."""
        require_permission(actor, Command.PUBLISH_DTI_RESULTS)
        if self.stage is not Stage.APPRAISED:
            raise AssessmentStageError("not_appraised", key=self.key, stage=self.stage.value)
        self._published(
            reference=checked("decision_reference", reference),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def correct_value(
        self,
        *,
        group: Group,
        component: str,
        number: Decimal,
        of: Decimal | None = None,
        reason: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Đính chính: a published value changes, with its reason; what was published stays
        in the log, and in the results asked at a position before this."""
        require_permission(actor, Command.CORRECT_DTI)
        if self.stage is not Stage.PUBLISHED:
            raise AssessmentStageError("not_published", key=self.key, stage=self.stage.value)
        found = group.component(component)
        if found is None:
            raise InvalidAssessmentError("unknown_component", component=component)
        self._corrected(
            component=component,
            value=checked_value(found, number, of),
            reason=checked("reason", reason, method="correct_value"),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    # --- checks ------------------------------------------------------------------------------

    def _as_unit(self, actor: Actor) -> None:
        require_permission(actor, Command.ASSESS_DTI)
        if actor.unit != self.unit:
            raise AssessmentUnitError("own", unit=self.unit)

    def _as_appraiser(self, actor: Actor, appraiser: str) -> None:
        require_permission(actor, Command.APPRAISE_DTI)
        if actor.unit != appraiser:
            raise AssessmentUnitError("appraiser", appraiser=appraiser)
        if self.stage is not Stage.SUBMITTED:
            raise AssessmentStageError("not_submitted", key=self.key, stage=self.stage.value)

    # --- mutators: replay runs these, so they only change state ------------------------------

    def _entry(self, code: str) -> Entry:
        return self.entries.get(code) or Entry()

    @event(ValueEntered)
    def _value_entered(
        self,
        *,
        component: str,
        value: Value | None,
        evidence: Evidence,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        # A value the unit changes waits for a new decision of the appraisal.
        self.entries[component] = Entry(value=value, evidence=evidence)

    @event(ValueMeasured)
    def _value_measured(
        self,
        *,
        component: str,
        measurement: Measurement,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.entries[component] = Entry(value=measurement.value, measured=measurement)

    @event(Submitted)
    def _submitted(self, *, actor: Actor, request_id: str, timestamp: datetime) -> None:
        self.stage = Stage.SUBMITTED
        self.submitted_at = timestamp

    @event(ValueAccepted)
    def _value_accepted(
        self, *, component: str, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        entry = self._entry(component)
        self.entries[component] = replace(
            entry, decision=Decision.ACCEPTED, appraised=entry.value, reason=""
        )

    @event(ValueAdjusted)
    def _value_adjusted(
        self,
        *,
        component: str,
        value: Value,
        reason: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.entries[component] = replace(
            self._entry(component), decision=Decision.ADJUSTED, appraised=value, reason=reason
        )

    @event(SentBack)
    def _sent_back(
        self,
        *,
        reason: str,
        components: tuple[str, ...],
        working_days: int,
        due_on: date,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.stage = Stage.RETURNED
        self.returns = (
            *self.returns,
            Return(reason, tuple(components), working_days, due_on, timestamp),
        )

    @event(Answered)
    def _answered(
        self, *, answer: str, late: bool, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        self.stage = Stage.SUBMITTED
        self.submitted_at = timestamp
        if self.returns:
            answered = replace(self.returns[-1], answer=answer, answered_at=timestamp, late=late)
            self.returns = (*self.returns[:-1], answered)

    @event(AppraisalCompleted)
    def _appraisal_completed(
        self, *, accepted: tuple[str, ...], actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        for code in accepted:
            entry = self._entry(code)
            self.entries[code] = replace(
                entry, decision=Decision.ACCEPTED, appraised=entry.value, reason=""
            )
        self.stage = Stage.APPRAISED
        self.appraised_at = timestamp

    @event(Published)
    def _published(
        self, *, reference: str, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        self.stage = Stage.PUBLISHED
        self.published_at = timestamp
        self.publication = reference

    @event(Corrected)
    def _corrected(
        self,
        *,
        component: str,
        value: Value,
        reason: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.entries[component] = replace(
            self._entry(component), decision=Decision.CORRECTED, appraised=value, reason=reason
        )
        self.corrections += 1


TOPICS: tuple[str, ...] = tuple(
    cls.TOPIC
    for cls in (
        Assessment.Started,
        Assessment.ValueEntered,
        Assessment.ValueMeasured,
        Assessment.Submitted,
        Assessment.ValueAccepted,
        Assessment.ValueAdjusted,
        Assessment.SentBack,
        Assessment.Answered,
        Assessment.AppraisalCompleted,
        Assessment.Published,
        Assessment.Corrected,
    )
)
