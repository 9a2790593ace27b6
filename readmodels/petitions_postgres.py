"""The petitions' read models on PostgreSQL: their table in the oversight view, the projection's
writes (in the view's transaction, with its tracking position) and the queries.

Part of ``PostgresOversightView``, as ``readmodels.petitions_sqlite`` is of the SQLite one, with
the same table and meaning in native types (uuid, date, timestamptz). SQL is composed with
``psycopg.sql``, so table names are always quoted identifiers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from readmodels.changes import Changes
from readmodels.model import AsOf
from readmodels.petitions import (
    DEFAULT_DUE_SOON_DAYS,
    FIGURES,
    NO_PETITION_FILTERS,
    OPEN_STATUSES,
    OVERDUE_DAYS_WHEN,
    UNCLASSIFIED,
    CalendarChange,
    Counted,
    LinkRow,
    ListCursor,
    ListFilters,
    PetitionFilters,
    PetitionItem,
    PetitionPage,
    PetitionRow,
    PetitionSummary,
    add_matters,
    calendar_of,
    item_of,
    summary_of,
    timing_bounds,
    with_successors,
)
from readmodels.points import postgres_clause
from readmodels.queries import Point
from readmodels.text import storable

TABLES = ("petitions", "calendar", "petition_links")
INDEXES = (
    "petition_links_earlier",
    "petition_links_pkey",
    "petitions_current",
    "petitions_time",
    "petitions_position",
    "petitions_queue",
    "petitions_list",
    "petitions_agency_list",
    "petitions_pkey",
    "calendar_pkey",
)
_NAMES = tuple(f.name for f in fields(PetitionRow))
COLUMNS = sql.SQL(", ").join(sql.Identifier(n) for n in _NAMES)
_OPEN = sql.SQL("status IN ({})").format(sql.SQL(", ").join(sql.Literal(s) for s in OPEN_STATUSES))


def _dialect(condition: str) -> sql.Composable:
    """A figure's condition (``readmodels.petitions.FIGURES``) with psycopg's placeholders."""
    return sql.SQL(condition.replace(":day", "%(day)s").replace(":soon", "%(soon)s"))


_COUNTS = sql.SQL(", ").join(
    sql.SQL("count(*) FILTER (WHERE {}) AS {}").format(_dialect(when), sql.Identifier(name))
    for name, when in FIGURES.items()
)
DDL = """
    petition_id uuid NOT NULL, stint integer NOT NULL, position bigint NOT NULL,
    recorded_at timestamptz NOT NULL, version integer NOT NULL, receipt text NOT NULL,
    agency text NOT NULL, channel text NOT NULL, kind text, field text, competence text,
    several_places boolean NOT NULL, status text NOT NULL, transferred_to text,
    received_on date NOT NULL, arrived_on date NOT NULL, accepted_on date, decided_on date,
    handler text, term text, due date, handling_due date, extensions integer NOT NULL,
    suspended_since date, suspended_days integer NOT NULL, verifications integer NOT NULL,
    dialogues integer NOT NULL, resolved_on date, closed_on date, verdict text,
    published_on date, signers integer NOT NULL, anonymous boolean NOT NULL, relation text,
    follows uuid,
    valid_to_position bigint, valid_to_time timestamptz"""
# The columns' types, in order: what binary COPY sends.
TYPES = tuple(column.split()[1] for column in DDL.split(","))

Settle = Callable[[Cursor[DictRow], AsOf], Point]


class PostgresPetitions:
    """The table ``{prefix}_petitions``: one row per version of a petition's stint."""

    def __init__(
        self,
        datastore: PostgresDatastore,
        table: Callable[[str], sql.Composed],
        ident: Callable[[str], sql.Identifier],
        settle: Settle,
    ) -> None:
        self.datastore, self.table, self.ident, self.settle = datastore, table, ident, settle

    # --- schema --------------------------------------------------------------------------------

    def create_statements(self) -> list[sql.Composed]:
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (" + DDL + ", CONSTRAINT {} PRIMARY KEY "
                "(petition_id, stint, position))"
            ).format(self.table("petitions"), self.ident("petitions_pkey")),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (position bigint, recorded_at timestamptz NOT NULL, "
                "day_off date NOT NULL, make_up_day date, withdrawn boolean NOT NULL, "
                "CONSTRAINT {} PRIMARY KEY (position))"
            ).format(self.table("calendar"), self.ident("calendar_pkey")),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (later text NOT NULL, earlier text NOT NULL, "
                "position bigint NOT NULL, recorded_at timestamptz NOT NULL, "
                "valid_to_position bigint, valid_to_time timestamptz, "
                "CONSTRAINT {} PRIMARY KEY (later, earlier, position))"
            ).format(self.table("petition_links"), self.ident("petition_links_pkey")),
        ]

    def index_statements(self) -> list[sql.Composed]:
        t, i = self.table("petitions"), self.ident
        return [
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (petition_id) WHERE valid_to_position IS NULL"
            ).format(i("petitions_current"), t),
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (recorded_at, valid_to_time)").format(
                i("petitions_time"), t
            ),
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (position, valid_to_position)").format(
                i("petitions_position"), t
            ),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (agency, due, receipt) "
                "WHERE valid_to_position IS NULL AND {}"
            ).format(i("petitions_queue"), t, _OPEN),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (arrived_on, receipt) "
                "WHERE valid_to_position IS NULL AND transferred_to IS NULL"
            ).format(i("petitions_list"), t),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (agency, arrived_on, receipt) "
                "WHERE valid_to_position IS NULL"
            ).format(i("petitions_agency_list"), t),
            sql.SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (earlier) WHERE valid_to_position IS NULL"
            ).format(i("petition_links_earlier"), self.table("petition_links")),
        ]

    # --- writes --------------------------------------------------------------------------------

    def current(self, petition_ids: list[UUID]) -> dict[UUID, PetitionRow]:
        """Each petition's current row at the agency that holds it (its last stint), looked up
        by the primary key one petition at a time (``PostgresOversightView.current_rows``)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT p.* FROM unnest(%s::uuid[]) AS w(id) CROSS JOIN LATERAL ("
                    "SELECT {} FROM {} WHERE petition_id = w.id AND valid_to_position IS NULL"
                    " ORDER BY stint DESC LIMIT 1) p"
                ).format(COLUMNS, self.table("petitions")),
                (petition_ids,),
            )
            return {r["petition_id"]: _row(r) for r in c.fetchall()}

    def open_rows(self) -> list[PetitionRow]:
        """Every open stint's current row: what a change of the calendar counts again."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL("SELECT {} FROM {} WHERE valid_to_position IS NULL AND {}").format(
                    COLUMNS, self.table("petitions"), _OPEN
                )
            )
            return [_row(r) for r in c.fetchall()]

    def calendar_changes(self) -> list[CalendarChange]:
        """The changes to the working days the view holds, in log order."""
        with self.datastore.transaction(commit=False) as c:
            return self._changes(c, None)

    def calendar(self, as_of: AsOf | None = None) -> Counted:
        with self.datastore.transaction(commit=False) as c:
            return calendar_of(self._changes(c, None if as_of is None else self.settle(c, as_of)))

    def _changes(self, c: Cursor[DictRow], point: Point | None) -> list[CalendarChange]:
        where = sql.SQL(
            "" if point is None else "WHERE position <= %(position)s AND recorded_at <= %(t)s"
        )
        _, params = postgres_clause(point)
        c.execute(
            sql.SQL("SELECT * FROM {} {} ORDER BY position").format(self.table("calendar"), where),
            params,
        )
        return [
            CalendarChange(
                r["position"], r["recorded_at"], r["day_off"], r["make_up_day"], r["withdrawn"]
            )
            for r in c.fetchall()
        ]

    def write(self, c: Cursor[DictRow], changes: Changes) -> None:
        """The batch's petition rows and changes of the calendar, in the view's transaction."""
        if changes.calendar:
            c.executemany(
                sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s)").format(
                    self.table("calendar")
                ),
                [
                    (k.position, k.recorded_at, k.day_off, k.make_up_day, k.withdrawn)
                    for k in changes.calendar
                ],
            )
        closes = changes.petition_closes
        if closes:
            c.execute(
                sql.SQL(
                    "UPDATE {} p SET valid_to_position = v.p, valid_to_time = v.t FROM "
                    "unnest(%s::uuid[], %s::integer[], %s::bigint[], %s::timestamptz[]) "
                    "AS v(id, s, p, t) WHERE p.petition_id = v.id AND p.stint = v.s "
                    "AND p.valid_to_position IS NULL"
                ).format(self.table("petitions")),
                (
                    [k[0] for k in closes],
                    [k[1] for k in closes],
                    [r.position for r in closes.values()],
                    [r.recorded_at for r in closes.values()],
                ),
            )
        if changes.petitions:
            statement = sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(
                self.table("petitions")
            )
            with c.copy(statement) as copy:
                copy.set_types(TYPES)
                for row, successor in with_successors(changes.petitions):
                    copy.write_row(_params(row, successor))
        links = self.table("petition_links")
        if changes.link_closes:
            c.executemany(
                sql.SQL(
                    "UPDATE {} SET valid_to_position = %s, valid_to_time = %s "
                    "WHERE later = %s AND earlier = %s AND valid_to_position IS NULL"
                ).format(links),
                [
                    (position, at, storable(later), storable(earlier))
                    for (later, earlier), (position, at) in changes.link_closes.items()
                ],
            )
        if changes.links:
            c.executemany(
                sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s)").format(links),
                [
                    (storable(k.later), storable(k.earlier), k.position, k.recorded_at,
                     k.undone_position, k.undone_at)
                    for k in changes.links
                ],
            )  # fmt: skip

    # --- queries -------------------------------------------------------------------------------

    def summary(
        self,
        as_of: AsOf,
        filters: PetitionFilters = NO_PETITION_FILTERS,
        *,
        due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    ) -> PetitionSummary:
        with self.datastore.transaction(commit=False) as c:
            point = self.settle(c, as_of)
            calendar = calendar_of(self._changes(c, point))
            day, soon = timing_bounds(as_of.day, due_soon_days, calendar)
            where, params = _where(point, filters)
            params.update(day=day, soon=soon)
            c.execute(
                sql.SQL(
                    "SELECT agency, stint = 0 AS first, {counts}, COALESCE(sum(%(day)s::date - due)"
                    " FILTER (WHERE {overdue}), 0) AS days_overdue_total FROM {table} WHERE {where}"
                    " GROUP BY agency, first"
                ).format(
                    counts=_COUNTS,
                    overdue=_dialect(OVERDUE_DAYS_WHEN),
                    table=self.table("petitions"),
                    where=where,
                ),
                params,
            )
            summary = summary_of(c.fetchall(), as_of, point.position, due_soon_days)
            links = self._links(c, point)
            clause, params = postgres_clause(point)
            linked = self.table("petition_links")
            c.execute(
                sql.SQL(
                    "SELECT {columns} FROM {table} WHERE {clause} AND receipt IN "
                    "(SELECT later FROM {linked} WHERE {clause} "
                    "UNION SELECT earlier FROM {linked} WHERE {clause})"
                ).format(
                    columns=COLUMNS,
                    table=self.table("petitions"),
                    clause=clause,
                    linked=linked,
                ),
                params,
            )
            rows = [_row(r) for r in c.fetchall()]
        add_matters(summary, rows, [(k.later, k.earlier) for k in links], filters)
        return summary

    def links(self, as_of: AsOf | None = None) -> list[LinkRow]:
        with self.datastore.transaction(commit=False) as c:
            return self._links(c, None if as_of is None else self.settle(c, as_of))

    def _links(self, c: Cursor[DictRow], point: Point | None) -> list[LinkRow]:
        clause, params = postgres_clause(point)
        c.execute(
            sql.SQL("SELECT * FROM {} WHERE {} ORDER BY later, earlier, position").format(
                self.table("petition_links"), clause
            ),
            params,
        )
        return [
            LinkRow(
                r["later"],
                r["earlier"],
                r["position"],
                r["recorded_at"],
                r["valid_to_position"],
                r["valid_to_time"],
            )
            for r in c.fetchall()
        ]

    def matter(self, receipt: str) -> tuple[str, ...]:
        found, pending = {receipt}, [receipt]
        with self.datastore.transaction(commit=False) as c:
            while pending:
                frontier, pending = pending[:1000], pending[1000:]
                c.execute(
                    sql.SQL(
                        "SELECT later, earlier FROM {} WHERE valid_to_position IS NULL "
                        "AND (later = ANY(%(codes)s) OR earlier = ANY(%(codes)s))"
                    ).format(self.table("petition_links")),
                    {"codes": frontier},
                )
                reached = {r[k] for r in c.fetchall() for k in ("later", "earlier")} - found
                found |= reached
                pending += sorted(reached)
        return tuple(sorted(found))

    def oldest_open(
        self, as_of: AsOf, filters: PetitionFilters = NO_PETITION_FILTERS, limit: int = 10
    ) -> list[PetitionItem]:
        with self.datastore.transaction(commit=False) as c:
            where, params = _where(self.settle(c, as_of), filters)
            params["limit"] = limit
            c.execute(
                sql.SQL(
                    "SELECT {} FROM {} WHERE {} AND {} ORDER BY arrived_on, receipt LIMIT %(limit)s"
                ).format(COLUMNS, self.table("petitions"), where, _OPEN),
                params,
            )
            rows = [_row(r) for r in c.fetchall()]
        return [item_of(r, as_of.day) for r in rows]

    def rows(self, as_of: AsOf | None = None) -> list[PetitionRow]:
        with self.datastore.transaction(commit=False) as c:
            clause, params = postgres_clause(None if as_of is None else self.settle(c, as_of))
            c.execute(
                sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY receipt, stint").format(
                    COLUMNS, self.table("petitions"), clause
                ),
                params,
            )
            return [_row(r) for r in c.fetchall()]

    def page(
        self, filters: ListFilters, today: date, after: ListCursor | None = None, limit: int = 50
    ) -> PetitionPage:
        clauses: list[sql.Composable] = [sql.SQL("valid_to_position IS NULL")]
        params: dict[str, Any] = {"today": today, "limit": limit + 1}
        if filters.agency is None:
            clauses.append(sql.SQL("transferred_to IS NULL"))
        else:
            clauses.append(sql.SQL("agency = %(agency)s"))
            params["agency"] = filters.agency
        _narrow(clauses, params, filters)
        if after is not None:
            clauses.append(sql.SQL("(arrived_on, receipt) < (%(after_day)s, %(after_receipt)s)"))
            params.update(after_day=after.arrived_on, after_receipt=after.receipt)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT {} FROM {} WHERE {} ORDER BY arrived_on DESC, receipt DESC "
                    "LIMIT %(limit)s"
                ).format(COLUMNS, self.table("petitions"), sql.SQL(" AND ").join(clauses)),
                params,
            )
            rows = [_row(r) for r in c.fetchall()]
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1] if more else None
        return PetitionPage(
            [item_of(r, today) for r in rows],
            None if last is None else ListCursor(last.arrived_on, last.receipt),
        )

    def queue(self, agency: str, today: date, handler: str | None = None) -> list[PetitionItem]:
        clauses: list[sql.Composable] = [
            sql.SQL("valid_to_position IS NULL"),
            sql.SQL("agency = %(agency)s"),
            _OPEN,
        ]
        params: dict[str, Any] = {"agency": agency}
        if handler is not None:
            clauses.append(sql.SQL("handler = %(handler)s"))
            params["handler"] = handler
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY due IS NULL, due, receipt").format(
                    COLUMNS, self.table("petitions"), sql.SQL(" AND ").join(clauses)
                ),
                params,
            )
            rows = [_row(r) for r in c.fetchall()]
        return [item_of(r, today) for r in rows]


def _where(point: Point, filters: PetitionFilters) -> tuple[sql.Composable, dict[str, Any]]:
    clause, params = postgres_clause(point)
    clauses: list[sql.Composable] = [clause]
    if filters.agency is not None:
        clauses.append(sql.SQL("agency = %(agency)s"))
        params["agency"] = filters.agency
    if filters.kind is not None:
        clauses.append(
            sql.SQL("kind IS NULL" if filters.kind == UNCLASSIFIED else "kind = %(kind)s")
        )
        params["kind"] = filters.kind
    if filters.received_from is not None:
        clauses.append(sql.SQL("arrived_on >= %(received_from)s"))
        params["received_from"] = filters.received_from
    if filters.received_to is not None:
        clauses.append(sql.SQL("arrived_on <= %(received_to)s"))
        params["received_to"] = filters.received_to
    return sql.SQL(" AND ").join(clauses), params


def _narrow(clauses: list[sql.Composable], params: dict[str, Any], filters: ListFilters) -> None:
    if filters.kind is not None:
        clauses.append(
            sql.SQL("kind IS NULL" if filters.kind == UNCLASSIFIED else "kind = %(kind)s")
        )
        params["kind"] = filters.kind
    if filters.status is not None:
        clauses.append(sql.SQL("status = %(status)s"))
        params["status"] = filters.status
    if filters.handler is not None:
        clauses.append(sql.SQL("handler = %(handler)s"))
        params["handler"] = filters.handler
    if filters.overdue is not None:
        late = sql.SQL("({} AND due < %(today)s)").format(_OPEN)
        clauses.append(late if filters.overdue else sql.SQL("NOT {}").format(late))


def _params(row: PetitionRow, successor: PetitionRow | None) -> tuple[Any, ...]:
    """A version as a COPY row, of the types ``TYPES``."""
    return (
        row.petition_id,
        row.stint,
        row.position,
        row.recorded_at,
        row.version,
        storable(row.receipt),
        storable(row.agency),
        storable(row.channel),
        _text(row.kind),
        _text(row.field),
        _text(row.competence),
        row.several_places,
        storable(row.status),
        _text(row.transferred_to),
        row.received_on,
        row.arrived_on,
        row.accepted_on,
        row.decided_on,
        _text(row.handler),
        _text(row.term),
        row.due,
        row.handling_due,
        row.extensions,
        row.suspended_since,
        row.suspended_days,
        row.verifications,
        row.dialogues,
        row.resolved_on,
        row.closed_on,
        _text(row.verdict),
        row.published_on,
        row.signers,
        row.anonymous,
        _text(row.relation),
        row.follows,
        None if successor is None else successor.position,
        None if successor is None else successor.recorded_at,
    )


def _row(r: DictRow) -> PetitionRow:
    return PetitionRow(**{name: r[name] for name in _NAMES})


def _text(value: str | None) -> str | None:
    return None if value is None else storable(value)
