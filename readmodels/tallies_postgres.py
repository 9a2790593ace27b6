"""The summary's tallies (``readmodels.tallies``) on PostgreSQL: part of ``PostgresOversightView``,
written in its transaction, rebuilt from its board."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from heapq import merge
from typing import Any, cast

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow

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
    tally_of,
)

__all__ = ["INDEXES", "TABLES", "PostgresTallies"]
INDEXES = ("tally_days_pkey", "tally_deadlines_pkey")
_DAY_TYPES = (
    "date", "text", "int2", *("int4",) * 7, "int8", "int4",
    "numeric", "int4", "numeric", "int4", "numeric", "int4[]",
)  # fmt: skip


class PostgresTallies:
    """The two tables, their writes in the view's transaction, and their reads."""

    def __init__(
        self,
        datastore: PostgresDatastore,
        table: Callable[[str], sql.Composed],
        ident: Callable[[str], sql.Identifier],
        offset: int,
    ) -> None:
        self.datastore, self.table, self.ident = datastore, table, ident
        self.offset = offset  # the city's seconds ahead of UTC

    def create_statements(self) -> list[sql.Composed]:
        t, i = self.table, self.ident
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (day date, unit text, basis smallint, "
                "n integer NOT NULL, on_time integer NOT NULL, late integer NOT NULL, "
                "open integer NOT NULL, no_deadline integer NOT NULL, awaiting integer NOT NULL, "
                "overdue integer NOT NULL, overdue_ordinals bigint NOT NULL, "
                "awaiting_overdue integer NOT NULL, acked_us numeric NOT NULL, "
                "unacked integer NOT NULL, unacked_assigned_us numeric NOT NULL, "
                "stale integer NOT NULL, stale_since_us numeric NOT NULL, "
                "ahead integer[] NOT NULL, "
                "CONSTRAINT {} PRIMARY KEY (day, unit, basis))"
            ).format(t("tally_days"), i("tally_days_pkey")),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (deadline date, unit text, basis smallint, "
                "open integer NOT NULL, awaiting integer NOT NULL, "
                "CONSTRAINT {} PRIMARY KEY (deadline, unit, basis))"
            ).format(t("tally_deadlines"), i("tally_deadlines_pkey")),
        ]

    # --- writes ------------------------------------------------------------------------------

    def write(self, c: Cursor[DictRow], changes: Changes) -> None:
        fold_changes(self, c, changes)

    def missing(self, c: Cursor[DictRow]) -> bool:
        """A board written before the tallies were kept (their tables empty, its not)."""
        c.execute(
            sql.SQL(
                "SELECT NOT EXISTS (SELECT FROM {}) AND EXISTS (SELECT FROM {}) AS missing"
            ).format(self.table("tally_days"), self.table("board"))
        )
        found = c.fetchone()
        return bool(found and found["missing"])

    def build(self, c: Cursor[DictRow]) -> None:
        """The tallies from the board's versions (a rebuild's, or a board kept before them):
        every version's deltas summed per day, unit, basis, kind and deadline, folded in day
        order, the rows written a few days at a time."""
        c.execute(sql.SQL("DELETE FROM {}").format(self.table("tally_days")))
        c.execute(sql.SQL("DELETE FROM {}").format(self.table("tally_deadlines")))
        # Ten million versions grouped twice: in memory rather than in 128 spilled partitions,
        # and not compiled (JIT took seconds of a rebuild for one query).
        c.execute("SET LOCAL work_mem = '256MB'")
        c.execute("SET LOCAL jit = off")
        sums = list(self._board_sums(c))  # a row per day and unit; the kinds are streamed

        def flush(rows: Mapping[tuple[date, str, int], Tally]) -> None:
            with c.copy(
                sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(self.table("tally_days"))
            ) as copy:
                copy.set_types(_DAY_TYPES)
                for (day, unit, basis), tally in rows.items():
                    copy.write_row((day, unit, basis, *tally.columns(), tally.ahead))

        counts = fold_all(merge(self._board_deltas(c), sums, key=lambda d: d.day), flush)
        with c.copy(
            sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(self.table("tally_deadlines"))
        ) as copy:
            copy.set_types(("date", "text", "int2", "int4", "int4"))
            for (deadline, unit, basis), (opened, awaiting) in counts.items():
                copy.write_row((deadline, unit, basis, opened, awaiting))

    def _board_deltas(self, c: Cursor[DictRow]) -> Iterator[Delta]:
        # A server-side cursor: at ten million versions the groups are millions of rows.
        statement = sql.SQL(
            """SELECT s.day, b.lead_unit AS unit, x.basis,
                CASE WHEN b.status = 'completed' THEN
                    CASE WHEN x.dl IS NULL OR b.completion_on <= x.dl THEN 'on_time'
                         WHEN b.completion_on > x.dl THEN 'late' ELSE 'done' END
                WHEN b.status = 'completion_reported' THEN 'awaiting' ELSE 'open' END AS kind,
                CASE WHEN b.status NOT IN ('completed') THEN x.dl END AS deadline,
                sum(s.sign)::integer AS count
            FROM {board} b
            CROSS JOIN LATERAL ({days}) AS d
            CROSS JOIN LATERAL (VALUES (d.a, 1), (d.z, -1)) AS s(day, sign)
            CROSS JOIN LATERAL (VALUES (0, b.deadline), (1, b.original_deadline)) AS x(basis, dl)
            WHERE NOT b.withdrawn AND s.day IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1"""
        ).format(board=self.table("board"), days=self._days())
        with c.connection.cursor(name="tally_build") as named:
            named.itersize = 20_000
            named.execute(statement)
            for r in named:
                yield Delta(
                    r["day"], r["unit"], r["basis"], cast(Kind, r["kind"]), r["deadline"],
                    r["count"],
                )  # fmt: skip

    def _days(self) -> sql.Composed:
        """A version's day (``a``) and the day its successor ends it on (``z``: the later of its
        own and its successor's, None while it is current), as ``readmodels.tallies.deltas_of``
        counts them."""
        offset = sql.Literal(self.offset)
        day = "({} AT TIME ZONE 'UTC' + make_interval(secs => {}))::date"
        a = sql.SQL(day).format(sql.SQL("b.recorded_at"), offset)
        z = sql.SQL(day).format(sql.SQL("b.valid_to_time"), offset)
        return sql.SQL(
            "SELECT {a} AS a, CASE WHEN b.valid_to_time IS NOT NULL THEN GREATEST({a}, {z}) END "
            "AS z"
        ).format(a=a, z=z)

    def _board_sums(self, c: Cursor[DictRow]) -> Iterator[Delta]:
        """The responsiveness sums' changes per day and unit (``readmodels.tallies.sums_of``),
        in microseconds, exact."""
        c.execute(
            sql.SQL(
                """SELECT s.day, b.lead_unit AS unit,
                sum(s.sign * CASE WHEN b.acknowledged_at IS NOT NULL THEN
                    (EXTRACT(EPOCH FROM b.acknowledged_at) - EXTRACT(EPOCH FROM b.assigned_at))
                    * 1000000 ELSE 0 END) AS acked,
                sum(CASE WHEN b.acknowledged_at IS NULL THEN s.sign ELSE 0 END) AS unacked,
                sum(s.sign * CASE WHEN b.acknowledged_at IS NULL THEN
                    EXTRACT(EPOCH FROM b.assigned_at) * 1000000 ELSE 0 END) AS assigned,
                sum(CASE WHEN b.status = 'in_progress' THEN s.sign ELSE 0 END) AS stale,
                sum(s.sign * CASE WHEN b.status = 'in_progress'
                    AND COALESCE(b.progress_at, b.acknowledged_at) IS NOT NULL THEN
                    EXTRACT(EPOCH FROM COALESCE(b.progress_at, b.acknowledged_at)) * 1000000
                    ELSE 0 END) AS since
            FROM {board} b
            CROSS JOIN LATERAL ({days}) AS d
            CROSS JOIN LATERAL (VALUES (d.a, 1), (d.z, -1)) AS s(day, sign)
            WHERE NOT b.withdrawn AND s.day IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1"""
            ).format(board=self.table("board"), days=self._days())
        )
        for r in c.fetchall():
            sums = (int(r["acked"]), int(r["unacked"]), int(r["assigned"]), int(r["stale"]),
                    int(r["since"]))  # fmt: skip
            yield Delta(r["day"], r["unit"], 0, "sums", None, 0, sums)

    # --- the store the arithmetic reads (``readmodels.tallies.TallyStore``) ------------------

    def last_day(self, c: Cursor[DictRow]) -> date | None:
        c.execute(sql.SQL("SELECT max(day) AS day FROM {}").format(self.table("tally_days")))
        found = c.fetchone()
        return None if found is None else found["day"]

    def rows_on(
        self, c: Cursor[DictRow], day: date, keys: Iterable[Key] | None
    ) -> dict[Key, Tally]:
        params: dict[str, Any] = {"day": day}
        narrowed = sql.SQL("")
        if keys is not None:
            units, bases = _split(keys)
            params.update(units=units, bases=bases)
            narrowed = sql.SQL(
                " AND (unit, basis) IN (SELECT * FROM unnest(%(units)s::text[], "
                "%(bases)s::smallint[]))"
            )
        c.execute(
            sql.SQL("SELECT * FROM {} WHERE day = %(day)s{} ORDER BY unit, basis").format(
                self.table("tally_days"), narrowed
            ),
            params,
        )
        return {(r["unit"], r["basis"]): tally_of(r, list(r["ahead"])) for r in c.fetchall()}

    def rows_between(
        self, c: Cursor[DictRow], first: date, last: date, keys: Iterable[Key]
    ) -> dict[tuple[date, str, int], Tally]:
        units, bases = _split(keys)
        c.execute(
            sql.SQL(
                "SELECT * FROM {} WHERE day BETWEEN %s AND %s AND (unit, basis) IN "
                "(SELECT * FROM unnest(%s::text[], %s::smallint[]))"
            ).format(self.table("tally_days")),
            (first, last, units, bases),
        )
        return {
            (r["day"], r["unit"], r["basis"]): tally_of(r, list(r["ahead"])) for r in c.fetchall()
        }

    def counts(
        self, c: Cursor[DictRow], keys: Iterable[DeadlineKey]
    ) -> dict[DeadlineKey, list[int]]:
        keys = list(keys)
        if not keys:
            return {}
        c.execute(
            sql.SQL(
                "SELECT * FROM {} WHERE (deadline, unit, basis) IN "
                "(SELECT * FROM unnest(%s::date[], %s::text[], %s::smallint[]))"
            ).format(self.table("tally_deadlines")),
            ([k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]),
        )
        return _counts(c.fetchall())

    def counts_between(
        self,
        c: Cursor[DictRow],
        first: date,
        last: date,
        basis: int | None = None,
        unit: str | None = None,
    ) -> dict[DeadlineKey, list[int]]:
        c.execute(
            sql.SQL(
                "SELECT * FROM {} WHERE deadline BETWEEN %(first)s AND %(last)s "
                "AND (%(basis)s::smallint IS NULL OR basis = %(basis)s) "
                "AND (%(unit)s::text IS NULL OR unit = %(unit)s)"
            ).format(self.table("tally_deadlines")),
            {"first": first, "last": last, "basis": basis, "unit": unit},
        )
        return _counts(c.fetchall())

    def store(
        self,
        c: Cursor[DictRow],
        rows: Mapping[tuple[date, str, int], Tally],
        counts: Mapping[DeadlineKey, list[int]],
    ) -> None:
        if rows:
            held = list(rows.items())
            c.execute(
                sql.SQL(
                    "INSERT INTO {t} SELECT d, u, b, n, ot, l, o, nd, a, od, oo, ao, "
                    "ak, un, ua, st, ss, ah::integer[] "
                    "FROM unnest(%s::date[], %s::text[], %s::smallint[], %s::integer[], "
                    "%s::integer[], %s::integer[], %s::integer[], %s::integer[], %s::integer[], "
                    "%s::integer[], %s::bigint[], %s::integer[], %s::numeric[], %s::integer[], "
                    "%s::numeric[], %s::integer[], %s::numeric[], %s::text[]) "
                    "AS r(d, u, b, n, ot, l, o, nd, a, od, oo, ao, ak, un, ua, st, ss, ah) "
                    "ON CONFLICT (day, unit, basis) DO UPDATE SET {updates}"
                ).format(
                    t=self.table("tally_days"),
                    updates=sql.SQL(", ").join(
                        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(name))
                        for name in COLUMNS
                    ),
                ),
                (
                    [k[0] for k, _ in held],
                    [k[1] for k, _ in held],
                    [k[2] for k, _ in held],
                    *([v.columns()[i] for _, v in held] for i in range(len(COLUMNS) - 1)),
                    ["{" + ",".join(map(str, v.ahead)) + "}" for _, v in held],
                ),
            )
        if counts:
            kept = list(counts.items())
            c.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT * FROM unnest(%s::date[], %s::text[], %s::smallint[], "
                    "%s::integer[], %s::integer[]) ON CONFLICT (deadline, unit, basis) "
                    "DO UPDATE SET open = excluded.open, awaiting = excluded.awaiting"
                ).format(self.table("tally_deadlines")),
                (
                    [k[0] for k, _ in kept],
                    [k[1] for k, _ in kept],
                    [k[2] for k, _ in kept],
                    [v[0] for _, v in kept],
                    [v[1] for _, v in kept],
                ),
            )


def _split(keys: Iterable[Key]) -> tuple[list[str], list[int]]:
    held = list(keys)
    return [k[0] for k in held], [k[1] for k in held]


def _counts(rows: Iterable[DictRow]) -> dict[DeadlineKey, list[int]]:
    return {(r["deadline"], r["unit"], r["basis"]): [r["open"], r["awaiting"]] for r in rows}
