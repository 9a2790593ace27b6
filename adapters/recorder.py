"""The PostgreSQL recorder: events stored in one statement, and listeners told what was saved.

The library's recorder stores events in a pipelined transaction of several statements (the
lock of the log's table, NOTIFY, the INSERT, then a sync and COMMIT): in Python, driving that
pipeline cost an API worker more of its time than anything else a command does. This one calls a
function (created with the tables) that does the same in one statement, in the statement's own
transaction: it takes the same lock (``EXCLUSIVE``, so notification ids commit in order and no
follower skips a gap), NOTIFYs the same channel, and returns the new notification ids in order.

It also NOTIFYs ``<events table>_saved_<schema>`` with the aggregates saved and their new
versions (``<id hex>:<version>,…``), so that a worker can tell which of the states it holds are
still current (``adapters.freshness``) without asking the database on every request. Notifications
are delivered only if the events commit, and in commit order. A transaction saving more
aggregates than one notification can name (8,000 bytes) sends ``*``: anything may have changed.

A log created by this recorder is partitioned by position (``adapters.log_partitions``), so that
a log kept for decades can have its oldest partitions archived. PostgreSQL enforces a unique key
of a partitioned table only if it includes the partition's column, so the aggregate's
(id, version), which makes two concurrent commands on one aggregate conflict, is checked by the
same function instead: it holds the table's lock, so no other save can come between the check
and the insert, and a conflict raises PostgreSQL's own unique violation, as the key did.

``PostgresFactory`` is the library's, giving every connection the libpq parameters the database
URL carried (``target_session_attrs=read-write`` finds the primary among several hosts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl
from uuid import UUID

import eventsourcing.postgres
import psycopg
from eventsourcing.persistence import (
    ApplicationRecorder,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import Environment, EnvType, retry
from psycopg import sql
from psycopg.sql import SQL, Identifier, Literal

from adapters.log_partitions import DEFAULT_SIZE as DEFAULT_PARTITION_SIZE
from adapters.log_partitions import create_partitioned
from adapters.schema import conninfo_of

MAX_PAYLOAD = 7_999  # PostgreSQL's limit is 8,000 bytes
EVERYTHING = "*"
# Settings of the library's environment that are Thucthi's (adapters.database writes them).
LIBPQ_OPTIONS_SETTING = "POSTGRES_LIBPQ_OPTIONS"  # "name=value&..." given to every connection
PARTITION_SIZE_SETTING = "LOG_PARTITION_SIZE"  # positions per partition of a new log


def saved_channel(events_table: str, schema: str) -> str:
    """One channel per schema: several cities may share a database."""
    return f"{events_table}_saved_{schema}"[:63]


def saved_payload(stored_events: Sequence[StoredEvent]) -> str:
    """The aggregates saved and the highest version of each, or ``*`` if they do not fit."""
    highest: dict[str, int] = {}
    for e in stored_events:
        oid = e.originator_id
        key = oid.hex if isinstance(oid, UUID) else UUID(str(oid)).hex
        if e.originator_version > highest.get(key, 0):
            highest[key] = e.originator_version
    payload = ",".join(f"{key}:{version}" for key, version in highest.items())
    return payload if len(payload) <= MAX_PAYLOAD else EVERYTHING


class SavedNotifyingRecorder(PostgresApplicationRecorder):
    """``PostgresApplicationRecorder`` storing in one statement, plus the saved notification."""

    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        events_table_name: str = "stored_events",
        partition_size: int = DEFAULT_PARTITION_SIZE,
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.partition_size = partition_size
        schema = Identifier(datastore.schema)
        function = Identifier(f"thucthi_store_{events_table_name}"[:63])
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}"
                "(events {schema}.{event}[], saved text) RETURNS SETOF bigint "
                "LANGUAGE plpgsql AS $body$ BEGIN "
                "SET LOCAL lock_timeout = {timeout}; "
                "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
                # The aggregate's (id, version) is unique: the partitioned table cannot say so.
                "IF EXISTS (SELECT FROM {schema}.{table} t JOIN unnest(events) e "
                "ON t.originator_id = e.originator_id "
                "AND t.originator_version = e.originator_version) "
                "OR EXISTS (SELECT FROM unnest(events) e GROUP BY e.originator_id, "
                "e.originator_version HAVING count(*) > 1) THEN "
                "RAISE unique_violation USING MESSAGE = {conflict}; "
                "END IF; "
                "NOTIFY {channel}; "
                "PERFORM pg_catalog.pg_notify({saved_channel}, saved); "
                "RETURN QUERY INSERT INTO {schema}.{table} "
                "(originator_id, originator_version, topic, state) "
                "SELECT originator_id, originator_version, topic, state FROM unnest(events) "
                "RETURNING notification_id; "
                "END $body$"
            ).format(
                schema=schema,
                function=function,
                event=Identifier(self.stored_event_type_name),
                timeout=Literal(f"{datastore.lock_timeout}s"),
                table=Identifier(events_table_name),
                channel=Identifier(self.channel_name),
                saved_channel=Literal(saved_channel(events_table_name, datastore.schema)),
                conflict=Literal(
                    f"duplicate key value violates unique constraint "
                    f'"{events_table_name}_pkey": an aggregate\'s version was stored already'
                ),
            )
        )
        self._store_statement = SQL("SELECT {schema}.{function}(%s, %s) AS id").format(
            schema=schema, function=function
        )

    def _create_table(self, curs: psycopg.Cursor[Any]) -> None:
        """A new log is created partitioned (``adapters.log_partitions``); the library's own
        statements then find its table there. A log created before is left as it is."""
        create_partitioned(
            curs,
            self.datastore.schema,
            self.events_table_name,
            self.datastore.originator_id_type,
            self.partition_size,
        )
        super()._create_table(curs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if kwargs.get("tracking") is not None:  # a process application's: not Thucthi's
            inserted: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return inserted
        if not stored_events:
            return []
        events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._store_statement, (events, saved_payload(stored_events)), prepare=True
            )
            return [int(row["id"]) for row in curs.fetchall()]


@contextmanager
def saves_heard(recorder: object) -> Iterator[Callable[[float], None]]:
    """LISTEN on the log's own channel (the library's recorder NOTIFYs it with each save);
    yields ``heard(timeout)``, which returns once a save was heard (the rest of its burst taken
    with it) or the timeout passed."""
    if not isinstance(recorder, PostgresApplicationRecorder):
        msg = "only a PostgreSQL log can be listened to"
        raise TypeError(msg)
    with psycopg.connect(conninfo_of(recorder.datastore), autocommit=True) as conn:
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(recorder.channel_name)))

        def heard(timeout: float) -> None:
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                pass
            for _ in conn.notifies(timeout=0):  # the rest of a burst: one catch-up for all
                pass

        yield heard


class PostgresFactory(eventsourcing.postgres.PostgresFactory):
    """The library's factory: every connection of its pool also gets the libpq parameters the
    database URL carried (``adapters.database``), and the log is ``SavedNotifyingRecorder``'s,
    partitioned by position in partitions of ``LOG_PARTITION_SIZE``."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        options = self.env.get(LIBPQ_OPTIONS_SETTING) or ""
        extra = dict(parse_qsl(options))
        pool_kwargs = self.datastore.pool.kwargs
        if extra and isinstance(pool_kwargs, dict):
            pool_kwargs.update(extra)

    def application_recorder(self) -> ApplicationRecorder:
        prefix = self.env.name.lower() or "stored"
        size = self.env.get(PARTITION_SIZE_SETTING) or ""
        recorder = SavedNotifyingRecorder(
            self.datastore,
            events_table_name=f"{prefix}_events",
            partition_size=int(size) if size.isdecimal() else DEFAULT_PARTITION_SIZE,
        )
        if self.env_create_table():
            recorder.create_table()
        return recorder
