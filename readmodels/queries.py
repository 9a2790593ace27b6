"""What the backends share: column lists, orderings, and the rules that turn a row into an inbox
item or a query into a full-text match."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol
from uuid import UUID

from domain.shared.clock import city_date
from readmodels.model import (
    AsOf,
    Awaiting,
    AwaitingItem,
    Basis,
    BoardRow,
    DirectiveQuery,
    Figures,
    Filters,
    InboxItem,
    LateItem,
    Responsiveness,
    Succession,
    Summary,
)

# Board columns in BoardRow order; the stored table adds valid_to_position and valid_to_time.
BOARD_COLUMNS = ", ".join(f.name for f in fields(BoardRow))
URGENCY_RANK = {"normal": 0, "urgent": 1, "very_urgent": 2, "immediate": 3}
# Deadline lists: earliest deadline first (most overdue, or soonest due), then the most urgent,
# then by reference, so that LIMIT cuts the same list the reader would sort by hand.
# Neither completed nor withdrawn (a withdrawn directive's status is "withdrawn", and only a
# withdrawn one's): written as the partial index of the open current versions (``board_open``)
# says it, so that a query of the current versions with it reads that index on both backends.
NOT_CLOSED = "status NOT IN ('completed', 'withdrawn')"
# Every issuer of a current version, in order: one step down the issuers' index per issuer
# (a skip scan) rather than every current version, of which there are a city's year.
ISSUERS = (
    "WITH RECURSIVE found(issuer) AS ("
    "SELECT min(issuer) FROM {board} WHERE valid_to_position IS NULL "
    "UNION ALL SELECT (SELECT min(b.issuer) FROM {board} b WHERE b.valid_to_position IS NULL "
    "AND b.issuer > found.issuer) FROM found WHERE found.issuer IS NOT NULL) "
    "SELECT issuer FROM found WHERE issuer IS NOT NULL ORDER BY issuer"
)
DEADLINE_ORDER = (
    "deadline ASC, CASE urgency WHEN 'immediate' THEN 0 WHEN 'very_urgent' THEN 1 "
    "WHEN 'urgent' THEN 2 ELSE 3 END, reference"
)
# Completion reports awaiting a decision: the longest waiting first, then by reference.
AWAITING_ORDER = "completion_on ASC, reference"
# The lists as of a past position (a directive's version true at it: recorded at or before it,
# replaced after it) walk their days in order, a few days a query: for each day, the open versions
# with that deadline (or reported on that day) whose validity reaches past the position are found
# by one step down an index on (day, end of validity, position), so the versions closed before
# the position, however many years of them, are never read (``board_open_spans``,
# ``board_awaiting_spans``). A current version's end of validity is the largest position.
END_OF_LOG = 9_223_372_036_854_775_807
OPEN_SPAN = f"COALESCE(valid_to_position, {END_OF_LOG})"
WALK_FIRST_DAYS = 8  # the first query's days; each next query's twice as many, to WALK_MOST_DAYS
WALK_MOST_DAYS = 256


@dataclass(frozen=True)
class Walk:
    """A list walked day by day: ``column`` is its order's first key, whose days are walked;
    ``condition`` the versions it lists, which ``index`` (on the column, span, position) holds."""

    column: str
    condition: str
    order: str
    index: str


DEADLINES = Walk("deadline", NOT_CLOSED, DEADLINE_ORDER, "board_open_spans")
AWAITING = Walk(
    "completion_on", "status = 'completion_reported'", AWAITING_ORDER, "board_awaiting_spans"
)


def walks(point: Point) -> bool:
    """Whether the lists at ``point`` walk the days: the versions true at a past position, chosen
    by position alone. The current versions have their own indexes; a point chosen by moment (a log
    recorded out of order around the day) is read as before."""
    return point.selection == "position"


def day_chunks(first: date, last: date) -> Iterator[list[date]]:
    """``first`` … ``last`` in order, a few days at first and more after (the walk's queries)."""
    size, day = WALK_FIRST_DAYS, first
    while day <= last:
        chunk = [day + timedelta(n) for n in range(min(size, (last - day).days + 1))]
        yield chunk
        day = chunk[-1] + timedelta(1)
        size = min(size * 2, WALK_MOST_DAYS)


def walk_bounds(
    first: date | None, last: date | None, lowest: date | None, highest: date | None
) -> tuple[date, date] | None:
    """The walk's days: the index's first and last (None: nothing is there) within a filter's."""
    if first is None or last is None:
        return None
    if lowest is not None:
        first = max(first, lowest)
    if highest is not None:
        last = min(last, highest)
    return (first, last) if first <= last else None


_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


def check_prefix(prefix: str) -> str:
    """Table prefixes become part of SQL identifiers, so only plain lower-case names pass."""
    if not _PREFIX.match(prefix):
        msg = f"a table prefix is lower-case letters, digits and _: not {prefix!r}"
        raise ValueError(msg)
    return prefix


def inbox_item(unit: str, role: str, row: BoardRow) -> InboxItem:
    """What ``unit`` owes next on an open directive it leads or coordinates."""
    if role == "lead":
        if row.status == "issued":
            owes = "acknowledge"
        elif row.open_explanations:
            owes = "answer_explanation"
        elif row.status == "completion_reported":
            owes = "await_decision"
        else:
            owes = "report_progress"
        return _item(row, "lead", owes)
    return _item(row, "coordinator", "await_lead" if unit in row.contributed else "contribute")


def next_step(row: BoardRow, unit: str | None = None) -> str | None:
    """What an open directive waits for next, as a list shows it beside the title: for a unit
    that only coordinates it, what that unit owes (``inbox_item``); else a decision of the
    committee (a completion report, an extension request) or what the lead unit owes. None
    once it is completed or withdrawn."""
    if row.status in {"completed", "withdrawn"}:
        return None
    if unit is not None and unit != row.lead_unit and unit in row.coordinators:
        return inbox_item(unit, "coordinator", row).owes
    if row.status != "completion_reported" and row.extension_pending:
        return "decide_extension"
    return inbox_item(row.lead_unit, "lead", row).owes


def _item(row: BoardRow, role: str, owes: str) -> InboxItem:
    return InboxItem(
        directive_id=row.directive_id,
        reference=row.reference,
        title=row.title,
        role="lead" if role == "lead" else "coordinator",
        urgency=row.urgency,
        deadline=row.deadline,
        status=row.status,
        owes=owes,
    )


def search_match(words: list[str]) -> str:
    """An FTS5 query requiring every folded word; words are ``\\w+`` so quoting is enough."""
    return " ".join(f'"{w}"' for w in words)


def with_successors(rows: Sequence[BoardRow]) -> list[tuple[BoardRow, BoardRow | None]]:
    """Each new version with the version that replaces it within the same batch, if any."""
    following: dict[UUID, BoardRow] = {}
    paired: list[tuple[BoardRow, BoardRow | None]] = []
    for row in reversed(rows):
        paired.append((row, following.get(row.directive_id)))
        following[row.directive_id] = row
    paired.reverse()
    return paired


class Recorded(Protocol):
    """A version of a read model's row: where and when it was recorded."""

    @property
    def position(self) -> int: ...

    @property
    def recorded_at(self) -> datetime: ...


def day_bounds(rows: Iterable[Recorded]) -> list[tuple[date, int, int]]:
    """The first and last position of each city day among board and petition versions
    (``{prefix}_days``), in day order: what a point of view is settled with, written with the
    versions."""
    bounds: dict[date, tuple[int, int]] = {}
    for row in rows:
        day = city_date(row.recorded_at)
        first, last = bounds.get(day, (row.position, row.position))
        bounds[day] = (min(first, row.position), max(last, row.position))
    return [(day, first, last) for day, (first, last) in sorted(bounds.items())]


# How a settled point of view's rows are selected (``Point``).
Selection = Literal["current", "position", "moment", "both"]


@dataclass(frozen=True, slots=True)
class Point:
    """A point of view (``AsOf``) with its position settled, and the condition that selects its
    rows: the current versions when no version was written after the position nor recorded after
    the day (today's view, however the day or position was asked: what the partial indexes over
    the current versions serve); by position alone when nothing at or before the position was
    recorded after the day; by moment alone when everything recorded by the end of the day is at
    or before it; else both (only a log whose order disagrees with its moments around the day
    needs that). Where each applies it selects the same rows as both.

    ``{prefix}_days`` bounds the board's and the petitions' versions only, so "current" holds for
    those two tables; the others a point selects (the petitions' links, the calendar) read
    "current" as "position" (``readmodels.points``).

    ``whole_day``: the board's versions true at the point are exactly those recorded by the end
    of the day (the current ones, or by position up to the day's last): what the summary's
    tallies hold (``readmodels.tallies``). ``day_end``: for a point by position inside a day,
    the day's last position when the point there would be a whole day: the tallies answer it
    too, with the versions written between the two positions taken back."""

    day: date
    position: int
    selection: Selection
    whole_day: bool = False
    day_end: int | None = None


def settle(as_of: AsOf, tracked: int, last_by_then: int | None, first_after: int | None) -> Point:
    """``as_of`` settled (``OversightReadModel.position_of``), from the read models' tracking
    position and, in ``{prefix}_days``, the last position recorded by the end of the day and
    the first recorded after it."""
    wanted = as_of.position if as_of.position is not None else last_by_then or 0
    position = min(tracked, wanted)
    selection: Selection = "both"
    if first_after is None and (last_by_then is None or position >= last_by_then):
        selection = "current"  # every version was written at or before the position
    elif first_after is None or position < first_after:
        selection = "position"
    elif last_by_then is None or position >= last_by_then:
        selection = "moment"
    whole_day = selection == "current" or (
        selection == "position" and (last_by_then is None or position >= last_by_then)
    )
    day_end = None
    if (
        selection == "position"
        and not whole_day
        and last_by_then is not None
        and last_by_then <= tracked
        and (first_after is None or last_by_then < first_after)
    ):
        day_end = last_by_then  # the day's end, by position, is a whole day
    return Point(as_of.day, position, selection, whole_day, day_end)


def summary_of(
    rows: Iterable[Mapping[str, Any]], as_of: AsOf, basis: Basis, position: int, skipped: int = 0
) -> Summary:
    """A summary from per-unit aggregate rows (lead_unit, on_time, late, … days)."""
    summary = Summary(as_of=as_of.day, basis=basis, position=position, skipped=skipped)
    for r in rows:
        figures = Figures(
            completed_on_time=r["on_time"],
            completed_late=r["late"],
            in_progress=r["in_progress"],
            due_soon=r["due_soon"],
            overdue=r["overdue"],
            no_deadline=r["no_deadline"],
            days_overdue_total=int(r["days"]),
            awaiting_acceptance=r["awaiting"],
            awaiting_acceptance_overdue=r["awaiting_overdue"],
        )
        summary.units[r["lead_unit"]] = figures
        summary.city.add(figures)
    return summary


def in_effect(successions: Iterable[Succession], point: Point) -> list[Succession]:
    """The successions a point of view sees: recorded at or before its position, and in
    effect by its day."""
    return [s for s in successions if s.position <= point.position and s.effective_on <= point.day]


def heirs(successions: Iterable[Succession]) -> dict[str, str]:
    """Each ended unit's final heir: the heir's heir, and so on, as the successions say."""
    heir = {s.predecessor: s.heir for s in successions}
    final = {}
    for code, first in heir.items():
        seen, at = {code}, first
        while at in heir and at not in seen:
            seen.add(at)
            at = heir[at]
        final[code] = at
    return final


def carry(summary: Summary, successions: Iterable[Succession]) -> Summary:
    """The summary with each ended unit's figures moved from ``units`` to ``carried`` under
    its final heir (docs/units.md): the heir's own figures and the city's stay as they are."""
    for predecessor, heir in heirs(successions).items():
        figures = summary.units.pop(predecessor, None)
        if figures is not None:
            summary.carried.setdefault(heir, {})[predecessor] = figures
    return summary


def responsiveness_of(rows: Iterable[Mapping[str, Any]], summary: Summary) -> list[Responsiveness]:
    """Per-unit responsiveness from rows of lead_unit, n, ack_hours, stale_days, stale_n; a
    unit whose record the summary carries under its heir is not scored (docs/units.md)."""
    carried = {p for held in summary.carried.values() for p in held}
    return [
        Responsiveness(
            unit=r["lead_unit"],
            figures=summary.units.get(r["lead_unit"], Figures()),
            directives=r["n"],
            acknowledge_hours_total=float(r["ack_hours"] or 0.0),
            acknowledge_count=r["n"],
            staleness_days_total=float(r["stale_days"] or 0.0),
            staleness_count=r["stale_n"],
        )
        for r in rows
        if r["lead_unit"] not in carried
    ]


def deadline_items(rows: Iterable[BoardRow], day: date, *, overdue: bool) -> list[LateItem]:
    """Late-list or due-soon items, in the order the rows came (see DEADLINE_ORDER)."""
    return [
        LateItem(
            directive_id=row.directive_id,
            reference=row.reference,
            title=row.title,
            lead_unit=row.lead_unit,
            urgency=row.urgency,
            deadline=row.deadline,
            days=(day - row.deadline).days if overdue else (row.deadline - day).days,
            percent=row.progress,
            awaiting=awaiting_of(row, day),
        )
        for row in rows
        if row.deadline is not None  # always true: both queries require a deadline
    ]


def awaiting_of(row: BoardRow, day: date) -> Awaiting | None:
    """The completion report awaiting the leader's decision on ``day``, if the row has one."""
    if not row.awaiting_acceptance or row.completion_on is None:
        return None
    return Awaiting(
        reported_on=row.completion_on,
        days=max((day - row.completion_on).days, 0),
        held_by=row.issuer,
    )


def awaiting_items(rows: Iterable[BoardRow], day: date) -> list[AwaitingItem]:
    """The awaiting-acceptance list's items, in the order the rows came (AWAITING_ORDER)."""
    items = []
    for row in rows:
        awaiting = awaiting_of(row, day)
        if awaiting is None:  # always set: the query asks for reports awaiting a decision
            continue
        items.append(
            AwaitingItem(
                directive_id=row.directive_id,
                reference=row.reference,
                title=row.title,
                lead_unit=row.lead_unit,
                urgency=row.urgency,
                deadline=row.deadline,
                awaiting=awaiting,
                overdue=row.deadline is not None and day > row.deadline,
                days_late_at_report=None
                if row.deadline is None
                else max((awaiting.reported_on - row.deadline).days, 0),
            )
        )
    return items


def inbox_of(unit: str, rows: Iterable[tuple[str, BoardRow]]) -> list[InboxItem]:
    """A unit's inbox, most urgent first, then by deadline (none last), then by reference."""
    items = [inbox_item(unit, role, row) for role, row in rows]
    items.sort(key=lambda i: (-URGENCY_RANK[i.urgency], i.deadline or date.max, i.reference))
    return items


def category_of(row: BoardRow, day: date, basis: str = "in_force") -> str | None:
    """The brief's category of one current row as of ``day`` (the SQL summary's rule, in Python);
    None for a withdrawn directive, which the summary does not count."""
    if row.withdrawn:
        return None
    deadline = row.deadline if basis == "in_force" else row.original_deadline
    if row.status == "completed":
        if deadline is None or (row.completion_on is not None and row.completion_on <= deadline):
            return "completed_on_time"
        return "completed_late"
    if deadline is None:
        return "no_deadline"
    return "overdue" if day > deadline else "in_progress"


# --- the list of directives (``OversightReadModel.directive_page``) -------------------------------

# Ranks that order a column the way a reader sorts it: the least urgent first, the process's own
# order of statuses, the most pressing category first (overdue, in progress, without deadline,
# completed late, completed on time, withdrawn).
_URGENCY_RANK = (
    "CASE urgency WHEN 'normal' THEN 0 WHEN 'urgent' THEN 1 WHEN 'very_urgent' THEN 2 ELSE 3 END"
)
_STATUS_RANK = (
    "CASE status WHEN 'issued' THEN 0 WHEN 'in_progress' THEN 1 "
    "WHEN 'completion_reported' THEN 2 WHEN 'completed' THEN 3 ELSE 4 END"
)
_PROGRESS = "CASE WHEN status IN ('completion_reported', 'completed') THEN 100 ELSE percent END"
CATEGORY_RANKS = {
    "overdue": 0,
    "in_progress": 1,
    "no_deadline": 2,
    "completed_late": 3,
    "completed_on_time": 4,
}
_WITHDRAWN_RANK = 5
# What each status of the list's filter (``readmodels.model.LIST_STATUSES``) selects.
_STATUS_WHERE = {
    "open": "status NOT IN ('completed', 'withdrawn')",
    "issued": "status = 'issued'",
    "in_progress": "status = 'in_progress'",
    "awaiting_acceptance": "status = 'completion_reported'",
    "extension_pending": "extension_pending AND status NOT IN ('completed', 'withdrawn')",
    "completed": "status = 'completed'",
    "withdrawn": "status = 'withdrawn'",
}


@dataclass(frozen=True, slots=True)
class Dialect:
    """How the list's SQL is written on one backend: a named parameter's mark, whether a
    version names a unit among its coordinators, the last day, how a value is passed and how
    a page key's value is read back into the sorted column's type."""

    mark: Callable[[str], str]
    coordinating: str  # with {unit}: the version's coordinators include the unit
    last_day: str
    value: Callable[[Any], Any]
    key_types: Mapping[str, str]  # sort -> SQL type a page key's value is cast to


@dataclass(frozen=True, slots=True)
class ListSQL:
    """The list's question as SQL over the board (and, when searching, the matches joined to
    it with their ``score``): the conditions beyond the point of view and the board's filters,
    the sort key, and the parameters. ``{units}`` in a condition stands for the table of who
    leads and coordinates what now (``{prefix}_directive_units``)."""

    conditions: list[str]
    key: str
    params: dict[str, Any]
    filters: Filters  # what the backend's own ``_where`` narrows by


def list_sql(query: DirectiveQuery, d: Dialect) -> ListSQL:
    """The list's conditions and sort key for ``query`` (``_where`` adds the point of view and
    the filters other than a coordinating unit's)."""
    m = d.mark
    conditions: list[str] = []
    params: dict[str, Any] = {"list_day": d.value(query.day)}
    filters = query.filters
    if query.role == "coordinating" and filters.unit is not None:
        conditions.append(d.coordinating.format(unit=m("coordinating_unit")))
        params["coordinating_unit"] = filters.unit
        filters = replace(filters, unit=None)
    if query.seen_by is not None:
        conditions.append(
            # The table's name comes from the backend; the unit is a parameter.
            f"directive_id IN (SELECT directive_id FROM {{units}} WHERE unit = {m('seen_by')})"  # noqa: S608
        )
        params["seen_by"] = query.seen_by
    if query.status is not None:
        conditions.append(_STATUS_WHERE[query.status])
    category = _category_rank(query, d)
    if query.category is not None:
        conditions.append(f"{category} = {m('category_rank')}")
        params["category_rank"] = CATEGORY_RANKS[query.category]
    keys = {
        "issued": "issued_at",
        "reference": "reference",
        "title": "title",
        "lead_unit": "lead_unit",
        "deadline": f"COALESCE(deadline, {d.last_day})",
        "urgency": _URGENCY_RANK,
        "category": category,
        "progress": _PROGRESS,
        "status": _STATUS_RANK,
        "relevance": "score",
    }
    if query.sort == "relevance" and not query.search:
        msg = "a list is sorted by relevance only when it is searched"
        raise ValueError(msg)
    return ListSQL(conditions, keys[query.sort], params, filters)


def _category_rank(query: DirectiveQuery, d: Dialect) -> str:
    """``category_of``'s rule in SQL, as a rank (``CATEGORY_RANKS``; withdrawn last)."""
    dl = "deadline" if query.basis == "in_force" else "original_deadline"
    day = d.mark("list_day")
    return (
        f"CASE WHEN withdrawn THEN {_WITHDRAWN_RANK} WHEN status = 'completed' THEN "
        f"CASE WHEN {dl} IS NULL OR completion_on <= {dl} THEN 4 ELSE 3 END "
        f"WHEN {dl} IS NULL THEN 2 WHEN {dl} < {day} THEN 0 ELSE 1 END"
    )


def after_condition(key: str, descending: bool, d: Dialect, sort: str) -> str:
    """The rows after a page key in the list's order (keyset): the sort key, then the id."""
    value = d.mark("after_value")
    cast = d.key_types.get(sort)
    if cast is not None:
        value = f"CAST({value} AS {cast})"
    op = "<" if descending else ">"
    return f"({key}, directive_id) {op} ({value}, {d.mark('after_id')})"
