"""The summary's tallies (``readmodels.tallies``) on SQLite: part of ``SQLiteOversightView``,
written in its transaction, rebuilt from its board. Days are ISO text, as the board's; a row's
``ahead`` is its counts joined by commas."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from heapq import merge
from typing import Any, cast

from eventsourcing.sqlite import SQLiteCursor

from readmodels.changes import Changes
from readmodels.tallies import (
    COLUMNS,
    TABLES,
    DeadlineKey,
    Delta,
    Key,
    Kind,
    Tally,
    fold_all,
    fold_changes,
    sums_of_moments,
    tally_of,
)

__all__ = ["INDEXES", "TABLES", "SQLiteTallies"]
INDEXES: tuple[str, ...] = ()
_MARKS = ", ".join("?" * (3 + len(COLUMNS)))


class SQLiteTallies:
    """The two tables, their writes in the view's transaction, and their reads."""

    def __init__(self, table: Callable[[str], str], offset: str) -> None:
        self.table = table
        self.offset = offset  # the city's offset from UTC, as a date modifier

    def create_statements(self) -> list[str]:
        t = self.table
        return [
            f"CREATE TABLE IF NOT EXISTS {t('tally_days')} (day TEXT, unit TEXT, basis INTEGER, "
            "n INTEGER NOT NULL, on_time INTEGER NOT NULL, late INTEGER NOT NULL, "
            "open INTEGER NOT NULL, no_deadline INTEGER NOT NULL, awaiting INTEGER NOT NULL, "
            "overdue INTEGER NOT NULL, overdue_ordinals INTEGER NOT NULL, "
            "awaiting_overdue INTEGER NOT NULL, acked_us TEXT NOT NULL, "
            "unacked INTEGER NOT NULL, unacked_assigned_us TEXT NOT NULL, "
            "stale INTEGER NOT NULL, stale_since_us TEXT NOT NULL, ahead TEXT NOT NULL, "
            "PRIMARY KEY (day, unit, basis)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {t('tally_deadlines')} (deadline TEXT, unit TEXT, "
            "basis INTEGER, open INTEGER NOT NULL, awaiting INTEGER NOT NULL, "
            "PRIMARY KEY (deadline, unit, basis)) WITHOUT ROWID",
        ]

    # --- writes ------------------------------------------------------------------------------

    def write(self, c: SQLiteCursor, changes: Changes) -> None:
        fold_changes(self, c, changes)

    def missing(self, c: SQLiteCursor) -> bool:
        """A board written before the tallies were kept (their tables empty, its not)."""
        t = self.table
        c.execute(
            f"SELECT NOT EXISTS (SELECT 1 FROM {t('tally_days')}) "
            f"AND EXISTS (SELECT 1 FROM {t('board')})"
        )
        return bool(c.fetchone()[0])

    def build(self, c: SQLiteCursor) -> None:
        """The tallies from the board's versions, as ``PostgresTallies.build``."""
        c.execute(f"DELETE FROM {self.table('tally_days')}")
        c.execute(f"DELETE FROM {self.table('tally_deadlines')}")
        kinds = list(self._board_deltas(c))
        counts = fold_all(
            merge(kinds, self._board_sums(c), key=lambda d: d.day),
            lambda rows: self.store(c, rows, {}),
        )
        self.store(c, {}, counts)

    def _board_deltas(self, c: SQLiteCursor) -> Iterator[Delta]:
        c.execute(
            f"""WITH v AS (
                SELECT lead_unit AS unit, status, deadline, original_deadline, completion_on,
                    date(recorded_at, '{self.offset}') AS a,
                    date(valid_to_time, '{self.offset}') AS b
                FROM {self.table("board")} WHERE NOT withdrawn),
            e AS (
                SELECT a AS day, 1 AS sign, unit, status, deadline, original_deadline,
                    completion_on FROM v
                UNION ALL
                SELECT max(a, b), -1, unit, status, deadline, original_deadline,
                    completion_on FROM v WHERE b IS NOT NULL),
            k AS (
                SELECT day, sign, unit, 0 AS basis, deadline AS dl, status, completion_on FROM e
                UNION ALL
                SELECT day, sign, unit, 1, original_deadline, status, completion_on FROM e),
            kinds AS (
                SELECT day, sign, unit, basis, dl,
                    CASE WHEN status = 'completed' THEN
                        CASE WHEN dl IS NULL OR completion_on <= dl THEN 'on_time'
                             WHEN completion_on > dl THEN 'late' ELSE 'done' END
                    WHEN status = 'completion_reported' THEN 'awaiting' ELSE 'open' END AS kind
                FROM k)
            SELECT day, unit, basis, kind,
                CASE WHEN kind IN ('open', 'awaiting') THEN dl END AS deadline,
                sum(sign) AS count
            FROM kinds GROUP BY 1, 2, 3, 4, 5 ORDER BY day"""
        )
        for r in c.fetchall():
            yield Delta(
                date.fromisoformat(r["day"]),
                r["unit"],
                r["basis"],
                cast(Kind, r["kind"]),
                _day(r["deadline"]),
                r["count"],
            )

    def _board_sums(self, c: SQLiteCursor) -> Iterator[Delta]:
        """The responsiveness sums' changes per day and unit (``readmodels.tallies.sums_of``),
        summed here: SQLite's arithmetic on moments is in floating point."""
        c.execute(
            f"SELECT lead_unit, status, assigned_at, acknowledged_at, progress_at, "
            f"date(recorded_at, '{self.offset}') AS a, date(valid_to_time, '{self.offset}') AS b "
            f"FROM {self.table('board')} WHERE NOT withdrawn"
        )
        held: dict[tuple[str, str], list[int]] = {}
        for r in c.fetchall():
            acked = _moment(r["acknowledged_at"])
            row_sums = sums_of_moments(
                r["status"],
                datetime.fromisoformat(r["assigned_at"]),
                acked,
                _moment(r["progress_at"]) or acked,
            )
            for day, sign in ((r["a"], 1), (None if r["b"] is None else max(r["a"], r["b"]), -1)):
                if day is not None:
                    total = held.setdefault((day, r["lead_unit"]), [0] * 5)
                    for i, value in enumerate(row_sums):
                        total[i] += sign * value
        for (day, unit), total in sorted(held.items()):
            sums = (total[0], total[1], total[2], total[3], total[4])
            yield Delta(date.fromisoformat(day), unit, 0, "sums", None, 0, sums)

    # --- the store the arithmetic reads (``readmodels.tallies.TallyStore``) ------------------

    def last_day(self, c: SQLiteCursor) -> date | None:
        c.execute(f"SELECT max(day) FROM {self.table('tally_days')}")
        return _day(c.fetchone()[0])

    def rows_on(self, c: SQLiteCursor, day: date, keys: Iterable[Key] | None) -> dict[Key, Tally]:
        c.execute(
            f"SELECT * FROM {self.table('tally_days')} WHERE day = ? ORDER BY unit, basis",
            (day.isoformat(),),
        )
        wanted = None if keys is None else set(keys)
        return {
            (r["unit"], r["basis"]): _tally(r)
            for r in c.fetchall()
            if wanted is None or (r["unit"], r["basis"]) in wanted
        }

    def rows_between(
        self, c: SQLiteCursor, first: date, last: date, keys: Iterable[Key]
    ) -> dict[tuple[date, str, int], Tally]:
        wanted = set(keys)
        c.execute(
            f"SELECT * FROM {self.table('tally_days')} WHERE day BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
        return {
            (date.fromisoformat(r["day"]), r["unit"], r["basis"]): _tally(r)
            for r in c.fetchall()
            if (r["unit"], r["basis"]) in wanted
        }

    def counts(self, c: SQLiteCursor, keys: Iterable[DeadlineKey]) -> dict[DeadlineKey, list[int]]:
        found: dict[DeadlineKey, list[int]] = {}
        for deadline, unit, basis in keys:
            c.execute(
                f"SELECT open, awaiting FROM {self.table('tally_deadlines')} "
                "WHERE deadline = ? AND unit = ? AND basis = ?",
                (deadline.isoformat(), unit, basis),
            )
            r = c.fetchone()
            if r is not None:
                found[deadline, unit, basis] = [r[0], r[1]]
        return found

    def counts_between(
        self,
        c: SQLiteCursor,
        first: date,
        last: date,
        basis: int | None = None,
        unit: str | None = None,
    ) -> dict[DeadlineKey, list[int]]:
        c.execute(
            f"SELECT * FROM {self.table('tally_deadlines')} WHERE deadline BETWEEN ? AND ? "
            "AND (? IS NULL OR basis = ?) AND (? IS NULL OR unit = ?)",
            (first.isoformat(), last.isoformat(), basis, basis, unit, unit),
        )
        return {
            (date.fromisoformat(r["deadline"]), r["unit"], r["basis"]): [r["open"], r["awaiting"]]
            for r in c.fetchall()
        }

    def store(
        self,
        c: SQLiteCursor,
        rows: Mapping[tuple[date, str, int], Tally],
        counts: Mapping[DeadlineKey, list[int]],
    ) -> None:
        c.executemany(
            f"INSERT OR REPLACE INTO {self.table('tally_days')} VALUES ({_MARKS})",
            [
                (day.isoformat(), unit, basis, *_stored(t.columns()), ",".join(map(str, t.ahead)))
                for (day, unit, basis), t in rows.items()
            ],
        )
        c.executemany(
            f"INSERT OR REPLACE INTO {self.table('tally_deadlines')} VALUES (?, ?, ?, ?, ?)",
            [
                (deadline.isoformat(), unit, basis, held[0], held[1])
                for (deadline, unit, basis), held in counts.items()
            ],
        )


def _stored(columns: tuple[int, ...]) -> tuple[int | str, ...]:
    """The columns as stored: the microsecond sums, past SQLite's 64-bit integers at a city's
    scale, as text."""
    return tuple(
        str(value) if name.endswith("_us") else value
        for name, value in zip(COLUMNS, columns, strict=False)
    )


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _tally(r: Any) -> Tally:
    return tally_of(r, [int(n) for n in r["ahead"].split(",")])  # the big sums are text
