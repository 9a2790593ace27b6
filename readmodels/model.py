"""What the oversight read models hold and answer: rows, categories, figures and the one interface.

The categories are those of the national statistics (see the brief). As of a day D, a directive
that is issued and not withdrawn falls in exactly one:

- ``completed_on_time`` — accepted by D, and the accepted report was submitted on or before the
  deadline (a directive without deadline that is completed counts as on time: it cannot be late);
- ``completed_late`` — accepted by D, report submitted after the deadline;
- ``in_progress`` — not accepted by D and D is on or before the deadline (``due_soon`` marks
  those whose deadline is at most ``due_soon_days`` after D);
- ``overdue`` — not accepted by D and D is after the deadline; days overdue = D − deadline;
- ``no_deadline`` — not accepted by D and no deadline.

"The deadline" is the one in force as of D (latest granted extension), or on request the
original. On-time rate = completed on time ÷ (completed on time + completed late + overdue): the
directives that were due by D or already finished; None when there are none.

Beside the categories, and without changing them: a directive whose lead unit has reported it
complete and whose report awaits the leader's decision on D is **awaiting acceptance**. It stays
in its category (not accepted, so in progress, overdue or without deadline), but from the report
on it waits on the committee, not on the unit, and every view shows it apart: how many, since
when, and who holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol
from uuid import UUID

from domain.directives.directive import shown_progress


class Category(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    NO_DEADLINE = "no_deadline"


Basis = Literal["in_force", "original"]
DEFAULT_DUE_SOON_DAYS = 3


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One version of a directive's row on the board, true from its position and moment on."""

    directive_id: UUID
    version: int
    position: int
    recorded_at: datetime
    reference: str
    title: str
    lead_unit: str
    coordinators: tuple[str, ...]
    issuer: str
    urgency: str
    issued_on: date
    issued_at: datetime
    assigned_at: datetime  # when the current lead was given it: issue or last reassignment
    original_deadline: date | None
    deadline: date | None
    extensions_granted: int
    extension_pending: bool
    percent: int
    progress_at: datetime | None
    acknowledged_at: datetime | None
    completion_reported_at: datetime | None
    completion_on: date | None
    accepted_at: datetime | None
    status: str
    withdrawn: bool
    open_explanations: int
    reminders: int
    returns: int
    contributed: tuple[str, ...]

    @property
    def progress(self) -> int:
        """The progress shown, by the domain's one rule (``percent`` is the last progress
        report's): 100 % once completion is reported."""
        return shown_progress(self.status, self.percent)

    @property
    def awaiting_acceptance(self) -> bool:
        """Reported complete, the report awaiting the leader's decision."""
        return self.status == "completion_reported"


@dataclass(frozen=True, slots=True)
class SkippedEvent:
    """A stored event the oversight read models left out, and why: it could not be read, or it
    cannot follow what came before it (docs/oversight.md). Kept so that no figure changes
    without a trace."""

    position: int
    originator_id: str
    originator_version: int
    topic: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnitRow:
    code: str
    name_vi: str
    name_en: str
    parent: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class Succession:
    """A unit ended by a reorganisation, the unit its open work passed to, the day the change
    took effect and the log position that recorded it (docs/units.md)."""

    predecessor: str
    heir: str
    effective_on: date
    position: int


@dataclass(frozen=True, slots=True)
class Filters:
    """Which directives a view covers. Periods are inclusive day ranges."""

    unit: str | None = None
    issuer: str | None = None
    urgency: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None


NO_FILTERS = Filters()


# The list of directives (``OversightReadModel.directive_page``): what it can be sorted by and
# which statuses it can be narrowed to. ``awaiting_acceptance`` is a completion report awaiting
# the leader's decision; ``extension_pending`` an extension request awaiting one; ``open`` any
# directive neither completed nor withdrawn.
SORTS = (
    "issued", "reference", "title", "lead_unit", "deadline", "urgency", "category", "progress",
    "status", "relevance",
)  # fmt: skip
LIST_STATUSES = (
    "open", "issued", "in_progress", "awaiting_acceptance", "extension_pending", "completed",
    "withdrawn",
)  # fmt: skip
UnitRole = Literal["lead", "coordinating"]


@dataclass(frozen=True, slots=True)
class DirectiveQuery:
    """What a page of the list of directives is asked: the filters (``Filters.unit`` names the
    unit as lead or, with ``role="coordinating"``, as a coordinating unit), a status, a
    category judged on ``day`` by ``basis``, words to search for, the order, and for a
    department officer the unit whose directives alone it sees (those its unit leads or
    coordinates now, even as of an earlier day: docs/api.md, "What a department sees")."""

    day: date
    filters: Filters = NO_FILTERS
    role: UnitRole = "lead"
    status: str | None = None
    category: str | None = None
    basis: Basis = "in_force"
    search: str = ""
    sort: str = "issued"
    descending: bool = True
    seen_by: str | None = None


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page of the list ends (keyset paging): the last row's value of the sorted column
    (as text, a whole number or a real; None for no value) and its directive's id. The next
    page starts strictly after it in the list's order, so a row added meanwhile is shown once
    or, if it sorts before the key, not at all, and no row is shown twice."""

    value: str | int | float | None
    directive_id: UUID


@dataclass(frozen=True, slots=True)
class Counted:
    """How many directives a list held, and the log position that count was read at: a page
    read at the same position and point of view has the same count, so it need not count again
    (counting the current rows is most of a page's cost at a city's scale)."""

    position: int
    total: int


@dataclass(frozen=True, slots=True)
class DirectivePage:
    """One page of the list, how many directives the whole list holds, the log position it
    was read at, and where the next page starts (None: this is the last)."""

    rows: list[BoardRow]
    total: int
    position: int
    next: PageKey | None


@dataclass(frozen=True, slots=True)
class AsOf:
    """A point of view: what the log up to ``position`` says about the end of city day ``day``.

    A board version counts when it is at or before the position and was recorded by the end of
    the day, and no later version of its directive also is; deadlines are judged on the day.
    Without a position, the read models take the last position of a directive or petition event
    recorded by the end of the day (``OversightReadModel.position_of``), so that an answer about a
    day alone names a position, and the two together give it again whatever is recorded later.
    """

    day: date
    position: int | None = None


@dataclass
class Figures:
    """The counts of one unit (or the city) as of a day."""

    completed_on_time: int = 0
    completed_late: int = 0
    in_progress: int = 0
    due_soon: int = 0
    overdue: int = 0
    no_deadline: int = 0
    days_overdue_total: int = 0
    # Reported complete and awaiting the leader's decision (counted in their categories too),
    # and how many of those are overdue: waiting on the committee, not on the unit.
    awaiting_acceptance: int = 0
    awaiting_acceptance_overdue: int = 0

    @property
    def total(self) -> int:
        return (
            self.completed_on_time
            + self.completed_late
            + self.in_progress
            + self.overdue
            + self.no_deadline
        )

    @property
    def due(self) -> int:
        return self.completed_on_time + self.completed_late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return self.completed_on_time / self.due if self.due else None

    @property
    def days_overdue_mean(self) -> float | None:
        return self.days_overdue_total / self.overdue if self.overdue else None

    def add(self, other: Figures) -> None:
        self.completed_on_time += other.completed_on_time
        self.completed_late += other.completed_late
        self.in_progress += other.in_progress
        self.due_soon += other.due_soon
        self.overdue += other.overdue
        self.no_deadline += other.no_deadline
        self.days_overdue_total += other.days_overdue_total
        self.awaiting_acceptance += other.awaiting_acceptance
        self.awaiting_acceptance_overdue += other.awaiting_acceptance_overdue


@dataclass
class Summary:
    """The oversight summary: the city's figures and each lead unit's, and what they reflect."""

    as_of: date
    basis: Basis
    position: int
    city: Figures = field(default_factory=Figures)
    units: dict[str, Figures] = field(default_factory=dict)
    skipped: int = 0  # stored events up to ``position`` the read models left out (SkippedEvent)
    # The record of units ended by a reorganisation by then, shown under the unit that carries
    # on their work and not in ``units`` (docs/units.md): heir -> {predecessor: its figures}.
    # Counted in ``city`` as before; never added to the heir's own figures.
    carried: dict[str, dict[str, Figures]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Responsiveness:
    """The raw material of the execution index for one unit, as of a day."""

    unit: str
    figures: Figures
    directives: int
    acknowledge_hours_total: float
    acknowledge_count: int
    staleness_days_total: float
    staleness_count: int


@dataclass(frozen=True, slots=True)
class LateItem:
    directive_id: UUID
    reference: str
    title: str
    lead_unit: str
    urgency: str
    deadline: date
    days: int  # days overdue (late list) or days left (due-soon list)
    percent: int  # the progress shown (BoardRow.progress)
    # When the lead unit reported it complete and the report awaits the leader's decision: the
    # day it was reported, the days it has waited since, and the leader who issued it.
    awaiting: Awaiting | None = None


@dataclass(frozen=True, slots=True)
class Awaiting:
    """A completion report awaiting the leader's decision, as of a day."""

    reported_on: date
    days: int  # days waited since the report
    held_by: str  # the issuer: the leader who must accept or return it


@dataclass(frozen=True, slots=True)
class AwaitingItem:
    """A directive reported complete whose report awaits the leader's decision as of a day: in
    its category still, but waiting on the committee."""

    directive_id: UUID
    reference: str
    title: str
    lead_unit: str
    urgency: str
    deadline: date | None
    awaiting: Awaiting
    overdue: bool  # past the deadline as of the day: counted overdue, as the brief says
    days_late_at_report: int | None  # days the unit reported after the deadline; None: none


@dataclass(frozen=True, slots=True)
class InboxItem:
    directive_id: UUID
    reference: str
    title: str
    role: Literal["lead", "coordinator"]
    urgency: str
    deadline: date | None
    status: str
    # acknowledge, answer_explanation, report_progress, await_decision, contribute, await_lead
    owes: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    directive_id: UUID
    reference: str
    title: str
    lead_unit: str
    score: float


class OversightReadModel(Protocol):
    """The queries every backend answers, each naming the log position it reflects."""

    def position(self) -> int: ...

    def position_of(self, as_of: AsOf) -> int:
        """The log position an answer about ``as_of`` is made from and names: the one given, or
        for a day alone the last position of a directive or petition event recorded by the end of
        that day (0 if none was); never past the position the read models stand at."""
        ...

    def board(self, as_of: AsOf | None = None, filters: Filters = NO_FILTERS) -> list[BoardRow]: ...

    def summary(
        self,
        as_of: AsOf,
        *,
        basis: Basis = "in_force",
        filters: Filters = NO_FILTERS,
        due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    ) -> Summary: ...

    def responsiveness(
        self, as_of: AsOf, filters: Filters = NO_FILTERS, summary: Summary | None = None
    ) -> list[Responsiveness]:
        """Each unit's responsiveness; ``summary``: the in-force summary of the same point of
        view and filters, already made (else it is made again)."""
        ...

    def late(
        self, as_of: AsOf, filters: Filters = NO_FILTERS, limit: int = 100
    ) -> list[LateItem]: ...

    def due_soon(
        self,
        as_of: AsOf,
        window_days: int = DEFAULT_DUE_SOON_DAYS,
        filters: Filters = NO_FILTERS,
        limit: int = 100,
    ) -> list[LateItem]: ...

    def awaiting_acceptance(
        self, as_of: AsOf, filters: Filters = NO_FILTERS, limit: int = 100
    ) -> list[AwaitingItem]:
        """The directives whose completion report awaits the leader's decision as of the point
        of view, longest waiting first."""
        ...

    def directive_page(
        self,
        as_of: AsOf | None,
        query: DirectiveQuery,
        after: PageKey | None = None,
        limit: int = 50,
        counted: Counted | None = None,
    ) -> DirectivePage:
        """A page of the list of directives as of the point of view (None: as they are now),
        filtered, searched and sorted in the database, ``limit`` rows from after ``after``, with
        the whole list's count (``counted``'s, when the page is read at its position); ties
        broken by the directive's id."""
        ...

    def inbox(self, unit: str) -> list[InboxItem]: ...

    def directives_of(self, unit: str) -> dict[UUID, str]:
        """The directives the unit leads or coordinates now, by id, with their references: what
        a department officer of the unit sees."""
        ...

    def search(self, query: str, limit: int = 20) -> list[SearchHit]: ...

    def issuers(self) -> list[str]:
        """Every issuer a directive was issued by, in order (the dashboard's filter)."""
        ...

    def units(self) -> list[UnitRow]: ...

    def successions(self, as_of: AsOf | None = None) -> list[Succession]:
        """The units ended by a reorganisation, as of the point of view (by its position and
        the day each change took effect), or all of them; in log order."""
        ...

    def skipped(self) -> list[SkippedEvent]:
        """The stored events left out of the read models, in log order."""
        ...


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


def period(text: str) -> tuple[date, date]:
    """The first and last day of a year (2024), quarter (2024-Q3) or month (2024-07)."""
    match = _PERIOD.match(text.strip().upper())
    if not match:
        msg = f"a period is YYYY, YYYY-Qn or YYYY-MM, not {text!r}"
        raise ValueError(msg)
    year = int(match[1])
    if match[2]:
        first_month = last_month = int(match[2])
    elif match[3]:
        first_month = 3 * int(match[3]) - 2
        last_month = first_month + 2
    else:
        first_month, last_month = 1, 12
    first = date(year, first_month, 1)
    after = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return first, after - timedelta(days=1)
