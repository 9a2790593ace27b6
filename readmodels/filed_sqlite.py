"""The index of filed files (``readmodels.filed``) on SQLite: part of ``SQLiteOversightView``,
written in its transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from readmodels.changes import Changes
from readmodels.filed import TABLES, FiledRow
from readmodels.points import ts

__all__ = ["INDEXES", "TABLES", "SQLiteFiled"]
INDEXES = ("filed_files_digest",)


class SQLiteFiled:
    """The filed files' table and where the index began."""

    def __init__(self, datastore: SQLiteDatastore, table: Callable[[str], str]) -> None:
        self.datastore, self.table = datastore, table

    def create_statements(self) -> list[str]:
        """After the tracking table's: a view that had a position before this table existed
        begins its index there."""
        t = self.table
        return [
            f"CREATE TABLE IF NOT EXISTS {t('filed_files')} (position INTEGER PRIMARY KEY, "
            "digest TEXT NOT NULL, document_id TEXT NOT NULL, version INTEGER NOT NULL, "
            "recorded_at TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t('filed_since')} (position INTEGER NOT NULL)",
            f"INSERT INTO {t('filed_since')} SELECT coalesce(max(notification_id), 0) "
            f"FROM {t('tracking')} WHERE NOT EXISTS (SELECT 1 FROM {t('filed_since')})",
        ]

    def index_statements(self) -> list[str]:
        t = self.table
        return [
            f"CREATE INDEX IF NOT EXISTS {t('filed_files_digest')} ON {t('filed_files')} (digest)"
        ]

    def write(self, c: SQLiteCursor, changes: Changes) -> None:
        c.executemany(
            f"INSERT INTO {self.table('filed_files')} VALUES (?, ?, ?, ?, ?)",
            [
                (r.position, r.digest, str(r.document_id), r.version, ts(r.recorded_at))
                for r in changes.filed_files
            ],
        )

    def since(self) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT position FROM {self.table('filed_since')}")
            found = c.fetchone()
        return 0 if found is None else int(found[0])

    def rows(self, digest: str) -> list[FiledRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT digest, document_id, version, position, recorded_at FROM "
                f"{self.table('filed_files')} WHERE digest = ? ORDER BY position",
                (digest,),
            )
            return [
                FiledRow(r[0], UUID(r[1]), r[2], r[3], datetime.fromisoformat(r[4]))
                for r in c.fetchall()
            ]

    def documents(self) -> set[UUID]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT document_id FROM {self.table('filed_files')} WHERE version = 1")
            return {UUID(r[0]) for r in c.fetchall()}
