"""The oversight summary's tallies: per lead unit, per basis and per city day, what the board's
versions true at the end of that day add up to (issue 30, item 1).

The summary as of a day used to count the board's versions true at its point of view, so its
cost grew with the log (1.3 s at ten million events). The projection now keeps, in the view's
transaction and rebuilt with it, two tables from which the summary as of any whole day is read
in a number of rows that grows with the units and the days asked, not with the directives:

- ``tally_days``: for each day, unit and basis (the deadline in force, or the original one),
  the figures as they stood at the end of that day, judged on that day (``Tally``): how many
  directives, completed on time, late, still open, without a deadline, overdue and the sum of
  their deadlines (so that the days overdue are ``day × overdue − that sum``), awaiting a
  decision and of those overdue, and ``ahead``: how many open directives are due on each of the
  next ``AHEAD`` days (the due-soon count of any window up to ``AHEAD − 1`` days).
- ``tally_deadlines``: for each unit, basis and deadline, how many current directives are open
  (and awaiting a decision) with that deadline: the days on which open directives cross their
  deadline. A day's row becomes the next day's by moving those due that day into the overdue
  (``Tally.rolled``), so a day on which nothing was recorded costs a row per unit, and a day
  after the last one recorded is read from the last day's rows and these counts.

Each change to the board is a ``Delta``: a version's figures leave at the day its successor was
recorded and the successor's enter (a version's "day" is the city day it was recorded on). A
change is counted in the rows of its own day and every later day, so that a log written out of
order (a change recorded on an earlier day than one before it) is counted as the board's
versions by their moments are. The summary reads the tallies only where the versions true at
its point of view are exactly those recorded by the end of its day (``Point.whole_day``): a
question about a position inside a day, a narrowed summary (by issuer, urgency or dates) or a
due-soon window past ``AHEAD − 1`` days still counts the board's versions.

Each row also holds the execution index's responsiveness sums (``sums_of``), in exact
microseconds and linear in the moment judged at, so the index is read from the same rows.

``Fold`` is the arithmetic, the same for the projection's batches (``fold_changes``) and for a
rebuild from the board's versions (each backend's ``build``); ``Tally.carried`` reads a day
after the last recorded one. The tests hold the summary and the responsiveness read from the
tallies equal to the board's count, and the summary to a plain fold of the events, at every
whole day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, Protocol
from uuid import UUID

from domain.shared.clock import city_date, end_of_city_day
from readmodels.changes import Changes
from readmodels.model import Basis, BoardRow, Filters
from readmodels.queries import Point
from readmodels.text import storable

TABLES = ("tally_days", "tally_deadlines")
# The due-soon windows the tallies answer: 0 to AHEAD − 1 days after the day asked.
AHEAD = 32
BASES: tuple[Basis, Basis] = ("in_force", "original")
Kind = Literal["on_time", "late", "done", "open", "awaiting", "sums"]
Sums = tuple[int, int, int, int, int]  # ``Tally.acked_us`` … ``Tally.stale_since_us``
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
Key = tuple[str, int]  # unit, basis (0: in force, 1: original)
DeadlineKey = tuple[date, str, int]  # deadline, unit, basis


def kind_of(row: BoardRow, deadline: date | None) -> Kind:
    """Where a version that is not withdrawn counts, judged against ``deadline``: as the board's
    summary counts it (``readmodels.postgres``), a completed directive without a completion day
    and with a deadline counts in neither column."""
    if row.status == "completed":
        if deadline is None or (row.completion_on is not None and row.completion_on <= deadline):
            return "on_time"
        if row.completion_on is not None:
            return "late"
        return "done"
    return "awaiting" if row.status == "completion_reported" else "open"


@dataclass(frozen=True, slots=True)
class Delta:
    """``count`` versions of one kind entering (positive) or leaving (negative) a unit's
    figures on a basis from ``day`` on; ``deadline`` only for the open kinds. Kind ``sums``
    adds ``sums`` to the unit's responsiveness sums instead (kept on basis 0)."""

    day: date
    unit: str
    basis: int
    kind: Kind
    deadline: date | None
    count: int
    sums: Sums | None = None


def microseconds(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def sums_of(row: BoardRow) -> Sums:
    """A version's part in its unit's responsiveness (``readmodels.index``), each linear in the
    moment it is judged at: microseconds from assignment to acknowledgement if acknowledged,
    else one more unacknowledged and its assignment's moment; if in progress, one more and the
    moment of its last report (or acknowledgement)."""
    return sums_of_moments(
        row.status, row.assigned_at, row.acknowledged_at, row.progress_at or row.acknowledged_at
    )


def sums_of_moments(
    status: str, assigned: datetime, acked: datetime | None, since: datetime | None
) -> Sums:
    """``sums_of`` from a version's status and moments (``since``: its last report's, or its
    acknowledgement's)."""
    stale = status == "in_progress"
    return (
        0 if acked is None else (acked - assigned) // _MICROSECOND,
        int(acked is None),
        microseconds(assigned) if acked is None else 0,
        int(stale),
        microseconds(since) if stale and since is not None else 0,
    )


def contributions(row: BoardRow) -> Iterator[tuple[int, Kind, date | None]]:
    """A version's place in each basis's figures (nothing for a withdrawn one)."""
    if row.withdrawn:
        return
    for basis, deadline in enumerate((row.deadline, row.original_deadline)):
        kind = kind_of(row, deadline)
        yield basis, kind, deadline if kind in ("open", "awaiting") else None


def deltas_of(changes: Changes) -> list[Delta]:
    """A batch's changes to the tallies: each new version enters on the day it was recorded, and
    the version it replaces (``changes.replaced`` for a directive whose current row was already
    in the view) leaves on that day, or on its own day if it was recorded later (a version
    replaced before it was recorded was never true at the end of a day). Summed per day, unit,
    basis, kind and deadline (and the responsiveness sums per day and unit), as a rebuild sums
    the board's versions, in day order: a progress report's leaving and entering cancel out, and
    the fold's result does not depend on the order (a change counts in its day's row and every
    later one)."""
    previous: dict[UUID, BoardRow] = dict(changes.replaced)
    counts: dict[tuple[date, str, int, Kind, date | None], int] = {}
    sums: dict[tuple[date, str], list[int]] = {}

    parts: dict[int, tuple[str, list[tuple[int, Kind, date | None]], Sums]] = {}

    def count(row: BoardRow, sign: int, day: date) -> None:
        if row.withdrawn:
            return
        # A version entering is the one leaving at the next change: its parts are made once.
        found = parts.get(id(row))
        if found is None:
            found = parts[id(row)] = (
                storable(row.lead_unit),
                list(contributions(row)),
                sums_of(row),
            )
        unit, places, row_sums = found
        for basis, kind, deadline in places:
            key = (day, unit, basis, kind, deadline)
            counts[key] = counts.get(key, 0) + sign
        held = sums.setdefault((day, unit), [0, 0, 0, 0, 0])
        for i, value in enumerate(row_sums):
            held[i] += sign * value

    for row in changes.versions:
        day = city_date(row.recorded_at)
        before = previous.get(row.directive_id)
        if before is not None:
            count(before, -1, max(day, city_date(before.recorded_at)))
        count(row, 1, day)
        previous[row.directive_id] = row
    deltas = [Delta(*key, n) for key, n in counts.items()]
    deltas.extend(
        Delta(day, unit, 0, "sums", None, 0, (v[0], v[1], v[2], v[3], v[4]))
        for (day, unit), v in sums.items()
    )
    deltas.sort(key=lambda d: d.day)
    return deltas


@dataclass(slots=True)
class Tally:
    """A unit's figures on one basis at the end of a day, judged on that day."""

    n: int = 0  # directives not withdrawn
    on_time: int = 0
    late: int = 0
    open: int = 0  # neither completed nor withdrawn (awaiting a decision included)
    no_deadline: int = 0
    awaiting: int = 0
    overdue: int = 0  # open with a deadline before the day
    overdue_ordinals: int = 0  # the sum of their deadlines' proleptic ordinals
    awaiting_overdue: int = 0
    # The responsiveness sums (basis 0 only): see ``sums_of``.
    acked_us: int = 0
    unacked: int = 0
    unacked_assigned_us: int = 0
    stale: int = 0
    stale_since_us: int = 0
    ahead: list[int] = field(default_factory=lambda: [0] * AHEAD)  # open, due on day + k

    def add(
        self, kind: Kind, deadline: date | None, count: int, day: date, sums: Sums | None = None
    ) -> None:
        """``count`` versions of ``kind`` entering the figures judged on ``day``."""
        if sums is not None:
            self.acked_us += sums[0]
            self.unacked += sums[1]
            self.unacked_assigned_us += sums[2]
            self.stale += sums[3]
            self.stale_since_us += sums[4]
            return
        self.n += count
        if kind == "on_time":
            self.on_time += count
        elif kind == "late":
            self.late += count
        elif kind in ("open", "awaiting"):
            self.open += count
            if kind == "awaiting":
                self.awaiting += count
            if deadline is None:
                self.no_deadline += count
            elif deadline < day:
                self.overdue += count
                self.overdue_ordinals += count * deadline.toordinal()
                if kind == "awaiting":
                    self.awaiting_overdue += count
            elif (deadline - day).days < AHEAD:
                self.ahead[(deadline - day).days] += count

    def rolled(self, day: date, due_awaiting: int, due_after_ahead: int) -> Tally:
        """The same directives judged on the day after ``day``: those due on ``day`` (open, of
        which ``due_awaiting`` await a decision) are overdue, and the window moves on a day
        (``due_after_ahead`` are due ``AHEAD`` days after ``day``)."""
        due = self.ahead[0]
        rolled = Tally.of(self.columns(), [*self.ahead[1:], due_after_ahead])
        rolled.overdue += due
        rolled.overdue_ordinals += due * day.toordinal()
        rolled.awaiting_overdue += due_awaiting
        return rolled

    def carried(self, last: date, day: date, due: Mapping[date, list[int]]) -> Tally:
        """The row of ``last`` judged on a later ``day`` with nothing recorded between, from the
        open (and awaiting) counts per deadline ``due`` from ``last`` to ``day + AHEAD``: at
        once, whatever the days between (``rolled`` a day at a time gives the same)."""
        carried = Tally.of(
            self.columns(), [due.get(day + timedelta(k), [0, 0])[0] for k in range(AHEAD)]
        )
        for deadline, (opened, awaiting) in due.items():
            if last <= deadline < day:
                carried.overdue += opened
                carried.overdue_ordinals += opened * deadline.toordinal()
                carried.awaiting_overdue += awaiting
        return carried

    @classmethod
    def of(cls, values: Iterable[int], ahead: list[int]) -> Tally:
        """A row from its stored columns (``COLUMNS``, ``ahead`` apart)."""
        tally = cls(ahead=ahead)
        for name, value in zip(COLUMNS[:-1], values, strict=True):
            setattr(tally, name, value)
        return tally

    def figures(self, unit: str, day: date, window: int) -> dict[str, Any]:
        """The summary's row for the unit (``readmodels.queries.summary_of``)."""
        return {
            "lead_unit": unit,
            "on_time": self.on_time,
            "late": self.late,
            "in_progress": self.open - self.no_deadline - self.overdue,
            "due_soon": sum(self.ahead[: window + 1]),
            "overdue": self.overdue,
            "no_deadline": self.no_deadline,
            "days": day.toordinal() * self.overdue - self.overdue_ordinals,
            "awaiting": self.awaiting,
            "awaiting_overdue": self.awaiting_overdue,
        }

    def responsiveness(self, unit: str, day: date) -> dict[str, Any]:
        """The responsiveness row for the unit (``readmodels.queries.responsiveness_of``),
        judged at the end of ``day``."""
        now = microseconds(end_of_city_day(day))
        return {
            "lead_unit": unit,
            "n": self.n,
            "ack_hours": (self.acked_us + self.unacked * now - self.unacked_assigned_us) / 3.6e9,
            "stale_days": (self.stale * now - self.stale_since_us) / 8.64e10,
            "stale_n": self.stale,
        }

    def columns(self) -> tuple[int, ...]:
        """The stored columns after day, unit and basis, ``ahead`` last (``COLUMNS``)."""
        return (
            self.n,
            self.on_time,
            self.late,
            self.open,
            self.no_deadline,
            self.awaiting,
            self.overdue,
            self.overdue_ordinals,
            self.awaiting_overdue,
            self.acked_us,
            self.unacked,
            self.unacked_assigned_us,
            self.stale,
            self.stale_since_us,
        )


# The stored columns of ``tally_days`` after day, unit and basis.
COLUMNS = (
    "n",
    "on_time",
    "late",
    "open",
    "no_deadline",
    "awaiting",
    "overdue",
    "overdue_ordinals",
    "awaiting_overdue",
    "acked_us",
    "unacked",
    "unacked_assigned_us",
    "stale",
    "stale_since_us",
    "ahead",
)


def tally_of(r: Mapping[str, Any], ahead: list[int]) -> Tally:
    return Tally.of((int(r[name]) for name in COLUMNS[:-1]), ahead)


class Fold:
    """The tallies' arithmetic over rows held in memory.

    ``rows`` are each key's row on ``last`` (the last day with a row); ``earlier`` any rows of
    earlier days a change out of order needs; ``deadlines`` the current open and awaiting
    counts per deadline, key and day of whatever a change or a roll reads (a key not held is
    zero: the caller loads what the deltas and the days rolled over need). ``written`` collects
    every row and count changed, for the backend to store."""

    def __init__(
        self,
        last: date | None,
        rows: dict[Key, Tally],
        deadlines: dict[DeadlineKey, list[int]],
        earlier: dict[tuple[date, str, int], Tally] | None = None,
    ) -> None:
        self.last = last
        self.rows = rows
        self.deadlines = deadlines
        self.earlier = earlier or {}
        self.written: dict[tuple[date, str, int], Tally] = {}
        self.counts_written: set[DeadlineKey] = set()

    def roll_to(self, day: date) -> None:
        """Every key's row carried to ``day``, one day at a time, each day's rows written."""
        if self.last is None:
            self.last = day
            return
        while self.last < day:
            at = self.last
            after = at + timedelta(AHEAD)
            nxt = at + timedelta(1)
            for (unit, basis), tally in self.rows.items():
                # The day left behind stays at hand: a change out of order may add to it.
                self.earlier.setdefault((at, unit, basis), tally)
                rolled = tally.rolled(
                    at,
                    self.deadlines.get((at, unit, basis), [0, 0])[1],
                    self.deadlines.get((after, unit, basis), [0, 0])[0],
                )
                self.rows[unit, basis] = rolled
                self.written[nxt, unit, basis] = rolled
            self.last = nxt

    def add(self, delta: Delta) -> None:
        """One change, counted from its day on: in the current counts, in the last day's row
        and in every row between its day and that one."""
        self.roll_to(delta.day)
        assert self.last is not None  # noqa: S101 - roll_to has set it
        unit, basis, kind, deadline, count = (
            delta.unit,
            delta.basis,
            delta.kind,
            delta.deadline,
            delta.count,
        )
        sums = delta.sums
        if deadline is not None:
            held = self.deadlines.setdefault((deadline, unit, basis), [0, 0])
            held[0] += count
            if kind == "awaiting":
                held[1] += count
            self.counts_written.add((deadline, unit, basis))
        day = delta.day
        while day < self.last:
            # The day's row as it was read, or as this fold left it behind (``roll_to``).
            tally = self.earlier.get((day, unit, basis))
            if tally is None:
                tally = self.earlier[day, unit, basis] = Tally()
            tally.add(kind, deadline, count, day, sums)
            self.written[day, unit, basis] = tally
            day += timedelta(1)
        tally = self.rows.get((unit, basis))
        if tally is None:
            tally = self.rows[unit, basis] = Tally()
        tally.add(kind, deadline, count, self.last, sums)
        self.written[self.last, unit, basis] = tally


class TallyStore(Protocol):
    """What the tallies' arithmetic reads from a backend, in the caller's transaction."""

    def last_day(self, c: Any) -> date | None:
        """The last day with rows (None: no rows yet)."""
        ...

    def rows_on(self, c: Any, day: date, keys: Iterable[Key] | None) -> dict[Key, Tally]:
        """The rows of ``day`` (of the keys given, or all)."""
        ...

    def rows_between(
        self, c: Any, first: date, last: date, keys: Iterable[Key]
    ) -> dict[tuple[date, str, int], Tally]:
        """The keys' rows from ``first`` to ``last``, both included."""
        ...

    def counts(self, c: Any, keys: Iterable[DeadlineKey]) -> dict[DeadlineKey, list[int]]:
        """The current open and awaiting counts of these deadlines, units and bases."""
        ...

    def counts_between(
        self, c: Any, first: date, last: date, basis: int | None = None, unit: str | None = None
    ) -> dict[DeadlineKey, list[int]]:
        """The current counts of every deadline from ``first`` to ``last`` (of a basis, or a
        unit, when given)."""
        ...

    def store(
        self,
        c: Any,
        rows: Mapping[tuple[date, str, int], Tally],
        counts: Mapping[DeadlineKey, list[int]],
    ) -> None:
        """Write these rows and counts, replacing any held under their keys."""
        ...


def fold_changes(store: TallyStore, c: Any, changes: Changes) -> None:
    """A projection batch's changes folded into the tallies, in its transaction: the rows and
    counts its changes touch are read, folded in memory and written back. A batch that reaches
    a later day first carries every unit's row over the days between."""
    deltas = deltas_of(changes)
    if not deltas:
        return
    last = store.last_day(c)
    keys = {(d.unit, d.basis) for d in deltas}
    wanted = {(d.deadline, d.unit, d.basis) for d in deltas if d.deadline is not None}
    counts = store.counts(c, wanted)
    latest = max(d.day for d in deltas)
    earliest = min(d.day for d in deltas)
    earlier: dict[tuple[date, str, int], Tally] = {}
    if last is None:
        rows: dict[Key, Tally] = {}
        last = earliest
    elif latest > last:
        rows = store.rows_on(c, last, None)
        counts.update(store.counts_between(c, last, latest + timedelta(AHEAD)))
    else:
        rows = store.rows_on(c, last, keys)
    if earliest < last:
        back = {(d.unit, d.basis) for d in deltas if d.day < last}
        earlier = store.rows_between(c, earliest, last - timedelta(1), back)
    fold = Fold(last, rows, counts, earlier)
    for delta in deltas:
        fold.add(delta)
    store.store(c, fold.written, {key: fold.deadlines[key] for key in fold.counts_written})


FLUSHED_ROWS = 20_000  # a rebuild's finished rows held before they are written


def fold_all(
    deltas: Iterable[Delta], flush: Callable[[Mapping[tuple[date, str, int], Tally]], None]
) -> dict[DeadlineKey, list[int]]:
    """A rebuild's tallies from every version's deltas in day order (``Delta.count`` summing the
    versions of one day, unit, basis, kind and deadline): the rows, handed to ``flush`` a few
    days at a time once no later delta can change them, so that memory holds a few days' rows
    whatever the log's length; and the counts per deadline, returned."""
    fold = Fold(None, {}, {})
    for delta in deltas:
        last = fold.last
        if last is not None and delta.day > last and len(fold.written) >= FLUSHED_ROWS:
            flush({key: t for key, t in fold.written.items() if key[0] < last})
            fold.written = {key: t for key, t in fold.written.items() if key[0] >= last}
            fold.earlier.clear()  # in day order, nothing goes back to them
        fold.add(delta)
    flush(fold.written)
    return fold.deadlines


Moved = Sequence[tuple[BoardRow, int]]
"""Versions taken out of a day's rows (-1: true at the day's end) and put back (+1: true at a
position inside the day), for the directives written between the two (``Point.day_end``)."""


def tallies_on(
    store: TallyStore,
    c: Any,
    day: date,
    *,
    basis: int,
    unit: str | None,
    moved: Moved = (),
) -> list[tuple[str, Tally]]:
    """Each unit's row as of the end of ``day`` on a basis, in the units' order: the rows of that
    day, or, after the last day with rows, that day's rows carried to it; ``moved``: as of a
    position inside the day instead (``Point.day_end``). Units without a directive that is not
    withdrawn are left out, as the board's count leaves them."""
    last = store.last_day(c)
    if last is None:
        return []
    keys = None if unit is None else [(storable(unit), basis)]
    if day <= last:
        held = store.rows_on(c, day, keys)
    else:  # the last day's rows carried at once: a day years ahead costs what tomorrow does
        due: dict[Key, dict[date, list[int]]] = {}
        counts = store.counts_between(c, last, day + timedelta(AHEAD), basis, unit)
        for (deadline, code, number), held_counts in counts.items():
            due.setdefault((code, number), {})[deadline] = held_counts
        held = {
            key: tally.carried(last, day, due.get(key, {}))
            for key, tally in store.rows_on(c, last, keys).items()
            if key[1] == basis
        }
    if moved:
        held = {key: tally for key, tally in held.items() if key[1] == basis}
        wanted = None if unit is None else storable(unit)
        for row, sign in moved:
            code = storable(row.lead_unit)
            if row.withdrawn or (wanted is not None and code != wanted):
                continue
            tally = held.setdefault((code, basis), Tally())
            for number, kind, due_on in contributions(row):
                if number == basis:
                    tally.add(kind, due_on, sign, day)
            if basis == 0:
                s0, s1, s2, s3, s4 = sums_of(row)
                tally.add(
                    "sums", None, 0, day, (sign * s0, sign * s1, sign * s2, sign * s3, sign * s4)
                )
    return [(code, tally) for (code, number), tally in held.items() if number == basis and tally.n]


def figures_on(
    store: TallyStore,
    c: Any,
    day: date,
    *,
    basis: Basis,
    unit: str | None,
    window: int,
    moved: Moved = (),
) -> list[dict[str, Any]]:
    """The summary's rows (``summary_of``) as of the end of ``day`` (``moved``: of a position
    inside it), from the tallies."""
    held = tallies_on(store, c, day, basis=BASES.index(basis), unit=unit, moved=moved)
    return [tally.figures(code, day, window) for code, tally in held]


def responsiveness_on(
    store: TallyStore,
    c: Any,
    day: date,
    unit: str | None,
    moved: Moved = (),
) -> list[dict[str, Any]]:
    """The responsiveness rows (``responsiveness_of``) as of the end of ``day`` (``moved``: of a
    position inside it)."""
    return [
        tally.responsiveness(code, day)
        for code, tally in tallies_on(store, c, day, basis=0, unit=unit, moved=moved)
    ]


def tallied(point: Point, filters: Filters, window: int) -> bool:
    """Whether the tallies answer a summary: at a whole day (``Point.whole_day``) or a position
    inside one whose end is (``Point.day_end``), for the city or one unit, with a due-soon
    window they count."""
    narrowed = replace(filters, unit=None) != Filters()
    within = point.whole_day or point.day_end is not None
    return within and not narrowed and 0 <= window < AHEAD
