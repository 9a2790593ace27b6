"""The oversight read models on SQLite: schema, the projection's writes, and the queries.

Moments are stored as fixed-width UTC text (``2024-03-04T02:00:00.000000+00:00``) and days as ISO
dates, so that text order is time order and indexes serve range conditions. Search uses FTS5 over
text folded by ``readmodels.text.fold``, so accents and "đ" never stand in the way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from domain.shared.clock import CITY_TIMEZONE, end_of_city_day
from readmodels import candidates_sqlite, filed_sqlite, petitions_sqlite, tallies_sqlite
from readmodels.candidates_sqlite import SQLiteCandidates
from readmodels.changes import Changes
from readmodels.filed_sqlite import SQLiteFiled
from readmodels.model import (
    DEFAULT_DUE_SOON_DAYS,
    NO_FILTERS,
    AsOf,
    AwaitingItem,
    Basis,
    BoardRow,
    Counted,
    DirectivePage,
    DirectiveQuery,
    Filters,
    InboxItem,
    LateItem,
    PageKey,
    Responsiveness,
    SearchHit,
    SkippedEvent,
    Succession,
    Summary,
    UnitRow,
)
from readmodels.petitions import CalendarChange, PetitionRow
from readmodels.petitions_sqlite import SQLitePetitions
from readmodels.points import sqlite_clause, ts
from readmodels.queries import (
    AWAITING,
    AWAITING_ORDER,
    BOARD_COLUMNS,
    DEADLINE_ORDER,
    DEADLINES,
    ISSUERS,
    NOT_CLOSED,
    OPEN_SPAN,
    Dialect,
    Point,
    Walk,
    after_condition,
    awaiting_items,
    carry,
    check_prefix,
    day_bounds,
    day_chunks,
    deadline_items,
    in_effect,
    inbox_of,
    list_sql,
    responsiveness_of,
    search_match,
    settle,
    summary_of,
    walk_bounds,
    walks,
    with_successors,
)
from readmodels.tallies import figures_on, responsiveness_on, tallied
from readmodels.tallies_sqlite import SQLiteTallies
from readmodels.text import fold, storable, storable_row, storable_texts, terms
from readmodels.todo_sqlite import SQLiteTodo

_TABLES = (
    "board",
    "units",
    "successions",
    "directive_units",
    "search",
    "skipped",
    "days",
    "tracking",
    *petitions_sqlite.TABLES,
    *candidates_sqlite.TABLES,
    *filed_sqlite.TABLES,
    *tallies_sqlite.TABLES,
)
_INDEXES = (
    "board_current",
    "board_time",
    "board_position",
    "board_open",
    "board_open_spans",
    "board_issued",
    "board_awaiting",
    "board_awaiting_spans",
    "board_awaiting_now",
    "board_pending",
    "board_explained",
    "board_issuers",
    "board_lead",
    "directive_units_directive",
    *petitions_sqlite.INDEXES,
    *candidates_sqlite.INDEXES,
    *filed_sqlite.INDEXES,
)
_BOARD_WIDTH = 31  # the board table's columns: BoardRow's fields plus valid_to position and time
# How far the city's clock is ahead of UTC, as an SQLite date modifier.
_CITY_OFFSET = f"{int(CITY_TIMEZONE.utcoffset(None).total_seconds()):+d} seconds"


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


class SQLiteOversightView(SQLiteTrackingRecorder):
    """Board versions, units, memberships and search, tracked in the view's own tracking table."""

    def __init__(self, datastore: SQLiteDatastore, *, prefix: str = "oversight") -> None:
        self.prefix = check_prefix(prefix)
        # The petitions' table is the view's too: created, written, rebuilt and swapped with it.
        self.petitions = SQLitePetitions(datastore, self.table, self._settle)
        # And the duplicate search's candidate store (``readmodels.candidates``).
        self.candidates = SQLiteCandidates(datastore, self.table)
        self.todo = SQLiteTodo(datastore, self.table)
        # And the index of filed documents' files by digest (``readmodels.filed``).
        self.filed = SQLiteFiled(datastore, self.table)
        # And the summary's tallies per unit and day (``readmodels.tallies``).
        self.tallies = SQLiteTallies(self.table, _CITY_OFFSET)
        self.tallied = True  # False: every summary counts the board (what the tests compare)
        self.walked = True  # False: the lists at a past position scan the board (the same)
        super().__init__(datastore)
        t = self.table
        self.insert_tracking_statement = (
            f"INSERT INTO {t('tracking')} VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {t('tracking')}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {t('tracking')} WHERE application_name=?"
        )

    def table(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    # --- schema ------------------------------------------------------------------------------

    def construct_create_table_statements(self) -> list[str]:
        # Called by the base constructor, before __init__ has set the tracking statements.
        t = self.table
        return [
            f"CREATE TABLE IF NOT EXISTS {t('tracking')} (application_name TEXT PRIMARY KEY, "
            "notification_id INTEGER) WITHOUT ROWID",
            f"""CREATE TABLE IF NOT EXISTS {t("board")} (
                directive_id TEXT NOT NULL, version INTEGER NOT NULL,
                position INTEGER NOT NULL, recorded_at TEXT NOT NULL,
                valid_to_position INTEGER, valid_to_time TEXT,
                reference TEXT NOT NULL, title TEXT NOT NULL, lead_unit TEXT NOT NULL,
                coordinators TEXT NOT NULL, issuer TEXT NOT NULL, urgency TEXT NOT NULL,
                issued_on TEXT NOT NULL, issued_at TEXT NOT NULL, assigned_at TEXT NOT NULL,
                original_deadline TEXT, deadline TEXT,
                extensions_granted INTEGER NOT NULL, extension_pending INTEGER NOT NULL,
                percent INTEGER NOT NULL, progress_at TEXT, acknowledged_at TEXT,
                completion_reported_at TEXT, completion_on TEXT, accepted_at TEXT,
                status TEXT NOT NULL, withdrawn INTEGER NOT NULL,
                open_explanations INTEGER NOT NULL, reminders INTEGER NOT NULL,
                returns INTEGER NOT NULL, contributed TEXT NOT NULL,
                PRIMARY KEY (directive_id, version))""",
            f"CREATE TABLE IF NOT EXISTS {t('successions')} (predecessor TEXT NOT NULL, "
            "heir TEXT NOT NULL, effective_on TEXT NOT NULL, position INTEGER NOT NULL)",
            f"""CREATE TABLE IF NOT EXISTS {t("units")} (
                code TEXT PRIMARY KEY, name_vi TEXT NOT NULL, name_en TEXT NOT NULL,
                parent TEXT, active INTEGER NOT NULL) WITHOUT ROWID""",
            f"""CREATE TABLE IF NOT EXISTS {t("directive_units")} (
                unit TEXT NOT NULL, directive_id TEXT NOT NULL, role TEXT NOT NULL,
                PRIMARY KEY (unit, directive_id)) WITHOUT ROWID""",
            f"""CREATE TABLE IF NOT EXISTS {t("skipped")} (
                position INTEGER PRIMARY KEY, originator_id TEXT NOT NULL,
                originator_version INTEGER NOT NULL, topic TEXT NOT NULL, reason TEXT NOT NULL)""",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t('search')} USING fts5("
            "directive_id UNINDEXED, reference, title, content, tokenize='unicode61')",
            f"CREATE TABLE IF NOT EXISTS {t('days')} (day TEXT PRIMARY KEY, "
            "first_position INTEGER NOT NULL, last_position INTEGER NOT NULL) WITHOUT ROWID",
            *self.petitions.create_statements(),
            *self.candidates.create_statements(),
            *self.filed.create_statements(),
            *self.tallies.create_statements(),
            # A board written before the days table was: its days, once, from its rows.
            f"INSERT INTO {t('days')} SELECT date(recorded_at, '{_CITY_OFFSET}') AS day, "
            f"min(position), max(position) FROM {t('board')} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {t('days')}) GROUP BY day",
            *self.index_statements(),
        ]

    def index_statements(self) -> list[str]:
        """The secondary indexes, which a rebuild creates once its rows are in."""
        t = self.table
        return [
            f"CREATE INDEX IF NOT EXISTS {t('board_current')} ON {t('board')} "
            "(directive_id) WHERE valid_to_position IS NULL",
            f"CREATE INDEX IF NOT EXISTS {t('board_time')} ON {t('board')} "
            "(recorded_at, valid_to_time)",
            f"CREATE INDEX IF NOT EXISTS {t('board_position')} ON {t('board')} "
            "(position, valid_to_position)",
            f"CREATE INDEX IF NOT EXISTS {t('board_open')} ON {t('board')} "
            "(deadline) WHERE valid_to_position IS NULL "
            "AND status NOT IN ('completed', 'withdrawn')",
            # The lists as of a past position, walked day by day (``readmodels.queries.walks``).
            f"CREATE INDEX IF NOT EXISTS {t('board_open_spans')} ON {t('board')} "
            f"(deadline, {OPEN_SPAN}, position) WHERE status NOT IN ('completed', 'withdrawn')",
            f"CREATE INDEX IF NOT EXISTS {t('board_awaiting_spans')} ON {t('board')} "
            f"(completion_on, {OPEN_SPAN}, position) WHERE status = 'completion_reported'",
            # Today's awaiting list in its order (not the spans' index, in report-day order).
            f"CREATE INDEX IF NOT EXISTS {t('board_awaiting_now')} ON {t('board')} "
            "(completion_on, reference) "
            "WHERE valid_to_position IS NULL AND status = 'completion_reported'",
            # The list's first page, newest first, and each page after it (keyset).
            f"CREATE INDEX IF NOT EXISTS {t('board_issued')} ON {t('board')} "
            "(issued_at, directive_id) WHERE valid_to_position IS NULL",
            # What waits for a decision (the leaders' queues, the dashboard's awaiting list),
            # the answers to explanation requests (the Office's queue) and the issuers.
            f"CREATE INDEX IF NOT EXISTS {t('board_awaiting')} ON {t('board')} "
            "(issuer) WHERE valid_to_position IS NULL AND status = 'completion_reported'",
            f"CREATE INDEX IF NOT EXISTS {t('board_pending')} ON {t('board')} "
            "(issuer) WHERE valid_to_position IS NULL AND extension_pending",
            f"CREATE INDEX IF NOT EXISTS {t('board_explained')} ON {t('board')} "
            "(valid_to_time) WHERE open_explanations > 0",
            f"CREATE INDEX IF NOT EXISTS {t('board_issuers')} ON {t('board')} "
            "(issuer) WHERE valid_to_position IS NULL",
            # A unit's figures and lists (a department's oversight, its page, a filter).
            f"CREATE INDEX IF NOT EXISTS {t('board_lead')} ON {t('board')} "
            "(lead_unit) WHERE valid_to_position IS NULL",
            f"CREATE INDEX IF NOT EXISTS {t('directive_units_directive')} ON "
            f"{t('directive_units')} (directive_id)",
            *self.petitions.index_statements(),
            *self.candidates.index_statements(),
            *self.filed.index_statements(),
        ]

    def create_table(self, *, indexes: bool = True) -> None:
        """The tables, and unless a rebuild defers them, their secondary indexes."""
        deferred = () if indexes else set(self.index_statements())
        with self.datastore.transaction(commit=True) as c:
            for statement in self.create_table_statements:
                if statement not in deferred:
                    c.execute(statement)
            # A board kept before the summary's tallies were: its tallies, once.
            if self.tallies.missing(c):
                self.tallies.build(c)

    # --- writes ------------------------------------------------------------------------------

    def current_rows(self, directive_ids: list[UUID]) -> dict[UUID, BoardRow]:
        if not directive_ids:
            return {}
        rows: dict[UUID, BoardRow] = {}
        with self.datastore.transaction(commit=False) as c:
            for chunk in _chunks([str(i) for i in directive_ids], 500):
                marks = ",".join("?" * len(chunk))
                c.execute(
                    f"SELECT {BOARD_COLUMNS} FROM {self.table('board')} "
                    f"WHERE valid_to_position IS NULL AND directive_id IN ({marks})",
                    chunk,
                )
                for r in c.fetchall():
                    row = _board_row(r)
                    rows[row.directive_id] = row
        return rows

    def current_petitions(self, petition_ids: list[UUID]) -> dict[UUID, PetitionRow]:
        return self.petitions.current(petition_ids) if petition_ids else {}

    def open_petitions(self) -> list[PetitionRow]:
        return self.petitions.open_rows()

    def calendar_changes(self) -> list[CalendarChange]:
        return self.petitions.calendar_changes()

    def apply(self, changes: Changes, tracking: Tracking) -> None:
        """The batch's rows and its tracking position, in one transaction."""
        with self.datastore.transaction(commit=True) as c:
            self._write(c, changes)
            self._insert_tracking(c, tracking)

    def append(self, changes: Changes) -> None:
        with self.datastore.transaction(commit=True) as c:
            self._write(c, changes, tallies=False)  # out of the log's order: ``finish`` tallies

    def finish(self, tracking: Tracking | None) -> None:
        t = self.table
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT OR IGNORE INTO {t('directive_units')} "
                f"SELECT lead_unit, directive_id, 'lead' FROM {t('board')} "
                "WHERE valid_to_position IS NULL UNION ALL "
                f"SELECT j.value, b.directive_id, 'coordinator' FROM {t('board')} AS b, "
                "json_each(b.coordinators) AS j WHERE b.valid_to_position IS NULL"
            )
            for statement in self.index_statements():
                c.execute(statement)
            self.tallies.build(c)
            if tracking is not None:
                self._insert_tracking(c, tracking)

    def _write(self, c: SQLiteCursor, changes: Changes, *, tallies: bool = True) -> None:
        """Every text goes through ``storable``, as in every read-model writer."""
        t = self.table
        c.executemany(
            f"UPDATE {t('board')} SET valid_to_position = ?, valid_to_time = ? "
            "WHERE directive_id = ? AND valid_to_position IS NULL",
            [(r.position, ts(r.recorded_at), str(i)) for i, r in changes.closes.items()],
        )
        c.executemany(
            f"INSERT INTO {t('board')} VALUES ({','.join('?' * _BOARD_WIDTH)})",
            [
                *(_board_params(r, nxt) for r, nxt in with_successors(changes.versions)),
                *(_board_params(r, nxt) for r, nxt in changes.superseded),
            ],
        )
        # A unit added again (only a log written beneath the domain can say so) is replaced, as
        # the registry's own fold replaces it.
        c.executemany(
            f"INSERT OR REPLACE INTO {t('units')} VALUES (?, ?, ?, ?, ?)",
            [
                storable_row((u.code, u.name_vi, u.name_en, u.parent, u.active))
                for u in changes.units_added
            ],
        )
        c.executemany(
            f"UPDATE {t('units')} SET name_vi = ?, name_en = ? WHERE code = ?",
            [storable_row((vi, en, code)) for code, vi, en in changes.units_renamed],
        )
        c.executemany(
            f"UPDATE {t('units')} SET active = 0 WHERE code = ?",
            [(storable(code),) for code in changes.units_deactivated],
        )
        c.executemany(
            f"UPDATE {t('units')} SET active = 0 WHERE code = ?",
            [(storable(s.predecessor),) for s in changes.successions],
        )
        c.executemany(
            f"INSERT INTO {t('successions')} VALUES (?, ?, ?, ?)",
            [
                (*storable_row((s.predecessor, s.heir)), s.effective_on.isoformat(), s.position)
                for s in changes.successions
            ],
        )
        c.executemany(
            f"INSERT INTO {t('search')} VALUES (?, ?, ?, ?)",
            [
                (str(d.directive_id), fold(d.reference), fold(d.title), fold(d.content))
                for d in changes.documents
            ],
        )
        c.executemany(
            f"DELETE FROM {t('directive_units')} WHERE directive_id = ?",
            [(str(i),) for i in changes.memberships],
        )
        # Two units that differ only where escaped (a forged log) are one membership.
        c.executemany(
            f"INSERT OR IGNORE INTO {t('directive_units')} VALUES (?, ?, ?)",
            [
                (storable(unit), str(i), role)
                for i, members in changes.memberships.items()
                for unit, role in members
            ],
        )
        c.executemany(
            f"INSERT INTO {t('days')} VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET "
            "first_position = min(first_position, excluded.first_position), "
            "last_position = max(last_position, excluded.last_position)",
            [
                (day.isoformat(), first, last)
                for day, first, last in day_bounds(
                    [
                        *changes.versions,
                        *(row for row, _ in changes.superseded),
                        *changes.petitions,
                    ]
                )
            ],
        )
        self.petitions.write(c, changes)
        self.candidates.write(c, changes)
        self.filed.write(c, changes)
        if tallies:
            self.tallies.write(c, changes)
        c.executemany(
            f"INSERT INTO {t('skipped')} VALUES (?, ?, ?, ?, ?)",
            [
                storable_row((s.position, s.originator_id, s.originator_version, s.topic, s.reason))
                for s in changes.skipped
            ],
        )

    def drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for name in _TABLES:
                c.execute(f"DROP TABLE IF EXISTS {self.table(name)}")

    def replace_with(self, fresh: object) -> None:
        """Put a freshly built view's tables in place of this one's, in one transaction."""
        if not isinstance(fresh, SQLiteOversightView):
            msg = f"a {type(self).__name__} is replaced by one of its kind, not {fresh!r}"
            raise TypeError(msg)
        with self.datastore.transaction(commit=True) as c:
            for name in _TABLES:
                c.execute(f"DROP TABLE IF EXISTS {self.table(name)}")
            for name in _TABLES:
                c.execute(f"ALTER TABLE {fresh.table(name)} RENAME TO {self.table(name)}")
            # SQLite cannot rename an index: drop the fresh ones, create ours under our names.
            for name in _INDEXES:
                c.execute(f"DROP INDEX IF EXISTS {fresh.table(name)}")
            for statement in self.create_table_statements:
                c.execute(statement)

    # --- queries -----------------------------------------------------------------------------

    def position(self, application_name: str = "Thucthi") -> int:
        return self.max_tracking_id(application_name) or 0

    def position_of(self, as_of: AsOf) -> int:
        with self.datastore.transaction(commit=False) as c:
            return self._settle(c, as_of).position

    def board(self, as_of: AsOf | None = None, filters: Filters = NO_FILTERS) -> list[BoardRow]:
        with self.datastore.transaction(commit=False) as c:
            where, params = _where(None if as_of is None else self._settle(c, as_of), filters)
            c.execute(
                f"SELECT {BOARD_COLUMNS} FROM {self.table('board')} WHERE {where} "
                "ORDER BY issued_at, reference",
                params,
            )
            return [_board_row(r) for r in c.fetchall()]

    def summary(
        self,
        as_of: AsOf,
        *,
        basis: Basis = "in_force",
        filters: Filters = NO_FILTERS,
        due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    ) -> Summary:
        deadline = "deadline" if basis == "in_force" else "original_deadline"
        with self.datastore.transaction(commit=False) as c:
            point = self._settle(c, as_of)
            position = point.position
            where, params = _where(point, filters)
            params.update(
                day=as_of.day.isoformat(), soon=(as_of.day + timedelta(due_soon_days)).isoformat()
            )
            c.execute(
                f"SELECT count(*) FROM {self.table('skipped')} WHERE position <= ?", (position,)
            )
            skipped = c.fetchone()[0]
            if self.tallied and tallied(point, filters, due_soon_days):
                rows: list[Any] = figures_on(
                    self.tallies,
                    c,
                    as_of.day,
                    basis=basis,
                    unit=filters.unit,
                    window=due_soon_days,
                    moved=self._moved(c, point),
                )
            else:
                rows = self._counted(c, where, params, deadline)
            successions = [] if filters.unit else self._successions(c, point.position)
        return carry(
            summary_of(rows, as_of, basis, position, skipped), in_effect(successions, point)
        )

    def _moved(self, c: SQLiteCursor, point: Point) -> list[tuple[BoardRow, int]]:
        """For a point inside a day (``Point.day_end``), the versions of the directives written
        between it and the day's end: those true at the end (-1: written between, not replaced
        by the end) and those true at the point (+1: written by it, replaced between), each
        found from a version written between, by position and then by directive (a day's
        versions at most, never the log's)."""
        if point.day_end is None:
            return []
        board = self.table("board")
        n = ", ".join(f"n.{name.strip()}" for name in BOARD_COLUMNS.split(","))
        b = ", ".join(f"b.{name.strip()}" for name in BOARD_COLUMNS.split(","))
        between = "n.position > :p AND n.position <= :l"
        c.execute(
            f"SELECT {n}, -1 AS sign FROM {board} n WHERE {between} "
            "AND (n.valid_to_position IS NULL OR n.valid_to_position > :l) "
            f"UNION ALL SELECT {b}, 1 FROM {board} n JOIN {board} b "
            "ON b.directive_id = n.directive_id AND b.valid_to_position = n.position "
            f"WHERE {between} AND b.position <= :p",
            {"p": point.position, "l": point.day_end},
        )
        return [(_board_row(r), r["sign"]) for r in c.fetchall()]

    def _counted(
        self, c: SQLiteCursor, where: str, params: dict[str, Any], deadline: str
    ) -> list[Any]:
        """The summary's rows counted from the board's versions at the point (``where``)."""
        c.execute(
            f"""SELECT lead_unit,
                    COUNT(*) FILTER (WHERE done AND (dl IS NULL OR completion_on <= dl))
                        AS on_time,
                    COUNT(*) FILTER (WHERE done AND completion_on > dl) AS late,
                    COUNT(*) FILTER (WHERE NOT done AND dl >= :day) AS in_progress,
                    COUNT(*) FILTER (WHERE NOT done AND dl >= :day AND dl <= :soon) AS due_soon,
                    COUNT(*) FILTER (WHERE NOT done AND dl < :day) AS overdue,
                    COUNT(*) FILTER (WHERE NOT done AND dl IS NULL) AS no_deadline,
                    COALESCE(SUM(CAST(julianday(:day) - julianday(dl) AS INTEGER))
                        FILTER (WHERE NOT done AND dl < :day), 0) AS days,
                    COUNT(*) FILTER (WHERE awaits) AS awaiting,
                    COUNT(*) FILTER (WHERE awaits AND dl < :day) AS awaiting_overdue
                FROM (SELECT lead_unit, {deadline} AS dl, completion_on,
                      status = 'completed' AS done, status = 'completion_reported' AS awaits
                      FROM {self.table("board")} WHERE {where} AND NOT withdrawn)
                GROUP BY lead_unit ORDER BY lead_unit""",
            params,
        )
        return list(c.fetchall())

    def responsiveness(
        self, as_of: AsOf, filters: Filters = NO_FILTERS, summary: Summary | None = None
    ) -> list[Responsiveness]:
        settled = AsOf(as_of.day, self.position_of(as_of))  # the summary's and the rows' alike
        if summary is None or (summary.as_of, summary.position, summary.basis) != (
            settled.day,
            settled.position,
            "in_force",
        ):
            summary = self.summary(settled, filters=filters)
        with self.datastore.transaction(commit=False) as c:
            point = self._settle(c, settled)
            if self.tallied and tallied(point, filters, 0):
                moved = self._moved(c, point)
                return responsiveness_of(
                    responsiveness_on(self.tallies, c, as_of.day, filters.unit, moved), summary
                )
            where, params = _where(point, filters)
            params["now"] = ts(_moment_of(as_of))
            c.execute(
                f"""SELECT lead_unit, COUNT(*) AS n,
                    SUM((julianday(COALESCE(acknowledged_at, :now)) - julianday(assigned_at)) * 24)
                        AS ack_hours,
                    COALESCE(SUM(
                        julianday(:now) - julianday(COALESCE(progress_at, acknowledged_at))
                    ) FILTER (WHERE status = 'in_progress'), 0) AS stale_days,
                    COUNT(*) FILTER (WHERE status = 'in_progress') AS stale_n
                FROM {self.table("board")} WHERE {where} AND NOT withdrawn
                GROUP BY lead_unit ORDER BY lead_unit""",
                params,
            )
            rows = c.fetchall()
        return responsiveness_of(rows, summary)

    def late(self, as_of: AsOf, filters: Filters = NO_FILTERS, limit: int = 100) -> list[LateItem]:
        return self._deadline_list(as_of, filters, None, limit, overdue=True)

    def due_soon(
        self,
        as_of: AsOf,
        window_days: int = DEFAULT_DUE_SOON_DAYS,
        filters: Filters = NO_FILTERS,
        limit: int = 100,
    ) -> list[LateItem]:
        return self._deadline_list(as_of, filters, window_days, limit, overdue=False)

    def awaiting_acceptance(
        self, as_of: AsOf, filters: Filters = NO_FILTERS, limit: int = 100
    ) -> list[AwaitingItem]:
        awaits = AWAITING.condition
        with self.datastore.transaction(commit=False) as c:
            point = self._settle(c, as_of)
            if self.walked and walks(point):
                c.execute(
                    "SELECT min(completion_on), max(completion_on) "
                    f"FROM {self.table('board')} WHERE {awaits}"
                )
                first, last = c.fetchone()
                days = walk_bounds(_day(first), _day(last), None, None)
                rows = self._walk(c, point, filters, AWAITING, days=days, limit=limit)
            else:
                where, params = _where(point, filters)
                params["limit"] = limit
                c.execute(
                    f"SELECT {BOARD_COLUMNS} FROM {self.table('board')} WHERE {where} "
                    f"AND NOT withdrawn AND {awaits} ORDER BY {AWAITING_ORDER} LIMIT :limit",
                    params,
                )
                rows = [_board_row(r) for r in c.fetchall()]
        return awaiting_items(rows, as_of.day)

    def _deadline_list(
        self,
        as_of: AsOf,
        filters: Filters,
        window_days: int | None,
        limit: int,
        *,
        overdue: bool,
    ) -> list[LateItem]:
        """The open directives overdue (``window_days`` None) or due within the window, as of a
        day: the current ones read in deadline order from their index, those at a past position
        walked day by day (``readmodels.queries.walks``), others counted as before."""
        day = as_of.day
        soon = None if window_days is None else day + timedelta(window_days)
        with self.datastore.transaction(commit=False) as c:
            point = self._settle(c, as_of)
            if self.walked and walks(point):
                if soon is None:
                    c.execute(f"SELECT min(deadline) FROM {self.table('board')} WHERE {NOT_CLOSED}")
                    (first,) = c.fetchone()
                    bounds = (_day(first), day - timedelta(1))
                else:
                    bounds = (day, soon)
                days = walk_bounds(*bounds, filters.deadline_from, filters.deadline_to)
                rows = self._walk(c, point, filters, DEADLINES, days=days, limit=limit)
            else:
                where, params = _where(point, filters)
                condition = (
                    "deadline < :day"
                    if soon is None
                    else ("deadline >= :day AND deadline <= :soon")
                )
                c.execute(
                    f"SELECT {BOARD_COLUMNS} FROM {self.table('board')} WHERE {where} "
                    f"AND {NOT_CLOSED} AND {condition} ORDER BY {DEADLINE_ORDER} LIMIT :limit",
                    {
                        **params,
                        "day": day.isoformat(),
                        "soon": None if soon is None else soon.isoformat(),
                        "limit": limit,
                    },
                )
                rows = [_board_row(r) for r in c.fetchall()]
        return deadline_items(rows, day, overdue=overdue)

    def _walk(
        self,
        c: SQLiteCursor,
        point: Point,
        filters: Filters,
        walk: Walk,
        *,
        days: tuple[date, date] | None,
        limit: int,
    ) -> list[BoardRow]:
        """The versions true at ``point`` that ``walk`` lists, in its order, the first ``limit``:
        its column's days walked in order, each query one step per day down its index (named,
        so that SQLite's planner cannot choose another)."""
        rows: list[BoardRow] = []
        for chunk in day_chunks(*days) if days is not None else ():
            if len(rows) >= limit:
                break
            c.execute(*self.walk_statement(walk, point, filters, chunk, limit - len(rows)))
            rows.extend(_board_row(r) for r in c.fetchall())
        return rows

    def walk_statement(
        self, walk: Walk, point: Point, filters: Filters, days: list[date], limit: int
    ) -> tuple[str, dict[str, Any]]:
        """One query of a walk: ``days``' versions true at ``point``, in the walk's order."""
        where, params = _where(point, filters)
        asked = {f"day{n}": d.isoformat() for n, d in enumerate(days)}
        query = (
            f"SELECT {BOARD_COLUMNS} FROM {self.table('board')} "
            f"INDEXED BY {self.table(walk.index)} "
            f"WHERE {walk.column} IN ({', '.join(':' + k for k in asked)}) "
            f"AND {OPEN_SPAN} > :position AND {walk.condition} AND {where} "
            f"ORDER BY {walk.order} LIMIT :limit"
        )
        return query, {**params, **asked, "limit": limit}

    def directive_page(
        self,
        as_of: AsOf | None,
        query: DirectiveQuery,
        after: PageKey | None = None,
        limit: int = 50,
        counted: Counted | None = None,
    ) -> DirectivePage:
        asked = list_sql(query, _DIALECT)
        with self.datastore.transaction(commit=False) as c:
            if as_of is None:
                point, position = None, self._tracked(c)
            else:
                point = self._settle(c, as_of)
                position = point.position
            where, params = _where(point, asked.filters)
            params.update(asked.params)
            source = self.table("board")
            if query.search:
                words = terms(query.search)
                if not words:
                    return DirectivePage([], 0, position, None)
                matches = self.table("search")
                source += (
                    f" JOIN (SELECT directive_id AS match_id, -bm25({matches}, 0, 10.0, 4.0, 1.0)"
                    f" AS score FROM {matches} WHERE {matches} MATCH :search)"
                    " ON match_id = directive_id"
                )
                params["search"] = search_match(words)
            conditions = [where, *(
                condition.format(units=self.table("directive_units"))
                for condition in asked.conditions
            )]  # fmt: skip
            if counted is not None and counted.position == position:
                total = counted.total
            else:
                c.execute(f"SELECT count(*) FROM {source} WHERE {' AND '.join(conditions)}", params)
                total = c.fetchone()[0]
            if after is not None:
                conditions.append(
                    after_condition(asked.key, query.descending, _DIALECT, query.sort)
                )
                params.update(after_value=after.value, after_id=str(after.directive_id))
            order = "DESC" if query.descending else "ASC"
            params["limit"] = limit + 1
            c.execute(
                f"SELECT {BOARD_COLUMNS}, {asked.key} AS sort_key FROM {source} "
                f"WHERE {' AND '.join(conditions)} "
                f"ORDER BY sort_key {order}, directive_id {order} LIMIT :limit",
                params,
            )
            found = c.fetchall()
        rows = [_board_row(r) for r in found[:limit]]
        following = None
        if len(found) > limit:
            following = PageKey(found[limit - 1]["sort_key"], rows[-1].directive_id)
        return DirectivePage(rows, total, position, following)

    def _tracked(self, c: SQLiteCursor) -> int:
        c.execute(
            f"SELECT max(notification_id) FROM {self.table('tracking')} "
            "WHERE application_name = 'Thucthi'"
        )
        return int(c.fetchone()[0] or 0)

    def inbox(self, unit: str) -> list[InboxItem]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT m.role AS member_role, {_prefixed('b', BOARD_COLUMNS)} "
                f"FROM {self.table('directive_units')} m JOIN {self.table('board')} b "
                "ON b.directive_id = m.directive_id AND b.valid_to_position IS NULL "
                "WHERE m.unit = ? AND b.status NOT IN ('completed', 'withdrawn')",
                (unit,),
            )
            rows = [(r["member_role"], _board_row(r)) for r in c.fetchall()]
        return inbox_of(unit, rows)

    def directives_of(self, unit: str) -> dict[UUID, str]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT b.directive_id AS directive_id, b.reference AS reference "
                f"FROM {self.table('directive_units')} m JOIN {self.table('board')} b "
                "ON b.directive_id = m.directive_id AND b.valid_to_position IS NULL "
                "WHERE m.unit = ?",
                (unit,),
            )
            return {UUID(r["directive_id"]): r["reference"] for r in c.fetchall()}

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        words = terms(query)
        if not words:
            return []
        match = search_match(words)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT s.directive_id AS directive_id, "
                f"bm25({self.table('search')}, 0, 10.0, 4.0, 1.0) AS score, "
                "b.reference AS reference, b.title AS title, b.lead_unit AS lead_unit "
                f"FROM {self.table('search')} s JOIN {self.table('board')} b "
                "ON b.directive_id = s.directive_id AND b.valid_to_position IS NULL "
                f"WHERE {self.table('search')} MATCH ? ORDER BY score, b.reference LIMIT ?",
                (match, limit),
            )
            return [
                SearchHit(
                    directive_id=UUID(r["directive_id"]),
                    reference=r["reference"],
                    title=r["title"],
                    lead_unit=r["lead_unit"],
                    score=-float(r["score"]),
                )
                for r in c.fetchall()
            ]

    def issuers(self) -> list[str]:
        with self.datastore.transaction(commit=False) as c:
            # A directive's issuer never changes: its current version names it.
            c.execute(ISSUERS.format(board=self.table("board")))
            return [r[0] for r in c.fetchall()]

    def units(self) -> list[UnitRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM {self.table('units')} ORDER BY code")
            return [
                UnitRow(r["code"], r["name_vi"], r["name_en"], r["parent"], bool(r["active"]))
                for r in c.fetchall()
            ]

    def successions(self, as_of: AsOf | None = None) -> list[Succession]:
        with self.datastore.transaction(commit=False) as c:
            if as_of is None:
                return self._successions(c, None)
            point = self._settle(c, as_of)
            return in_effect(self._successions(c, point.position), point)

    def _successions(self, c: SQLiteCursor, position: int | None) -> list[Succession]:
        c.execute(
            f"SELECT * FROM {self.table('successions')} WHERE ? IS NULL OR position <= ? "
            "ORDER BY position",
            (position, position),
        )
        return [
            Succession(
                r["predecessor"], r["heir"], date.fromisoformat(r["effective_on"]), r["position"]
            )
            for r in c.fetchall()
        ]

    def skipped(self) -> list[SkippedEvent]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM {self.table('skipped')} ORDER BY position")
            return [SkippedEvent(*r) for r in c.fetchall()]

    def _settle(self, c: SQLiteCursor, as_of: AsOf) -> Point:
        t = self.table
        c.execute(
            f"SELECT (SELECT max(notification_id) FROM {t('tracking')} "
            "WHERE application_name = 'Thucthi'), "
            f"(SELECT max(last_position) FROM {t('days')} WHERE day <= :day), "
            f"(SELECT min(first_position) FROM {t('days')} WHERE day > :day)",
            {"day": as_of.day.isoformat()},
        )
        tracked, last_by_then, first_after = c.fetchone()
        return settle(as_of, tracked or 0, last_by_then, first_after)


def _stored(value: Any) -> Any:
    """A value as the board stores it: days as ISO text, moments as fixed-width UTC text."""
    if isinstance(value, datetime):
        return ts(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


_DIALECT = Dialect(
    mark=lambda name: f":{name}",
    coordinating="EXISTS (SELECT 1 FROM json_each(coordinators) WHERE value = {unit})",
    last_day="'9999-12-31'",
    value=_stored,
    key_types={},
)


def _moment_of(as_of: AsOf) -> datetime:
    return end_of_city_day(as_of.day)


def _where(point: Point | None, filters: Filters) -> tuple[str, dict[str, Any]]:
    """The rows true at a settled point of view (None: the rows as they are), narrowed by the
    filters: each directive's last version at or before the position that was recorded by the
    end of the day (``AsOf``), by the condition the point says suffices. A read transaction
    sees one snapshot, so by moment alone nothing recorded after the point was settled shows."""
    clause, params = sqlite_clause(point, bounded=True)
    clauses = [clause]
    for column, value in (
        ("lead_unit", filters.unit),
        ("issuer", filters.issuer),
        ("urgency", filters.urgency),
    ):
        if value is not None:
            clauses.append(f"{column} = :{column}")
            params[column] = value
    for column, bound, op in (
        ("issued_on", filters.issued_from, ">="),
        ("issued_on", filters.issued_to, "<="),
        ("deadline", filters.deadline_from, ">="),
        ("deadline", filters.deadline_to, "<="),
    ):
        if bound is not None:
            name = f"{column}_{'from' if op == '>=' else 'to'}"
            clauses.append(f"{column} {op} :{name}")
            params[name] = bound.isoformat()
    return " AND ".join(clauses), params


def _board_params(row: BoardRow, successor: BoardRow | None) -> tuple[Any, ...]:
    return (
        str(row.directive_id),
        row.version,
        row.position,
        ts(row.recorded_at),
        successor.position if successor else None,
        ts(successor.recorded_at) if successor else None,
        storable(row.reference),
        storable(row.title),
        storable(row.lead_unit),
        orjson.dumps(storable_texts(row.coordinators)).decode(),
        storable(row.issuer),
        storable(row.urgency),
        row.issued_on.isoformat(),
        ts(row.issued_at),
        ts(row.assigned_at),
        _iso(row.original_deadline),
        _iso(row.deadline),
        row.extensions_granted,
        row.extension_pending,
        row.percent,
        _ts_or_none(row.progress_at),
        _ts_or_none(row.acknowledged_at),
        _ts_or_none(row.completion_reported_at),
        _iso(row.completion_on),
        _ts_or_none(row.accepted_at),
        storable(row.status),
        row.withdrawn,
        row.open_explanations,
        row.reminders,
        row.returns,
        orjson.dumps(storable_texts(row.contributed)).decode(),
    )


def _board_row(r: sqlite3.Row) -> BoardRow:
    return BoardRow(
        directive_id=UUID(r["directive_id"]),
        version=r["version"],
        position=r["position"],
        recorded_at=datetime.fromisoformat(r["recorded_at"]),
        reference=r["reference"],
        title=r["title"],
        lead_unit=r["lead_unit"],
        coordinators=tuple(orjson.loads(r["coordinators"])),
        issuer=r["issuer"],
        urgency=r["urgency"],
        issued_on=date.fromisoformat(r["issued_on"]),
        issued_at=datetime.fromisoformat(r["issued_at"]),
        assigned_at=datetime.fromisoformat(r["assigned_at"]),
        original_deadline=_day(r["original_deadline"]),
        deadline=_day(r["deadline"]),
        extensions_granted=r["extensions_granted"],
        extension_pending=bool(r["extension_pending"]),
        percent=r["percent"],
        progress_at=_moment(r["progress_at"]),
        acknowledged_at=_moment(r["acknowledged_at"]),
        completion_reported_at=_moment(r["completion_reported_at"]),
        completion_on=_day(r["completion_on"]),
        accepted_at=_moment(r["accepted_at"]),
        status=r["status"],
        withdrawn=bool(r["withdrawn"]),
        open_explanations=r["open_explanations"],
        reminders=r["reminders"],
        returns=r["returns"],
        contributed=tuple(orjson.loads(r["contributed"])),
    )


def _prefixed(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{c.strip()} AS {c.strip()}" for c in columns.split(","))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _ts_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else ts(moment)
