"""The index's application service: publishing frameworks, running the commands of an
assessment's life, publishing a period's results, and reading results at any point of view.

It writes through the application's ``AggregateWriter`` into the same log as directives and
petitions, so assessments share the audit trail and the event feed. Results are not a read model
of their own: the index's events are few (a unit's components, a few times a year), so they are
read from the log once, kept with their positions (``DtiLog``) and folded at the point of view
asked (``domain.dti.results``), which is what makes an answer given at a day and a position
the same when asked again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.dti.assessment import (
    KEY_EXAMPLE,
    OPEN_TO_UNIT,
    Assessment,
    Stage,
    assessment_id,
    assessment_key,
)
from domain.dti.assessment import TOPICS as ASSESSMENT_TOPICS
from domain.dti.commands import AssessmentCommand, Context, PublishResults, StartAssessment
from domain.dti.errors import (
    AssessmentExistsError,
    AssessmentNotFoundError,
    FrameworkNotFoundError,
    InvalidAssessmentError,
    NothingToPublishError,
)
from domain.dti.file import read_framework
from domain.dti.framework import Framework, Group, GroupKind
from domain.dti.index import TOPICS as INDEX_TOPICS
from domain.dti.index import DtiIndex, PublishedVersion, index_id
from domain.dti.measures import Measures, measure_group
from domain.dti.results import Folded, GroupRescored, GroupResults, fold, rescored, results
from domain.shared.actors import Actor, Role, require_permission
from domain.shared.actors import Command as Permission
from domain.shared.clock import Clock, city_date, end_of_city_day
from domain.shared.commands import Origin
from domain.shared.errors import ConcurrencyConflictError, VersionMismatchError
from domain.shared.files import FiledFile, FileGiven
from domain.units.hcmc import LEADING_UNITS
from domain.writer import AggregateWriter, replay

TOPICS: tuple[str, ...] = INDEX_TOPICS + ASSESSMENT_TOPICS
PAGE = 1_000
# Later than any event: the state of every aggregate as now recorded.
_FOREVER = datetime(9999, 1, 1, tzinfo=UTC)


class Repository(Protocol):
    def get(
        self, aggregate_id: UUID, *, version: int | None = ..., projector_func: Any = ...
    ) -> Any: ...

    def __contains__(self, aggregate_id: UUID) -> bool: ...


class Registry(Protocol):
    """What the desk needs of the unit registry (``domain.units.registry.UnitRegistry``)."""

    def get(self, code: str) -> Any: ...

    def heir_of(self, code: str) -> str: ...

    def require_active(self, code: str, on: date | None = None) -> Any: ...


class Calendar(Protocol):
    def add_working_days(self, start: date, n: int) -> date: ...


class DtiLog:
    """The index's events with their log positions, read once and then only past what was read
    (log positions commit in order), for the results at any point of view."""

    def __init__(
        self,
        read: Callable[[int, int, Sequence[str], int], Sequence[tuple[int, Any]]],
        head: Callable[[], int],
    ) -> None:
        """``read(start, stop, topics, limit)``: the events of those topics at positions from
        ``start`` to ``stop``, at most ``limit`` of them, with their positions."""
        self._read, self._head = read, head
        self._events: list[tuple[int, Any]] = []
        self._upto = 0
        self._lock = threading.Lock()

    def upto(self, position: int | None = None) -> tuple[list[tuple[int, Any]], int]:
        """The events at or before ``position`` (the head of the log if None), and the
        position read to."""
        with self._lock:
            head = self._head()
            wanted = head if position is None else min(position, head)
            start = self._upto + 1
            while start <= wanted:
                page = self._read(start, wanted, TOPICS, PAGE)
                self._events.extend(page)
                if len(page) < PAGE:
                    break
                start = page[-1][0] + 1
            self._upto = max(self._upto, wanted)
            limit = wanted if position is None else position
            return [e for e in self._events if e[0] <= limit], wanted


@dataclass(frozen=True, slots=True)
class PointOfView:
    """The day and the log position an answer was made from (``forecast``: the day was still
    to come when asked)."""

    as_of: date
    position: int
    forecast: bool


class DtiDesk:
    """Publishes frameworks, runs the assessments' commands, reads their results."""

    def __init__(
        self,
        *,
        writer: AggregateWriter,
        repository: Repository,
        clock: Clock,
        registry: Callable[[], Registry],
        calendar: Callable[[], Calendar],
        describe: Callable[[tuple[FileGiven, ...]], tuple[FiledFile, ...]],
        log: DtiLog,
        measures: Measures | None = None,
    ) -> None:
        """``registry`` and ``calendar`` give the unit registry and the working-day calendar as
        they stand; ``describe`` the files a command files, from their stored bytes;
        ``measures`` what Thucthi knows of a unit (None: nothing is measured, and a measured
        component's value is the appraisal's, as for an automatic one without a measure)."""
        self.writer, self.repository, self.clock = writer, repository, clock
        self.registry, self.calendar, self.describe = registry, calendar, describe
        self.log = log
        self.measures = measures
        # A version once published never changes: kept by (index, version) once read.
        self._versions: dict[tuple[str, int], PublishedVersion] = {}
        self._versions_lock = threading.Lock()

    # --- frameworks --------------------------------------------------------------------------

    def publish_framework(
        self, document: bytes | str, *, reason: str = "", actor: Actor, request_id: str
    ) -> tuple[Framework, int]:
        """Ban hành bộ chỉ số: the file read and checked, published as its index's next
        version; the framework and the position recorded."""
        require_permission(actor, Permission.PUBLISH_DTI_FRAMEWORK)
        framework = read_framework(document)
        self.registry().get(framework.appraiser)  # a unit the registry knows
        data = document.encode() if isinstance(document, str) else bytes(document)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()

        def publish(index: DtiIndex, at: datetime) -> None:
            index.publish(
                framework=framework,
                digest=digest,
                reason=reason,
                actor=actor,
                request_id=request_id,
                at=at,
            )

        aggregate_id = index_id(framework.index)
        for _ in range(self.writer.max_attempts):
            try:
                return framework, self.writer.update(aggregate_id, publish)
            except AggregateNotFoundError:
                at = self.clock.now()
                index = DtiIndex.open(
                    key=framework.index, actor=actor, request_id=request_id, at=at
                )
                publish(index, at)
                try:
                    return framework, self.writer.save(index)
                except IntegrityError:
                    continue  # another published the first version at the same moment
        raise ConcurrencyConflictError("gave_up", attempts=self.writer.max_attempts)

    def index(self, key: str) -> DtiIndex:
        """The index's versions as now published."""
        try:
            found = self.repository.get(index_id(key), projector_func=replay)
        except AggregateNotFoundError:
            raise FrameworkNotFoundError("unknown", index=key) from None
        if not isinstance(found, DtiIndex):
            raise FrameworkNotFoundError("unknown", index=key)
        return found

    def framework(self, key: str, version: int | None = None) -> PublishedVersion:
        """A version as published (the latest if ``version`` is None)."""
        if version is not None:
            with self._versions_lock:
                kept = self._versions.get((key, version))
            if kept is not None:
                return kept
        found = self.index(key).published(version)
        with self._versions_lock:
            self._versions[key, found.framework.version] = found
        return found

    def indices(self, position: int | None = None) -> list[DtiIndex]:
        """Every index as published at ``position`` (now if None)."""
        events, upto = self.log.upto(position)
        folded = fold(events, until=_FOREVER, position=upto)
        return sorted(folded.indices.values(), key=lambda i: i.key)

    # --- assessments -------------------------------------------------------------------------

    def start(self, command: StartAssessment, *, actor: Actor, request_id: str) -> tuple[str, int]:
        """Mở kỳ tự đánh giá; the assessment's key and the position recorded."""
        require_permission(actor, Permission.ASSESS_DTI)
        framework = self.framework(command.index, command.version).framework
        now = self.clock.now()
        today = city_date(now)
        if command.unit in LEADING_UNITS:
            raise InvalidAssessmentError("committee", unit=command.unit)
        self.registry().require_active(command.unit, on=today)
        if command.period < framework.period:
            raise InvalidAssessmentError(
                "period_before",
                index=framework.index,
                version=framework.version,
                first=framework.period,
                period=command.period,
            )
        if command.period > today.year:
            raise InvalidAssessmentError("period_future", period=command.period)
        kind = command.group or default_group(command.unit)
        if framework.group(kind) is None:
            raise FrameworkNotFoundError(
                "no_group", index=framework.index, version=framework.version, group=kind.value
            )
        key = assessment_key(command.index, command.version, command.period, command.unit)
        assessment = Assessment.start(
            index=command.index,
            framework_version=command.version,
            period=command.period,
            unit=command.unit,
            group=kind,
            actor=actor,
            request_id=request_id,
            at=now,
        )
        if assessment.id in self.repository:
            raise AssessmentExistsError("started", key=key)
        try:
            return key, self.writer.save(assessment)
        except IntegrityError:
            raise AssessmentExistsError("started", key=key) from None

    def execute(
        self,
        command: AssessmentCommand,
        key: str,
        *,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        """Run a command of an assessment's life on the assessment ``key`` names; with
        ``expected_version`` only if it has not moved on. An assessment the actor may not see
        is not there for them. The position recorded."""
        require_permission(actor, command.permission)
        aggregate_id = self.id_of(key)
        given = command.files_given()
        if given:
            command = dataclasses.replace(command, files=self.describe(given))  # type: ignore[call-arg]

        def run(assessment: Assessment, at: datetime) -> None:
            if not isinstance(assessment, Assessment):
                raise AssessmentNotFoundError("unknown", key=key)
            context = self.context(assessment, at, measuring=command.measures)
            if not assessment.seen_by(actor, context.appraiser):
                raise AssessmentNotFoundError("unknown", key=key)
            if expected_version is not None and assessment.version != expected_version:
                raise VersionMismatchError(
                    "moved_on",
                    reference=assessment.key,
                    version=assessment.version,
                    expected=expected_version,
                )
            command.run(assessment, context, Origin(actor, request_id, at))

        try:
            return self.writer.update(aggregate_id, run)
        except AggregateNotFoundError:
            raise AssessmentNotFoundError("unknown", key=key) from None

    def publish_results(
        self, command: PublishResults, *, actor: Actor, request_id: str
    ) -> tuple[list[str], int]:
        """Công bố: every appraised assessment of the period under the version, published in
        one save; their keys and the position recorded."""
        require_permission(actor, Permission.PUBLISH_DTI_RESULTS)
        self.framework(command.index, command.version)
        for _ in range(self.writer.max_attempts):
            at = self.clock.now()
            waiting = [
                self.get(assessment_key(command.index, command.version, command.period, unit))
                for unit in self._units_appraised(command)
            ]
            if not waiting:
                raise NothingToPublishError(
                    "none", index=command.index, version=command.version, period=command.period
                )
            for assessment in waiting:
                assessment.publish(
                    reference=command.reference, actor=actor, request_id=request_id, at=at
                )
            try:
                return [a.key for a in waiting], self.writer.save(*waiting)
            except IntegrityError:
                continue  # one of them moved on meanwhile: again, afresh
        raise ConcurrencyConflictError("gave_up", attempts=self.writer.max_attempts)

    def _units_appraised(self, command: PublishResults) -> list[str]:
        events, upto = self.log.upto()
        folded = fold(events, until=_FOREVER, position=upto)
        return sorted(
            a.unit
            for a in folded.assessments.values()
            if (a.index, a.framework_version, a.period)
            == (command.index, command.version, command.period)
            and a.stage is Stage.APPRAISED
        )

    # --- reading -----------------------------------------------------------------------------

    def get(
        self, key: str, *, actor: Actor | None = None, version: int | None = None
    ) -> Assessment:
        """The assessment now (or right after ``version``), if the actor may see it."""
        try:
            found = self.repository.get(self.id_of(key), version=version, projector_func=replay)
        except AggregateNotFoundError:
            raise AssessmentNotFoundError("unknown", key=key) from None
        if not isinstance(found, Assessment):
            raise AssessmentNotFoundError("unknown", key=key)
        if actor is not None and not found.seen_by(actor, self.appraiser(found)):
            raise AssessmentNotFoundError("unknown", key=key)
        return found

    def group_of(self, assessment: Assessment) -> Group:
        framework = self.framework(assessment.index, assessment.framework_version).framework
        group = framework.group(assessment.group)
        if group is None:  # pragma: no cover - a group is checked when the assessment starts
            raise FrameworkNotFoundError(
                "no_group", index=framework.index, version=framework.version, group=assessment.group
            )
        return group

    def appraiser(self, assessment: Assessment) -> str:
        """The appraising body now: the framework's, or its heir once it ended in a
        reorganisation (Sở Thông tin và Truyền thông's work is Sở Khoa học và Công nghệ's)."""
        framework = self.framework(assessment.index, assessment.framework_version).framework
        return self.registry().heir_of(framework.appraiser)

    def measure_with(self, measures: Measures) -> None:
        """Measure the units with ``measures`` from now on: the read models answer the port,
        and they are opened after the application (the composition root, ``bootstrap``)."""
        self.measures = measures

    def context(self, assessment: Assessment, at: datetime, *, measuring: bool = False) -> Context:
        """What a command needs beside the assessment; ``measuring``: with what Thucthi
        measures of the unit, as of the period's end (or today, if earlier) and the position
        the measures stand at."""
        group, today = self.group_of(assessment), city_date(at)
        measured = (
            measure_group(self.measures, group, assessment.unit, assessment.period, today)
            if measuring and self.measures is not None and assessment.stage is Stage.DRAFT
            else {}
        )
        return Context(
            group=group,
            appraiser=self.appraiser(assessment),
            calendar=self.calendar(),
            today=today,
            measured=measured,
        )

    def point_of_view(self, as_of: date | None, position: int | None) -> PointOfView:
        """The day asked (today by default) and the position: the one asked (no further than
        the head of the log), else the last event of the index recorded by the end of that
        day."""
        today = city_date(self.clock.now())
        day = as_of or today
        events, head = self.log.upto()
        if position is None:
            until = end_of_city_day(day)
            position = max((at for at, e in events if e.timestamp <= until), default=0)
        # A position past the head of the log would take in what is recorded later: the
        # answer is the head's, and names it, so that asked again it is the same.
        return PointOfView(day, min(position, head), day > today)

    def folded(self, view: PointOfView) -> Folded:
        events, _ = self.log.upto(view.position)
        return fold(events, until=end_of_city_day(view.as_of), position=view.position)

    def results(
        self,
        index: str,
        period: int,
        *,
        view: PointOfView,
        actor: Actor,
        version: int | None = None,
        group: GroupKind | None = None,
    ) -> list[GroupResults]:
        """The period's scores, bands, ranks and trends at the point of view. An officer of a
        unit that does not appraise the index sees the published results only."""
        folded = self.folded(view)
        return results(
            folded,
            index,
            period,
            version=version,
            group=group,
            published_only=self.published_only(actor, index),
        )

    def rescored(
        self,
        index: str,
        period: int,
        under: int | Framework,
        *,
        view: PointOfView,
        actor: Actor,
        group: GroupKind | None = None,
    ) -> list[GroupRescored]:
        """The period's assessments scored again, beside their own scores, under version
        ``under`` of the index as published by the point of view, or under a framework not
        published at all (other weights, a draft revision: nothing is recorded)."""
        folded = self.folded(view)
        framework = folded.framework(index, under) if isinstance(under, int) else under
        if framework is None:
            raise FrameworkNotFoundError("no_version", index=index, version=under)
        return rescored(
            folded,
            index,
            period,
            framework,
            group=group,
            published_only=self.published_only(actor, index),
        )

    def published_only(self, actor: Actor, index: str) -> bool:
        if actor.role is not Role.DEPARTMENT:
            return False
        try:
            appraiser = self.framework(index).framework.appraiser
        except FrameworkNotFoundError:
            return True
        return actor.unit != self.registry().heir_of(appraiser)

    def queue(self, actor: Actor) -> list[Assessment]:
        """What waits for the actor, oldest first: for the appraising body the assessments
        submitted; for a unit's officers its drafts and returns; for the Office the appraised
        ones to publish."""
        events, upto = self.log.upto()
        folded = fold(events, until=_FOREVER, position=upto)
        found: list[Assessment] = []
        for assessment in folded.assessments.values():
            if actor.role is Role.OFFICE:
                if assessment.stage is Stage.APPRAISED:
                    found.append(assessment)
                continue
            if actor.role is not Role.DEPARTMENT:
                continue
            appraising = assessment.stage is Stage.SUBMITTED and actor.unit == self.appraiser(
                assessment
            )
            answering = assessment.stage in OPEN_TO_UNIT and actor.unit == assessment.unit
            if appraising or answering:
                found.append(assessment)
        return sorted(found, key=lambda a: (a.modified_on, a.key))

    def history(self, key: str, events: Callable[[UUID], Iterable[Any]]) -> list[Assessment.Event]:
        assessment = self.get(key)
        return [e for e in events(assessment.id) if isinstance(e, Assessment.Event)]

    @staticmethod
    def id_of(key: str) -> UUID:
        """The id of the assessment a key names (``hcm-dti~1~2023~SO-CT``)."""
        parts = key.strip().split("~")
        if (
            len(parts) != 4
            or not all(parts)
            or not parts[1].isascii()
            or not parts[1].isdecimal()
            or not parts[2].isascii()
            or not parts[2].isdecimal()
            or len(parts[1]) > 9
            or len(parts[2]) > 4
        ):
            raise AssessmentNotFoundError("key", example=KEY_EXAMPLE, given=key)
        index, version, period, unit = parts
        return assessment_id(index, int(version), int(period), unit)


def default_group(unit: str) -> GroupKind:
    """The group a unit is scored in unless it says: a People's Committee of a ward, commune,
    special zone or (until 2025) district is a locality; every other unit a department."""
    return GroupKind.LOCALITIES if unit.startswith("UBND-") else GroupKind.DEPARTMENTS
