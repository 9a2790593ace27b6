"""Where the projections' follower says it is alive, for the API to read.

`thucthi projections run` may run anywhere (beside `serve`, or as a process of its own on another
machine), so the API cannot look at a process tree to know whether it runs: the follower beats a
row of the database every second while it is following, and counts there the processes started
and the times a running one lost the database and began again. Ages are measured by the
database's clock on both sides, so the machines' clocks need not agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg import sql

from adapters.schema import in_turn

TABLE = "follower_heartbeat"  # in the schema on PostgreSQL; written out in SQLite's statements


@dataclass(frozen=True, slots=True)
class FollowerState:
    """The follower as it last said, and how long ago."""

    pid: int
    host: str
    age: float  # seconds since its last beat
    starts: int  # follower processes started on this database, ever
    reconnects: int  # times a running follower lost the database and began again

    @property
    def restarts(self) -> int:
        """Follower processes started after the first."""
        return max(self.starts - 1, 0)


class PostgresHeartbeat:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema, TABLE)

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (id integer PRIMARY KEY CHECK (id = 1), "
                    "pid integer NOT NULL, host text NOT NULL, beat_at timestamptz NOT NULL, "
                    "starts bigint NOT NULL, reconnects bigint NOT NULL)"
                ).format(self.table)
            )

    def started(self, pid: int, host: str) -> None:
        self._upsert(pid, host, starts=1, reconnects=0)

    def beat(self, pid: int, host: str, reconnects: int = 0) -> None:
        """Alive now, having begun again ``reconnects`` times since the last beat."""
        self._upsert(pid, host, starts=0, reconnects=reconnects)

    def _upsert(self, pid: int, host: str, *, starts: int, reconnects: int) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "INSERT INTO {t} AS f VALUES (1, %s, %s, now(), %s, %s) ON CONFLICT (id) "
                    "DO UPDATE SET pid = excluded.pid, host = excluded.host, beat_at = now(), "
                    "starts = f.starts + excluded.starts, "
                    "reconnects = f.reconnects + excluded.reconnects"
                ).format(t=self.table),
                (pid, host, starts, reconnects),
            )

    def state(self) -> FollowerState | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT pid, host, starts, reconnects, "
                    "extract(epoch FROM clock_timestamp() - beat_at)::float8 AS age FROM {}"
                ).format(self.table)
            )
            row = c.fetchone()
        if row is None:
            return None
        return FollowerState(
            row["pid"], row["host"], max(row["age"], 0.0), row["starts"], row["reconnects"]
        )


class SQLiteHeartbeat:
    def __init__(self, datastore: SQLiteDatastore) -> None:
        self.datastore = datastore

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS follower_heartbeat "
                "(id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, "
                "host TEXT NOT NULL, beat_at REAL NOT NULL, starts INTEGER NOT NULL, "
                "reconnects INTEGER NOT NULL)"
            )

    def started(self, pid: int, host: str) -> None:
        self._upsert(pid, host, starts=1, reconnects=0)

    def beat(self, pid: int, host: str, reconnects: int = 0) -> None:
        self._upsert(pid, host, starts=0, reconnects=reconnects)

    def _upsert(self, pid: int, host: str, *, starts: int, reconnects: int) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT INTO follower_heartbeat AS f VALUES (1, ?, ?, julianday('now'), ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host, "
                "beat_at = excluded.beat_at, starts = f.starts + excluded.starts, "
                "reconnects = f.reconnects + excluded.reconnects",
                (pid, host, starts, reconnects),
            )

    def state(self) -> FollowerState | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT pid, host, starts, reconnects, "
                "(julianday('now') - beat_at) * 86400.0 AS age FROM follower_heartbeat"
            )
            row = c.fetchone()
        if row is None:
            return None
        return FollowerState(
            row["pid"], row["host"], max(row["age"], 0.0), row["starts"], row["reconnects"]
        )


Heartbeat = PostgresHeartbeat | SQLiteHeartbeat


def open_heartbeat(datastore: object, *, create: bool = True) -> Heartbeat | None:
    """The follower's heartbeat in the application's database; None on memory:// (no follower)."""
    heartbeat: Heartbeat
    if isinstance(datastore, PostgresDatastore):
        heartbeat = PostgresHeartbeat(datastore)
    elif isinstance(datastore, SQLiteDatastore):
        heartbeat = SQLiteHeartbeat(datastore)
    else:
        return None
    if create:
        in_turn(datastore, heartbeat.create_table)
    return heartbeat
