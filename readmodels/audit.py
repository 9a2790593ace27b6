"""The audit read models, on SQLite and PostgreSQL alike: one entry per event, the Merkle tree's
stored subtrees, the signed checkpoints and the projection's tracking position.

``{prefix}_entries``: an event's position, its leaf index in the tree, when it was recorded, who
acted (user, role, unit) in answer to which request, the directive concerned, the action told in
Vietnamese and English, what changed, and the record's leaf hash and running chain hash.
``{prefix}_nodes``: the hashes of the complete subtrees whose height is a multiple of four, so
that a proof needs a few dozen rows whatever the size of the log. ``{prefix}_checkpoints``: signed
notes. ``{prefix}_state``: the tree's frontier and the chain's head, written in the same
transaction as ``{prefix}_tracking``, which a batch moves forward only from where it started.

Moments are stored as fixed-width UTC text on both backends, so one set of statements serves both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg.rows import tuple_row

from domain.shared.merkle import event_record
from readmodels.text import storable_row

STORED_LEVELS = 4  # subtrees are kept at heights 4, 8, 12, ...
KEY_COLUMNS = (
    "recorded_at",
    "originator_id",
    "originator_version",
    "action",
    "actor",
    "actor_unit",
    "directive",
    "subject_unit",
)
Keys = tuple[str, str, int, str, str | None, str | None, str | None, str | None]
"""An entry's keys, what the trail is searched by, in the order of ``KEY_COLUMNS``."""
TrailRow = tuple[int, int, bytes, bytes]  # position, leaf index, leaf hash, chain hash
TrailPage = tuple[list[int], list[int], bytes]  # positions, leaf indexes, (leaf, chain) joined


def _text_sql(column: str) -> str:
    return f"COALESCE(length({column}) || ':' || {column}, '-')"


# ``key_text`` as PostgreSQL writes it from the stored columns.
_KEY_TEXT = " || ".join(
    [
        "length(recorded_at) || ':' || recorded_at",
        "length(originator_id) || ':' || originator_id",
        "originator_version || ':'",
        "length(action) || ':' || action",
        *(_text_sql(c) for c in ("actor", "actor_unit", "directive", "subject_unit")),
    ]
)


def key_text(keys: Keys) -> str:
    """An entry's keys written so that no two differ and read the same: each text as its
    length, a colon and itself, or ``-`` when there is none; the version as digits and a colon.
    """
    at, originator, version, action, actor, unit, directive, subject = keys
    return (
        f"{len(at)}:{at}{len(originator)}:{originator}{version}:{len(action)}:{action}"
        f"{'-' if actor is None else f'{len(actor)}:{actor}'}"
        f"{'-' if unit is None else f'{len(unit)}:{unit}'}"
        f"{'-' if directive is None else f'{len(directive)}:{directive}'}"
        f"{'-' if subject is None else f'{len(subject)}:{subject}'}"
    )


ZERO = bytes(32)
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")

ENTRY_COLUMNS = (
    "position",
    "leaf_index",
    "recorded_at",
    "originator_id",
    "originator_version",
    "action",
    "actor",
    "actor_unit",
    "directive",
    "subject_unit",
    "leaf_hash",
    "chain_hash",
)
# Columns of the trail as an earlier version wrote it (each entry's story was stored): a trail
# that has them is made again from the log (``create_tables``).
_EARLIER_COLUMNS = ("summary_vi", "summary_en", "changes")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the trail as stored: its place, its keys (what it is searched by) and its
    hashes. What it shows is made from its record when read (``projections.trail``)."""

    position: int
    leaf_index: int
    recorded_at: str
    originator_id: str
    originator_version: int
    action: str
    actor: str | None
    actor_unit: str | None
    directive: str | None
    subject_unit: str | None
    leaf_hash: bytes
    chain_hash: bytes

    def row(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in ENTRY_COLUMNS)


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A row of the event log as stored, with its position."""

    position: int
    originator: UUID
    originator_version: int
    topic: str
    state: bytes

    def leaf(self) -> bytes:
        """Its leaf record (``domain.shared.merkle.event_record``)."""
        return event_record(
            self.position, self.originator.bytes, self.originator_version, self.topic, self.state
        )

    def stored_event(self) -> StoredEvent:
        return StoredEvent(self.originator, self.originator_version, self.topic, self.state)


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    tree_size: int
    position: int  # the position of the last record the tree covers
    root: bytes
    note: str
    signed_at: str


@dataclass(slots=True)
class TreeState:
    """Where the projection stands: its position, the tree's frontier and the chain's head."""

    position: int = 0
    size: int = 0
    frontier: list[bytes] = field(default_factory=list)
    chain: bytes = ZERO


@dataclass(frozen=True, slots=True)
class Confinement:
    """What a department officer may read of the trail: every entry of the directives its unit
    leads or coordinates now, and the entries of no directive that its people made or that
    concern its unit (its accounts, its place in the registry)."""

    unit: str
    directives: tuple[str, ...]  # references


@dataclass(frozen=True, slots=True)
class AuditFilters:
    actor: str | None = None
    unit: str | None = None  # the actor's unit or the unit the event concerns
    directive: str | None = None
    action: str | None = None
    recorded_from: str | None = None
    recorded_to: str | None = None
    confined: Confinement | None = None


class TrackingConflictError(IntegrityError):
    """Another process moved the audit projection on since this batch started."""


class AuditStore:
    """The audit tables in the application's own database."""

    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore, prefix: str = "audit"):
        if not _NAME.match(prefix):
            msg = f"not a table prefix: {prefix!r}"
            raise ValueError(msg)
        self.datastore = datastore
        self.prefix = prefix
        self.postgres = isinstance(datastore, PostgresDatastore)
        schema = datastore.schema if isinstance(datastore, PostgresDatastore) else ""
        self._qualifier = f'"{schema}".' if schema else ""

    def t(self, name: str) -> str:
        return f'{self._qualifier}"{self.prefix}_{name}"'

    def q(self, statement: str) -> str:
        """Statements are written with ``?``; psycopg wants ``%s``."""
        return statement.replace("?", "%s") if self.postgres else statement

    # --- schema ------------------------------------------------------------------------------

    def create_tables(self) -> None:
        blob = "bytea" if self.postgres else "BLOB"
        big = "bigint" if self.postgres else "INTEGER"
        t, p = self.t, self.prefix
        statements = [
            f"""CREATE TABLE IF NOT EXISTS {t("entries")} (
                position {big} PRIMARY KEY, leaf_index {big} NOT NULL UNIQUE,
                recorded_at TEXT NOT NULL, originator_id TEXT NOT NULL,
                originator_version {big} NOT NULL, action TEXT NOT NULL, actor TEXT,
                actor_unit TEXT, directive TEXT, subject_unit TEXT,
                leaf_hash {blob} NOT NULL, chain_hash {blob} NOT NULL,
                UNIQUE (originator_id, originator_version))""",
            f"CREATE INDEX IF NOT EXISTS {p}_entries_actor ON {t('entries')} (actor, position)",
            f"CREATE INDEX IF NOT EXISTS {p}_entries_actor_unit ON {t('entries')} "
            "(actor_unit, position)",
            f"CREATE INDEX IF NOT EXISTS {p}_entries_subject_unit ON {t('entries')} "
            "(subject_unit, position)",
            f"CREATE INDEX IF NOT EXISTS {p}_entries_directive ON {t('entries')} "
            "(directive, position)",
            f"CREATE INDEX IF NOT EXISTS {p}_entries_action ON {t('entries')} (action, position)",
            f"CREATE INDEX IF NOT EXISTS {p}_entries_time ON {t('entries')} (recorded_at)",
            f"""CREATE TABLE IF NOT EXISTS {t("nodes")} (level INTEGER NOT NULL,
                idx {big} NOT NULL, hash {blob} NOT NULL, PRIMARY KEY (level, idx))""",
            f"""CREATE TABLE IF NOT EXISTS {t("checkpoints")} (tree_size {big} PRIMARY KEY,
                position {big} NOT NULL, root {blob} NOT NULL, note TEXT NOT NULL,
                signed_at TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {t("state")} (id INTEGER PRIMARY KEY,
                size {big} NOT NULL, frontier {blob} NOT NULL, chain {blob} NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {t("tracking")} (application_name TEXT PRIMARY KEY,
                notification_id {big} NOT NULL)""",
        ]
        with self.datastore.transaction(commit=True) as c:
            if _EARLIER_COLUMNS[0] in self._columns(c, "entries"):
                # An earlier version stored each entry's story, which nothing verified: the trail
                # is made again from the log. Its signed checkpoints stay.
                for name in ("entries", "nodes", "state", "tracking"):
                    c.execute(f"DROP TABLE IF EXISTS {self.t(name)}")
            for statement in statements:
                c.execute(statement)
            c.execute(
                self.q(f"INSERT INTO {t('state')} VALUES (1, 0, ?, ?) ON CONFLICT DO NOTHING"),
                (b"", ZERO),
            )

    def _columns(self, c: Any, table: str) -> set[str]:
        if self.postgres:
            schema = self.datastore.schema if isinstance(self.datastore, PostgresDatastore) else ""
            c.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = COALESCE(NULLIF(%s, ''), current_schema()) "
                "AND table_name = %s",
                (schema, f"{self.prefix}_{table}"),
            )
            return {r["column_name"] for r in c.fetchall()}
        c.execute(f"PRAGMA table_info({self.t(table)})")
        return {r["name"] for r in c.fetchall()}

    def drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for name in ("entries", "nodes", "checkpoints", "state", "tracking"):
                c.execute(f"DROP TABLE IF EXISTS {self.t(name)}")

    # --- the projection's writes -------------------------------------------------------------

    def load_state(self, application_name: str) -> TreeState:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT size, frontier, chain FROM {self.t('state')} WHERE id = 1")
            row = c.fetchone()
            position = self._tracking(c, application_name)
        if row is None:
            msg = "the audit tables have no state row: create them first"
            raise LookupError(msg)
        frontier = bytes(row["frontier"])
        nodes = [frontier[i : i + 32] for i in range(0, len(frontier), 32)]
        return TreeState(position, int(row["size"]), nodes, bytes(row["chain"]))

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
        """A batch, the tree's new state and the new tracking position, in one transaction; refused
        (TrackingConflictError, nothing written) unless the projection still stands at ``start``."""
        t = self.t
        with self.datastore.transaction(commit=True) as c:
            if self.postgres:
                c.execute(f"SELECT size FROM {t('state')} WHERE id = 1 FOR UPDATE")
            if self._tracking(c, application_name) != start:
                msg = f"the audit projection is no longer at position {start}"
                raise TrackingConflictError(msg)
            if isinstance(c, psycopg.Cursor):  # one COPY, not a statement per entry
                columns = ", ".join(ENTRY_COLUMNS)
                with c.copy(f"COPY {t('entries')} ({columns}) FROM STDIN") as copy:
                    for entry in entries:
                        copy.write_row(storable_row(entry.row()))
            else:
                marks = ", ".join("?" * len(ENTRY_COLUMNS))
                c.executemany(
                    self.q(f"INSERT INTO {t('entries')} VALUES ({marks})"),
                    [storable_row(e.row()) for e in entries],
                )
            if nodes:
                c.executemany(self.q(f"INSERT INTO {t('nodes')} VALUES (?, ?, ?)"), list(nodes))
            for cp in checkpoints:
                self._insert_checkpoint(c, cp)
            c.execute(
                self.q(f"UPDATE {t('state')} SET size = ?, frontier = ?, chain = ? WHERE id = 1"),
                (state.size, b"".join(state.frontier), state.chain),
            )
            c.execute(
                self.q(
                    f"INSERT INTO {t('tracking')} VALUES (?, ?) ON CONFLICT (application_name) "
                    "DO UPDATE SET notification_id = excluded.notification_id"
                ),
                (application_name, state.position),
            )

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> bool:
        """Store an on-demand checkpoint; False if one of that size was already there."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self.q(f"SELECT 1 FROM {self.t('checkpoints')} WHERE tree_size = ?"),
                (checkpoint.tree_size,),
            )
            if c.fetchone() is not None:
                return False
            self._insert_checkpoint(c, checkpoint)
            return True

    def _insert_checkpoint(self, c: Any, cp: StoredCheckpoint) -> None:
        c.execute(
            self.q(f"INSERT INTO {self.t('checkpoints')} VALUES (?, ?, ?, ?, ?)"),
            (cp.tree_size, cp.position, cp.root, cp.note, cp.signed_at),
        )

    def _tracking(self, c: Any, application_name: str) -> int:
        c.execute(
            self.q(f"SELECT notification_id FROM {self.t('tracking')} WHERE application_name = ?"),
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
        conditions: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("actor", filters.actor),
            ("directive", filters.directive),
            ("action", filters.action),
        ):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        if filters.unit is not None:
            conditions.append("(actor_unit = ? OR subject_unit = ?)")
            params += [filters.unit, filters.unit]
        if (confined := filters.confined) is not None:
            # PostgreSQL takes the references as one array; SQLite as one JSON array.
            among = "= ANY(?)" if self.postgres else "IN (SELECT value FROM json_each(?))"
            conditions.append(
                "((directive IS NULL AND (actor_unit = ? OR subject_unit = ?))"
                f" OR directive {among})"
            )
            references = list(confined.directives)
            params += [
                confined.unit,
                confined.unit,
                references if self.postgres else json.dumps(references),
            ]
        if filters.recorded_from is not None:
            conditions.append("recorded_at >= ?")
            params.append(filters.recorded_from)
        if filters.recorded_to is not None:
            conditions.append("recorded_at < ?")
            params.append(filters.recorded_to)
        if after is not None:
            conditions.append("position > ?")
            params.append(after)
        if before is not None:
            conditions.append("position < ?")
            params.append(before)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        order = "DESC" if newest_first else "ASC"
        statement = (
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM {self.t('entries')} {where} "
            f"ORDER BY position {order} LIMIT ?"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.q(statement), (*params, limit))
            return [_entry(r) for r in c.fetchall()]

    def recorded_position(self, originator_id: str, originator_version: int) -> int | None:
        """Where the audit trail saw this event of this aggregate recorded."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self.q(
                    f"SELECT position FROM {self.t('entries')} "
                    "WHERE originator_id = ? AND originator_version = ?"
                ),
                (originator_id, originator_version),
            )
            row = c.fetchone()
        return None if row is None else int(row["position"])

    def leaves(
        self, after: int, upto: int | None = None, limit: int | None = None
    ) -> list[TrailRow]:
        """(position, leaf index, leaf hash, chain hash) after ``after`` and up to ``upto``, in
        log order, for verification."""
        bounds = "position > ?" + ("" if upto is None else " AND position <= ?")
        rows = self._tuples(
            f"SELECT position, leaf_index, leaf_hash, chain_hash FROM {self.t('entries')} "
            f"WHERE {bounds} ORDER BY position" + ("" if limit is None else f" LIMIT {int(limit)}"),
            (after,) if upto is None else (after, upto),
        )
        if self.postgres:  # binary rows are already ints and bytes
            return cast("list[TrailRow]", rows)
        return [(int(p), int(i), bytes(leaf), bytes(chain)) for p, i, leaf, chain in rows]

    def key_rows(self, after: int, upto: int) -> list[tuple[int, Keys]]:
        """(position, keys) of the entries after ``after`` up to ``upto``, in log order."""
        rows = self._tuples(
            f"SELECT position, {', '.join(KEY_COLUMNS)} FROM {self.t('entries')}"
            " WHERE position > ? AND position <= ? ORDER BY position",
            (after, upto),
        )
        return [(int(r[0]), _keys(r[1:])) for r in rows]

    def key_page(self, after: int, upto: int) -> tuple[list[int], str]:
        """The positions of the entries after ``after`` up to ``upto`` and their keys written one
        after another (``key_text``), in log order: what a verifier compares a page by.
        PostgreSQL writes the text (it only lays the stored values side by side; what they must
        be, and the comparison, stay with the verifier)."""
        if self.postgres:
            rows = self._tuples(
                "SELECT array_agg(position ORDER BY position),"
                f" string_agg({_KEY_TEXT}, '' ORDER BY position)"
                f" FROM {self.t('entries')} WHERE position > ? AND position <= ?",
                (after, upto),
            )
            positions, text = rows[0]
            return ([], "") if positions is None else (list(positions), text)
        found = self.key_rows(after, upto)
        return [p for p, _ in found], "".join(key_text(k) for _, k in found)

    def leaf_rows(self, first: int, end: int) -> list[tuple[int, int, bytes]]:
        """(leaf index, position, leaf hash) of the leaves with indexes from ``first`` up to
        ``end`` (excluded), in order."""
        rows = self._tuples(
            f"SELECT leaf_index, position, leaf_hash FROM {self.t('entries')}"
            " WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index",
            (first, end),
        )
        return [(int(i), int(p), bytes(leaf)) for i, p, leaf in rows]

    def leaf_page(self, after: int, upto: int) -> TrailPage:
        """The trail after ``after`` up to ``upto`` as one page: positions, leaf indexes, and
        each entry's leaf hash and chain hash joined (64 bytes an entry), in log order.

        A verifier compares the page whole with what it recomputed; PostgreSQL sends it as one
        row (three arrays) instead of a row per entry, half the cost of ``leaves``.
        """
        if self.postgres:
            rows = self._tuples(
                "SELECT array_agg(position ORDER BY position),"
                " array_agg(leaf_index ORDER BY position),"
                " string_agg(leaf_hash || chain_hash, '' ORDER BY position)"
                f" FROM {self.t('entries')} WHERE position > ? AND position <= ?",
                (after, upto),
            )
            positions, indexes, joined = rows[0]
            if positions is None:
                return [], [], b""
            return list(positions), list(indexes), bytes(joined)
        trail = self.leaves(after, upto)
        return (
            [p for p, _, _, _ in trail],
            [i for _, i, _, _ in trail],
            b"".join(leaf + chain for _, _, leaf, chain in trail),
        )

    def records(self, events_table: str, after: int, limit: int) -> list[tuple[int, bytes]]:
        """(position, leaf record) of the next stored events after ``after``, in log order.

        The record is ``domain.shared.merkle.event_record`` of the row. PostgreSQL joins the row's
        columns into it (the same bytes: big-endian integers, the id's 16 bytes): the database only
        copies the stored columns side by side, and the hashing and every comparison stay with the
        verifier, so nothing here asks the database to vouch for itself. A test compares the two.
        """
        if self.postgres:
            rows = self._tuples(
                "SELECT notification_id, pg_catalog.int8send(notification_id)"
                " || pg_catalog.uuid_send(originator_id::uuid)"
                " || pg_catalog.int8send(originator_version)"
                " || pg_catalog.int2send(pg_catalog.octet_length(topic)::int2)"
                " || pg_catalog.convert_to(topic, 'UTF8') || state"
                f' FROM {self._qualifier}"{events_table}"'
                " WHERE notification_id > ? ORDER BY notification_id LIMIT ?",
                (after, limit),
            )
            return cast("list[tuple[int, bytes]]", rows)  # binary rows: ints and bytes already
        rows = self._tuples(
            "SELECT rowid, originator_id, originator_version, topic, state"
            f' FROM "{events_table}" WHERE rowid > ? ORDER BY rowid LIMIT ?',
            (after, limit),
        )
        return [
            (int(p), event_record(int(p), UUID(oid).bytes, int(v), topic, bytes(state)))
            for p, oid, v, topic, state in rows
        ]

    def records_at(self, events_table: str, positions: Sequence[int]) -> list[StoredRecord]:
        """The stored events at these positions (those still there)."""
        if not positions:
            return []
        wanted = sorted(set(positions))
        if self.postgres:
            rows = self._tuples(
                "SELECT notification_id, originator_id, originator_version, topic, state"
                f' FROM {self._qualifier}"{events_table}" WHERE notification_id = ANY(?)',
                (wanted,),
            )
            return [StoredRecord(p, o, v, t, bytes(s)) for p, o, v, t, s in rows]
        found = []
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            found += self._tuples(
                "SELECT rowid, originator_id, originator_version, topic, state"
                f' FROM "{events_table}" WHERE rowid IN ({", ".join("?" * len(chunk))})',
                chunk,
            )
        return [StoredRecord(int(p), UUID(o), int(v), t, bytes(s)) for p, o, v, t, s in found]

    def records_of(
        self,
        events_table: str,
        wanted: Mapping[UUID, int],
        topics: Sequence[str] | None = None,
    ) -> list[StoredRecord]:
        """Each aggregate's stored events up to its given version (of these topics only, if
        given), in version order."""
        ids = list(wanted)
        topic_clause = ""
        if topics is not None:
            topic_clause = f" AND topic IN ({', '.join('?' * len(topics))})"
        found: list[tuple[Any, ...]] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            if self.postgres:
                found += self._tuples(
                    "SELECT notification_id, originator_id, originator_version, topic, state"
                    f' FROM {self._qualifier}"{events_table}" WHERE originator_id = ANY(?)'
                    f"{topic_clause} ORDER BY originator_id, originator_version",
                    (chunk, *(topics or ())),
                )
            else:
                found += self._tuples(
                    "SELECT rowid, originator_id, originator_version, topic, state"
                    f' FROM "{events_table}"'
                    f" WHERE originator_id IN ({', '.join('?' * len(chunk))}){topic_clause}"
                    " ORDER BY originator_id, originator_version",
                    (*(c.hex for c in chunk), *(topics or ())),
                )
        records = [
            StoredRecord(int(p), o if isinstance(o, UUID) else UUID(o), int(v), t, bytes(s))
            for p, o, v, t, s in found
        ]
        return [r for r in records if r.originator_version <= wanted[r.originator]]

    def _tuples(self, statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows as tuples, in PostgreSQL's binary format: what a walk over the whole log reads.

        Without JIT compilation: a page is read in milliseconds, and a trail without statistics
        (written since the last ANALYZE) is costed high enough to be compiled for each page, which
        took longer than reading it (ten million entries: 11-32 ms a page against 7-8 ms).
        """
        datastore = self.datastore
        if isinstance(datastore, PostgresDatastore):
            with (
                datastore.get_connection() as conn,
                conn.transaction(force_rollback=True),
                conn.cursor(row_factory=tuple_row, binary=True) as c,
            ):
                c.execute("SET LOCAL jit = off")
                c.execute(self.q(statement), params)
                return c.fetchall()
        with datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [tuple(row) for row in c.fetchall()]

    def leaf_at(self, position: int) -> tuple[int, int] | None:
        """(leaf index, position) of the last record at or before ``position``."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self.q(
                    f"SELECT leaf_index, position FROM {self.t('entries')} WHERE position <= ? "
                    "ORDER BY position DESC LIMIT 1"
                ),
                (position,),
            )
            row = c.fetchone()
        return None if row is None else (int(row["leaf_index"]), int(row["position"]))

    def position_of_leaf(self, leaf_index: int) -> int | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self.q(f"SELECT position FROM {self.t('entries')} WHERE leaf_index = ?"),
                (leaf_index,),
            )
            row = c.fetchone()
        return None if row is None else int(row["position"])

    def record_at(self, position: int) -> Entry | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self.q(
                    f"SELECT {', '.join(ENTRY_COLUMNS)} FROM {self.t('entries')} WHERE position = ?"
                ),
                (position,),
            )
            row = c.fetchone()
        return None if row is None else _entry(row)

    def hashes(
        self, leaves: set[int], nodes: set[tuple[int, int]]
    ) -> tuple[dict[int, bytes], dict[tuple[int, int], bytes]]:
        """Stored leaf hashes by leaf index and subtree hashes by (height, index)."""
        found_leaves: dict[int, bytes] = {}
        found_nodes: dict[tuple[int, int], bytes] = {}
        with self.datastore.transaction(commit=False) as c:
            wanted = sorted(leaves)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                c.execute(
                    self.q(
                        f"SELECT leaf_index, leaf_hash FROM {self.t('entries')} "
                        f"WHERE leaf_index IN ({', '.join('?' * len(chunk))})"
                    ),
                    chunk,
                )
                for r in c.fetchall():
                    found_leaves[int(r["leaf_index"])] = bytes(r["leaf_hash"])
            by_level: dict[int, list[int]] = {}
            for level, idx in nodes:
                by_level.setdefault(level, []).append(idx)
            for level, indexes in by_level.items():
                for i in range(0, len(indexes), 500):
                    chunk = indexes[i : i + 500]
                    c.execute(
                        self.q(
                            f"SELECT idx, hash FROM {self.t('nodes')} WHERE level = ? "
                            f"AND idx IN ({', '.join('?' * len(chunk))})"
                        ),
                        (level, *chunk),
                    )
                    for r in c.fetchall():
                        found_nodes[level, int(r["idx"])] = bytes(r["hash"])
        return found_leaves, found_nodes

    def iter_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT level, idx, hash FROM {self.t('nodes')} ORDER BY level, idx")
            rows = c.fetchall()
        for r in rows:
            yield int(r["level"]), int(r["idx"]), bytes(r["hash"])

    def checkpoints(self) -> list[StoredCheckpoint]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT tree_size, position, root, note, signed_at FROM {self.t('checkpoints')} "
                "ORDER BY tree_size"
            )
            return [_checkpoint(r) for r in c.fetchall()]

    def checkpoints_between(self, low: int, high: int) -> list[StoredCheckpoint]:
        """The checkpoints of trees of more than ``low`` and at most ``high`` records."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self.q(
                    "SELECT tree_size, position, root, note, signed_at "
                    f"FROM {self.t('checkpoints')} WHERE tree_size > ? AND tree_size <= ? "
                    "ORDER BY tree_size"
                ),
                (low, high),
            )
            return [_checkpoint(r) for r in c.fetchall()]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        return self._one_checkpoint("ORDER BY tree_size DESC LIMIT 1", ())

    def checkpoint_covering(self, tree_size: int) -> StoredCheckpoint | None:
        """The first checkpoint whose tree holds at least ``tree_size`` records."""
        return self._one_checkpoint("WHERE tree_size >= ? ORDER BY tree_size LIMIT 1", (tree_size,))

    def checkpoint_of_size(self, tree_size: int) -> StoredCheckpoint | None:
        return self._one_checkpoint("WHERE tree_size = ?", (tree_size,))

    def _one_checkpoint(self, tail: str, params: tuple[Any, ...]) -> StoredCheckpoint | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self.q(
                    "SELECT tree_size, position, root, note, signed_at "
                    f"FROM {self.t('checkpoints')} {tail}"
                ),
                params,
            )
            row = c.fetchone()
        return None if row is None else _checkpoint(row)


def _entry(r: Any) -> Entry:
    return Entry(
        position=int(r["position"]),
        leaf_index=int(r["leaf_index"]),
        recorded_at=r["recorded_at"],
        originator_id=r["originator_id"],
        originator_version=int(r["originator_version"]),
        action=r["action"],
        actor=r["actor"],
        actor_unit=r["actor_unit"],
        directive=r["directive"],
        subject_unit=r["subject_unit"],
        leaf_hash=bytes(r["leaf_hash"]),
        chain_hash=bytes(r["chain_hash"]),
    )


def _keys(values: Sequence[Any]) -> Keys:
    """Keys as read (SQLite gives integers as ints already; both give text as str)."""
    at, originator, version, action, actor, unit, directive, subject = values
    return (at, originator, int(version), action, actor, unit, directive, subject)


def _checkpoint(r: Any) -> StoredCheckpoint:
    return StoredCheckpoint(
        int(r["tree_size"]), int(r["position"]), bytes(r["root"]), r["note"], r["signed_at"]
    )


def utc_text(moment: datetime) -> str:
    """The stored form of a moment, the same as the oversight tables' (``ts``), made afresh:
    every entry's moment is its own, so ``ts``'s cache would only fill with them (a follower
    grew by 20 MB before it was full) and evict the board's moments, which do repeat."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
