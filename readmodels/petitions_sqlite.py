"""The petitions' read models on SQLite: their table in the oversight view, the projection's
writes (in the view's transaction, with its tracking position) and the queries.

Part of ``SQLiteOversightView``, which creates, writes, rebuilds and swaps this table with the
board's, and settles every point of view the same way (``{prefix}_days``). Days are ISO text and
moments fixed-width UTC text (``readmodels.points.ts``), so text order is time order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

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
from readmodels.points import sqlite_clause, ts
from readmodels.queries import Point
from readmodels.text import storable

TABLES = ("petitions", "calendar", "petition_links")
INDEXES = (
    "petition_links_earlier",
    "petitions_current",
    "petitions_time",
    "petitions_position",
    "petitions_queue",
    "petitions_list",
    "petitions_agency_list",
)
COLUMNS = ", ".join(f.name for f in fields(PetitionRow))
_WIDTH = len(fields(PetitionRow)) + 2  # and the valid_to position and time
_OPEN = "status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
_COUNTS = ", ".join(f"count(*) FILTER (WHERE {when}) AS {name}" for name, when in FIGURES.items())

Settle = Callable[[SQLiteCursor, AsOf], Point]


class SQLitePetitions:
    """The table ``{prefix}_petitions``: one row per version of a petition's stint."""

    def __init__(
        self, datastore: SQLiteDatastore, table: Callable[[str], str], settle: Settle
    ) -> None:
        """``table(name)``: the view's table of that name; ``settle``: the view's point of view
        settled in a read transaction."""
        self.datastore, self.table, self.settle = datastore, table, settle

    # --- schema --------------------------------------------------------------------------------

    def create_statements(self) -> list[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {self.table("petitions")} (
                petition_id TEXT NOT NULL, stint INTEGER NOT NULL, position INTEGER NOT NULL,
                recorded_at TEXT NOT NULL, version INTEGER NOT NULL, receipt TEXT NOT NULL,
                agency TEXT NOT NULL, channel TEXT NOT NULL, kind TEXT, field TEXT,
                competence TEXT, several_places INTEGER NOT NULL, status TEXT NOT NULL,
                transferred_to TEXT, received_on TEXT NOT NULL, arrived_on TEXT NOT NULL,
                accepted_on TEXT, decided_on TEXT, handler TEXT, term TEXT, due TEXT,
                handling_due TEXT, extensions INTEGER NOT NULL, suspended_since TEXT,
                suspended_days INTEGER NOT NULL, verifications INTEGER NOT NULL,
                dialogues INTEGER NOT NULL, resolved_on TEXT, closed_on TEXT, verdict TEXT,
                published_on TEXT, signers INTEGER NOT NULL, anonymous INTEGER NOT NULL,
                relation TEXT, follows TEXT,
                valid_to_position INTEGER, valid_to_time TEXT,
                PRIMARY KEY (petition_id, stint, position))""",
            f"""CREATE TABLE IF NOT EXISTS {self.table("calendar")} (
                position INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, day_off TEXT NOT NULL,
                make_up_day TEXT, withdrawn INTEGER NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {self.table("petition_links")} (
                later TEXT NOT NULL, earlier TEXT NOT NULL, position INTEGER NOT NULL,
                recorded_at TEXT NOT NULL, valid_to_position INTEGER, valid_to_time TEXT,
                PRIMARY KEY (later, earlier, position)) WITHOUT ROWID""",
        ]

    def index_statements(self) -> list[str]:
        t = self.table
        return [
            f"CREATE INDEX IF NOT EXISTS {t('petitions_current')} ON {t('petitions')} "
            "(petition_id) WHERE valid_to_position IS NULL",
            f"CREATE INDEX IF NOT EXISTS {t('petitions_time')} ON {t('petitions')} "
            "(recorded_at, valid_to_time)",
            f"CREATE INDEX IF NOT EXISTS {t('petitions_position')} ON {t('petitions')} "
            "(position, valid_to_position)",
            f"CREATE INDEX IF NOT EXISTS {t('petitions_queue')} ON {t('petitions')} "
            f"(agency, due, receipt) WHERE valid_to_position IS NULL AND {_OPEN}",
            f"CREATE INDEX IF NOT EXISTS {t('petitions_list')} ON {t('petitions')} "
            "(arrived_on, receipt) WHERE valid_to_position IS NULL AND transferred_to IS NULL",
            f"CREATE INDEX IF NOT EXISTS {t('petitions_agency_list')} ON {t('petitions')} "
            "(agency, arrived_on, receipt) WHERE valid_to_position IS NULL",
            f"CREATE INDEX IF NOT EXISTS {t('petition_links_earlier')} ON {t('petition_links')} "
            "(earlier) WHERE valid_to_position IS NULL",
        ]

    # --- writes --------------------------------------------------------------------------------

    def current(self, petition_ids: list[UUID]) -> dict[UUID, PetitionRow]:
        """Each petition's current row at the agency that holds it (its last stint)."""
        found: dict[UUID, PetitionRow] = {}
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(petition_ids), 500):
                chunk = [str(i) for i in petition_ids[start : start + 500]]
                c.execute(
                    f"SELECT {COLUMNS} FROM {self.table('petitions')} "
                    f"WHERE valid_to_position IS NULL AND petition_id IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                )
                for r in c.fetchall():
                    row = _row(r)
                    held = found.get(row.petition_id)
                    if held is None or held.stint < row.stint:
                        found[row.petition_id] = row
        return found

    def open_rows(self) -> list[PetitionRow]:
        """Every open stint's current row: what a change of the calendar counts again."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT {COLUMNS} FROM {self.table('petitions')} "
                f"WHERE valid_to_position IS NULL AND {_OPEN}"
            )
            return [_row(r) for r in c.fetchall()]

    def calendar_changes(self) -> list[CalendarChange]:
        """The changes to the working days the view holds, in log order."""
        with self.datastore.transaction(commit=False) as c:
            return self._changes(c, None)

    def calendar(self, as_of: AsOf | None = None) -> Counted:
        with self.datastore.transaction(commit=False) as c:
            return calendar_of(self._changes(c, None if as_of is None else self.settle(c, as_of)))

    def _changes(self, c: SQLiteCursor, point: Point | None) -> list[CalendarChange]:
        where = "" if point is None else "WHERE position <= :position AND recorded_at <= :t"
        _, params = sqlite_clause(point)
        c.execute(
            f"SELECT * FROM {self.table('calendar')} {where} ORDER BY position",
            params,
        )
        return [
            CalendarChange(
                r["position"],
                datetime.fromisoformat(r["recorded_at"]),
                date.fromisoformat(r["day_off"]),
                _day(r["make_up_day"]),
                bool(r["withdrawn"]),
            )
            for r in c.fetchall()
        ]

    def write(self, c: SQLiteCursor, changes: Changes) -> None:
        """The batch's petition rows and changes of the calendar, in the view's transaction."""
        c.executemany(
            f"INSERT INTO {self.table('calendar')} VALUES (?, ?, ?, ?, ?)",
            [
                (k.position, ts(k.recorded_at), k.day_off.isoformat(), _iso(k.make_up_day),
                 k.withdrawn)
                for k in changes.calendar
            ],
        )  # fmt: skip
        closes = changes.petition_closes
        if closes:
            c.executemany(
                f"UPDATE {self.table('petitions')} SET valid_to_position = ?, valid_to_time = ? "
                "WHERE petition_id = ? AND stint = ? AND valid_to_position IS NULL",
                [(r.position, ts(r.recorded_at), str(k[0]), k[1]) for k, r in closes.items()],
            )
        if changes.petitions:
            c.executemany(
                f"INSERT INTO {self.table('petitions')} VALUES ({','.join('?' * _WIDTH)})",
                [_params(r, nxt) for r, nxt in with_successors(changes.petitions)],
            )
        links = self.table("petition_links")
        c.executemany(
            f"UPDATE {links} SET valid_to_position = ?, valid_to_time = ? "
            "WHERE later = ? AND earlier = ? AND valid_to_position IS NULL",
            [
                (position, ts(at), storable(later), storable(earlier))
                for (later, earlier), (position, at) in changes.link_closes.items()
            ],
        )
        c.executemany(
            f"INSERT INTO {links} VALUES (?, ?, ?, ?, ?, ?)",
            [
                (storable(k.later), storable(k.earlier), k.position, ts(k.recorded_at),
                 k.undone_position, None if k.undone_at is None else ts(k.undone_at))
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
            params.update(day=day.isoformat(), soon=soon.isoformat())
            c.execute(
                f"SELECT agency, stint = 0 AS first, {_COUNTS}, "
                f"COALESCE(sum(CAST(julianday(:day) - julianday(due) AS INTEGER)) "
                f"FILTER (WHERE {OVERDUE_DAYS_WHEN}), 0) AS days_overdue_total "
                f"FROM {self.table('petitions')} WHERE {where} GROUP BY agency, first",
                params,
            )
            summary = summary_of(c.fetchall(), as_of, point.position, due_soon_days)
            links = self._links(c, point)
            clause, params = sqlite_clause(point)
            linked = self.table("petition_links")
            c.execute(
                f"SELECT {COLUMNS} FROM {self.table('petitions')} WHERE {clause} AND receipt IN "
                f"(SELECT later FROM {linked} WHERE {clause} "
                f"UNION SELECT earlier FROM {linked} WHERE {clause})",
                params,
            )
            rows = [_row(r) for r in c.fetchall()]
        add_matters(summary, rows, [(k.later, k.earlier) for k in links], filters)
        return summary

    def links(self, as_of: AsOf | None = None) -> list[LinkRow]:
        with self.datastore.transaction(commit=False) as c:
            return self._links(c, None if as_of is None else self.settle(c, as_of))

    def _links(self, c: SQLiteCursor, point: Point | None) -> list[LinkRow]:
        clause, params = sqlite_clause(point)
        c.execute(
            f"SELECT * FROM {self.table('petition_links')} WHERE {clause} "
            "ORDER BY later, earlier, position",
            params,
        )
        return [
            LinkRow(
                r["later"],
                r["earlier"],
                r["position"],
                datetime.fromisoformat(r["recorded_at"]),
                r["valid_to_position"],
                _moment(r["valid_to_time"]),
            )
            for r in c.fetchall()
        ]

    def matter(self, receipt: str) -> tuple[str, ...]:
        found, pending = {receipt}, [receipt]
        with self.datastore.transaction(commit=False) as c:
            while pending:
                frontier, pending = pending[:400], pending[400:]
                marks = ",".join("?" * len(frontier))
                c.execute(
                    f"SELECT later, earlier FROM {self.table('petition_links')} "
                    f"WHERE valid_to_position IS NULL AND (later IN ({marks}) "
                    f"OR earlier IN ({marks}))",
                    [*frontier, *frontier],
                )
                reached = {code for r in c.fetchall() for code in (r[0], r[1])} - found
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
                f"SELECT {COLUMNS} FROM {self.table('petitions')} WHERE {where} AND {_OPEN} "
                "ORDER BY arrived_on, receipt LIMIT :limit",
                params,
            )
            rows = [_row(r) for r in c.fetchall()]
        return [item_of(r, as_of.day) for r in rows]

    def rows(self, as_of: AsOf | None = None) -> list[PetitionRow]:
        with self.datastore.transaction(commit=False) as c:
            clause, params = sqlite_clause(None if as_of is None else self.settle(c, as_of))
            c.execute(
                f"SELECT {COLUMNS} FROM {self.table('petitions')} WHERE {clause} "
                "ORDER BY receipt, stint",
                params,
            )
            return [_row(r) for r in c.fetchall()]

    def page(
        self, filters: ListFilters, today: date, after: ListCursor | None = None, limit: int = 50
    ) -> PetitionPage:
        clauses = ["valid_to_position IS NULL"]
        params: dict[str, Any] = {"today": today.isoformat(), "limit": limit + 1}
        if filters.agency is None:
            clauses.append("transferred_to IS NULL")
        else:
            clauses.append("agency = :agency")
            params["agency"] = filters.agency
        _narrow(clauses, params, filters)
        if after is not None:
            clauses.append("(arrived_on, receipt) < (:after_day, :after_receipt)")
            params.update(after_day=after.arrived_on.isoformat(), after_receipt=after.receipt)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT {COLUMNS} FROM {self.table('petitions')} WHERE {' AND '.join(clauses)} "
                "ORDER BY arrived_on DESC, receipt DESC LIMIT :limit",
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
        clauses = ["valid_to_position IS NULL", "agency = :agency", _OPEN]
        params: dict[str, Any] = {"agency": agency}
        if handler is not None:
            clauses.append("handler = :handler")
            params["handler"] = handler
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT {COLUMNS} FROM {self.table('petitions')} WHERE {' AND '.join(clauses)} "
                "ORDER BY due IS NULL, due, receipt",
                params,
            )
            rows = [_row(r) for r in c.fetchall()]
        return [item_of(r, today) for r in rows]


def _where(point: Point, filters: PetitionFilters) -> tuple[str, dict[str, Any]]:
    clause, params = sqlite_clause(point)
    clauses = [clause]
    if filters.agency is not None:
        clauses.append("agency = :agency")
        params["agency"] = filters.agency
    if filters.kind is not None:
        clauses.append("kind IS NULL" if filters.kind == UNCLASSIFIED else "kind = :kind")
        params["kind"] = filters.kind
    if filters.received_from is not None:
        clauses.append("arrived_on >= :received_from")
        params["received_from"] = filters.received_from.isoformat()
    if filters.received_to is not None:
        clauses.append("arrived_on <= :received_to")
        params["received_to"] = filters.received_to.isoformat()
    return " AND ".join(clauses), params


def _narrow(clauses: list[str], params: dict[str, Any], filters: ListFilters) -> None:
    if filters.kind is not None:
        clauses.append("kind IS NULL" if filters.kind == UNCLASSIFIED else "kind = :kind")
        params["kind"] = filters.kind
    if filters.status is not None:
        clauses.append("status = :status")
        params["status"] = filters.status
    if filters.handler is not None:
        clauses.append("handler = :handler")
        params["handler"] = filters.handler
    if filters.overdue is not None:
        late = f"({_OPEN} AND due < :today)"
        clauses.append(late if filters.overdue else f"NOT {late}")


def _params(row: PetitionRow, successor: PetitionRow | None) -> tuple[Any, ...]:
    return (
        str(row.petition_id),
        row.stint,
        row.position,
        ts(row.recorded_at),
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
        row.received_on.isoformat(),
        row.arrived_on.isoformat(),
        _iso(row.accepted_on),
        _iso(row.decided_on),
        _text(row.handler),
        _text(row.term),
        _iso(row.due),
        _iso(row.handling_due),
        row.extensions,
        _iso(row.suspended_since),
        row.suspended_days,
        row.verifications,
        row.dialogues,
        _iso(row.resolved_on),
        _iso(row.closed_on),
        _text(row.verdict),
        _iso(row.published_on),
        row.signers,
        row.anonymous,
        _text(row.relation),
        None if row.follows is None else str(row.follows),
        None if successor is None else successor.position,
        None if successor is None else ts(successor.recorded_at),
    )


def _row(r: sqlite3.Row) -> PetitionRow:
    return PetitionRow(
        petition_id=UUID(r["petition_id"]),
        stint=r["stint"],
        position=r["position"],
        recorded_at=datetime.fromisoformat(r["recorded_at"]),
        version=r["version"],
        receipt=r["receipt"],
        agency=r["agency"],
        channel=r["channel"],
        kind=r["kind"],
        field=r["field"],
        competence=r["competence"],
        several_places=bool(r["several_places"]),
        status=r["status"],
        transferred_to=r["transferred_to"],
        received_on=date.fromisoformat(r["received_on"]),
        arrived_on=date.fromisoformat(r["arrived_on"]),
        accepted_on=_day(r["accepted_on"]),
        decided_on=_day(r["decided_on"]),
        handler=r["handler"],
        term=r["term"],
        due=_day(r["due"]),
        handling_due=_day(r["handling_due"]),
        extensions=r["extensions"],
        suspended_since=_day(r["suspended_since"]),
        suspended_days=r["suspended_days"],
        verifications=r["verifications"],
        dialogues=r["dialogues"],
        resolved_on=_day(r["resolved_on"]),
        closed_on=_day(r["closed_on"]),
        verdict=r["verdict"],
        published_on=_day(r["published_on"]),
        signers=r["signers"],
        anonymous=bool(r["anonymous"]),
        relation=r["relation"],
        follows=None if r["follows"] is None else UUID(r["follows"]),
    )


def _text(value: str | None) -> str | None:
    return None if value is None else storable(value)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
