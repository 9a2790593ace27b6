"""The audit trail's tables on PostgreSQL (``readmodels.audit.AuditStore``).

Statements are composed with ``psycopg.sql``, the tables named as identifiers in the datastore's
schema. What a verifier walks over the whole log (records, leaf and key pages) is read in binary,
as one row a page where it can be, on a connection of its own with JIT compilation off.

The entries are partitioned by position, ``SPAN`` positions a partition, each made as the
projection reaches it. An entry's indexes are the partition's: an entry written costs what it cost
in the first partition, however long the trail. Several of them are keyed by what is spread over
the whole log (an aggregate's id, a directive's reference), so that in one table spanning the log
every entry went to a page of its own in indexes that outgrew the database's buffers: at
10 million events the projection ran at a third of its rate at 100,000 (docs/performance.md). A
query by those keys reads each partition's index, a few pages each. Uniqueness across partitions
(of a leaf index, of an aggregate's version) is the projection's, which writes each record of the
log once at the next leaf, and the verifier's, which checks both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow, tuple_row

from readmodels.audit import (
    EARLIER_COLUMNS,
    ENTRY_COLUMNS,
    KEY_COLUMNS,
    TABLES,
    ZERO,
    AuditFilters,
    AuditStore,
    Condition,
    Entry,
    Keys,
    StoredCheckpoint,
    StoredRecord,
    TrackingConflictError,
    TrailPage,
    TrailRow,
    TreeState,
    check_trail_prefix,
    checkpoint_of,
    entry_conditions,
    entry_of,
    keys_of,
    tree_state,
    up_to_versions,
)
from readmodels.text import storable_row

_CONDITIONS: dict[Condition, sql.SQL] = {
    "actor": sql.SQL("actor = %s"),
    "directive": sql.SQL("directive = %s"),
    "action": sql.SQL("action = %s"),
    "unit": sql.SQL("(actor_unit = %s OR subject_unit = %s)"),
    # The references come as one array.
    "confined": sql.SQL(
        "((directive IS NULL AND (actor_unit = %s OR subject_unit = %s)) OR directive = ANY(%s))"
    ),
    "recorded_from": sql.SQL("recorded_at >= %s"),
    "recorded_to": sql.SQL("recorded_at < %s"),
    "after": sql.SQL("position > %s"),
    "before": sql.SQL("position < %s"),
}
# Column lists as plain text: each identifier composed would be escaped again at every execute.
_ENTRY = sql.SQL(", ".join(ENTRY_COLUMNS))
_KEYS = sql.SQL(", ".join(KEY_COLUMNS))
# ``readmodels.audit.key_text`` as PostgreSQL writes it from the stored columns.
_KEY_TEXT = sql.SQL(
    "length(recorded_at) || ':' || recorded_at"
    " || length(originator_id) || ':' || originator_id"
    " || originator_version || ':'"
    " || length(action) || ':' || action"
    " || COALESCE(length(actor) || ':' || actor, '-')"
    " || COALESCE(length(actor_unit) || ':' || actor_unit, '-')"
    " || COALESCE(length(directive) || ':' || directive, '-')"
    " || COALESCE(length(subject_unit) || ':' || subject_unit, '-')"
)
_CHECKPOINT = sql.SQL("SELECT tree_size, position, root, note, signed_at FROM {} ")
_CHUNK = 500  # ids bound in one array
SPAN = 1 << 18  # positions per partition of the entries: indexes a few tens of MB each at most


class PostgresAuditStore(AuditStore):
    def __init__(
        self, datastore: PostgresDatastore, prefix: str = "audit", *, span: int = SPAN
    ) -> None:
        self.datastore = datastore
        self.prefix = check_trail_prefix(prefix)
        self.span = span
        self._made: set[int] = set()  # the partitions of the entries known to exist

    def table(self, name: str) -> sql.Identifier:
        return sql.Identifier(self.datastore.schema, f"{self.prefix}_{name}")

    def events(self, events_table: str) -> sql.Identifier:
        return sql.Identifier(self.datastore.schema, events_table)

    # --- schema ------------------------------------------------------------------------------

    def create_tables(self) -> None:
        self._made.clear()
        t = self.table
        entries = t("entries")

        def index(name: str, columns: str) -> sql.Composed:
            return sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                sql.Identifier(f"{self.prefix}_entries_{name}"), entries, sql.SQL(columns)
            )

        statements = [
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (
                position bigint PRIMARY KEY, leaf_index bigint NOT NULL,
                recorded_at TEXT NOT NULL, originator_id TEXT NOT NULL,
                originator_version bigint NOT NULL, action TEXT NOT NULL, actor TEXT,
                actor_unit TEXT, directive TEXT, subject_unit TEXT,
                leaf_hash bytea NOT NULL, chain_hash bytea NOT NULL)
                PARTITION BY RANGE (position)"""
            ).format(entries),
            # Rows moved where no partition was made yet (by hand: the verifier names them).
            sql.SQL("CREATE TABLE IF NOT EXISTS {} PARTITION OF {} DEFAULT").format(
                t("entries_other"), entries
            ),
            index("leaf_index", "leaf_index"),
            index("originator", "originator_id, originator_version"),
            index("actor", "actor, position"),
            index("actor_unit", "actor_unit, position"),
            index("subject_unit", "subject_unit, position"),
            index("directive", "directive, position"),
            index("action", "action, position"),
            index("time", "recorded_at"),
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (level INTEGER NOT NULL,
                idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx))"""
            ).format(t("nodes")),
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (tree_size bigint PRIMARY KEY,
                position bigint NOT NULL, root bytea NOT NULL, note TEXT NOT NULL,
                signed_at TEXT NOT NULL)"""
            ).format(t("checkpoints")),
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (id INTEGER PRIMARY KEY,
                size bigint NOT NULL, frontier bytea NOT NULL, chain bytea NOT NULL)"""
            ).format(t("state")),
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (application_name TEXT PRIMARY KEY,
                notification_id bigint NOT NULL)"""
            ).format(t("tracking")),
        ]
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s",
                (self.datastore.schema, f"{self.prefix}_entries"),
            )
            earlier = EARLIER_COLUMNS[0] in {r["column_name"] for r in c.fetchall()}
            c.execute(
                "SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                " ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
                (self.datastore.schema, f"{self.prefix}_entries"),
            )
            kind = c.fetchone()
            if earlier or (kind is not None and kind["relkind"] != "p"):
                # An earlier version stored each entry's story, which nothing verified, or kept
                # the entries in one table: the trail is made again from the log. Its signed
                # checkpoints stay.
                for name in ("entries", "nodes", "state", "tracking"):
                    c.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(t(name)))
            for statement in statements:
                c.execute(statement)
            c.execute(
                sql.SQL("INSERT INTO {} VALUES (1, 0, %s, %s) ON CONFLICT DO NOTHING").format(
                    t("state")
                ),
                (b"", ZERO),
            )

    def drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for name in TABLES:
                c.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self.table(name)))
        self._made.clear()

    def make_room(self, c: Cursor[Any], first: int, last: int) -> None:
        """The partitions of the entries for the positions ``first`` to ``last``, made if missing.
        Called by the writer holding the state row (``write``), so no two make one at once."""
        for n in range(first // self.span, last // self.span + 1):
            if n in self._made:
                continue
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})"
                ).format(
                    self.table(f"entries_{n}".replace("-", "m")),
                    self.table("entries"),
                    sql.Literal(n * self.span),
                    sql.Literal((n + 1) * self.span),
                )
            )
            self._made.add(n)

    # --- the projection's writes -------------------------------------------------------------

    def load_state(self, application_name: str) -> TreeState:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL("SELECT size, frontier, chain FROM {} WHERE id = 1").format(
                    self.table("state")
                )
            )
            row = c.fetchone()
            position = self._tracking(c, application_name)
        return tree_state(row, position)

    def write(
        self,
        *,
        application_name: str,
        start: int,
        state: TreeState,
        entries: Sequence[Entry],
        nodes: Sequence[tuple[int, int, bytes]],
        checkpoints: Sequence[StoredCheckpoint],
    ) -> None:
        try:
            self._write(
                application_name, start, state, entries, nodes=nodes, checkpoints=checkpoints
            )
        except BaseException:
            self._made.clear()  # the trail may have been made again by another process
            raise

    def _write(
        self,
        application_name: str,
        start: int,
        state: TreeState,
        entries: Sequence[Entry],
        *,
        nodes: Sequence[tuple[int, int, bytes]],
        checkpoints: Sequence[StoredCheckpoint],
    ) -> None:
        t = self.table
        with self.datastore.transaction(commit=True) as c:
            c.execute(sql.SQL("SELECT size FROM {} WHERE id = 1 FOR UPDATE").format(t("state")))
            if self._tracking(c, application_name) != start:
                msg = f"the audit projection is no longer at position {start}"
                raise TrackingConflictError(msg)
            if entries:
                self.make_room(c, entries[0].position, entries[-1].position)
            # One COPY, not a statement per entry.
            with c.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(t("entries"), _ENTRY)) as copy:
                for entry in entries:
                    copy.write_row(storable_row(entry.row()))
            if nodes:
                c.executemany(
                    sql.SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(t("nodes")), list(nodes)
                )
            for cp in checkpoints:
                self._insert_checkpoint(c, cp)
            c.execute(
                sql.SQL("UPDATE {} SET size = %s, frontier = %s, chain = %s WHERE id = 1").format(
                    t("state")
                ),
                (state.size, b"".join(state.frontier), state.chain),
            )
            c.execute(
                sql.SQL(
                    "INSERT INTO {} VALUES (%s, %s) ON CONFLICT (application_name) "
                    "DO UPDATE SET notification_id = excluded.notification_id"
                ).format(t("tracking")),
                (application_name, state.position),
            )

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("SELECT 1 FROM {} WHERE tree_size = %s").format(self.table("checkpoints")),
                (checkpoint.tree_size,),
            )
            if c.fetchone() is not None:
                return False
            self._insert_checkpoint(c, checkpoint)
            return True

    def _insert_checkpoint(self, c: Cursor[DictRow], cp: StoredCheckpoint) -> None:
        c.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s)").format(self.table("checkpoints")),
            (cp.tree_size, cp.position, cp.root, cp.note, cp.signed_at),
        )

    def _tracking(self, c: Cursor[DictRow], application_name: str) -> int:
        c.execute(
            sql.SQL("SELECT notification_id FROM {} WHERE application_name = %s").format(
                self.table("tracking")
            ),
            (application_name,),
        )
        row = c.fetchone()
        return 0 if row is None else int(row["notification_id"])

    def max_tracking_id(self, application_name: str) -> int:
        with self.datastore.transaction(commit=False) as c:
            return self._tracking(c, application_name)

    # --- reading -----------------------------------------------------------------------------

    def entries(
        self,
        filters: AuditFilters,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int = 100,
        newest_first: bool = False,
    ) -> list[Entry]:
        conditions: list[sql.Composable] = []
        params: list[Any] = []
        for condition, values in entry_conditions(filters, after, before, list):
            conditions.append(_CONDITIONS[condition])
            params += values
        where = sql.SQL("WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
        rows = self._rows(
            sql.SQL("SELECT {} FROM {} {} ORDER BY position {} LIMIT %s").format(
                _ENTRY,
                self.table("entries"),
                where,
                sql.SQL("DESC" if newest_first else "ASC"),
            ),
            (*params, limit),
        )
        return [entry_of(r) for r in rows]

    def recorded_position(self, originator_id: str, originator_version: int) -> int | None:
        row = self._row(
            sql.SQL(
                "SELECT position FROM {} WHERE originator_id = %s AND originator_version = %s"
            ).format(self.table("entries")),
            (originator_id, originator_version),
        )
        return None if row is None else int(row["position"])

    def leaves(
        self, after: int, upto: int | None = None, limit: int | None = None
    ) -> list[TrailRow]:
        statement = sql.SQL(
            "SELECT position, leaf_index, leaf_hash, chain_hash FROM {} WHERE position > %s"
        ).format(self.table("entries"))
        if upto is not None:
            statement += sql.SQL(" AND position <= %s")
        statement += sql.SQL(" ORDER BY position")
        if limit is not None:
            statement += sql.SQL(" LIMIT {}").format(sql.Literal(int(limit)))
        rows = self._tuples(statement, (after,) if upto is None else (after, upto))
        return cast("list[TrailRow]", rows)  # binary rows are already ints and bytes

    def key_rows(self, after: int, upto: int) -> list[tuple[int, Keys]]:
        rows = self._tuples(
            sql.SQL(
                "SELECT position, {} FROM {} WHERE position > %s AND position <= %s"
                " ORDER BY position"
            ).format(_KEYS, self.table("entries")),
            (after, upto),
        )
        return [(int(r[0]), keys_of(r[1:])) for r in rows]

    def key_page(self, after: int, upto: int) -> tuple[list[int], str]:
        """PostgreSQL writes the page's text, as one row."""
        rows = self._tuples(
            sql.SQL(
                "SELECT array_agg(position ORDER BY position),"
                " string_agg({}, '' ORDER BY position)"
                " FROM {} WHERE position > %s AND position <= %s"
            ).format(_KEY_TEXT, self.table("entries")),
            (after, upto),
        )
        positions, text = rows[0]
        return ([], "") if positions is None else (list(positions), text)

    def leaf_rows(self, first: int, end: int) -> list[tuple[int, int, bytes]]:
        rows = self._tuples(
            sql.SQL(
                "SELECT leaf_index, position, leaf_hash FROM {}"
                " WHERE leaf_index >= %s AND leaf_index < %s ORDER BY leaf_index"
            ).format(self.table("entries")),
            (first, end),
        )
        return [(int(i), int(p), bytes(leaf)) for i, p, leaf in rows]

    def leaf_page(self, after: int, upto: int) -> TrailPage:
        """Sent as one row (three arrays) instead of a row per entry, half the cost of
        ``leaves``."""
        rows = self._tuples(
            sql.SQL(
                "SELECT array_agg(position ORDER BY position),"
                " array_agg(leaf_index ORDER BY position),"
                " string_agg(leaf_hash || chain_hash, '' ORDER BY position)"
                " FROM {} WHERE position > %s AND position <= %s"
            ).format(self.table("entries")),
            (after, upto),
        )
        positions, indexes, joined = rows[0]
        if positions is None:
            return [], [], b""
        return list(positions), list(indexes), bytes(joined)

    def records(self, events_table: str, after: int, limit: int) -> list[tuple[int, bytes]]:
        """PostgreSQL joins the row's columns into the record: big-endian integers, the id's 16
        bytes, the topic's length and text, the state."""
        rows = self._tuples(
            sql.SQL(
                "SELECT notification_id, pg_catalog.int8send(notification_id)"
                " || pg_catalog.uuid_send(originator_id::uuid)"
                " || pg_catalog.int8send(originator_version)"
                " || pg_catalog.int2send(pg_catalog.octet_length(topic)::int2)"
                " || pg_catalog.convert_to(topic, 'UTF8') || state"
                " FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
            ).format(self.events(events_table)),
            (after, limit),
        )
        return cast("list[tuple[int, bytes]]", rows)  # binary rows: ints and bytes already

    def records_at(self, events_table: str, positions: Sequence[int]) -> list[StoredRecord]:
        if not positions:
            return []
        rows = self._tuples(
            sql.SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state"
                " FROM {} WHERE notification_id = ANY(%s)"
            ).format(self.events(events_table)),
            (sorted(set(positions)),),
        )
        return [StoredRecord(p, o, v, t, bytes(s)) for p, o, v, t, s in rows]

    def records_of(
        self,
        events_table: str,
        wanted: Mapping[UUID, int],
        topics: Sequence[str] | None = None,
    ) -> list[StoredRecord]:
        ids = list(wanted)
        statement = sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM {} WHERE originator_id = ANY(%s)"
        ).format(self.events(events_table))
        if topics is not None:
            statement += sql.SQL(" AND topic IN ({})").format(
                sql.SQL(", ").join(sql.Placeholder() * len(topics))
            )
        statement += sql.SQL(" ORDER BY originator_id, originator_version")
        found: list[tuple[Any, ...]] = []
        for i in range(0, len(ids), _CHUNK):
            found += self._tuples(statement, (ids[i : i + _CHUNK], *(topics or ())))
        records = [StoredRecord(int(p), o, int(v), t, bytes(s)) for p, o, v, t, s in found]
        return up_to_versions(records, wanted)

    def leaf_at(self, position: int) -> tuple[int, int] | None:
        row = self._row(
            sql.SQL(
                "SELECT leaf_index, position FROM {} WHERE position <= %s "
                "ORDER BY position DESC LIMIT 1"
            ).format(self.table("entries")),
            (position,),
        )
        return None if row is None else (int(row["leaf_index"]), int(row["position"]))

    def position_of_leaf(self, leaf_index: int) -> int | None:
        row = self._row(
            sql.SQL("SELECT position FROM {} WHERE leaf_index = %s").format(self.table("entries")),
            (leaf_index,),
        )
        return None if row is None else int(row["position"])

    def record_at(self, position: int) -> Entry | None:
        row = self._row(
            sql.SQL("SELECT {} FROM {} WHERE position = %s").format(_ENTRY, self.table("entries")),
            (position,),
        )
        return None if row is None else entry_of(row)

    def hashes(
        self, leaves: set[int], nodes: set[tuple[int, int]]
    ) -> tuple[dict[int, bytes], dict[tuple[int, int], bytes]]:
        found_leaves: dict[int, bytes] = {}
        found_nodes: dict[tuple[int, int], bytes] = {}
        with self.datastore.transaction(commit=False) as c:
            wanted = sorted(leaves)
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i : i + _CHUNK]
                c.execute(
                    sql.SQL("SELECT leaf_index, leaf_hash FROM {} WHERE leaf_index IN ({})").format(
                        self.table("entries"), sql.SQL(", ").join(sql.Placeholder() * len(chunk))
                    ),
                    chunk,
                )
                for r in c.fetchall():
                    found_leaves[int(r["leaf_index"])] = bytes(r["leaf_hash"])
            by_level: dict[int, list[int]] = {}
            for level, idx in nodes:
                by_level.setdefault(level, []).append(idx)
            for level, indexes in by_level.items():
                for i in range(0, len(indexes), _CHUNK):
                    chunk = indexes[i : i + _CHUNK]
                    c.execute(
                        sql.SQL("SELECT idx, hash FROM {} WHERE level = %s AND idx IN ({})").format(
                            self.table("nodes"), sql.SQL(", ").join(sql.Placeholder() * len(chunk))
                        ),
                        (level, *chunk),
                    )
                    for r in c.fetchall():
                        found_nodes[level, int(r["idx"])] = bytes(r["hash"])
        return found_leaves, found_nodes

    def iter_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        rows = self._rows(
            sql.SQL("SELECT level, idx, hash FROM {} ORDER BY level, idx").format(
                self.table("nodes")
            ),
            (),
        )
        for r in rows:
            yield int(r["level"]), int(r["idx"]), bytes(r["hash"])

    def checkpoints(self) -> list[StoredCheckpoint]:
        return [checkpoint_of(r) for r in self._rows(self._checkpoints("ORDER BY tree_size"), ())]

    def checkpoints_between(self, low: int, high: int) -> list[StoredCheckpoint]:
        rows = self._rows(
            self._checkpoints("WHERE tree_size > %s AND tree_size <= %s ORDER BY tree_size"),
            (low, high),
        )
        return [checkpoint_of(r) for r in rows]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        row = self._row(self._checkpoints("ORDER BY tree_size DESC LIMIT 1"), ())
        return None if row is None else checkpoint_of(row)

    def checkpoint_covering(self, tree_size: int) -> StoredCheckpoint | None:
        row = self._row(
            self._checkpoints("WHERE tree_size >= %s ORDER BY tree_size LIMIT 1"), (tree_size,)
        )
        return None if row is None else checkpoint_of(row)

    def checkpoint_of_size(self, tree_size: int) -> StoredCheckpoint | None:
        row = self._row(self._checkpoints("WHERE tree_size = %s"), (tree_size,))
        return None if row is None else checkpoint_of(row)

    def checkpoint_count(self, tree_size: int) -> int:
        row = self._row(
            sql.SQL("SELECT count(*) AS n FROM {} WHERE tree_size <= %s").format(
                self.table("checkpoints")
            ),
            (tree_size,),
        )
        return 0 if row is None else int(row["n"])

    def _checkpoints(self, tail: str) -> sql.Composed:
        return _CHECKPOINT.format(self.table("checkpoints")) + sql.SQL(tail)

    # --- statements --------------------------------------------------------------------------

    def _rows(self, statement: sql.Composed, params: Sequence[Any]) -> list[DictRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return c.fetchall()

    def _row(self, statement: sql.Composed, params: Sequence[Any]) -> DictRow | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return c.fetchone()

    def _tuples(self, statement: sql.Composed, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows as tuples, in PostgreSQL's binary format: what a walk over the whole log reads.

        Without JIT compilation: a page is read in milliseconds, and a trail without statistics
        (written since the last ANALYZE) is costed high enough to be compiled for each page, which
        took longer than reading it (docs/performance.md).
        """
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(force_rollback=True),
            conn.cursor(row_factory=tuple_row, binary=True) as c,
        ):
            c.execute("SET LOCAL jit = off")
            c.execute(statement, params)
            return c.fetchall()
