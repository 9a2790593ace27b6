"""PostgreSQL advisory locks per aggregate: writers of one aggregate in different processes queue.

Without them, eight processes hammering one directive starve some writers of retries; with them,
each command waits its turn. The application takes one only for an aggregate that saw a conflict
in the last ``domain.application.CONTENDED_SECONDS``: elsewhere the version constraint suffices,
and the two round trips (and a connection per thread) are saved. Each thread that needs one keeps
its own autocommit connection, opened on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from uuid import UUID

import psycopg

# Distinguishes Thucthi's advisory locks from any other user of pg_advisory_lock on the server.
_LOCK_CLASS = 0x7468  # "th"


class PostgresAdvisoryLocks:
    """``hold(aggregate_id)`` blocks until no other session holds that aggregate's lock."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._local = threading.local()
        self._connections: list[psycopg.Connection[tuple[object, ...]]] = []
        self._guard = threading.Lock()

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]:
        return self._hold(_key(aggregate_id))

    @contextmanager
    def _hold(self, key: int) -> Iterator[None]:
        conn = self._connection()
        conn.execute("SELECT pg_advisory_lock(%s, %s)", (_LOCK_CLASS, key))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s, %s)", (_LOCK_CLASS, key))

    def _connection(self) -> psycopg.Connection[tuple[object, ...]]:
        conn: psycopg.Connection[tuple[object, ...]] | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = psycopg.connect(self._conninfo, autocommit=True)
            self._local.conn = conn
            with self._guard:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._guard:
            for conn in self._connections:
                conn.close()
            self._connections.clear()


def _key(aggregate_id: UUID) -> int:
    """A 32-bit key from the aggregate id (pg_advisory_lock's two-int form)."""
    return int.from_bytes(aggregate_id.bytes[:4], "big", signed=True)
