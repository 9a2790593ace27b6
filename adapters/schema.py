"""Creating tables when several processes start at once on a fresh database.

PostgreSQL's ``CREATE TABLE IF NOT EXISTS`` (and ``CREATE TYPE``, ``CREATE INDEX IF NOT EXISTS``,
``CREATE OR REPLACE FUNCTION``) are not safe against each other: two sessions both find no table,
and the second fails on the catalogue's unique index (``pg_type_typname_nsp_index``) or with
"tuple concurrently updated". So whatever creates tables does it inside ``creating_tables``, which
holds one advisory lock of the database for the while, on a connection of its own (the library
creates its types and its tables in separate transactions, so one transaction's lock would not
cover them). A process that dies holding it releases it with its connection. ``in_turn`` does
the same for a datastore, on either backend.

SQLite serialises writers itself but, in two cases met here, fails at once instead of waiting:
switching a new file to write-ahead logging, which needs the file to itself (``sqlite_wal`` does
it first, waiting its turn), and a deferred transaction that read the schema before another
process changed it (``sqlite_in_turn`` runs the creation again).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from typing import TypeVar

import psycopg
from eventsourcing.persistence import OperationalError
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

# (class, key) of pg_advisory_lock's two-int form; adapters.locks uses the class 0x7468 for
# aggregates.
_DDL_LOCK = (0x7464, 0)  # "td": Thucthi's DDL
_held = threading.local()  # how deep this thread is inside creating_tables
WAL_WAIT_SECONDS = 30.0
_T = TypeVar("_T")


def conninfo_of(datastore: PostgresDatastore) -> str:
    """A libpq connection string reaching the datastore's database, for a connection of its own."""
    pool = datastore.pool
    raw = pool.kwargs() if callable(pool.kwargs) else pool.kwargs or {}
    kwargs = {k: v for k, v in raw.items() if k != "row_factory"}
    given = pool.conninfo
    return psycopg.conninfo.make_conninfo(
        given if isinstance(given, str) else given(), connect_timeout=5, **kwargs
    )


@contextmanager
def creating_tables(conninfo: str) -> Iterator[None]:
    """While inside, no other session of the database creates tables through this; re-entrant
    within a thread (a creation may call another)."""
    depth: int = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield
        finally:
            _held.depth = depth
        return
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s, %s)", _DDL_LOCK)
        _held.depth = 1
        try:
            yield
        finally:
            _held.depth = 0
            # Closing the connection releases the lock, whatever happened inside.


def in_turn(datastore: object, create: Callable[[], _T]) -> _T:
    """``create()`` (statements that create what is missing, safe to run again) in turn with
    every other process creating tables in the datastore's database."""
    if isinstance(datastore, PostgresDatastore):
        with creating_tables(conninfo_of(datastore)):
            return create()
    if isinstance(datastore, SQLiteDatastore):
        return sqlite_in_turn(create)
    return create()


def sqlite_in_turn(create: Callable[[], _T], *, wait: float = WAL_WAIT_SECONDS) -> _T:
    """``create()``, again while SQLite says the database is locked: the library's transactions
    begin deferred, and one that reads the schema and then writes it after another process
    changed it fails at once instead of waiting."""
    deadline = time.monotonic() + wait
    pause = 0.005
    while True:
        try:
            return create()
        except (sqlite3.OperationalError, OperationalError) as e:
            if "locked" not in str(e) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def sqlite_wal(path: str, *, wait: float = WAL_WAIT_SECONDS) -> None:
    """Put a SQLite file in write-ahead-log mode (kept in the file), waiting while it is busy."""
    deadline = time.monotonic() + wait
    pause = 0.005
    while True:
        try:
            with closing(sqlite3.connect(path, timeout=wait)) as conn:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
