"""The index of filed files (``readmodels.filed``) on PostgreSQL: part of
``PostgresOversightView``, written in its transaction."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from readmodels.changes import Changes
from readmodels.filed import TABLES, FiledRow

__all__ = ["INDEXES", "TABLES", "PostgresFiled"]
INDEXES = ("filed_files_pkey", "filed_files_digest")


class PostgresFiled:
    """The filed files' table and where the index began."""

    def __init__(
        self,
        datastore: PostgresDatastore,
        table: Callable[[str], sql.Composed],
        ident: Callable[[str], sql.Identifier],
    ) -> None:
        self.datastore, self.table, self.ident = datastore, table, ident

    def create_statements(self) -> list[sql.Composed]:
        """After the tracking table's: a view that had a position before this table existed
        begins its index there."""
        t, i = self.table, self.ident
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (position bigint, digest text NOT NULL, "
                "document_id uuid NOT NULL, version integer NOT NULL, "
                "recorded_at timestamptz NOT NULL, CONSTRAINT {} PRIMARY KEY (position))"
            ).format(t("filed_files"), i("filed_files_pkey")),
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (position bigint NOT NULL)").format(
                t("filed_since")
            ),
            sql.SQL(
                "INSERT INTO {since} SELECT coalesce(max(notification_id), 0) FROM {tracking} "
                "WHERE NOT EXISTS (SELECT FROM {since})"
            ).format(since=t("filed_since"), tracking=t("tracking")),
        ]

    def index_statements(self) -> list[sql.Composed]:
        return [
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (digest)").format(
                self.ident("filed_files_digest"), self.table("filed_files")
            )
        ]

    def write(self, c: Cursor[DictRow], changes: Changes) -> None:
        rows = changes.filed_files
        if rows:
            c.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT * FROM unnest(%s::bigint[], %s::text[], %s::uuid[], "
                    "%s::integer[], %s::timestamptz[])"
                ).format(self.table("filed_files")),
                (
                    [r.position for r in rows],
                    [r.digest for r in rows],
                    [r.document_id for r in rows],
                    [r.version for r in rows],
                    [r.recorded_at for r in rows],
                ),
            )

    def since(self) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql.SQL("SELECT position FROM {}").format(self.table("filed_since")))
            found = c.fetchone()
        return 0 if found is None else int(found["position"])

    def rows(self, digest: str) -> list[FiledRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT digest, document_id, version, position, recorded_at FROM {} "
                    "WHERE digest = %s ORDER BY position"
                ).format(self.table("filed_files")),
                (digest,),
            )
            return [
                FiledRow(
                    r["digest"], r["document_id"], r["version"], r["position"], r["recorded_at"]
                )
                for r in c.fetchall()
            ]

    def documents(self) -> set[UUID]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL("SELECT document_id FROM {} WHERE version = 1").format(
                    self.table("filed_files")
                )
            )
            return {r["document_id"] for r in c.fetchall()}
