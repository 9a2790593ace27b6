"""Idempotency keys beside the event log: SQLite, PostgreSQL, and memory for ``memory://``.

A record per key and caller holds a fingerprint of the first request, the answer once there is
one, and while there is none the attempt that runs it: its request id, the log's head when it
began (its events, if any, come after) and the process holding the claim. A claim belongs to a
process and ends when the process dies:

- PostgreSQL: each process holds a session advisory lock on a connection of its own (one per
  process and database, opened at its first claim); the server drops the lock when that
  connection dies, and with it the process. A claim names the lock and the connection's backend
  pid, and ``pg_locks`` says whether they are still held. Before taking over a dead process's
  claim, a short lock on the log's table waits out any store of its that was still running.
- SQLite: each process holds an ``flock`` on a file of its own in ``<database>-claims/``; the
  kernel drops it when the process dies. A claim names the file.

Whoever takes over a dead or given-up claim is told of the earlier attempt, so that it looks
for that attempt's events before running the command again (``api.idempotency``). No record
holds a secret: the API stores answers with their secret fields withheld, and fingerprints of
requests that carry one without it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import random
import re
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import orjson
import psycopg
from eventsourcing.persistence import OperationalError, PersistenceError
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg import sql

from adapters.schema import in_turn

RETENTION = timedelta(hours=24)
PURGE_SECONDS = 600.0  # how often a process deletes the records past their retention
FENCE_TIMEOUT = "5s"  # the longest a takeover waits for a dead process's store to finish
_LOCK_CLASS = 0x7469  # "ti": Thucthi's process claims (adapters.locks uses 0x7468 for aggregates)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FILE_NAME = re.compile(r"^[0-9a-f]{32}$")
# What a store may raise when its database fails.
DATABASE_ERRORS = (PersistenceError, psycopg.Error, sqlite3.Error, OSError)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Attempt:
    """An attempt that ended without an answer: its events, if any, follow ``position``."""

    request_id: str
    position: int


@dataclass(frozen=True, slots=True)
class Claimed:
    """This request now holds the key; ``position`` is the log's head as it began."""

    position: int
    earlier: Attempt | None = None  # an attempt that died or gave up: look for its events


@dataclass(frozen=True, slots=True)
class Answered:
    response: StoredResponse


@dataclass(frozen=True, slots=True)
class Busy:
    """A live attempt holds the key; ``here`` is set when it ends, if it runs in this process."""

    here: threading.Event | None


Outcome = Claimed | Answered | Busy


class KeyReusedError(Exception):
    """The key was first used with another request."""


class IdempotencyStore(Protocol):
    def claim(self, owner: str, key: str, fingerprint: str, request_id: str) -> Outcome:
        """One try: the key for this request, the first answer, or who holds it."""
        ...

    def restart(self, owner: str, key: str, request_id: str) -> int:
        """The earlier attempt stored nothing: record this one instead; the log's head now."""
        ...

    def complete(self, owner: str, key: str, response: StoredResponse) -> None: ...

    def abandon(self, owner: str, key: str) -> None:
        """The attempt ended without an answer; the next one looks for its events first."""
        ...


def encode(response: StoredResponse) -> str:
    return orjson.dumps(
        {"status": response.status, "headers": response.headers, "body": response.body.decode()}
    ).decode()


def decode(text: str) -> StoredResponse:
    data = orjson.loads(text)
    return StoredResponse(data["status"], data["headers"], data["body"].encode())


@dataclass(frozen=True, slots=True)
class _Row:
    fingerprint: str
    response: str | None
    request_id: str | None
    position: int | None
    holder: str | None


class _Running:
    """The attempts this process runs on one database, whichever store of it began them."""

    def __init__(self) -> None:
        self.attempts: dict[tuple[str, str, str], threading.Event] = {}
        self.lock = threading.Lock()


class _Claims:
    """The claim logic over a backend's rows; one thread per key and process at a time."""

    def __init__(self, running: _Running, scope: str) -> None:
        self._running = running
        self._scope = scope  # which table of the database: its schema
        self._given_up: set[tuple[str, str]] = set()  # abandons that failed: tried again
        self._purged = 0.0

    # --- what a backend provides -------------------------------------------------------------

    def _me(self) -> str:
        raise NotImplementedError

    def _alive(self, holder: str) -> bool:
        raise NotImplementedError

    def _fence(self) -> bool:
        """Wait until no store a dead holder may have begun is still running; False if busy."""
        return True

    def _insert(
        self, owner: str, key: str, *, fingerprint: str, request_id: str, holder: str, now: datetime
    ) -> int | None:
        raise NotImplementedError

    def _read(self, owner: str, key: str) -> _Row | None:
        raise NotImplementedError

    def _swap(self, owner: str, key: str, old: str | None, new: str) -> bool:
        raise NotImplementedError

    def _set(self, owner: str, key: str, holder: str, **values: Any) -> int | None:
        """Update the record if ``holder`` holds it; the log's head if ``position`` is asked."""
        raise NotImplementedError

    def _purge(self, before: datetime) -> None:
        raise NotImplementedError

    # --- the logic ---------------------------------------------------------------------------

    def claim(self, owner: str, key: str, fingerprint: str, request_id: str) -> Outcome:
        self._housekeeping()
        attempt = (self._scope, owner, key)
        with self._running.lock:
            running = self._running.attempts.get(attempt)
            if running is not None:
                return Busy(running)
            self._running.attempts[attempt] = threading.Event()
        try:
            outcome = self._claim(owner, key, fingerprint, request_id)
        except BaseException:
            self._end(owner, key)
            raise
        if not isinstance(outcome, Claimed):
            self._end(owner, key)
        return outcome

    def _claim(self, owner: str, key: str, fingerprint: str, request_id: str) -> Outcome:
        me = self._me()
        for _ in range(3):  # a record may vanish (expired) or change hands between two steps
            position = self._insert(
                owner,
                key,
                fingerprint=fingerprint,
                request_id=request_id,
                holder=me,
                now=datetime.now(UTC),
            )
            if position is not None:
                return Claimed(position)
            row = self._read(owner, key)
            if row is None:
                continue
            if row.fingerprint != fingerprint:
                raise KeyReusedError
            if row.response is not None:
                return Answered(decode(row.response))
            # This process runs no attempt of the key (see claim): a claim of ours is left over.
            if row.holder is not None and row.holder != me:
                if self._alive(row.holder):
                    return Busy(None)
                if not self._fence():
                    return Busy(None)
            if self._swap(owner, key, row.holder, me):
                earlier = (
                    Attempt(row.request_id, row.position or 0)
                    if row.request_id
                    else None  # a record of an earlier version, its attempt unknown
                )
                return Claimed(row.position or 0, earlier)
        return Busy(None)

    def restart(self, owner: str, key: str, request_id: str) -> int:
        position = self._set(owner, key, self._me(), request_id=request_id, position=True)
        return position or 0

    def complete(self, owner: str, key: str, response: StoredResponse) -> None:
        try:
            self._set(owner, key, self._me(), response=encode(response))
        finally:
            self._end(owner, key)

    def abandon(self, owner: str, key: str) -> None:
        try:
            self._set(owner, key, self._me())
        except BaseException:
            with self._running.lock:
                self._given_up.add((owner, key))
            raise
        finally:
            self._end(owner, key)

    def _end(self, owner: str, key: str) -> None:
        with self._running.lock:
            ended = self._running.attempts.pop((self._scope, owner, key), None)
        if ended is not None:
            ended.set()

    def _housekeeping(self) -> None:
        """Records past their retention go now and then; abandons that failed are tried again,
        so that no claim of a live process outlives its attempt."""
        now = time.monotonic()
        if now - self._purged > PURGE_SECONDS:
            self._purged = now
            self._purge(datetime.now(UTC) - RETENTION)
        if not self._given_up:
            return
        retried = []
        with self._running.lock:
            given_up, self._given_up = self._given_up, set()
            for owner, key in given_up:
                attempt = (self._scope, owner, key)
                if attempt not in self._running.attempts:  # else its new attempt ends it
                    self._running.attempts[attempt] = threading.Event()  # no claim meanwhile
                    retried.append((owner, key))
        for owner, key in retried:
            with contextlib.suppress(*DATABASE_ERRORS):  # kept for the next time
                self.abandon(owner, key)


def _events_table(name: str) -> str:
    if not _IDENTIFIER.match(name):
        msg = f"not a table name: {name!r}"
        raise ValueError(msg)
    return name


def _retained(text: str | None) -> bool:
    """Whether a record of an earlier version may stay: an answer with no secret in it, to a
    request that carried none (those versions kept tokens and generated passwords)."""
    if text is None:
        return False  # an attempt of unknown request id: nothing to look for, so it goes
    response = decode(text)
    if response.headers.get("Location", "").startswith("/api/users"):
        return False  # a user created: its request may have carried a password
    with contextlib.suppress(orjson.JSONDecodeError):
        body = orjson.loads(response.body)
        if isinstance(body, dict) and ("token" in body or "password" in body):
            return False
    return True


# --- SQLite -------------------------------------------------------------------------------------


class _FileHolder:
    """This process's claims on one SQLite database: an flock on a file of its own."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.running = _Running()
        self._lock = threading.Lock()
        self._pid = 0
        self._name = ""
        self._fd = -1

    def name(self) -> str:
        with self._lock:
            if self._pid != os.getpid():  # first use, or a forked child: a lock of its own
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                name = uuid.uuid4().hex
                path = self.directory / name
                fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                atexit.register(path.unlink, missing_ok=True)
                self._pid, self._name, self._fd = os.getpid(), name, fd
            return self._name

    def alive(self, name: str) -> bool:
        if not _FILE_NAME.match(name):
            return False
        path = self.directory / name
        try:
            fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        path.unlink(missing_ok=True)  # its process is gone
        return False


_file_holders: dict[Path, _FileHolder] = {}
_holders_lock = threading.Lock()


def _file_holder(directory: Path) -> _FileHolder:
    with _holders_lock:
        return _file_holders.setdefault(directory, _FileHolder(directory))


class _ProcessHolder:
    """A database that lives in this process only (SQLite in memory): every claim is ours."""

    def __init__(self) -> None:
        self.running = _Running()

    def name(self) -> str:
        return "this-process"

    def alive(self, name: str) -> bool:
        return True


class SQLiteIdempotency(_Claims):
    def __init__(
        self, datastore: SQLiteDatastore, *, events_table: str, create: bool = True
    ) -> None:
        self.datastore = datastore
        # SQLite has no identifier composition: the table name is checked, values are bound.
        head = f"(SELECT coalesce(max(rowid), 0) FROM {_events_table(events_table)})"  # noqa: S608
        columns = "(owner, key, fingerprint, created_at, request_id, position, holder)"
        self._insert_statement = (
            f"INSERT INTO idempotency_keys {columns} VALUES (?, ?, ?, ?, ?, {head}, ?) "  # noqa: S608
            "ON CONFLICT (owner, key) DO NOTHING RETURNING position"
        )
        self._restart_statement = (
            f"UPDATE idempotency_keys SET request_id = ?, position = {head} "  # noqa: S608
            "WHERE owner = ? AND key = ? AND holder = ? RETURNING position"
        )
        db_name = datastore.pool.db_name
        self.holder: _FileHolder | _ProcessHolder = (
            _ProcessHolder()
            if datastore.pool.is_sqlite_memory_mode
            else _file_holder(Path(os.path.abspath(db_name) + "-claims"))
        )
        super().__init__(self.holder.running, "")
        if create:
            self._create()

    def _create(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS idempotency_keys (owner TEXT, key TEXT, "
                "fingerprint TEXT NOT NULL, created_at TEXT NOT NULL, response TEXT, "
                "request_id TEXT, position INTEGER, holder TEXT, "
                "PRIMARY KEY (owner, key)) WITHOUT ROWID"
            )
            c.execute("PRAGMA table_info(idempotency_keys)")
            columns = {row[1] for row in c.fetchall()}
            if "holder" not in columns:  # a table of an earlier version
                for column in ("request_id TEXT", "position INTEGER", "holder TEXT"):
                    c.execute(f"ALTER TABLE idempotency_keys ADD COLUMN {column}")
                c.execute("SELECT owner, key, response FROM idempotency_keys")
                for owner, key, response in c.fetchall():
                    if _retained(response):
                        c.execute(
                            "UPDATE idempotency_keys SET request_id = '' "
                            "WHERE owner = ? AND key = ?",
                            (owner, key),
                        )
                    else:
                        c.execute(
                            "DELETE FROM idempotency_keys WHERE owner = ? AND key = ?",
                            (owner, key),
                        )
            c.execute(
                "CREATE INDEX IF NOT EXISTS idempotency_keys_created_at "
                "ON idempotency_keys (created_at)"
            )

    def _me(self) -> str:
        return self.holder.name()

    def _alive(self, holder: str) -> bool:
        return self.holder.alive(holder)

    def _insert(
        self, owner: str, key: str, *, fingerprint: str, request_id: str, holder: str, now: datetime
    ) -> int | None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND created_at < ?",
                (owner, key, (now - RETENTION).isoformat()),
            )
            c.execute(
                self._insert_statement,
                (owner, key, fingerprint, now.isoformat(), request_id, holder),
            )
            row = c.fetchone()
        return None if row is None else int(row[0])

    def _read(self, owner: str, key: str) -> _Row | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT fingerprint, response, request_id, position, holder "
                "FROM idempotency_keys WHERE owner = ? AND key = ?",
                (owner, key),
            )
            row = c.fetchone()
        return None if row is None else _Row(*row)

    def _swap(self, owner: str, key: str, old: str | None, new: str) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "UPDATE idempotency_keys SET holder = ? WHERE owner = ? AND key = ? "
                "AND response IS NULL AND holder IS ? RETURNING owner",
                (new, owner, key, old),
            )
            return c.fetchone() is not None

    def _set(self, owner: str, key: str, holder: str, **values: Any) -> int | None:
        with self.datastore.transaction(commit=True) as c:
            if "request_id" in values:
                c.execute(self._restart_statement, (values["request_id"], owner, key, holder))
                row = c.fetchone()
                return None if row is None else int(row[0])
            c.execute(
                "UPDATE idempotency_keys SET response = ?, holder = NULL "
                "WHERE owner = ? AND key = ? AND holder = ?",
                (values.get("response"), owner, key, holder),
            )
            return None

    def _purge(self, before: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM idempotency_keys WHERE created_at < ?", (before.isoformat(),))


# --- PostgreSQL ---------------------------------------------------------------------------------


class _ConnectionHolder:
    """This process's claims on one PostgreSQL database: a session advisory lock held on a
    connection of its own, watched by a thread. If the connection is lost while the process
    lives, the thread takes a new lock and the stores move this process's claims to it."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self.running = _Running()
        self._lock = threading.Lock()
        self._pid = 0
        self._name = ""
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = None
        self._moved: weakref.WeakSet[PostgresIdempotency] = weakref.WeakSet()

    def watch(self, store: PostgresIdempotency) -> None:
        self._moved.add(store)

    def name(self) -> str:
        with self._lock:
            if self._pid != os.getpid():  # first use, or a forked child: a lock of its own
                self._conn = None  # a parent's connection is never used, nor closed, here
                self._connect()
                threading.Thread(target=self._watch, name="claims", daemon=True).start()
            return self._name

    def _connect(self) -> None:
        conn = psycopg.connect(self.conninfo, autocommit=True)
        while True:
            key = random.randint(1, 2**31 - 1)  # noqa: S311 - a name, not a secret
            row = conn.execute(
                "SELECT pg_try_advisory_lock(%s, %s), pg_backend_pid()", (_LOCK_CLASS, key)
            ).fetchone()
            if row is not None and row[0]:
                break
        self._conn, self._pid, self._name = conn, os.getpid(), f"pg:{row[1]}:{key}"

    def _watch(self) -> None:
        pid = os.getpid()
        while self._pid == pid:
            conn = self._conn
            if conn is None:
                return
            try:
                for _ in conn.notifies(timeout=60.0):
                    pass
                continue
            except psycopg.Error:
                conn.close()
            while self._pid == pid:  # the connection is gone: a new lock, and claims moved to it
                try:
                    with self._lock:
                        old = self._name
                        self._connect()
                        new = self._name
                except psycopg.Error:
                    time.sleep(1.0)
                    continue
                for store in list(self._moved):
                    with contextlib.suppress(*DATABASE_ERRORS):
                        store.move(old, new)
                break


_connection_holders: dict[str, _ConnectionHolder] = {}


def _connection_holder(conninfo: str) -> _ConnectionHolder:
    with _holders_lock:
        return _connection_holders.setdefault(conninfo, _ConnectionHolder(conninfo))


class PostgresIdempotency(_Claims):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table: str, create: bool = True
    ) -> None:
        self.datastore = datastore
        schema = sql.Identifier(datastore.schema)
        self.table = sql.SQL("{}.idempotency_keys").format(schema)
        self.events = sql.SQL("{}.{}").format(schema, sql.Identifier(events_table))
        self.head = sql.SQL("(SELECT coalesce(max(notification_id), 0) FROM {})").format(
            self.events
        )
        settings = datastore.pool.kwargs
        if not isinstance(settings, dict):
            msg = "the PostgreSQL datastore's connection settings are not known"
            raise TypeError(msg)
        self.holder = _connection_holder(
            psycopg.conninfo.make_conninfo(
                **{k: settings[k] for k in ("dbname", "host", "port", "user", "password")}
            )
        )
        self.holder.watch(self)
        super().__init__(self.holder.running, datastore.schema)
        if create:
            self._create()

    def _create(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (owner text, key text, "
                    "fingerprint text NOT NULL, created_at timestamptz NOT NULL, response text, "
                    "request_id text, position bigint, holder text, PRIMARY KEY (owner, key))"
                ).format(self.table)
            )
            c.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = 'idempotency_keys' AND column_name = 'holder'",
                (self.datastore.schema,),
            )
            if c.fetchone() is None:  # a table of an earlier version
                c.execute(
                    sql.SQL(
                        "ALTER TABLE {} ADD COLUMN request_id text, ADD COLUMN position bigint, "
                        "ADD COLUMN holder text"
                    ).format(self.table)
                )
                c.execute(sql.SQL("SELECT owner, key, response FROM {}").format(self.table))
                for row in c.fetchall():
                    keep = _retained(row["response"])
                    c.execute(
                        sql.SQL(
                            "UPDATE {} SET request_id = '' WHERE owner = %s AND key = %s"
                            if keep
                            else "DELETE FROM {} WHERE owner = %s AND key = %s"
                        ).format(self.table),
                        (row["owner"], row["key"]),
                    )
            c.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (created_at)").format(
                    sql.Identifier("idempotency_keys_created_at"), self.table
                )
            )

    def _me(self) -> str:
        return self.holder.name()

    def _alive(self, holder: str) -> bool:
        try:
            _, pid, key = holder.split(":")
            parts = (int(pid), int(key))
        except ValueError:
            return False
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' "
                "AND database = (SELECT oid FROM pg_catalog.pg_database "
                "WHERE datname = current_database()) "
                "AND classid = %s AND objid = %s AND objsubid = 2 AND pid = %s AND granted) "
                "AS alive",
                (_LOCK_CLASS, parts[1], parts[0]),
            )
            row = c.fetchone()
        return bool(row and row["alive"])

    def _fence(self) -> bool:
        """A dead process's connections may outlive it by a statement: a store it sent just
        before dying can still commit. Stores hold the log's table in EXCLUSIVE mode, so taking
        it in ROW SHARE mode (which readers do not notice) waits for any such store to end."""
        try:
            with self.datastore.transaction(commit=True) as c:
                c.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(FENCE_TIMEOUT)))
                c.execute(sql.SQL("LOCK TABLE {} IN ROW SHARE MODE").format(self.events))
        except OperationalError:
            return False  # stores kept the table for seconds: call the key busy for now
        return True

    def _insert(
        self, owner: str, key: str, *, fingerprint: str, request_id: str, holder: str, now: datetime
    ) -> int | None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("DELETE FROM {} WHERE owner = %s AND key = %s AND created_at < %s").format(
                    self.table
                ),
                (owner, key, now - RETENTION),
            )
            c.execute(
                sql.SQL(
                    "INSERT INTO {} (owner, key, fingerprint, created_at, request_id, position, "
                    "holder) VALUES (%s, %s, %s, %s, %s, {}, %s) "
                    "ON CONFLICT DO NOTHING RETURNING position"
                ).format(self.table, self.head),
                (owner, key, fingerprint, now, request_id, holder),
            )
            row = c.fetchone()
        return None if row is None else int(row["position"])

    def _read(self, owner: str, key: str) -> _Row | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL(
                    "SELECT fingerprint, response, request_id, position, holder FROM {} "
                    "WHERE owner = %s AND key = %s"
                ).format(self.table),
                (owner, key),
            )
            row = c.fetchone()
        return None if row is None else _Row(**row)

    def _swap(self, owner: str, key: str, old: str | None, new: str) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "UPDATE {} SET holder = %s WHERE owner = %s AND key = %s "
                    "AND response IS NULL AND holder IS NOT DISTINCT FROM %s RETURNING owner"
                ).format(self.table),
                (new, owner, key, old),
            )
            return c.fetchone() is not None

    def _set(self, owner: str, key: str, holder: str, **values: Any) -> int | None:
        with self.datastore.transaction(commit=True) as c:
            if "request_id" in values:
                c.execute(
                    sql.SQL(
                        "UPDATE {} SET request_id = %s, position = {} "
                        "WHERE owner = %s AND key = %s AND holder = %s RETURNING position"
                    ).format(self.table, self.head),
                    (values["request_id"], owner, key, holder),
                )
                row = c.fetchone()
                return None if row is None else int(row["position"])
            c.execute(
                sql.SQL(
                    "UPDATE {} SET response = %s, holder = NULL "
                    "WHERE owner = %s AND key = %s AND holder = %s"
                ).format(self.table),
                (values.get("response"), owner, key, holder),
            )
            return None

    def move(self, old: str, new: str) -> None:
        """This process's lock was renamed (its connection was lost): its claims follow."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("UPDATE {} SET holder = %s WHERE holder = %s AND response IS NULL").format(
                    self.table
                ),
                (new, old),
            )

    def _purge(self, before: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(sql.SQL("DELETE FROM {} WHERE created_at < %s").format(self.table), (before,))


# --- memory -------------------------------------------------------------------------------------


class MemoryIdempotency(_Claims):
    """For ``memory://`` only, where nothing outlives the process anyway."""

    def __init__(self, head: Callable[[], int]) -> None:
        super().__init__(_Running(), "")
        self.head = head
        self._rows: dict[tuple[str, str], tuple[datetime, _Row]] = {}
        self._rows_lock = threading.Lock()

    def _me(self) -> str:
        return "this-process"

    def _alive(self, holder: str) -> bool:
        return True

    def _insert(
        self, owner: str, key: str, *, fingerprint: str, request_id: str, holder: str, now: datetime
    ) -> int | None:
        with self._rows_lock:
            found = self._rows.get((owner, key))
            if found is not None and found[0] >= now - RETENTION:
                return None
            position = self.head()
            self._rows[(owner, key)] = (
                now,
                _Row(fingerprint, None, request_id, position, holder),
            )
            return position

    def _read(self, owner: str, key: str) -> _Row | None:
        with self._rows_lock:
            found = self._rows.get((owner, key))
        return None if found is None else found[1]

    def _swap(self, owner: str, key: str, old: str | None, new: str) -> bool:
        with self._rows_lock:
            found = self._rows.get((owner, key))
            if found is None or found[1].response is not None or found[1].holder != old:
                return False
            row = found[1]
            self._rows[(owner, key)] = (
                found[0],
                _Row(row.fingerprint, None, row.request_id, row.position, new),
            )
            return True

    def _set(self, owner: str, key: str, holder: str, **values: Any) -> int | None:
        with self._rows_lock:
            found = self._rows.get((owner, key))
            if found is None or found[1].holder != holder:
                return None
            row = found[1]
            if "request_id" in values:
                position = self.head()
                changed = _Row(row.fingerprint, None, values["request_id"], position, holder)
                self._rows[(owner, key)] = (found[0], changed)
                return position
            done = _Row(row.fingerprint, values.get("response"), row.request_id, row.position, None)
            self._rows[(owner, key)] = (found[0], done)
            return None

    def _purge(self, before: datetime) -> None:
        with self._rows_lock:
            for k in [k for k, (created, _) in self._rows.items() if created < before]:
                del self._rows[k]


def open_store(
    datastore: object, *, events_table: str, head: Callable[[], int], create: bool = True
) -> IdempotencyStore:
    """The store beside the application's events (``head``: the log's head, for memory)."""
    if isinstance(datastore, SQLiteDatastore):
        sqlite = datastore
        return in_turn(
            datastore, lambda: SQLiteIdempotency(sqlite, events_table=events_table, create=create)
        )
    if isinstance(datastore, PostgresDatastore):
        postgres = datastore
        return in_turn(
            datastore,
            lambda: PostgresIdempotency(postgres, events_table=events_table, create=create),
        )
    return MemoryIdempotency(head)
