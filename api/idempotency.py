"""Idempotency keys, kept durably in the application's database for 24 hours.

The first request with a key claims it (an INSERT that only one can win) and stores its response
when done; a repeat returns that response and records nothing. A repeat that arrives while the
first is still running waits for it. A key reused with a different body is refused.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import orjson
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg import sql

from adapters.schema import in_turn

RETENTION = timedelta(hours=24)
WAIT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


class KeyReusedError(Exception):
    """The key was first used with another request."""


class StillRunningError(Exception):
    """The first request with this key has not finished in time."""


class IdempotencyStore(Protocol):
    def claim(self, owner: str, key: str, fingerprint: str) -> StoredResponse | None:
        """None if this request now owns the key; else the first request's response."""
        ...

    def complete(self, owner: str, key: str, response: StoredResponse) -> None: ...

    def release(self, owner: str, key: str) -> None:
        """Give the key up after an unexpected failure, so that a retry can run."""
        ...


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join((method.encode(), path.encode(), body))).hexdigest()


def _encode(response: StoredResponse) -> str:
    return orjson.dumps(
        {"status": response.status, "headers": response.headers, "body": response.body.decode()}
    ).decode()


def _decode(text: str) -> StoredResponse:
    data = orjson.loads(text)
    return StoredResponse(data["status"], data["headers"], data["body"].encode())


class _Polling:
    """Shared claim logic: try to insert, else read until the first request has finished."""

    def _insert(self, owner: str, key: str, fingerprint: str, now: datetime) -> bool:
        raise NotImplementedError

    def _read(self, owner: str, key: str, now: datetime) -> tuple[str, str | None] | None:
        raise NotImplementedError

    def claim(self, owner: str, key: str, fingerprint: str) -> StoredResponse | None:
        deadline = time.monotonic() + WAIT_SECONDS
        pause = 0.005
        while True:
            now = datetime.now(UTC)
            if self._insert(owner, key, fingerprint, now):
                return None
            found = self._read(owner, key, now)
            if found is not None:
                first_fingerprint, response = found
                if first_fingerprint != fingerprint:
                    raise KeyReusedError
                if response is not None:
                    return _decode(response)
            if time.monotonic() > deadline:
                raise StillRunningError
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


class SQLiteIdempotency(_Polling):
    def __init__(self, datastore: SQLiteDatastore, *, create: bool = True) -> None:
        self.datastore = datastore
        if not create:
            return
        with datastore.transaction(commit=True) as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS idempotency_keys (owner TEXT, key TEXT, "
                "fingerprint TEXT NOT NULL, created_at TEXT NOT NULL, response TEXT, "
                "PRIMARY KEY (owner, key)) WITHOUT ROWID"
            )

    def _insert(self, owner: str, key: str, fingerprint: str, now: datetime) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND created_at < ?",
                (owner, key, (now - RETENTION).isoformat()),
            )
            c.execute(
                "INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, NULL) "
                "ON CONFLICT (owner, key) DO NOTHING RETURNING owner",
                (owner, key, fingerprint, now.isoformat()),
            )
            return c.fetchone() is not None

    def _read(self, owner: str, key: str, now: datetime) -> tuple[str, str | None] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT fingerprint, response FROM idempotency_keys WHERE owner = ? AND key = ?",
                (owner, key),
            )
            row = c.fetchone()
        return None if row is None else (row[0], row[1])

    def complete(self, owner: str, key: str, response: StoredResponse) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "UPDATE idempotency_keys SET response = ? WHERE owner = ? AND key = ?",
                (_encode(response), owner, key),
            )

    def release(self, owner: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM idempotency_keys WHERE owner = ? AND key = ?", (owner, key))


class PostgresIdempotency(_Polling):
    def __init__(self, datastore: PostgresDatastore, *, create: bool = True) -> None:
        self.datastore = datastore
        self.table = sql.SQL("{}.idempotency_keys").format(sql.Identifier(datastore.schema))
        if not create:
            return
        with datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (owner text, key text, "
                    "fingerprint text NOT NULL, created_at timestamptz NOT NULL, response text, "
                    "PRIMARY KEY (owner, key))"
                ).format(self.table)
            )

    def _insert(self, owner: str, key: str, fingerprint: str, now: datetime) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("DELETE FROM {} WHERE owner = %s AND key = %s AND created_at < %s").format(
                    self.table
                ),
                (owner, key, now - RETENTION),
            )
            c.execute(
                sql.SQL(
                    "INSERT INTO {} VALUES (%s, %s, %s, %s, NULL) "
                    "ON CONFLICT DO NOTHING RETURNING owner"
                ).format(self.table),
                (owner, key, fingerprint, now),
            )
            return c.fetchone() is not None

    def _read(self, owner: str, key: str, now: datetime) -> tuple[str, str | None] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT fingerprint, response FROM {} WHERE owner = %s AND key = %s"
                ).format(self.table),
                (owner, key),
            )
            row = c.fetchone()
        return None if row is None else (row["fingerprint"], row["response"])

    def complete(self, owner: str, key: str, response: StoredResponse) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("UPDATE {} SET response = %s WHERE owner = %s AND key = %s").format(
                    self.table
                ),
                (_encode(response), owner, key),
            )

    def release(self, owner: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("DELETE FROM {} WHERE owner = %s AND key = %s").format(self.table),
                (owner, key),
            )


class MemoryIdempotency(_Polling):
    """For ``memory://`` only, where nothing is durable anyway."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], tuple[str, datetime, str | None]] = {}
        self._lock = threading.Lock()

    def _insert(self, owner: str, key: str, fingerprint: str, now: datetime) -> bool:
        with self._lock:
            row = self._rows.get((owner, key))
            if row is not None and row[1] >= now - RETENTION:
                return False
            self._rows[(owner, key)] = (fingerprint, now, None)
            return True

    def _read(self, owner: str, key: str, now: datetime) -> tuple[str, str | None] | None:
        with self._lock:
            row = self._rows.get((owner, key))
        return None if row is None else (row[0], row[2])

    def complete(self, owner: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            fingerprint_, created, _ = self._rows[(owner, key)]
            self._rows[(owner, key)] = (fingerprint_, created, _encode(response))

    def release(self, owner: str, key: str) -> None:
        with self._lock:
            self._rows.pop((owner, key), None)


def open_store(datastore: object, *, create: bool = True) -> IdempotencyStore:
    if isinstance(datastore, SQLiteDatastore):
        sqlite = datastore

        def store() -> IdempotencyStore:
            return SQLiteIdempotency(sqlite, create=create)
    elif isinstance(datastore, PostgresDatastore):
        postgres = datastore

        def store() -> IdempotencyStore:
            return PostgresIdempotency(postgres, create=create)
    else:
        return MemoryIdempotency()
    return in_turn(datastore, store) if create else store()
