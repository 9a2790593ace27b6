"""Why late: for one directive, the days spent in each phase and who held it at the time.

A directive's history, from its issue to its end, is cut into consecutive spans. Each span has a
phase and a holder: the lead unit, the coordinating units, or the committee (its leadership and
office, who must decide). The rules, in order of precedence at any moment:

1. **Awaiting acceptance** (committee): from a completion report until the leader accepts or
   returns it.
2. **Awaiting acknowledgement** (lead unit): from the issue, and again from each reassignment,
   until the lead unit of the time acknowledges receipt.
3. **Extension pending** (committee): from an extension request until it is granted or denied,
   or lapses because the directive is reassigned or withdrawn. While it lasts it replaces the
   phases below; whichever of them applies resumes after the decision.
4. **Returned for rework** (lead unit): from a completion report returned for rework until the
   next completion report.
5. **Waiting for coordinators** (the coordinating units still outstanding): once the lead unit's
   latest progress report says 100% while some coordinating units have never reported their
   contribution, until the last of them does (or completion is reported). A new span starts
   each time one of them contributes, so each span names exactly the units still awaited.
   Progress reported below 100% again, by the same lead unit, ends the wait.
6. **In progress** (lead unit): otherwise, from acknowledgement until completion is reported.

Accepting the completion or withdrawing the directive ends the last span; an open directive's
last span ends at the moment asked about (``now``). Steps taken at the same moment leave no empty
span, and neighbouring spans always differ in phase or holder or units.

A reassignment starts the directive over with the new lead unit: a 100% report or a rework by the
previous lead no longer counts, and a pending extension request lapses. Contributions already
reported by coordinating units still count. The unit newly leading stops being a coordinator.

**Days after the deadline** in a span is the part of it after the end of the city day (UTC+7) of
the deadline in force at the end: the last granted extension, else the original deadline. A span
entirely before that day ends has none; without a deadline there are none.

**Days late** is the number of whole city days from the deadline in force to the day the accepted
completion report was submitted (for a completed directive, so a slow acceptance does not count
against the unit), or to the city day of ``now`` (for an open one, including one whose completion
report awaits a decision). It is 0 when that day is on or before the deadline, when there is no
deadline, and for a withdrawn directive, which leaves every count.

Events recorded after ``now`` are left out, so a breakdown can be taken as of a past moment. An
event stamped earlier than the one before it (a clock stepping back) counts as happening at the
same moment as that one, so spans never run backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from domain.directives.directive import Directive
from domain.shared.clock import city_date, end_of_city_day

ONE_DAY = timedelta(days=1)


class Phase(StrEnum):
    """What a directive was waiting for."""

    AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_COORDINATORS = "waiting_for_coordinators"
    EXTENSION_PENDING = "extension_pending"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    RETURNED_FOR_REWORK = "returned_for_rework"


class Holder(StrEnum):
    """Who had to act for the directive to move on."""

    LEAD = "lead"
    COORDINATOR = "coordinator"
    COMMITTEE = "committee"  # the committee's leadership and office, who must decide


@dataclass(frozen=True, slots=True)
class Span:
    """An uninterrupted stretch of one phase, held by the same units."""

    phase: Phase
    holder: Holder
    units: tuple[str, ...]  # the units holding it; empty when the committee holds it
    start: datetime
    end: datetime
    days: float
    days_after_deadline: float


class Total(NamedTuple):
    """Days in one phase with one kind of holder, summed over spans (or over directives)."""

    phase: Phase
    holder: Holder
    days: float
    days_after_deadline: float


@dataclass(frozen=True, slots=True)
class WhyLate:
    """One directive's time, phase by phase, from its issue to its end (or to ``now``)."""

    reference: str
    lead_unit: str  # the lead unit now
    deadline: date | None  # in force
    original_deadline: date | None
    finished_at: datetime | None  # the accepted completion report, or the withdrawal
    days_late: int
    spans: tuple[Span, ...]  # in time order

    @property
    def totals(self) -> list[Total]:
        """Days per phase and holder, in the order the phases and holders are declared."""
        return _sum_totals(
            Total(s.phase, s.holder, s.days, s.days_after_deadline) for s in self.spans
        )


@dataclass(frozen=True, slots=True)
class UnitWhyLate:
    """The breakdowns of several directives, usually a unit's late ones, added up."""

    unit: str
    directives: int
    days_late: int
    totals: list[Total]


_Key = tuple[Phase, Holder, tuple[str, ...]]


@dataclass
class _Fold:
    """What the phase depends on, as the events are applied one by one."""

    lead: str
    coordinators: tuple[str, ...]
    deadline: date | None
    acknowledged: bool = False
    lead_at_full_progress: bool = False
    contributed: set[str] = field(default_factory=set)
    extension_pending: bool = False
    completion_reported_at: datetime | None = None
    returned: bool = False
    accepted: bool = False
    withdrawn_at: datetime | None = None

    @property
    def closed(self) -> bool:
        return self.accepted or self.withdrawn_at is not None

    def apply(self, e: Directive.Event, at: datetime) -> None:
        if isinstance(e, Directive.Acknowledged):
            self.acknowledged = True
        elif isinstance(e, Directive.ProgressReported):
            self.lead_at_full_progress = e.percent == 100
        elif isinstance(e, Directive.ContributionReported):
            self.contributed.add(e.unit)
        elif isinstance(e, Directive.ExtensionRequested):
            self.extension_pending = True
        elif isinstance(e, Directive.ExtensionGranted):
            self.extension_pending = False
            self.deadline = e.new_deadline
        elif isinstance(e, Directive.ExtensionDenied):
            self.extension_pending = False
        elif isinstance(e, Directive.CompletionReported):
            self.completion_reported_at = at
        elif isinstance(e, Directive.CompletionAccepted):
            self.accepted = True
        elif isinstance(e, Directive.CompletionReturned):
            self.completion_reported_at = None
            self.returned = True
        elif isinstance(e, Directive.Reassigned):
            self.lead = e.to_unit
            self.coordinators = tuple(u for u in self.coordinators if u != e.to_unit)
            self.acknowledged = self.lead_at_full_progress = self.returned = False
            self.extension_pending = False
        elif isinstance(e, Directive.Withdrawn):
            self.withdrawn_at = at
            self.extension_pending = False
        # Reminders and explanations change nobody's turn.

    def key(self) -> _Key:
        if self.completion_reported_at is not None:
            return Phase.AWAITING_ACCEPTANCE, Holder.COMMITTEE, ()
        if not self.acknowledged:
            return Phase.AWAITING_ACKNOWLEDGEMENT, Holder.LEAD, (self.lead,)
        if self.extension_pending:
            return Phase.EXTENSION_PENDING, Holder.COMMITTEE, ()
        if self.returned:
            return Phase.RETURNED_FOR_REWORK, Holder.LEAD, (self.lead,)
        outstanding = tuple(u for u in self.coordinators if u not in self.contributed)
        if self.lead_at_full_progress and outstanding:
            return Phase.WAITING_FOR_COORDINATORS, Holder.COORDINATOR, outstanding
        return Phase.IN_PROGRESS, Holder.LEAD, (self.lead,)


def why_late(events: Sequence[Directive.Event], now: datetime) -> WhyLate:
    """The breakdown of one directive's history (its events, the first being Issued) as of now."""
    ordered = sorted(events, key=lambda e: e.originator_version)
    if not ordered or not isinstance(ordered[0], Directive.Issued):
        msg = "a directive's history starts with its Issued event"
        raise ValueError(msg)
    issued = ordered[0]
    if issued.timestamp > now:
        msg = f"{issued.reference} was not yet issued at {now.isoformat()}"
        raise ValueError(msg)
    fold = _Fold(issued.lead_unit, issued.coordinating_units, issued.deadline)
    cuts: list[tuple[_Key, datetime]] = [(fold.key(), issued.timestamp)]
    moment = issued.timestamp
    for e in ordered[1:]:
        if e.timestamp > now:
            break
        moment = max(moment, e.timestamp)
        fold.apply(e, moment)
        if fold.closed:
            break
        cuts.append((fold.key(), moment))
    end = moment if fold.closed else now
    return WhyLate(
        reference=issued.reference,
        lead_unit=fold.lead,
        deadline=fold.deadline,
        original_deadline=issued.deadline,
        finished_at=fold.withdrawn_at or (fold.completion_reported_at if fold.accepted else None),
        days_late=_days_late(fold, now),
        spans=_spans(cuts, end, fold.deadline),
    )


def unit_why_late(unit: str, breakdowns: Iterable[WhyLate]) -> UnitWhyLate:
    """The breakdowns given (the caller chooses which: usually the unit's late ones) summed."""
    chosen = list(breakdowns)
    return UnitWhyLate(
        unit=unit,
        directives=len(chosen),
        days_late=sum(b.days_late for b in chosen),
        totals=_sum_totals(t for b in chosen for t in b.totals),
    )


def _spans(
    cuts: list[tuple[_Key, datetime]], end: datetime, deadline: date | None
) -> tuple[Span, ...]:
    """Spans from the moments the phase was (re)computed: equal neighbours merge, empty ones go."""
    bounds: list[tuple[_Key, datetime, datetime]] = []
    for i, (key, start) in enumerate(cuts):
        stop = cuts[i + 1][1] if i + 1 < len(cuts) else end
        if stop == start:
            continue
        if bounds and bounds[-1][0] == key:
            bounds[-1] = (key, bounds[-1][1], stop)
        else:
            bounds.append((key, start, stop))
    # Late from the first moment of the day after the deadline, city time.
    late_from = None if deadline is None else end_of_city_day(deadline) + timedelta(microseconds=1)
    return tuple(
        Span(
            phase=phase,
            holder=holder,
            units=units,
            start=start,
            end=stop,
            days=(stop - start) / ONE_DAY,
            days_after_deadline=(
                0.0
                if late_from is None or stop <= late_from
                else (stop - max(start, late_from)) / ONE_DAY
            ),
        )
        for (phase, holder, units), start, stop in bounds
    )


def _days_late(fold: _Fold, now: datetime) -> int:
    if fold.deadline is None or fold.withdrawn_at is not None:
        return 0
    if fold.accepted and fold.completion_reported_at is not None:
        day = city_date(fold.completion_reported_at)
    else:
        day = city_date(now)
    return max(0, (day - fold.deadline).days)


def _sum_totals(totals: Iterable[Total]) -> list[Total]:
    sums: dict[tuple[Phase, Holder], tuple[float, float]] = {}
    for t in totals:
        days, after = sums.get((t.phase, t.holder), (0.0, 0.0))
        sums[(t.phase, t.holder)] = (days + t.days, after + t.days_after_deadline)
    phases, holders = list(Phase), list(Holder)
    order = sorted(sums, key=lambda k: (phases.index(k[0]), holders.index(k[1])))
    return [Total(phase, holder, *sums[(phase, holder)]) for phase, holder in order]
