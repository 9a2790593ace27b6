"""PostgreSQL advisory locks per aggregate: writers of one aggregate in different processes queue.

Without them, eight processes hammering one directive starve some writers of retries; with them,
each command waits its turn. The application takes one only for an aggregate that saw a conflict
in the last ``domain.writer.CONTENDED_SECONDS``: elsewhere the version constraint suffices, and
the two round trips are saved. A lock is held on a connection of a small pool of this process's
own (``THUCTHI_LOCK_POOL_SIZE``, adapters.database), opened when first needed: a connection per
thread kept open for good put two API workers of sixteen threads over a server's 100 connections
beside anything else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

# Distinguishes Thucthi's advisory locks from any other user of pg_advisory_lock on the server.
_LOCK_CLASS = 0x7468  # "th"
CONNECTIONS = 2  # by default, at most this many aggregates of one process held at once; more wait


class PostgresAdvisoryLocks:
    """``hold(aggregate_id)`` blocks until no other session holds that aggregate's lock."""

    def __init__(self, conninfo: str, *, size: int = CONNECTIONS) -> None:
        self._pool: ConnectionPool[psycopg.Connection[tuple[object, ...]]] = ConnectionPool(
            conninfo,
            min_size=0,
            max_size=size,
            kwargs={"autocommit": True},
            reset=_release_all,
            open=False,
        )
        self._opened = False
        self._opening = threading.Lock()

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]:
        return self._hold(_key(aggregate_id))

    @contextmanager
    def _hold(self, key: int) -> Iterator[None]:
        if not self._opened:
            with self._opening:
                if not self._opened:
                    self._pool.open()
                    self._opened = True
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s, %s)", (_LOCK_CLASS, key))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s, %s)", (_LOCK_CLASS, key))

    def close(self) -> None:
        with self._opening:
            if self._opened:
                self._pool.close()
                self._opened = False


def _release_all(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """A lock left held by a failed unlock must not travel with the connection to its next user."""
    conn.execute("SELECT pg_advisory_unlock_all()")


def _key(aggregate_id: UUID) -> int:
    """A 32-bit key from the aggregate id (pg_advisory_lock's two-int form)."""
    return int.from_bytes(aggregate_id.bytes[:4], "big", signed=True)
