"""Where events live: ``THUCTHI_DATABASE_URL`` (or ``--db``) mapped onto eventsourcing's settings.

``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, ``postgresql://user:pass@host:port/db``
(optionally ``?schema=NAME``) and ``memory://`` (plain Python objects, for tests) are understood.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Mapping
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from eventsourcing.persistence import PersistenceError
from psycopg import sql

from adapters.credentials import open_credentials
from adapters.schema import creating_tables, sqlite_in_turn, sqlite_wal
from api.locks import PostgresAdvisoryLocks
from api.past_versions import PostgresPastVersions
from domain.application import Thucthi
from domain.clock import Clock

DATABASE_URL_VARIABLE = "THUCTHI_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///thucthi.db"
AGGREGATE_CACHE = 1_000  # aggregates kept per process: the directives being worked on
POOL_KEPT_OPEN = 2  # connections a process's pool keeps open while idle (at most its size)
SERVE_POOL_SIZE = 2  # `thucthi serve` itself: it creates the tables, then closes its pool
LISTENERS = 1  # each API worker's and each follower's LISTEN connection
# The connection on which an API worker holds the lock its Idempotency-Key claims live by
# (adapters/idempotency.py), opened at its first request with a key.
IDEMPOTENCY_CLAIMS = 1
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class DatabaseURLError(ValueError):
    """The database URL cannot be understood."""


class DatabaseUnavailableError(RuntimeError):
    """The database named by the URL cannot be reached or opened."""


class SettingsError(ValueError):
    """A THUCTHI_... setting in the environment cannot be understood."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the environment sets beside the database URL; each field is the THUCTHI_ variable
    of its name in capitals (``pool_size``: ``THUCTHI_DB_POOL_SIZE`` is the one exception)."""

    pool_size: int = 8  # PostgreSQL connections of an API worker's (and a command's) pool
    lock_pool_size: int = 2  # an API worker's connections holding advisory locks (api.locks)
    follower_pool_size: int = 4  # a follower's pool (`projections run`, serve's own)
    ready_lag: int = 10_000  # events a projection may be behind the log while /readyz says ready
    follower_timeout: float = 10.0  # seconds without a heartbeat before the follower is down

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        default = cls()

        def number(variable: str, value: float, kind: type[int] | type[float]) -> float:
            text = environ.get(variable, "").strip()
            if not text:
                return value
            try:
                given = kind(text)
            except ValueError:
                given = -1
            if not 0 < given < 1_000_000:
                msg = f"{variable} phải là một số dương / must be a positive number, not {text!r}"
                raise SettingsError(msg)
            return given

        return cls(
            pool_size=int(number("THUCTHI_DB_POOL_SIZE", default.pool_size, int)),
            lock_pool_size=int(number("THUCTHI_LOCK_POOL_SIZE", default.lock_pool_size, int)),
            follower_pool_size=int(
                number("THUCTHI_FOLLOWER_POOL_SIZE", default.follower_pool_size, int)
            ),
            ready_lag=int(number("THUCTHI_READY_LAG", default.ready_lag, int)),
            follower_timeout=number("THUCTHI_FOLLOWER_TIMEOUT", default.follower_timeout, float),
        )

    def connection_budget(self, *, workers: int, followers: int = 1) -> dict[str, int]:
        """The most PostgreSQL connections each kind of process holds, and in all, for a
        ``thucthi serve --workers N`` with its follower and ``followers - 1`` separate
        ``projections run``. Whatever opens connections of its own adds itself here (and to the
        table in docs/api.md). Creating tables at start takes one more for a moment (api.config),
        and ``serve`` itself holds its few only before it starts the workers."""
        worker = self.pool_size + self.lock_pool_size + LISTENERS + IDEMPOTENCY_CLAIMS
        follower = self.follower_pool_size + LISTENERS
        return {
            "worker": worker,
            "follower": follower,
            "total": workers * worker + followers * follower,
        }


@dataclass(frozen=True, slots=True)
class Database:
    """A parsed database URL: which backend, and how to reach it."""

    backend: Literal["sqlite", "postgres", "memory"]
    url: str
    path: str = ""
    host: str = ""
    port: int = 5432
    dbname: str = ""
    user: str = ""
    password: str = ""
    schema: str = ""

    @property
    def display(self) -> str:
        """The URL without its password, for messages and logs."""
        if self.backend == "postgres":
            schema = f"?schema={self.schema}" if self.schema else ""
            return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}{schema}"
        return self.url

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's own settings for this database.

        Every backend keeps the last ``AGGREGATE_CACHE`` aggregates read, and brings a cached one
        up to date on each read with the events stored since (one query, no replay from the last
        snapshot); the caller gets a copy, so a command that fails leaves the cache untouched.
        """
        cache = {
            "AGGREGATE_CACHE_MAXSIZE": str(AGGREGATE_CACHE),
            "AGGREGATE_CACHE_FASTFORWARD": "y",
        }
        if self.backend == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo", **cache}
        if self.backend == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.path,
                "SQLITE_LOCK_TIMEOUT": "30",
                **cache,
            }
        env = {
            **cache,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            # The library's recorder, also naming the aggregates each transaction saved.
            "APPLICATION_RECORDER_TOPIC": "api.recorder:SavedNotifyingRecorder",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            **pool_settings(Settings().pool_size),
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def conninfo(self) -> str:
        """A libpq connection string, for the few things done with psycopg directly."""
        return psycopg.conninfo.make_conninfo(
            host=self.host,
            port=self.port,
            dbname=self.dbname,
            user=self.user,
            password=self.password or None,
            connect_timeout=5,
        )


def pool_settings(size: int) -> dict[str, str]:
    """The library's pool settings for a pool of at most ``size`` connections."""
    kept = min(POOL_KEPT_OPEN, size)
    return {"POSTGRES_POOL_SIZE": str(kept), "POSTGRES_MAX_OVERFLOW": str(size - kept)}


def name_connections(role: str) -> None:
    """Name this process's PostgreSQL connections ``thucthi-<role>`` (``application_name`` in
    pg_stat_activity), unless the operator named them (``PGAPPNAME`` not ours)."""
    given = os.environ.get("PGAPPNAME", "")
    if not given or given.startswith("thucthi-"):
        os.environ["PGAPPNAME"] = f"thucthi-{role}"


def database_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def parse_database_url(url: str) -> Database:
    """Understand a database URL, or raise DatabaseURLError saying what is wrong with it."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "memory":
        return Database(backend="memory", url=url)
    if scheme == "sqlite":
        if parts.netloc:
            msg = (
                f"a SQLite URL has three slashes before the path: sqlite:///thucthi.db, not {url!r}"
            )
            raise DatabaseURLError(msg)
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else ""
        if not path:
            msg = f"a SQLite URL names a file: sqlite:///thucthi.db, not {url!r}"
            raise DatabaseURLError(msg)
        return Database(backend="sqlite", url=url, path=path)
    if scheme in ("postgresql", "postgres"):
        try:
            port = parts.port or 5432
        except ValueError:
            msg = f"the port in {url!r} is not a number from 1 to 65535"
            raise DatabaseURLError(msg) from None
        dbname = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not dbname:
            msg = (
                "a PostgreSQL URL names a host and a database: "
                f"postgresql://user@host:5432/db, not {url!r}"
            )
            raise DatabaseURLError(msg)
        query = parse_qs(parts.query)
        unknown = sorted(set(query) - {"schema"})
        if unknown:
            msg = f"unknown setting(s) in the database URL: {', '.join(unknown)} (only schema=)"
            raise DatabaseURLError(msg)
        schema = query.get("schema", [""])[-1]
        if schema and not _SCHEMA_NAME.match(schema):
            msg = f"a schema name is lower-case letters, digits and _: not {schema!r}"
            raise DatabaseURLError(msg)
        return Database(
            backend="postgres",
            url=url,
            host=parts.hostname,
            port=port,
            dbname=dbname,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            schema=schema,
        )
    msg = f"the database URL must start with sqlite:///, postgresql:// or memory://, not {url!r}"
    raise DatabaseURLError(msg)


def open_application(
    database: Database,
    *,
    clock: Clock | None = None,
    create_tables: bool = True,
    pool_size: int | None = None,
    lock_pool_size: int | None = None,
) -> Thucthi:
    """Connect to the database (creating tables, and the schema if named) and return the service.

    Server workers pass ``create_tables=False``: their parent created everything before starting
    them. ``pool_size`` is the most PostgreSQL connections the application's pool holds (default
    ``THUCTHI_DB_POOL_SIZE``; ``POOL_KEPT_OPEN`` of them stay open while idle), ``lock_pool_size``
    the most its advisory locks hold (default ``THUCTHI_LOCK_POOL_SIZE``, opened only when
    aggregates are contended). Raises DatabaseUnavailableError with a one-line reason when it
    cannot be reached or opened.
    """
    settings = Settings.from_env() if pool_size is None or lock_pool_size is None else Settings()
    pool_size = settings.pool_size if pool_size is None else pool_size
    lock_pool_size = settings.lock_pool_size if lock_pool_size is None else lock_pool_size
    creating: AbstractContextManager[object] = nullcontext()
    if database.backend == "postgres" and create_tables:
        # Processes starting together on a fresh database create the schema and tables in turn.
        creating = _creating_tables(database)
    elif database.backend == "sqlite":
        parent = Path(database.path).expanduser().resolve().parent
        if not parent.is_dir():
            msg = f"cannot open {database.display}: the folder {parent} does not exist"
            raise DatabaseUnavailableError(msg)
    locks = (
        PostgresAdvisoryLocks(database.conninfo(), size=lock_pool_size)
        if database.backend == "postgres"
        else None
    )
    try:
        if database.backend == "sqlite" and not _in_memory(database.path):
            sqlite_wal(database.path)  # before the library does it, unable to wait its turn
        env = database.eventsourcing_env()
        env["CREATE_TABLE"] = "yes" if create_tables else "no"
        env.update(pool_settings(pool_size))
        with creating:
            if database.backend == "sqlite" and create_tables:
                app = sqlite_in_turn(lambda: Thucthi(env, clock=clock, locks=locks))
            else:
                app = Thucthi(env, clock=clock, locks=locks)
        app.past_versions = PostgresPastVersions.of(app)
        app.credentials = open_credentials(
            getattr(app.factory, "datastore", None), create=create_tables
        )
        return app
    except (PersistenceError, psycopg.Error, OSError, sqlite3.Error) as e:
        msg = f"cannot open {database.display}: {_first_line(e)}"
        raise DatabaseUnavailableError(msg) from e


def _creating_tables(database: Database) -> ExitStack:
    """Taken in turn with other processes: the schema made if missing; the tables are created
    before the returned context is left."""
    held = ExitStack()
    try:
        held.enter_context(creating_tables(database.conninfo()))
        if database.schema:
            with psycopg.connect(database.conninfo(), autocommit=True) as conn:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                        sql.Identifier(database.schema)
                    )
                )
    except psycopg.Error as e:
        held.close()
        msg = f"cannot reach {database.display}: {_first_line(e)}"
        raise DatabaseUnavailableError(msg) from e
    return held


def _in_memory(sqlite_path: str) -> bool:
    return ":memory:" in sqlite_path or "mode=memory" in sqlite_path


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
