"""The index's measures (``domain.dti.measures.Measures``) answered from what the oversight views
already hold, as of a city day and a log position: the board of directives and the petitions'
figures, rows and working-day calendar at that point of view, and the directives' signed
documents as filed in the log by then. The definitions are docs/dti.md's ("Measured by
Thucthi"); each measure names its figures so the scorecard can say where its value came from.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from domain.dti.framework import Basis, Measure, MeasureName
from domain.dti.measures import Measurement, median_days
from domain.shared.calendar import WorkingCalendar
from domain.shared.clock import city_date, end_of_city_day
from readmodels.model import AsOf, Filters, OversightReadModel
from readmodels.petitions import PetitionFilters, PetitionReadModel, PetitionRow
from readmodels.queries import category_of

DOCUMENT_FILED = "thucthi:Document.Filed"
DIRECTIVE_DOCUMENT = "directive"  # the kind of document a directive is filed as (api.filing)
PAGE = 1_000
Read = Callable[[int, int, Sequence[str], int], Sequence[tuple[int, Any]]]


class SignedDirectives:
    """The directives filed as signed documents, with the position and moment each was filed:
    read from the log by topic once, then only past what was read (positions commit in order)."""

    def __init__(self, read: Read, head: Callable[[], int | None]) -> None:
        """``read(start, stop, topics, limit)``: the events of those topics at positions from
        ``start`` to ``stop``, at most ``limit``, with their positions; ``head`` the log's."""
        self._read, self._head = read, head
        self._filed: list[tuple[int, datetime, str]] = []  # position, moment, directive id
        self._upto = 0
        self._lock = threading.Lock()

    def by(self, position: int, until: datetime) -> set[str]:
        """The ids of the directives whose signed document was filed at or before ``position``
        and by ``until``."""
        with self._lock:
            wanted = min(position, self._head() or 0)
            start = self._upto + 1
            while start <= wanted:
                page = self._read(start, wanted, (DOCUMENT_FILED,), PAGE)
                for at, event in page:
                    if event.kind == DIRECTIVE_DOCUMENT and event.signer is not None:
                        self._filed.append((at, event.timestamp, event.subject))
                if len(page) < PAGE:
                    break
                start = page[-1][0] + 1
            self._upto = max(self._upto, wanted)
            return {s for at, moment, s in self._filed if at <= position and moment <= until}


def working_days_between(calendar: WorkingCalendar, start: date, end: date) -> int:
    """The working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    after ``start``): a directive acknowledged the day it was issued took 0."""
    day, found = start, 0
    while day < end:
        day = date.fromordinal(day.toordinal() + 1)
        found += calendar.is_working_day(day)
    return found


class ReadModelMeasures:
    """Measures a unit from the oversight read models (one backend's, either)."""

    def __init__(
        self,
        oversight: OversightReadModel,
        petitions: PetitionReadModel,
        signed: SignedDirectives,
    ) -> None:
        self.oversight, self.petitions, self.signed = oversight, petitions, signed

    def position(self) -> int:
        return self.oversight.position()

    def measure(  # noqa: PLR0911 - one return per measure
        self, measure: Measure, unit: str, period: tuple[date, date], as_of: date, position: int
    ) -> Measurement:
        point = AsOf(as_of, position)
        name = measure.name
        if name is MeasureName.DIRECTIVES_ON_TIME:
            part, whole = self._on_time(point, unit, period, measure.basis)
            return Measurement(name, as_of, position, part, whole)
        if name is MeasureName.DOCUMENTS_SIGNED:
            part, whole = self._signed(point, position, unit, period)
            return Measurement(name, as_of, position, part, whole)
        if name is MeasureName.ACKNOWLEDGE_DAYS:
            days, acknowledged = self._acknowledge_days(point, unit, period)
            return Measurement(name, as_of, position, acknowledged, len(days), median_days(days))
        if name is MeasureName.PETITION_ANSWER_DAYS:
            days, answered = self._answer_days(point, unit, period)
            return Measurement(name, as_of, position, answered, len(days), median_days(days))
        figures = self.petitions.summary(
            point, PetitionFilters(agency=unit, received_from=period[0], received_to=period[1])
        ).agencies.get(unit)
        if figures is None:
            return Measurement(name, as_of, position, 0, 0)
        if name is MeasureName.PETITIONS_ON_TIME:
            due = figures.resolved_on_time + figures.resolved_late + figures.overdue_handling
            return Measurement(name, as_of, position, figures.resolved_on_time, due)
        # Petitions online: of those filed with the unit itself (not transferred to it).
        filed = figures.received - figures.by_channel.get("transferred", 0)
        return Measurement(name, as_of, position, figures.by_channel.get("online", 0), filed)

    def _board(self, point: AsOf, unit: str) -> list[Any]:
        return [r for r in self.oversight.board(point, Filters(unit=unit)) if not r.withdrawn]

    def _on_time(
        self, point: AsOf, unit: str, period: tuple[date, date], basis: Basis
    ) -> tuple[int, int]:
        """Of the unit's directives whose deadline fell in the period by the day, those
        completed on time (the brief's categories, judged on the day against ``basis``)."""
        part = whole = 0
        for row in self._board(point, unit):
            deadline = row.deadline if basis is Basis.IN_FORCE else row.original_deadline
            if deadline is None or not period[0] <= deadline <= min(period[1], point.day):
                continue
            whole += 1
            part += category_of(row, point.day, basis.value) == "completed_on_time"
        return part, whole

    def _issued(self, point: AsOf, unit: str, period: tuple[date, date]) -> list[Any]:
        first, last = period[0], min(period[1], point.day)
        return [r for r in self._board(point, unit) if first <= r.issued_on <= last]

    def _signed(
        self, point: AsOf, position: int, unit: str, period: tuple[date, date]
    ) -> tuple[int, int]:
        """Of the directives the unit leads issued in the period by the day, those filed as a
        signed document by then."""
        issued = self._issued(point, unit, period)
        signed = self.signed.by(position, end_of_city_day(point.day))
        return sum(str(r.directive_id) in signed for r in issued), len(issued)

    def _acknowledge_days(
        self, point: AsOf, unit: str, period: tuple[date, date]
    ) -> tuple[list[int], int]:
        """The working days from each directive's assignment to the unit (issue, or the last
        reassignment) to its acknowledgement; a directive not acknowledged by the day counts the
        working days up to the day (it took at least that long)."""
        calendar = self.petitions.calendar(point).calendar
        days, acknowledged = [], 0
        for row in self._issued(point, unit, period):
            end = point.day
            if row.acknowledged_at is not None:
                end = city_date(row.acknowledged_at)
                acknowledged += 1
            days.append(working_days_between(calendar, city_date(row.assigned_at), end))
        return days, acknowledged

    def _answer_days(
        self, point: AsOf, unit: str, period: tuple[date, date]
    ) -> tuple[list[int], int]:
        """The working days from a petition's arrival at the unit to its result, for those that
        arrived in the period and were accepted for handling; one still in handling on the day
        counts the working days up to the day."""
        calendar = self.petitions.calendar(point).calendar
        wanted = PetitionFilters(agency=unit, received_from=period[0], received_to=period[1])
        days, answered = [], 0
        for row in self.petitions.rows(point):
            if not _handled(row) or not wanted.admits(row):
                continue
            end = point.day
            if row.resolved_on is not None:
                end = row.resolved_on
                answered += 1
            days.append(working_days_between(calendar, row.arrived_on, end))
        return days, answered


def _handled(row: PetitionRow) -> bool:
    return row.accepted_on is not None and (row.resolved_on is not None or row.is_open)
