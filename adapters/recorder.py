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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import sql
from psycopg.sql import SQL, Identifier, Literal

from adapters.schema import conninfo_of

MAX_PAYLOAD = 7_999  # PostgreSQL's limit is 8,000 bytes
EVERYTHING = "*"


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
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(datastore.schema)
        function = Identifier(f"thucthi_store_{events_table_name}"[:63])
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}"
                "(events {schema}.{event}[], saved text) RETURNS SETOF bigint "
                "LANGUAGE plpgsql AS $body$ BEGIN "
                "SET LOCAL lock_timeout = {timeout}; "
                "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
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
            )
        )
        self._store_statement = SQL("SELECT {schema}.{function}(%s, %s) AS id").format(
            schema=schema, function=function
        )

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
