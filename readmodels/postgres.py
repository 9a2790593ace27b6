"""The oversight read models on PostgreSQL: schema, the projection's writes, and the queries.

Same tables and meaning as the SQLite implementation, in native types (uuid, date, timestamptz,
text[]), with full-text search over folded text in a GIN-indexed ``tsvector``. SQL is composed
with ``psycopg.sql`` so table names are always quoted identifiers.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import cached_property
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from domain.shared.clock import CITY_TIMEZONE, end_of_city_day
from readmodels import candidates_postgres, filed_postgres, petitions_postgres, tallies_postgres
from readmodels.candidates_postgres import PostgresCandidates
from readmodels.changes import Changes
from readmodels.filed_postgres import PostgresFiled
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
from readmodels.petitions_postgres import PostgresPetitions
from readmodels.points import postgres_clause
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
    settle,
    summary_of,
    walk_bounds,
    walks,
    with_successors,
)
from readmodels.tallies import figures_on, responsiveness_on, tallied
from readmodels.tallies_postgres import PostgresTallies
from readmodels.text import fold, storable, storable_row, storable_texts, terms
from readmodels.todo_postgres import PostgresTodo

_OWN_TABLES = (
    "board",
    "units",
    "successions",
    "directive_units",
    "search",
    "skipped",
    "days",
    "tracking",
)
_TABLES: tuple[str, ...] = (
    *_OWN_TABLES,
    *tallies_postgres.TABLES,
    *petitions_postgres.TABLES,
    *candidates_postgres.TABLES,
    *filed_postgres.TABLES,
)
_INDEXES = (
    "board_current", "board_time", "board_position", "board_open", "board_open_spans",
    "board_issued", "board_awaiting", "board_awaiting_spans", "board_awaiting_now",
    "board_pending", "board_explained", "board_issuers", "board_lead",
    "directive_units_directive",
    "search_document", *(f"{t}_pkey" for t in _OWN_TABLES), *petitions_postgres.INDEXES,
    *candidates_postgres.INDEXES, *filed_postgres.INDEXES, *tallies_postgres.INDEXES,
)  # fmt: skip
# A writer's transaction computes between its statements (a batch's tallies folded in Python;
# a rebuild's, streamed from a cursor): on a busy machine that can outlast the pool's
# idle-in-transaction timeout (``adapters.database``: 5 s, for clients that hang), which would
# end the connection and the batch with it. Those transactions allow a minute.
WRITER_IDLE = "SET LOCAL idle_in_transaction_session_timeout = '60s'"
_COLUMNS = sql.SQL(BOARD_COLUMNS)
_BOARD_WIDTH = 31
_CITY_OFFSET = int(CITY_TIMEZONE.utcoffset(None).total_seconds())  # seconds ahead of UTC


class PostgresOversightView(PostgresTrackingRecorder):
    """Board versions, units, memberships and search, tracked in ``{prefix}_tracking``."""

    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        tracking_table_name: str = "oversight_tracking",
        **kwargs: Any,
    ) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self.prefix = check_prefix(tracking_table_name.removesuffix("_tracking"))
        # The petitions' table is the view's too: created, written, rebuilt and swapped with it.
        self.petitions = PostgresPetitions(datastore, self.table, self.ident, self._settle)
        # And the duplicate search's candidate store (``readmodels.candidates``).
        self.candidates = PostgresCandidates(datastore, self.table, self.ident)
        self.todo = PostgresTodo(datastore, self.table)
        # And the index of filed documents' files by digest (``readmodels.filed``).
        self.filed = PostgresFiled(datastore, self.table, self.ident)
        # And the summary's tallies per unit and day (``readmodels.tallies``).
        self.tallies = PostgresTallies(datastore, self.table, self.ident, _CITY_OFFSET)
        self.tallied = True  # False: every summary counts the board (what the tests compare)
        self.walked = True  # False: the lists at a past position scan the board (the same)
        t, i = self.table, self.ident
        self.sql_create_statements.extend(
            [
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {board} ("
                    + _BOARD_DDL
                    + ", CONSTRAINT {board_pkey} PRIMARY KEY (directive_id, version))"
                ).format(board=t("board"), board_pkey=i("board_pkey")),
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (code text, name_vi text NOT NULL, "
                    "name_en text NOT NULL, parent text, active boolean NOT NULL, "
                    "CONSTRAINT {} PRIMARY KEY (code))"
                ).format(t("units"), i("units_pkey")),
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (predecessor text, heir text NOT NULL, "
                    "effective_on date NOT NULL, position bigint, "
                    "CONSTRAINT {} PRIMARY KEY (predecessor, position))"
                ).format(t("successions"), i("successions_pkey")),
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} "
                    "(unit text, directive_id uuid, role text NOT NULL, "
                    "CONSTRAINT {} PRIMARY KEY (unit, directive_id))"
                ).format(t("directive_units"), i("directive_units_pkey")),
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (directive_id uuid, document tsvector NOT NULL, "
                    "CONSTRAINT {} PRIMARY KEY (directive_id))"
                ).format(t("search"), i("search_pkey")),
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (position bigint, originator_id text NOT NULL, "
                    "originator_version integer NOT NULL, topic text NOT NULL, "
                    "reason text NOT NULL, CONSTRAINT {} PRIMARY KEY (position))"
                ).format(t("skipped"), i("skipped_pkey")),
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (day date, first_position bigint NOT NULL, "
                    "last_position bigint NOT NULL, CONSTRAINT {} PRIMARY KEY (day))"
                ).format(t("days"), i("days_pkey")),
                # A board written before the days table was: its days, once, from its rows.
                sql.SQL(
                    "INSERT INTO {days} SELECT (recorded_at AT TIME ZONE 'UTC' "
                    "+ make_interval(secs => {offset}))::date AS day, min(position), "
                    "max(position) FROM {board} WHERE NOT EXISTS (SELECT FROM {days}) GROUP BY day"
                ).format(days=t("days"), board=t("board"), offset=sql.Literal(_CITY_OFFSET)),
                *self.petitions.create_statements(),
                *self.candidates.create_statements(),
                *self.filed.create_statements(),
                *self.tallies.create_statements(),
            ]
        )
        # The secondary indexes: a rebuild creates them once its rows are in.
        self.sql_index_statements = [
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (directive_id) WHERE valid_to_position IS NULL"
            ).format(i("board_current"), t("board")),
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (recorded_at, valid_to_time)").format(
                i("board_time"), t("board")
            ),
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (position, valid_to_position)").format(
                i("board_position"), t("board")
            ),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (deadline) "
                "WHERE valid_to_position IS NULL AND status NOT IN ('completed', 'withdrawn')"
            ).format(i("board_open"), t("board")),
            # The lists as of a past position, walked day by day (``readmodels.queries.walks``).
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (deadline, ({}), position) "
                "WHERE status NOT IN ('completed', 'withdrawn')"
            ).format(i("board_open_spans"), t("board"), sql.SQL(OPEN_SPAN)),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (completion_on, ({}), position) "
                "WHERE status = 'completion_reported'"
            ).format(i("board_awaiting_spans"), t("board"), sql.SQL(OPEN_SPAN)),
            # Today's awaiting list in its order: without it the planner reads the spans' index
            # in report-day order, passing every report ever decided (5 s at ten million events).
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (completion_on, reference) "
                "WHERE valid_to_position IS NULL AND status = 'completion_reported'"
            ).format(i("board_awaiting_now"), t("board")),
            # The list's first page, newest first, and each page after it (keyset).
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (issued_at, directive_id) "
                "WHERE valid_to_position IS NULL"
            ).format(i("board_issued"), t("board")),
            # What waits for a decision (the leaders' queues, the dashboard's awaiting list),
            # the answers to explanation requests (the Office's queue) and the issuers.
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (issuer) "
                "WHERE valid_to_position IS NULL AND status = 'completion_reported'"
            ).format(i("board_awaiting"), t("board")),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (issuer) "
                "WHERE valid_to_position IS NULL AND extension_pending"
            ).format(i("board_pending"), t("board")),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (valid_to_time) WHERE open_explanations > 0"
            ).format(i("board_explained"), t("board")),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (issuer) WHERE valid_to_position IS NULL"
            ).format(i("board_issuers"), t("board")),
            # A unit's figures and lists (a department's oversight, its page, a filter).
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (lead_unit) WHERE valid_to_position IS NULL"
            ).format(i("board_lead"), t("board")),
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (directive_id)").format(
                i("directive_units_directive"), t("directive_units")
            ),
            *self.petitions.index_statements(),
            *self.candidates.index_statements(),
            *self.filed.index_statements(),
        ]
        # The slowest index to build, so built on its own connection while the others are.
        self.sql_search_index_statement = sql.SQL(
            "CREATE INDEX IF NOT EXISTS {} ON {} USING gin (document)"
        ).format(i("search_document"), t("search"))

    def create_table(self, *, indexes: bool = True) -> None:
        """The tables, and unless a rebuild defers them, their secondary indexes."""
        super().create_table()
        if indexes:
            with self.datastore.transaction(commit=True) as c:
                for statement in [*self.sql_index_statements, self.sql_search_index_statement]:
                    c.execute(statement)
        # A board kept before the summary's tallies were: its tallies, once, from its versions,
        # by one writer (the others wait, then find them there). A view that has them opens
        # without waiting for the writers' lock.
        with self.datastore.transaction(commit=True) as c:
            if self.tallies.missing(c):
                c.execute("SELECT pg_advisory_xact_lock(%s)", (self.writer_lock,))
                c.execute(WRITER_IDLE)
                if self.tallies.missing(c):
                    self.tallies.build(c)

    def table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(
            sql.Identifier(self.datastore.schema), sql.Identifier(f"{self.prefix}_{name}")
        )

    def ident(self, name: str) -> sql.Identifier:
        return sql.Identifier(f"{self.prefix}_{name}")

    @cached_property
    def writer_lock(self) -> int:
        """The advisory lock key of this view's writers: a signed 64-bit hash of its tables."""
        digest = hashlib.sha256(f"{self.datastore.schema}.{self.prefix}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    @cached_property
    def notify_channel(self) -> str:
        """NOTIFYed with the position each batch wrote (``adapters.freshness`` listens)."""
        return f"{self.prefix}_projected_{self.datastore.schema}"[:63]

    # --- writes ------------------------------------------------------------------------------

    def current_rows(self, directive_ids: list[UUID]) -> dict[UUID, BoardRow]:
        """Each directive's open row, looked up by the primary key one directive at a time.

        ``directive_id = ANY(%s)`` let the planner guess: over a rebuild's fresh board, which has
        no statistics yet, it guessed far too many rows per directive and scanned the whole table
        for every batch read back (docs/performance.md).
        """
        if not directive_ids:
            return {}
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT b.* FROM unnest(%s::uuid[]) AS w(id) CROSS JOIN LATERAL ("
                    "SELECT {} FROM {} WHERE directive_id = w.id AND valid_to_position IS NULL"
                    " ORDER BY version DESC LIMIT 1) b"
                ).format(_COLUMNS, self.table("board")),
                (directive_ids,),
            )
            return {r["directive_id"]: _board_row(r) for r in c.fetchall()}

    def current_petitions(self, petition_ids: list[UUID]) -> dict[UUID, PetitionRow]:
        return self.petitions.current(petition_ids) if petition_ids else {}

    def open_petitions(self) -> list[PetitionRow]:
        return self.petitions.open_rows()

    def calendar_changes(self) -> list[CalendarChange]:
        return self.petitions.calendar_changes()

    def apply(self, changes: Changes, tracking: Tracking) -> None:
        """The batch's rows and its tracking position, in one transaction.

        One statement per table whatever the batch's size: the board's new versions are COPied,
        the rest are set-based statements over arrays (``unnest``), so a batch costs a handful of
        round trips rather than one per row.
        """
        with self.datastore.transaction(commit=True) as c:
            # Writers of one view (the follower, each API worker's read-your-writes catch-up)
            # take turns: set-based updates of the same rows in two transactions could
            # deadlock. The one that comes second then fails on the rows and tracking the
            # first wrote (IntegrityError), and carries on from the view's new position.
            c.execute("SELECT pg_advisory_xact_lock(%s)", (self.writer_lock,))
            c.execute(WRITER_IDLE)
            self._write(c, changes)
            self._insert_tracking(c, tracking)
            c.execute(
                "SELECT pg_notify(%s, %s)", (self.notify_channel, str(tracking.notification_id))
            )

    def append(self, changes: Changes) -> None:
        with self.datastore.transaction(commit=True) as c:
            self._write(c, changes, tallies=False)  # out of the log's order: ``finish`` tallies

    def finish(self, tracking: Tracking | None) -> None:
        t = self.table
        # The slowest index and the tallies (a grouping of every version, then a fold in Python)
        # each on a connection of their own while the other indexes are built; the tracking,
        # which says the view is finished, is written once all three are. No transaction waits
        # on the others (it would sit idle past the pool's idle-in-transaction timeout): the
        # fresh tables are nobody's until the rebuild swaps them in.
        with ThreadPoolExecutor(2, "rebuild-finish") as pool:
            search_index = pool.submit(self._execute, self.sql_search_index_statement)
            tallied = pool.submit(self._build_tallies)
            with self.datastore.transaction(commit=True) as c:
                c.execute(
                    sql.SQL(
                        "INSERT INTO {du} SELECT lead_unit, directive_id, 'lead' FROM {b} "
                        "WHERE valid_to_position IS NULL UNION ALL "
                        "SELECT unnest(coordinators), directive_id, 'coordinator' FROM {b} "
                        "WHERE valid_to_position IS NULL ON CONFLICT DO NOTHING"
                    ).format(du=t("directive_units"), b=t("board"))
                )
                for statement in self.sql_index_statements:
                    c.execute(statement)
            tallied.result()
            search_index.result()
        with self.datastore.transaction(commit=True) as c:
            if tracking is not None:
                self._insert_tracking(c, tracking)
            for name in ("board", "directive_units", "search", "tally_days", "tally_deadlines"):
                c.execute(sql.SQL("ANALYZE {}").format(t(name)))

    def _build_tallies(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(WRITER_IDLE)
            self.tallies.build(c)

    def _execute(self, statement: sql.Composed) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(statement)

    def _write(self, c: Cursor[DictRow], changes: Changes, *, tallies: bool = True) -> None:
        t = self.table
        closes = changes.closes
        if closes:
            c.execute(
                sql.SQL(
                    "UPDATE {} b SET valid_to_position = v.p, valid_to_time = v.t "
                    "FROM unnest(%s::uuid[], %s::bigint[], %s::timestamptz[]) AS v(id, p, t) "
                    "WHERE b.directive_id = v.id AND b.valid_to_position IS NULL"
                ).format(t("board")),
                (list(closes), [r.position for r in closes.values()],
                 [r.recorded_at for r in closes.values()]),
            )  # fmt: skip
        if changes.versions or changes.superseded:
            # Binary: the rows' values go as they are, not formatted as text and parsed again.
            with c.copy(sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(t("board"))) as copy:
                copy.set_types(_BOARD_TYPES)
                for row, successor in with_successors(changes.versions):
                    copy.write_row(_board_params(row, successor))
                for row, successor in changes.superseded:
                    copy.write_row(_board_params(row, successor))
        # A unit added again (only a log written beneath the domain can say so) is replaced, as
        # the registry's own fold replaces it.
        _many(
            c,
            sql.SQL(
                "INSERT INTO {} VALUES (%s, %s, %s, %s, %s) ON CONFLICT (code) DO UPDATE SET "
                "name_vi = excluded.name_vi, name_en = excluded.name_en, "
                "parent = excluded.parent, active = excluded.active"
            ).format(t("units")),
            [
                storable_row((u.code, u.name_vi, u.name_en, u.parent, u.active))
                for u in changes.units_added
            ],
        )
        _many(
            c,
            sql.SQL("UPDATE {} SET name_vi = %s, name_en = %s WHERE code = %s").format(t("units")),
            [storable_row((vi, en, code)) for code, vi, en in changes.units_renamed],
        )
        _many(
            c,
            sql.SQL("UPDATE {} SET active = false WHERE code = %s").format(t("units")),
            [(storable(code),) for code in changes.units_deactivated],
        )
        _many(
            c,
            sql.SQL("UPDATE {} SET active = false WHERE code = %s").format(t("units")),
            [(storable(s.predecessor),) for s in changes.successions],
        )
        _many(
            c,
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s)").format(t("successions")),
            [
                (*storable_row((s.predecessor, s.heir)), s.effective_on, s.position)
                for s in changes.successions
            ],
        )
        if changes.documents:
            documents = changes.documents
            c.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT id, setweight(to_tsvector('simple', r), 'A') || "
                    "setweight(to_tsvector('simple', ti), 'B') || "
                    "setweight(to_tsvector('simple', co), 'D') "
                    "FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[]) "
                    "AS d(id, r, ti, co)"
                ).format(t("search")),
                ([d.directive_id for d in documents], [fold(d.reference) for d in documents],
                 [fold(d.title) for d in documents], [fold(d.content) for d in documents]),
            )  # fmt: skip
        if changes.memberships:
            c.execute(
                sql.SQL("DELETE FROM {} WHERE directive_id = ANY(%s)").format(t("directive_units")),
                (list(changes.memberships),),
            )
            members = [
                (storable(unit), i, role)
                for i, pairs in changes.memberships.items()
                for unit, role in pairs
            ]
            # Two units that differ only where escaped (a forged log) are one membership.
            c.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT * FROM unnest(%s::text[], %s::uuid[], %s::text[]) "
                    "ON CONFLICT DO NOTHING"
                ).format(t("directive_units")),
                ([m[0] for m in members], [m[1] for m in members], [m[2] for m in members]),
            )
        # In day order, so that writers upserting the same days (a rebuild's processes) lock them
        # in the same order.
        self.petitions.write(c, changes)
        self.candidates.write(c, changes)
        self.filed.write(c, changes)
        if tallies:
            self.tallies.write(c, changes)
        days = day_bounds(
            [*changes.versions, *(row for row, _ in changes.superseded), *changes.petitions]
        )
        if days:
            c.execute(
                sql.SQL(
                    "INSERT INTO {days} SELECT * FROM unnest(%s::date[], %s::bigint[], "
                    "%s::bigint[]) ON CONFLICT (day) DO UPDATE SET "
                    "first_position = LEAST({days}.first_position, excluded.first_position), "
                    "last_position = GREATEST({days}.last_position, excluded.last_position)"
                ).format(days=t("days")),
                ([d[0] for d in days], [d[1] for d in days], [d[2] for d in days]),
            )
        _many(
            c,
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s)").format(t("skipped")),
            [
                storable_row((s.position, s.originator_id, s.originator_version, s.topic, s.reason))
                for s in changes.skipped
            ],
        )

    def drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for name in _TABLES:
                c.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self.table(name)))

    def replace_with(self, fresh: object) -> None:
        """Put a freshly built view's tables in place of this one's, in one transaction."""
        if not isinstance(fresh, PostgresOversightView):
            msg = f"a {type(self).__name__} is replaced by one of its kind, not {fresh!r}"
            raise TypeError(msg)
        schema = sql.Identifier(self.datastore.schema)
        with self.datastore.transaction(commit=True) as c:
            for name in _TABLES:
                c.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self.table(name)))
            for name in _TABLES:
                c.execute(
                    sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                        fresh.table(name), self.ident(name)
                    )
                )
            for name in _INDEXES:
                c.execute(
                    sql.SQL("ALTER INDEX IF EXISTS {}.{} RENAME TO {}").format(
                        schema, fresh.ident(name), self.ident(name)
                    )
                )
            # Listeners read the position again: the new tables' may be behind the old ones'.
            c.execute("SELECT pg_notify(%s, 'replaced')", (self.notify_channel,))

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
                sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY issued_at, reference").format(
                    _COLUMNS, self.table("board"), where
                ),
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
        deadline = sql.Identifier("deadline" if basis == "in_force" else "original_deadline")
        with self.datastore.transaction(commit=False) as c:
            point = self._settle(c, as_of)
            position = point.position
            where, params = _where(point, filters)
            params.update(day=as_of.day, soon=as_of.day + timedelta(due_soon_days))
            c.execute(
                sql.SQL("SELECT count(*) AS n FROM {} WHERE position <= %s").format(
                    self.table("skipped")
                ),
                (position,),
            )
            skipped = c.fetchone()["n"]  # type: ignore[index]
            if self.tallied and tallied(point, filters, due_soon_days):
                rows = figures_on(
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

    def _moved(self, c: Cursor[DictRow], point: Point) -> list[tuple[BoardRow, int]]:
        """For a point inside a day (``Point.day_end``), the versions of the directives written
        between it and the day's end: those true at the end (-1: written between, not replaced
        by the end) and those true at the point (+1: written by it, replaced between), each
        found from a version written between, by position and then by directive (a day's
        versions at most, never the log's)."""
        if point.day_end is None:
            return []
        between = sql.SQL("n.position > %(p)s AND n.position <= %(l)s")
        # The version each one replaced, looked up by its directive one at a time (the LIMIT
        # keeps the planner from joining the whole board instead), and without compiling.
        c.execute("SET LOCAL jit = off")
        c.execute(
            sql.SQL(
                "SELECT {n}, -1 AS sign FROM {board} n WHERE {between} "
                "AND (n.valid_to_position IS NULL OR n.valid_to_position > %(l)s) "
                "UNION ALL SELECT {b}, 1 FROM {board} n CROSS JOIN LATERAL "
                "(SELECT * FROM {board} r WHERE r.directive_id = n.directive_id "
                "AND r.valid_to_position = n.position LIMIT 1) b "
                "WHERE {between} AND b.position <= %(p)s"
            ).format(
                n=_qualified("n"), b=_qualified("b"), board=self.table("board"), between=between
            ),
            {"p": point.position, "l": point.day_end},
        )
        return [(_board_row(r), r["sign"]) for r in c.fetchall()]

    def _counted(
        self,
        c: Cursor[DictRow],
        where: sql.Composable,
        params: dict[str, Any],
        deadline: sql.Identifier,
    ) -> list[DictRow]:
        """The summary's rows counted from the board's versions at the point (``where``)."""
        c.execute(
            sql.SQL(
                """SELECT lead_unit,
                    count(*) FILTER (WHERE done AND (dl IS NULL OR completion_on <= dl)) AS on_time,
                    count(*) FILTER (WHERE done AND completion_on > dl) AS late,
                    count(*) FILTER (WHERE NOT done AND dl >= %(day)s) AS in_progress,
                    count(*) FILTER (WHERE NOT done AND dl >= %(day)s AND dl <= %(soon)s)
                        AS due_soon,
                    count(*) FILTER (WHERE NOT done AND dl < %(day)s) AS overdue,
                    count(*) FILTER (WHERE NOT done AND dl IS NULL) AS no_deadline,
                    COALESCE(sum(%(day)s::date - dl) FILTER (WHERE NOT done AND dl < %(day)s), 0)
                        AS days,
                    count(*) FILTER (WHERE awaits) AS awaiting,
                    count(*) FILTER (WHERE awaits AND dl < %(day)s) AS awaiting_overdue
                    FROM (SELECT lead_unit, {deadline} AS dl, completion_on,
                          status = 'completed' AS done, status = 'completion_reported' AS awaits
                          FROM {board} WHERE {where} AND NOT withdrawn) AS asof
                    GROUP BY lead_unit ORDER BY lead_unit"""
            ).format(deadline=deadline, board=self.table("board"), where=where),
            params,
        )
        return c.fetchall()

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
            params["now"] = end_of_city_day(as_of.day)
            c.execute(
                sql.SQL(
                    """SELECT lead_unit, count(*) AS n,
                    sum(EXTRACT(EPOCH FROM COALESCE(acknowledged_at, %(now)s) - assigned_at))
                        / 3600.0 AS ack_hours,
                    COALESCE(sum(EXTRACT(EPOCH FROM
                        %(now)s - COALESCE(progress_at, acknowledged_at)))
                        FILTER (WHERE status = 'in_progress'), 0) / 86400.0 AS stale_days,
                    count(*) FILTER (WHERE status = 'in_progress') AS stale_n
                    FROM {} WHERE {} AND NOT withdrawn GROUP BY lead_unit ORDER BY lead_unit"""
                ).format(self.table("board"), where),
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
        awaits = sql.SQL(AWAITING.condition)
        with self.datastore.transaction(commit=False) as c:
            point = self._settle(c, as_of)
            if self.walked and walks(point):
                c.execute(
                    sql.SQL(
                        "SELECT min(completion_on) AS first, max(completion_on) AS last "
                        "FROM {} WHERE {}"
                    ).format(self.table("board"), awaits)
                )
                found = c.fetchone()
                assert found is not None  # noqa: S101 - an aggregate has its row
                days = walk_bounds(found["first"], found["last"], None, None)
                rows = self._walk(c, point, filters, AWAITING, days=days, limit=limit)
            else:
                where, params = _where(point, filters)
                params["limit"] = limit
                c.execute(
                    sql.SQL(
                        "SELECT {} FROM {} WHERE {} AND NOT withdrawn AND {} "
                        "ORDER BY {} LIMIT %(limit)s"
                    ).format(_COLUMNS, self.table("board"), where, awaits, sql.SQL(AWAITING_ORDER)),
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
        open_ = sql.SQL(NOT_CLOSED)
        with self.datastore.transaction(commit=False) as c:
            point = self._settle(c, as_of)
            if self.walked and walks(point):
                if soon is None:
                    c.execute(
                        sql.SQL("SELECT min(deadline) AS first FROM {} WHERE {}").format(
                            self.table("board"), open_
                        )
                    )
                    found = c.fetchone()
                    assert found is not None  # noqa: S101 - an aggregate has its row
                    bounds = (found["first"], day - timedelta(1))
                else:
                    bounds = (day, soon)
                days = walk_bounds(*bounds, filters.deadline_from, filters.deadline_to)
                rows = self._walk(c, point, filters, DEADLINES, days=days, limit=limit)
            else:
                where, params = _where(point, filters)
                condition = (
                    "deadline < %(day)s"
                    if soon is None
                    else ("deadline >= %(day)s AND deadline <= %(soon)s")
                )
                c.execute(
                    sql.SQL(
                        "SELECT {} FROM {} WHERE {} AND {} AND {} ORDER BY {} LIMIT %(limit)s"
                    ).format(
                        _COLUMNS,
                        self.table("board"),
                        where,
                        open_,
                        sql.SQL(condition),
                        sql.SQL(DEADLINE_ORDER),
                    ),
                    {**params, "day": day, "soon": soon, "limit": limit},
                )
                rows = [_board_row(r) for r in c.fetchall()]
        return deadline_items(rows, day, overdue=overdue)

    def _walk(
        self,
        c: Cursor[DictRow],
        point: Point,
        filters: Filters,
        walk: Walk,
        *,
        days: tuple[date, date] | None,
        limit: int,
    ) -> list[BoardRow]:
        """The versions true at ``point`` that ``walk`` lists, in its order, the first ``limit``:
        its column's days walked in order, each query one step per day down its index."""
        rows: list[BoardRow] = []
        for chunk in day_chunks(*days) if days is not None else ():
            if len(rows) >= limit:
                break
            c.execute(*self.walk_statement(walk, point, filters, chunk, limit - len(rows)))
            rows.extend(_board_row(r) for r in c.fetchall())
        return rows

    def walk_statement(
        self, walk: Walk, point: Point, filters: Filters, days: list[date], limit: int
    ) -> tuple[sql.Composed, dict[str, Any]]:
        """One query of a walk: ``days``' versions true at ``point``, in the walk's order."""
        where, params = _where(point, filters)
        query = sql.SQL(
            "SELECT {columns} FROM {board} WHERE {column} = ANY(%(days)s) "
            "AND {span} > %(position)s AND {condition} AND {where} ORDER BY {order} LIMIT %(limit)s"
        ).format(
            columns=_COLUMNS,
            board=self.table("board"),
            column=sql.Identifier(walk.column),
            span=sql.SQL(OPEN_SPAN),
            condition=sql.SQL(walk.condition),
            where=where,
            order=sql.SQL(walk.order),
        )
        return query, {**params, "days": days, "limit": limit}

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
                c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                point, position = None, self._max_tracking_id("Thucthi", c) or 0
            else:
                point = self._settle(c, as_of)
                position = point.position
            where, params = _where(point, asked.filters)
            params.update(asked.params)
            source: sql.Composable = self.table("board")
            if query.search:
                words = terms(query.search)
                if not words:
                    return DirectivePage([], 0, position, None)
                source = sql.SQL(
                    "{} JOIN (SELECT directive_id AS match_id, ts_rank(document, q, 1)::float8 "
                    "AS score FROM {}, plainto_tsquery('simple', %(search)s) q "
                    "WHERE document @@ q) matches ON match_id = directive_id"
                ).format(self.table("board"), self.table("search"))
                params["search"] = " ".join(words)
            units = self.table("directive_units")
            conditions: list[sql.Composable] = [
                where,
                *(sql.SQL(condition).format(units=units) for condition in asked.conditions),
            ]
            if counted is not None and counted.position == position:
                total = counted.total
            else:
                c.execute(
                    sql.SQL("SELECT count(*) AS n FROM {} WHERE {}").format(
                        source, sql.SQL(" AND ").join(conditions)
                    ),
                    params,
                )
                total = c.fetchone()["n"]  # type: ignore[index]
            if after is not None:
                condition = after_condition(asked.key, query.descending, _DIALECT, query.sort)
                conditions.append(sql.SQL(condition))
                params.update(after_value=after.value, after_id=after.directive_id)
            order = sql.SQL("DESC" if query.descending else "ASC")
            params["limit"] = limit + 1
            c.execute(
                sql.SQL(
                    "SELECT {columns}, {key} AS sort_key FROM {source} WHERE {where} "
                    "ORDER BY sort_key {order}, directive_id {order} LIMIT %(limit)s"
                ).format(
                    columns=_COLUMNS,
                    key=sql.SQL(asked.key),
                    source=source,
                    where=sql.SQL(" AND ").join(conditions),
                    order=order,
                ),
                params,
            )
            found = c.fetchall()
        rows = [_board_row(r) for r in found[:limit]]
        following = None
        if len(found) > limit:
            value = found[limit - 1]["sort_key"]
            if isinstance(value, date):  # a moment too: days and moments go as ISO text
                value = value.isoformat()
            following = PageKey(value, rows[-1].directive_id)
        return DirectivePage(rows, total, position, following)

    def inbox(self, unit: str) -> list[InboxItem]:
        columns = sql.SQL(", ").join(
            sql.SQL("b.{}").format(sql.Identifier(c.strip())) for c in BOARD_COLUMNS.split(",")
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT m.role AS member_role, {} FROM {} m JOIN {} b "
                    "ON b.directive_id = m.directive_id AND b.valid_to_position IS NULL "
                    "WHERE m.unit = %s AND b.status NOT IN ('completed', 'withdrawn')"
                ).format(columns, self.table("directive_units"), self.table("board")),
                (unit,),
            )
            rows = [(r["member_role"], _board_row(r)) for r in c.fetchall()]
        return inbox_of(unit, rows)

    def directives_of(self, unit: str) -> dict[UUID, str]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT b.directive_id, b.reference FROM {} m JOIN {} b "
                    "ON b.directive_id = m.directive_id AND b.valid_to_position IS NULL "
                    "WHERE m.unit = %s"
                ).format(self.table("directive_units"), self.table("board")),
                (unit,),
            )
            return {r["directive_id"]: r["reference"] for r in c.fetchall()}

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        words = terms(query)
        if not words:
            return []
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT s.directive_id, ts_rank(s.document, q, 1) AS score, "
                    "b.reference, b.title, b.lead_unit "
                    "FROM {} s, plainto_tsquery('simple', %s) q, {} b "
                    "WHERE s.document @@ q AND b.directive_id = s.directive_id "
                    "AND b.valid_to_position IS NULL "
                    "ORDER BY score DESC, b.reference LIMIT %s"
                ).format(self.table("search"), self.table("board")),
                (" ".join(words), limit),
            )
            return [
                SearchHit(
                    directive_id=r["directive_id"],
                    reference=r["reference"],
                    title=r["title"],
                    lead_unit=r["lead_unit"],
                    score=float(r["score"]),
                )
                for r in c.fetchall()
            ]

    def issuers(self) -> list[str]:
        with self.datastore.transaction(commit=False) as c:
            # A directive's issuer never changes: its current version names it.
            c.execute(sql.SQL(ISSUERS).format(board=self.table("board")))
            return [r["issuer"] for r in c.fetchall()]

    def units(self) -> list[UnitRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql.SQL("SELECT * FROM {} ORDER BY code").format(self.table("units")))
            return [
                UnitRow(r["code"], r["name_vi"], r["name_en"], r["parent"], r["active"])
                for r in c.fetchall()
            ]

    def successions(self, as_of: AsOf | None = None) -> list[Succession]:
        with self.datastore.transaction(commit=False) as c:
            if as_of is None:
                return self._successions(c, None)
            point = self._settle(c, as_of)
            return in_effect(self._successions(c, point.position), point)

    def _successions(self, c: Cursor[DictRow], position: int | None) -> list[Succession]:
        c.execute(
            sql.SQL(
                "SELECT * FROM {} WHERE %(p)s::bigint IS NULL OR position <= %(p)s "
                "ORDER BY position"
            ).format(self.table("successions")),
            {"p": position},
        )
        return [
            Succession(r["predecessor"], r["heir"], r["effective_on"], r["position"])
            for r in c.fetchall()
        ]

    def skipped(self) -> list[SkippedEvent]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql.SQL("SELECT * FROM {} ORDER BY position").format(self.table("skipped")))
            return [
                SkippedEvent(
                    r["position"], r["originator_id"], r["originator_version"], r["topic"],
                    r["reason"],
                )
                for r in c.fetchall()
            ]  # fmt: skip

    def _settle(self, c: Cursor[DictRow], as_of: AsOf) -> Point:
        """``as_of`` settled, as the first statements of a read transaction: the rest of it sees
        the same snapshot, so that nothing recorded after the point was settled shows."""
        c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        tracked = self._max_tracking_id("Thucthi", c) or 0
        c.execute(
            sql.SQL(
                "SELECT (SELECT max(last_position) FROM {days} WHERE day <= %(day)s) AS last, "
                "(SELECT min(first_position) FROM {days} WHERE day > %(day)s) AS first"
            ).format(days=self.table("days")),
            {"day": as_of.day},
        )
        found = c.fetchone() or {}  # one row, whatever the table holds
        return settle(as_of, tracked, found.get("last"), found.get("first"))


_DIALECT = Dialect(
    mark=lambda name: f"%({name})s",
    coordinating="{unit} = ANY(coordinators)",
    last_day="DATE '9999-12-31'",
    value=lambda value: value,
    key_types={"issued": "timestamptz", "deadline": "date", "relevance": "float8"},
)


def _many(c: Cursor[DictRow], statement: sql.Composed, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        c.executemany(statement, rows)


def _qualified(alias: str) -> sql.Composable:
    """The board's columns (``BOARD_COLUMNS``) of the table named ``alias`` in a join."""
    return sql.SQL(", ").join(
        sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(name.strip()))
        for name in BOARD_COLUMNS.split(",")
    )


def _where(point: Point | None, filters: Filters) -> tuple[sql.Composable, dict[str, Any]]:
    """The rows true at a settled point of view (None: the rows as they are), narrowed by the
    filters: each directive's last version at or before the position that was recorded by the
    end of the day (``AsOf``), by the condition the point says suffices."""
    clause, params = postgres_clause(point, bounded=True)
    clauses: list[sql.Composable] = [clause]
    for column, value in (
        ("lead_unit", filters.unit),
        ("issuer", filters.issuer),
        ("urgency", filters.urgency),
    ):
        if value is not None:
            clauses.append(
                sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
            )
            params[column] = value
    for column, bound, op, name in (
        ("issued_on", filters.issued_from, ">=", "issued_from"),
        ("issued_on", filters.issued_to, "<=", "issued_to"),
        ("deadline", filters.deadline_from, ">=", "deadline_from"),
        ("deadline", filters.deadline_to, "<=", "deadline_to"),
    ):
        if bound is not None:
            clauses.append(
                sql.SQL("{} {} {}").format(
                    sql.Identifier(column), sql.SQL(op), sql.Placeholder(name)
                )
            )
            params[name] = bound
    return sql.SQL(" AND ").join(clauses), params


_BOARD_DDL = """
    directive_id uuid NOT NULL, version integer NOT NULL,
    position bigint NOT NULL, recorded_at timestamptz NOT NULL,
    valid_to_position bigint, valid_to_time timestamptz,
    reference text NOT NULL, title text NOT NULL, lead_unit text NOT NULL,
    coordinators text[] NOT NULL, issuer text NOT NULL, urgency text NOT NULL,
    issued_on date NOT NULL, issued_at timestamptz NOT NULL,
    assigned_at timestamptz NOT NULL, original_deadline date, deadline date,
    extensions_granted integer NOT NULL, extension_pending boolean NOT NULL,
    percent integer NOT NULL, progress_at timestamptz, acknowledged_at timestamptz,
    completion_reported_at timestamptz, completion_on date, accepted_at timestamptz,
    status text NOT NULL, withdrawn boolean NOT NULL,
    open_explanations integer NOT NULL, reminders integer NOT NULL,
    returns integer NOT NULL, contributed text[] NOT NULL"""
# The columns' types, in order: what binary COPY sends.
_BOARD_TYPES = tuple(column.split()[1] for column in _BOARD_DDL.split(","))


def _board_params(row: BoardRow, successor: BoardRow | None) -> tuple[Any, ...]:
    """A board version as a COPY row, of the types ``_BOARD_TYPES``."""
    return (
        row.directive_id,
        row.version,
        row.position,
        row.recorded_at,
        successor.position if successor else None,
        successor.recorded_at if successor else None,
        storable(row.reference),
        storable(row.title),
        storable(row.lead_unit),
        list(storable_texts(row.coordinators)),
        storable(row.issuer),
        storable(row.urgency),
        row.issued_on,
        row.issued_at,
        row.assigned_at,
        row.original_deadline,
        row.deadline,
        row.extensions_granted,
        row.extension_pending,
        row.percent,
        row.progress_at,
        row.acknowledged_at,
        row.completion_reported_at,
        row.completion_on,
        row.accepted_at,
        storable(row.status),
        row.withdrawn,
        row.open_explanations,
        row.reminders,
        row.returns,
        list(storable_texts(row.contributed)),
    )


_BOARD_NAMES = tuple(name.strip() for name in BOARD_COLUMNS.split(","))


def _board_row(r: DictRow) -> BoardRow:
    values = {name: r[name] for name in _BOARD_NAMES}
    values["coordinators"] = tuple(values["coordinators"])
    values["contributed"] = tuple(values["contributed"])
    return BoardRow(**values)
