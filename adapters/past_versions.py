"""A directive at a past version in one query on PostgreSQL (``domain.application.PastVersions``).

The library rebuilds an aggregate at version N with two queries: its newest snapshot at or before
N, then its events after that snapshot up to N. Here both come in one statement, the snapshot
first; the application decodes and replays them exactly as the library would (a test reads every
version of a snapshotted directive both ways). ``read_many`` does the same for many aggregates,
each at its own version, in one statement: what the audit trail needs for a batch of events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresDatastore
from psycopg import sql

from domain.application import Thucthi


class PostgresPastVersions:
    def __init__(self, datastore: PostgresDatastore, *, events: str, snapshots: str) -> None:
        self.datastore = datastore
        schema = sql.Identifier(datastore.schema)
        self.statement = sql.SQL(
            "WITH snapshot AS ("
            " SELECT originator_id, originator_version, topic, state FROM {schema}.{snapshots}"
            " WHERE originator_id = %(id)s AND originator_version <= %(version)s"
            " ORDER BY originator_version DESC LIMIT 1) "
            "SELECT 0 AS part, * FROM snapshot "
            "UNION ALL "
            "SELECT 1, originator_id, originator_version, topic, state FROM {schema}.{events}"
            " WHERE originator_id = %(id)s AND originator_version <= %(version)s"
            " AND originator_version > COALESCE((SELECT originator_version FROM snapshot), 0) "
            "ORDER BY part, originator_version"
        ).format(schema=schema, snapshots=sql.Identifier(snapshots), events=sql.Identifier(events))
        self.many_statement = sql.SQL(
            "WITH wanted AS ("
            " SELECT * FROM unnest(%(ids)s::uuid[], %(versions)s::bigint[]) AS w(id, version)), "
            "snapshot AS ("
            " SELECT w.id, w.version, s.originator_version, s.topic, s.state FROM wanted w"
            " LEFT JOIN LATERAL (SELECT originator_version, topic, state FROM {schema}.{snapshots}"
            "  WHERE originator_id = w.id AND originator_version <= w.version"
            "  ORDER BY originator_version DESC LIMIT 1) s ON true) "
            "SELECT id, 0 AS part, originator_version, topic, state FROM snapshot"
            " WHERE originator_version IS NOT NULL "
            "UNION ALL "
            "SELECT s.id, 1, e.originator_version, e.topic, e.state FROM snapshot s"
            " JOIN {schema}.{events} e ON e.originator_id = s.id"
            " AND e.originator_version > COALESCE(s.originator_version, 0)"
            " AND e.originator_version <= s.version "
            "ORDER BY 1, 2, 3"
        ).format(schema=schema, snapshots=sql.Identifier(snapshots), events=sql.Identifier(events))

    @classmethod
    def of(cls, app: Thucthi) -> PostgresPastVersions | None:
        """For an application on PostgreSQL that keeps snapshots; None otherwise."""
        recorder: Any = app.recorder
        snapshots: Any = app.snapshots.recorder if app.snapshots is not None else None
        if not (
            isinstance(recorder, PostgresAggregateRecorder)
            and isinstance(snapshots, PostgresAggregateRecorder)
        ):
            return None
        return cls(
            recorder.datastore,
            events=recorder.events_table_name,
            snapshots=snapshots.events_table_name,
        )

    def read(self, aggregate_id: UUID, version: int) -> Sequence[StoredEvent]:
        params = {"id": aggregate_id, "version": version}
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(self.statement, params, prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in cursor.fetchall()
            ]

    def read_many(self, wanted: Mapping[UUID, int]) -> dict[UUID, list[StoredEvent]]:
        if not wanted:
            return {}
        params = {"ids": list(wanted), "versions": list(wanted.values())}
        found: dict[UUID, list[StoredEvent]] = {}
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(self.many_statement, params, prepare=True)
            for row in cursor.fetchall():
                found.setdefault(row["id"], []).append(
                    StoredEvent(
                        originator_id=row["id"],
                        originator_version=row["originator_version"],
                        topic=row["topic"],
                        state=bytes(row["state"]),
                    )
                )
        return found
