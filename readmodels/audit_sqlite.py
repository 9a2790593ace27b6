"""The audit trail's tables on SQLite (``readmodels.audit.AuditStore``).

SQLite has no way to compose an identifier, so the tables' names are written into the statements
from a prefix that ``check_trail_prefix`` let through, and every value is bound with ``?``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from domain.shared.merkle import event_record
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
    key_text,
    keys_of,
    tree_state,
    up_to_versions,
)
from readmodels.text import storable_row

_CONDITIONS: dict[Condition, str] = {
    "actor": "actor = ?",
    "directive": "directive = ?",
    "action": "action = ?",
    "unit": "(actor_unit = ? OR subject_unit = ?)",
    # The references come as one JSON array.
    "confined": "((directive IS NULL AND (actor_unit = ? OR subject_unit = ?))"
    " OR directive IN (SELECT value FROM json_each(?)))",
    "recorded_from": "recorded_at >= ?",
    "recorded_to": "recorded_at < ?",
    "after": "position > ?",
    "before": "position < ?",
}
_CHUNK = 500  # values bound in one IN (...): well below SQLite's limit on variables


class SQLiteAuditStore(AuditStore):
    def __init__(self, datastore: SQLiteDatastore, prefix: str = "audit") -> None:
        self.datastore = datastore
        self.prefix = check_trail_prefix(prefix)

    def t(self, name: str) -> str:
        return f'"{self.prefix}_{name}"'

    # --- schema ------------------------------------------------------------------------------

    def create_tables(self) -> None:
        t, p = self.t, self.prefix
        statements = [
            f"""CREATE TABLE IF NOT EXISTS {t("entries")} (
                position INTEGER PRIMARY KEY, leaf_index INTEGER NOT NULL UNIQUE,
                recorded_at TEXT NOT NULL, originator_id TEXT NOT NULL,
                originator_version INTEGER NOT NULL, action TEXT NOT NULL, actor TEXT,
                actor_unit TEXT, directive TEXT, subject_unit TEXT,
                leaf_hash BLOB NOT NULL, chain_hash BLOB NOT NULL,
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
                idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx))""",
            f"""CREATE TABLE IF NOT EXISTS {t("checkpoints")} (tree_size INTEGER PRIMARY KEY,
                position INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL,
                signed_at TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {t("state")} (id INTEGER PRIMARY KEY,
                size INTEGER NOT NULL, frontier BLOB NOT NULL, chain BLOB NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {t("tracking")} (application_name TEXT PRIMARY KEY,
                notification_id INTEGER NOT NULL)""",
        ]
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"PRAGMA table_info({t('entries')})")
            if EARLIER_COLUMNS[0] in {r["name"] for r in c.fetchall()}:
                # An earlier version stored each entry's story, which nothing verified: the trail
                # is made again from the log. Its signed checkpoints stay.
                for name in ("entries", "nodes", "state", "tracking"):
                    c.execute(f"DROP TABLE IF EXISTS {t(name)}")
            for statement in statements:
                c.execute(statement)
            c.execute(
                f"INSERT INTO {t('state')} VALUES (1, 0, ?, ?) ON CONFLICT DO NOTHING", (b"", ZERO)
            )

    def drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for name in TABLES:
                c.execute(f"DROP TABLE IF EXISTS {self.t(name)}")

    # --- the projection's writes -------------------------------------------------------------

    def load_state(self, application_name: str) -> TreeState:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT size, frontier, chain FROM {self.t('state')} WHERE id = 1")
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
        t = self.t
        with self.datastore.transaction(commit=True) as c:
            if self._tracking(c, application_name) != start:
                msg = f"the audit projection is no longer at position {start}"
                raise TrackingConflictError(msg)
            marks = ", ".join("?" * len(ENTRY_COLUMNS))
            c.executemany(
                f"INSERT INTO {t('entries')} VALUES ({marks})",
                [storable_row(e.row()) for e in entries],
            )
            if nodes:
                c.executemany(f"INSERT INTO {t('nodes')} VALUES (?, ?, ?)", list(nodes))
            for cp in checkpoints:
                self._insert_checkpoint(c, cp)
            c.execute(
                f"UPDATE {t('state')} SET size = ?, frontier = ?, chain = ? WHERE id = 1",
                (state.size, b"".join(state.frontier), state.chain),
            )
            c.execute(
                f"INSERT INTO {t('tracking')} VALUES (?, ?) ON CONFLICT (application_name) "
                "DO UPDATE SET notification_id = excluded.notification_id",
                (application_name, state.position),
            )

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"SELECT 1 FROM {self.t('checkpoints')} WHERE tree_size = ?",
                (checkpoint.tree_size,),
            )
            if c.fetchone() is not None:
                return False
            self._insert_checkpoint(c, checkpoint)
            return True

    def _insert_checkpoint(self, c: SQLiteCursor, cp: StoredCheckpoint) -> None:
        c.execute(
            f"INSERT INTO {self.t('checkpoints')} VALUES (?, ?, ?, ?, ?)",
            (cp.tree_size, cp.position, cp.root, cp.note, cp.signed_at),
        )

    def _tracking(self, c: SQLiteCursor, application_name: str) -> int:
        c.execute(
            f"SELECT notification_id FROM {self.t('tracking')} WHERE application_name = ?",
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
        for condition, values in entry_conditions(filters, after, before, json.dumps):
            conditions.append(_CONDITIONS[condition])
            params += values
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        order = "DESC" if newest_first else "ASC"
        rows = self._rows(
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM {self.t('entries')} {where} "
            f"ORDER BY position {order} LIMIT ?",
            (*params, limit),
        )
        return [entry_of(r) for r in rows]

    def recorded_position(self, originator_id: str, originator_version: int) -> int | None:
        row = self._row(
            f"SELECT position FROM {self.t('entries')} "
            "WHERE originator_id = ? AND originator_version = ?",
            (originator_id, originator_version),
        )
        return None if row is None else int(row["position"])

    def leaves(
        self, after: int, upto: int | None = None, limit: int | None = None
    ) -> list[TrailRow]:
        bounds = "position > ?" + ("" if upto is None else " AND position <= ?")
        rows = self._tuples(
            f"SELECT position, leaf_index, leaf_hash, chain_hash FROM {self.t('entries')} "
            f"WHERE {bounds} ORDER BY position" + ("" if limit is None else f" LIMIT {int(limit)}"),
            (after,) if upto is None else (after, upto),
        )
        return [(int(p), int(i), bytes(leaf), bytes(chain)) for p, i, leaf, chain in rows]

    def key_rows(self, after: int, upto: int) -> list[tuple[int, Keys]]:
        rows = self._tuples(
            f"SELECT position, {', '.join(KEY_COLUMNS)} FROM {self.t('entries')}"
            " WHERE position > ? AND position <= ? ORDER BY position",
            (after, upto),
        )
        return [(int(r[0]), keys_of(r[1:])) for r in rows]

    def key_page(self, after: int, upto: int) -> tuple[list[int], str]:
        found = self.key_rows(after, upto)
        return [p for p, _ in found], "".join(key_text(k) for _, k in found)

    def leaf_rows(self, first: int, end: int) -> list[tuple[int, int, bytes]]:
        rows = self._tuples(
            f"SELECT leaf_index, position, leaf_hash FROM {self.t('entries')}"
            " WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index",
            (first, end),
        )
        return [(int(i), int(p), bytes(leaf)) for i, p, leaf in rows]

    def leaf_page(self, after: int, upto: int) -> TrailPage:
        trail = self.leaves(after, upto)
        return (
            [p for p, _, _, _ in trail],
            [i for _, i, _, _ in trail],
            b"".join(leaf + chain for _, _, leaf, chain in trail),
        )

    def records(self, events_table: str, after: int, limit: int) -> list[tuple[int, bytes]]:
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
        wanted = sorted(set(positions))
        found = []
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
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
        ids = list(wanted)
        topic_clause = "" if topics is None else f" AND topic IN ({', '.join('?' * len(topics))})"
        found: list[tuple[Any, ...]] = []
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            found += self._tuples(
                "SELECT rowid, originator_id, originator_version, topic, state"
                f' FROM "{events_table}"'
                f" WHERE originator_id IN ({', '.join('?' * len(chunk))}){topic_clause}"
                " ORDER BY originator_id, originator_version",
                (*(c.hex for c in chunk), *(topics or ())),
            )
        records = [StoredRecord(int(p), UUID(o), int(v), t, bytes(s)) for p, o, v, t, s in found]
        return up_to_versions(records, wanted)

    def leaf_at(self, position: int) -> tuple[int, int] | None:
        row = self._row(
            f"SELECT leaf_index, position FROM {self.t('entries')} WHERE position <= ? "
            "ORDER BY position DESC LIMIT 1",
            (position,),
        )
        return None if row is None else (int(row["leaf_index"]), int(row["position"]))

    def position_of_leaf(self, leaf_index: int) -> int | None:
        row = self._row(
            f"SELECT position FROM {self.t('entries')} WHERE leaf_index = ?", (leaf_index,)
        )
        return None if row is None else int(row["position"])

    def record_at(self, position: int) -> Entry | None:
        row = self._row(
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM {self.t('entries')} WHERE position = ?",
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
                    f"SELECT leaf_index, leaf_hash FROM {self.t('entries')} "
                    f"WHERE leaf_index IN ({', '.join('?' * len(chunk))})",
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
                        f"SELECT idx, hash FROM {self.t('nodes')} WHERE level = ? "
                        f"AND idx IN ({', '.join('?' * len(chunk))})",
                        (level, *chunk),
                    )
                    for r in c.fetchall():
                        found_nodes[level, int(r["idx"])] = bytes(r["hash"])
        return found_leaves, found_nodes

    def iter_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        rows = self._rows(f"SELECT level, idx, hash FROM {self.t('nodes')} ORDER BY level, idx", ())
        for r in rows:
            yield int(r["level"]), int(r["idx"]), bytes(r["hash"])

    def checkpoints(self) -> list[StoredCheckpoint]:
        return [checkpoint_of(r) for r in self._rows(self._checkpoints("ORDER BY tree_size"), ())]

    def checkpoints_between(self, low: int, high: int) -> list[StoredCheckpoint]:
        rows = self._rows(
            self._checkpoints("WHERE tree_size > ? AND tree_size <= ? ORDER BY tree_size"),
            (low, high),
        )
        return [checkpoint_of(r) for r in rows]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        row = self._row(self._checkpoints("ORDER BY tree_size DESC LIMIT 1"), ())
        return None if row is None else checkpoint_of(row)

    def checkpoint_covering(self, tree_size: int) -> StoredCheckpoint | None:
        row = self._row(
            self._checkpoints("WHERE tree_size >= ? ORDER BY tree_size LIMIT 1"), (tree_size,)
        )
        return None if row is None else checkpoint_of(row)

    def checkpoint_of_size(self, tree_size: int) -> StoredCheckpoint | None:
        row = self._row(self._checkpoints("WHERE tree_size = ?"), (tree_size,))
        return None if row is None else checkpoint_of(row)

    def checkpoint_count(self, tree_size: int) -> int:
        row = self._row(
            f"SELECT count(*) FROM {self.t('checkpoints')} WHERE tree_size <= ?", (tree_size,)
        )
        return int(row[0])

    def _checkpoints(self, tail: str) -> str:
        columns = "tree_size, position, root, note, signed_at"
        return f"SELECT {columns} FROM {self.t('checkpoints')} {tail}"

    # --- statements --------------------------------------------------------------------------

    def _rows(self, statement: str, params: Sequence[Any]) -> list[Any]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return list(c.fetchall())

    def _row(self, statement: str, params: Sequence[Any]) -> Any:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return c.fetchone()

    def _tuples(self, statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [tuple(row) for row in c.fetchall()]
