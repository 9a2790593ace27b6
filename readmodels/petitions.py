"""What the petitions' read models hold and answer: one row per petition and agency, the figures
of the oversight of petitions as of a day and a log position, the list and the queue.

A petition's **stint** is its time at one agency: stint 0 at the agency that received it, stint
1 at the agency of the city it was transferred to (Thông tư 05/2021/TT-TTCP: the same content
is transferred once). Each stint has its own row, in versions like a directive's board row
(``projections.petitions`` folds them), so that a transferred case counts at each agency as the
law counts it: **received** at the first and **transferred** out of it; **received by transfer**
(channel ``transferred``) at the second, which decides and handles it from the day it arrived.

The rows hold no personal data: no petitioner, no content, no subject (which may name the person
denounced); only counts, kinds, days, agencies, statuses and the officer assigned.

The figures (docs/petitions-oversight.md says each in words): as of a city day D and a log
position P, over the stints true at that point (the board's rule, ``readmodels.model.AsOf``),

- received, by kind and by channel; many signers (đơn đông người, ``MANY_SIGNERS`` or more);
  repeated (following an earlier petition: a repeat, or a complaint's second round);
- the processing decisions: accepted (thụ lý), guided, transferred (to an agency of the city,
  ``transferred_within``, or to a body outside), not accepted, archived; and withdrawn;
- open cases, awaiting the decision or in handling: within the deadline (D ≤ the last day of the
  term in force), of which **due soon** when that day is at most ``due_soon_days`` working days
  after D (3 by default, ``DEFAULT_DUE_SOON_DAYS``), and **overdue** (D after it), with the days
  overdue; or **suspended** (tạm đình chỉ), whose clock stands still and which is neither;
- resolved on time (on or before the last day of the handling term, with its extensions, as the
  calendar stood when the result was recorded) and late;
- the share handled within the legal time = resolved on time ÷ (resolved on time + resolved late
  + in handling and overdue), None when there is none.

For the city each petition is received once: the city's received, by kind, by channel, many
signers and repeated count stints 0 only; everything else is the sum of the agencies' (a
transfer within the city is a step the city took, and the case then counts where it is).

**Matters** (issue 26): officers link a later filing to an earlier one as the same matter, and
undo a wrong link (``LinkRow``, kept with the positions and moments it was made and undone, so a
past point of view sees the links as they stood then). A matter is a connected component of the
filings under the links true at the point of view; ``MatterFigures`` counts the filings and the
matters among them, and judges each matter once, by its first result (docs/petitions-oversight.md
says each rule in words; ``add_matters`` computes them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from domain.petitions.petition import MANY_SIGNERS, Channel, Kind, Status
from domain.shared.calendar import Swap, WorkingCalendar
from readmodels.model import AsOf

DEFAULT_DUE_SOON_DAYS = 3  # working days: "due soon" (sắp đến hạn) for petitions
OLDEST_SHOWN = 10
OPEN_STATUSES = (Status.RECEIVED.value, Status.CLASSIFIED.value, Status.IN_HANDLING.value)
AWAITING_STATUSES = (Status.RECEIVED.value, Status.CLASSIFIED.value)
UNCLASSIFIED = "unclassified"
KINDS = (*(k.value for k in Kind), UNCLASSIFIED)
CHANNELS = tuple(c.value for c in Channel)
# What an officer owes next on an open case: classify, decide, handle.
STEPS = {
    Status.RECEIVED.value: "classify",
    Status.CLASSIFIED.value: "decide",
    Status.IN_HANDLING.value: "handle",
}


class Calendar(Protocol):
    """What the read models need of the working-day calendar (``domain.petitions.Calendar``)."""

    def add_working_days(self, start: date, n: int) -> date: ...

    def add_days(self, start: date, n: int) -> date: ...


@dataclass(frozen=True, slots=True)
class CalendarChange:
    """A change to the working days, as the read models keep it (``{prefix}_calendar``): the
    government's swap of ``day_off`` (with its ``make_up_day``) declared, or withdrawn."""

    position: int
    recorded_at: datetime
    day_off: date
    make_up_day: date | None
    withdrawn: bool


class Counted:
    """A calendar whose answers are kept: deadlines start on few days and last a few terms, so
    the same question comes again and again in a rebuild."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._working: dict[tuple[date, int], date] = {}
        self._days: dict[tuple[date, int], date] = {}

    def add_working_days(self, start: date, n: int) -> date:
        found = self._working.get((start, n))
        if found is None:
            found = self._working[start, n] = self.calendar.add_working_days(start, n)
        return found

    def add_days(self, start: date, n: int) -> date:
        found = self._days.get((start, n))
        if found is None:
            found = self._days[start, n] = self.calendar.add_days(start, n)
        return found


def swaps_after(swaps: dict[date, Swap], change: CalendarChange) -> dict[date, Swap]:
    """The swaps in force after ``change``, by the day each makes a day off."""
    after = dict(swaps)
    if change.withdrawn:
        after.pop(change.day_off, None)
    else:
        after[change.day_off] = Swap(change.day_off, change.make_up_day, "")
    return after


def calendar_of(changes: Iterable[CalendarChange]) -> Counted:
    """The working days after these changes, in log order (Vietnam's holidays, with the swaps
    declared and not withdrawn: ``domain.shared.calendar.WorkingCalendar``)."""
    swaps: dict[date, Swap] = {}
    for change in changes:
        swaps = swaps_after(swaps, change)
    return Counted(WorkingCalendar.from_swaps(swaps.values()))


@dataclass(frozen=True, slots=True)
class PetitionRow:
    """One version of a petition's row at one agency (its stint), true from its position and
    moment on. No personal data."""

    petition_id: UUID
    stint: int
    position: int
    recorded_at: datetime
    version: int  # the petition's version this row follows
    receipt: str
    agency: str
    channel: str  # how it reached this agency (``transferred`` for a stint after the first)
    kind: str | None
    field: str | None
    competence: str | None
    several_places: bool
    status: str
    transferred_to: str | None  # the agency of the city this stint handed it to
    received_on: date  # the day the petition was first received
    arrived_on: date  # the day it arrived at this agency
    accepted_on: date | None
    decided_on: date | None  # the day of this agency's processing decision
    handler: str | None  # the officer assigned (an official's user name, not a petitioner)
    term: str | None  # the law's terms in force, joined by "+"
    due: date | None  # the last day of the term in force, while open
    handling_due: date | None  # the last day of the handling term, kept after the result
    extensions: int
    suspended_since: date | None  # handling suspended (tạm đình chỉ) since: the clock stands
    suspended_days: int  # days it stood suspended before, added to the handling term
    verifications: int
    dialogues: int
    resolved_on: date | None
    closed_on: date | None
    verdict: str | None
    published_on: date | None
    signers: int
    anonymous: bool
    relation: str | None
    follows: UUID | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def resolved_on_time(self) -> bool | None:
        """For a resolved stint, whether the result came within the handling term."""
        if self.status != Status.RESOLVED.value or self.resolved_on is None:
            return None
        return self.handling_due is None or self.resolved_on <= self.handling_due


@dataclass(frozen=True, slots=True)
class PetitionFilters:
    """Which stints the figures cover: one agency, one kind, those that arrived in a period."""

    agency: str | None = None
    kind: str | None = None
    received_from: date | None = None
    received_to: date | None = None

    def admits(self, row: PetitionRow) -> bool:
        """Whether a stint's row is among those the filters cover (the figures' SQL, in Python)."""
        if self.agency is not None and row.agency != self.agency:
            return False
        if self.kind is not None and row.kind != (None if self.kind == UNCLASSIFIED else self.kind):
            return False
        if self.received_from is not None and row.arrived_on < self.received_from:
            return False
        return self.received_to is None or row.arrived_on <= self.received_to


NO_PETITION_FILTERS = PetitionFilters()


@dataclass
class PetitionFigures:
    """The counts of one agency (or the city) as of a point of view."""

    received: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    many_signers: int = 0
    many_signers_open: int = 0
    repeated: int = 0
    second_round: int = 0
    accepted: int = 0
    guided: int = 0
    transferred: int = 0
    transferred_within: int = 0
    not_accepted: int = 0
    archived: int = 0
    withdrawn: int = 0
    awaiting_decision: int = 0
    in_handling: int = 0
    within_deadline: int = 0
    due_soon: int = 0
    overdue: int = 0
    overdue_decision: int = 0  # of the overdue, those still awaiting the processing decision
    days_overdue_total: int = 0
    suspended: int = 0  # in handling, suspended: the term's clock stands still
    resolved_on_time: int = 0
    resolved_late: int = 0

    @property
    def open(self) -> int:
        return self.awaiting_decision + self.in_handling

    @property
    def overdue_handling(self) -> int:
        return self.overdue - self.overdue_decision

    @property
    def share_on_time(self) -> float | None:
        """Handled within the legal time ÷ everything whose handling term came (resolved on time
        or late, or in handling past its term); None when nothing did."""
        due = self.resolved_on_time + self.resolved_late + self.overdue_handling
        return self.resolved_on_time / due if due else None

    @property
    def days_overdue_mean(self) -> float | None:
        return self.days_overdue_total / self.overdue if self.overdue else None

    def add(self, other: PetitionFigures, *, received: bool) -> None:
        """Add another's counts; ``received``: its receptions too (for the city, a stint after
        the first is not one)."""
        for name in COUNTED:
            if received or name not in RECEIVED:
                setattr(self, name, getattr(self, name) + getattr(other, name))
        if received:
            for kind, n in other.by_kind.items():
                self.by_kind[kind] += n
            for channel, n in other.by_channel.items():
                self.by_channel[channel] += n

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> PetitionFigures:
        """From one row of the figures' query (``FIGURES``)."""
        figures = cls()
        for name in COUNTED:
            setattr(figures, name, int(row[name] or 0))
        figures.by_kind = {kind: int(row[f"kind_{kind}"]) for kind in KINDS}
        figures.by_channel = {channel: int(row[f"channel_{channel}"]) for channel in CHANNELS}
        return figures


# The figures' counts: for each, the condition on a stint's row as of the point of view, in the
# SQL both backends speak (``:day`` and ``:soon`` are the day asked and the last day due soon
# counts; each backend writes them its way). The days overdue, a sum, are each backend's own.
_OPEN = "status IN ('received', 'classified', 'in_handling')"
_AWAITING = "status IN ('received', 'classified')"
FIGURES: dict[str, str] = {
    "received": "TRUE",
    **{f"kind_{k}": f"kind = '{k}'" for k in KINDS if k != UNCLASSIFIED},
    f"kind_{UNCLASSIFIED}": "kind IS NULL",
    **{f"channel_{c}": f"channel = '{c}'" for c in CHANNELS},
    "many_signers": f"signers >= {MANY_SIGNERS}",
    "many_signers_open": f"signers >= {MANY_SIGNERS} AND {_OPEN}",
    "repeated": "relation IS NOT NULL",
    "second_round": "relation = 'second_round'",
    "accepted": "accepted_on IS NOT NULL",
    "guided": "status = 'guided'",
    "transferred": "status = 'transferred'",
    "transferred_within": "transferred_to IS NOT NULL",
    "not_accepted": "status = 'not_accepted'",
    "archived": "status = 'archived'",
    "withdrawn": "status = 'withdrawn'",
    "awaiting_decision": _AWAITING,
    "in_handling": "status = 'in_handling'",
    "suspended": f"{_OPEN} AND due IS NULL",
    "within_deadline": f"{_OPEN} AND due >= :day",
    "due_soon": f"{_OPEN} AND due >= :day AND due <= :soon",
    "overdue": f"{_OPEN} AND due < :day",
    "overdue_decision": f"{_AWAITING} AND due < :day",
    "resolved_on_time": (
        "status = 'resolved' AND (handling_due IS NULL OR resolved_on <= handling_due)"
    ),
    "resolved_late": "status = 'resolved' AND resolved_on > handling_due",
}
OVERDUE_DAYS_WHEN = f"{_OPEN} AND due < :day"  # the rows whose days overdue are summed
# Counted once per petition for the city: receptions (at stint 0 only).
RECEIVED = frozenset({"received", "many_signers", "repeated", "second_round"})
COUNTED = (
    *(name for name in FIGURES if not name.startswith(("kind_", "channel_"))),
    "days_overdue_total",
)


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A link between two filings of one matter (``Petition.SameMatterMarked``, on the later
    filing), true from its position and moment until it is undone (``SameMatterUnmarked``).
    Receipt codes only: no reason, no name."""

    later: str
    earlier: str
    position: int
    recorded_at: datetime
    undone_position: int | None = None
    undone_at: datetime | None = None


def undone(link: LinkRow, position: int, at: datetime) -> LinkRow:
    """The link, undone at ``position`` and moment ``at``."""
    return replace(link, undone_position=position, undone_at=at)


def matters_of(links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each linked filing's matter, named by the smallest receipt code of its connected
    component under ``links`` (pairs of receipt codes): union by that name, so it is the same
    whatever order the links come in."""
    parent: dict[str, str] = {}

    def root(code: str) -> str:
        parent.setdefault(code, code)
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for later, earlier in links:
        a, b = sorted((root(later), root(earlier)))
        if a != b:
            parent[b] = a
    return {code: root(code) for code in list(parent)}


@dataclass
class MatterFigures:
    """The counts of one scope (the city, or an agency) counted by matter (docs/
    petitions-oversight.md): the filings received, the matters among them, those filed more
    than once, and each matter judged once by its first result."""

    filings: int = 0  # the filings received (the per-filing ``received``)
    matters: int = 0  # the matters among them
    repeated: int = 0  # of those, the matters filed more than once (anywhere in the city)
    resolved_on_time: int = 0  # matters whose first result came within its handling term
    resolved_late: int = 0
    overdue: int = 0  # matters with no result yet and an open filing past its term
    overdue_handling: int = 0  # of those, with a filing in handling past its term

    @property
    def share_on_time(self) -> float | None:
        """Matters resolved on time ÷ matters whose handling term came (resolved, or with no
        result and in handling past the term); None when none did."""
        due = self.resolved_on_time + self.resolved_late + self.overdue_handling
        return self.resolved_on_time / due if due else None

    @classmethod
    def per_filing(cls, figures: PetitionFigures) -> MatterFigures:
        """The counts as if no filing were linked: each its own matter."""
        return cls(
            filings=figures.received,
            matters=figures.received,
            resolved_on_time=figures.resolved_on_time,
            resolved_late=figures.resolved_late,
            overdue=figures.overdue,
            overdue_handling=figures.overdue_handling,
        )


@dataclass(frozen=True, slots=True)
class RepeatedMatter:
    """A matter filed more than once, as the dashboard lists it: the receipt codes of its
    filings the scope received (the first received first), how many filings it has in the
    whole city and every agency that held one, and its first result. The receipt codes of
    filings outside the scope are not named: an agency sees that its case was filed elsewhere,
    and where, not which case it is there. No personal data."""

    receipts: tuple[str, ...]
    filings: int
    agencies: tuple[str, ...]
    first_result_on: date | None
    on_time: bool | None  # its first result's


@dataclass
class PetitionSummary:
    """The figures of the city and of each agency, and the point of view they were made from;
    and the same counted by matter."""

    as_of: date
    position: int
    due_soon_days: int
    city: PetitionFigures = field(default_factory=PetitionFigures)
    agencies: dict[str, PetitionFigures] = field(default_factory=dict)
    matters: MatterFigures = field(default_factory=MatterFigures)
    agency_matters: dict[str, MatterFigures] = field(default_factory=dict)
    repeated_matters: list[RepeatedMatter] = field(default_factory=list)


def summary_of(
    rows: Iterable[Mapping[str, Any]], as_of: AsOf, position: int, due_soon_days: int
) -> PetitionSummary:
    """The summary from the figures' rows, one per agency and whether its stints are first
    ones (``first``): each counted at its agency, and for the city but for the receptions of
    stints after the first. Counted by matter as if nothing were linked (``add_matters``
    corrects that)."""
    summary = PetitionSummary(as_of=as_of.day, position=position, due_soon_days=due_soon_days)
    for row in rows:
        figures = PetitionFigures.of(row)
        summary.agencies.setdefault(row["agency"], PetitionFigures()).add(figures, received=True)
        summary.city.add(figures, received=bool(row["first"]))
    summary.matters = MatterFigures.per_filing(summary.city)
    summary.agency_matters = {
        code: MatterFigures.per_filing(f) for code, f in summary.agencies.items()
    }
    return summary


def _overdue(row: PetitionRow, day: date) -> bool:
    return row.is_open and row.due is not None and row.due < day


def _first_result(rows: Iterable[PetitionRow]) -> PetitionRow | None:
    """The stint whose result came first (by day, then log position)."""
    results = [r for r in rows if r.resolved_on_time is not None]
    return min(results, key=lambda r: (r.resolved_on, r.position)) if results else None


def _by_matter(
    figures: MatterFigures,
    groups: Mapping[str, list[PetitionRow]],
    received: Callable[[PetitionRow], bool],
    sizes: Mapping[str, int],
    day: date,
) -> MatterFigures:
    """``figures`` (per filing, or corrected so far) with the linked matters' filings counted
    once per matter: ``groups``, each linked matter's stints in the scope; ``received``, which
    stints are receptions of the scope; ``sizes``, each matter's filings in the whole city."""
    out = replace(figures)
    for matter, rows in groups.items():
        filed = {r.receipt for r in rows if received(r)}
        out.matters += (1 if filed else 0) - len(filed)
        out.repeated += 1 if filed and sizes[matter] > 1 else 0
        for r in rows:  # each filing's own counts out ...
            on_time = r.resolved_on_time
            out.resolved_on_time -= on_time is True
            out.resolved_late -= on_time is False
            out.overdue -= _overdue(r, day)
            out.overdue_handling -= _overdue(r, day) and r.status == Status.IN_HANDLING.value
        first = _first_result(rows)  # ... and the matter's in, judged by its first result
        if first is not None:
            out.resolved_on_time += first.resolved_on_time is True
            out.resolved_late += first.resolved_on_time is False
        else:
            out.overdue += any(_overdue(r, day) for r in rows)
            out.overdue_handling += any(
                _overdue(r, day) and r.status == Status.IN_HANDLING.value for r in rows
            )
    return out


def add_matters(
    summary: PetitionSummary,
    linked: Iterable[PetitionRow],
    links: Iterable[tuple[str, str]],
    filters: PetitionFilters,
) -> None:
    """Count the summary by matter: ``links``, the links true at its point of view (later,
    earlier); ``linked``, every stint row true then of the filings they name, whatever the
    filters. A filing no link names is a matter of its own, counted as the per-filing figures
    count it; only the linked ones are folded here."""
    matter = matters_of(links)
    everything: dict[str, list[PetitionRow]] = {}
    for row in linked:
        code = matter.get(row.receipt)
        if code is not None:
            everything.setdefault(code, []).append(row)
    sizes = {code: len({r.receipt for r in rows}) for code, rows in everything.items()}
    city: dict[str, list[PetitionRow]] = {}
    agencies: dict[str, dict[str, list[PetitionRow]]] = {}
    for code, rows in everything.items():
        for row in rows:
            if filters.admits(row):
                city.setdefault(code, []).append(row)
                agencies.setdefault(row.agency, {}).setdefault(code, []).append(row)
    day = summary.as_of
    summary.matters = _by_matter(summary.matters, city, lambda r: r.stint == 0, sizes, day)
    for agency, groups in agencies.items():
        base = summary.agency_matters.get(agency, MatterFigures())
        summary.agency_matters[agency] = _by_matter(base, groups, lambda r: True, sizes, day)
    repeated = []
    for code, rows in city.items():
        ordered = sorted(rows, key=lambda r: (r.received_on, r.receipt))
        received = tuple(dict.fromkeys(r.receipt for r in ordered if r.stint == 0))
        if not received or sizes[code] < 2:
            continue
        every = everything[code]
        first = _first_result(every)
        repeated.append(
            RepeatedMatter(
                receipts=received,
                filings=sizes[code],
                agencies=tuple(sorted({r.agency for r in every})),
                first_result_on=None if first is None else first.resolved_on,
                on_time=None if first is None else first.resolved_on_time,
            )
        )
    repeated.sort(key=lambda m: (-m.filings, m.receipts[0]))
    summary.repeated_matters = repeated


def timing_bounds(day: date, due_soon_days: int, calendar: Calendar) -> tuple[date, date]:
    """The day asked and the last day a deadline is "due soon" on it, which the figures' SQL
    takes as parameters."""
    return day, calendar.add_working_days(day, due_soon_days)


@dataclass(frozen=True, slots=True)
class PetitionItem:
    """A stint as the lists show it, as of a day: no personal data."""

    petition_id: UUID
    receipt: str
    stint: int
    agency: str
    kind: str | None
    field: str | None
    channel: str
    status: str
    step: str | None  # what is owed next: classify, decide, handle; None once closed here
    received_on: date
    arrived_on: date
    due: date | None
    days_left: int | None  # due − day: negative when overdue
    handler: str | None
    signers: int
    many_signers: bool
    relation: str | None
    transferred_to: str | None
    suspended: bool  # handling suspended: no term runs
    resolved_on: date | None
    on_time: bool | None
    verdict: str | None
    days_open: int  # day − the day it arrived, for an open one; else days it was here

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def item_of(row: PetitionRow, day: date) -> PetitionItem:
    end = day if row.is_open or row.closed_on is None else row.closed_on
    return PetitionItem(
        petition_id=row.petition_id,
        receipt=row.receipt,
        stint=row.stint,
        agency=row.agency,
        kind=row.kind,
        field=row.field,
        channel=row.channel,
        status=row.status,
        step=STEPS.get(row.status),
        received_on=row.received_on,
        arrived_on=row.arrived_on,
        due=row.due,
        days_left=None if row.due is None or not row.is_open else (row.due - day).days,
        handler=row.handler,
        signers=row.signers,
        many_signers=row.signers >= MANY_SIGNERS,
        relation=row.relation,
        transferred_to=row.transferred_to,
        suspended=row.is_open and row.suspended_since is not None,
        resolved_on=row.resolved_on,
        on_time=row.resolved_on_time,
        verdict=row.verdict,
        days_open=max((end - row.arrived_on).days, 0),
    )


@dataclass(frozen=True, slots=True)
class ListFilters:
    """Which current stints the list shows. Without an agency, each petition once, where it is
    (a stint that handed it to another agency of the city is left out); with one, every stint
    at that agency, those it transferred included."""

    agency: str | None = None
    kind: str | None = None
    status: str | None = None
    overdue: bool | None = None
    handler: str | None = None  # a handling officer's own cases (the queue)


_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})~([0-9A-Z-]{1,40})$")


@dataclass(frozen=True, slots=True)
class ListCursor:
    """Where a page of the list ends: the list is ordered by the day it arrived (latest first),
    then by receipt code, and the next page starts after this key (keyset paging)."""

    arrived_on: date
    receipt: str

    def text(self) -> str:
        return f"{self.arrived_on.isoformat()}~{self.receipt}"

    @classmethod
    def parse(cls, text: str) -> ListCursor:
        found = _CURSOR.match(text)
        if found is None:
            msg = f"a list cursor is YYYY-MM-DD~RECEIPT, not {text!r}"
            raise ValueError(msg)
        return cls(date.fromisoformat(found[1]), found[2])


@dataclass(frozen=True, slots=True)
class PetitionPage:
    items: list[PetitionItem]
    next: ListCursor | None  # None: the last page


class PetitionReadModel(Protocol):
    """The petitions' queries every backend answers."""

    def summary(
        self,
        as_of: AsOf,
        filters: PetitionFilters = NO_PETITION_FILTERS,
        *,
        due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    ) -> PetitionSummary:
        """The figures as of the point of view, its position settled as the board's
        (``OversightReadModel.position_of``) and named in the summary; due soon counted in the
        working days as they stood at that point."""
        ...

    def calendar(self, as_of: AsOf | None = None) -> Counted:
        """The working days as they stood at the point of view (None: now): the swaps recorded
        by then on top of the law's holidays."""
        ...

    def oldest_open(
        self, as_of: AsOf, filters: PetitionFilters = NO_PETITION_FILTERS, limit: int = 10
    ) -> list[PetitionItem]:
        """The open stints as of the point of view, the longest waiting first (by the day they
        arrived, then receipt)."""
        ...

    def rows(self, as_of: AsOf | None = None) -> list[PetitionRow]:
        """Every stint's row as of the point of view (None: now), by receipt and stint."""
        ...

    def page(
        self, filters: ListFilters, today: date, after: ListCursor | None = None, limit: int = 50
    ) -> PetitionPage:
        """A page of the current stints (``ListFilters``), latest arrived first."""
        ...

    def queue(self, agency: str, today: date, handler: str | None = None) -> list[PetitionItem]:
        """The agency's open cases (those assigned to ``handler`` if given), the most urgent
        first: by the last day of the term in force, then receipt."""
        ...

    def links(self, as_of: AsOf | None = None) -> list[LinkRow]:
        """The links between filings of one matter true at the point of view (None: now), by
        later and earlier receipt code."""
        ...

    def matter(self, receipt: str) -> tuple[str, ...]:
        """The receipt codes of the filings of ``receipt``'s matter under the links true now,
        itself included, sorted; ``(receipt,)`` when nothing links it."""
        ...


def with_successors(rows: list[PetitionRow]) -> list[tuple[PetitionRow, PetitionRow | None]]:
    """Each new version with the version of the same stint that replaces it within the batch."""
    following: dict[tuple[UUID, int], PetitionRow] = {}
    paired: list[tuple[PetitionRow, PetitionRow | None]] = []
    for row in reversed(rows):
        key = (row.petition_id, row.stint)
        paired.append((row, following.get(key)))
        following[key] = row
    paired.reverse()
    return paired
