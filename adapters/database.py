"""Where events live: ``THUCTHI_DATABASE_URL`` (or ``--db``) mapped onto eventsourcing's settings.

``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, ``postgresql://user:pass@host:port/db``
(optionally ``?schema=NAME``) and ``memory://`` (plain Python objects, for tests) are understood.
A PostgreSQL URL may name several hosts, as libpq's own URLs do (``host1:5432,host2:5432``), with
``target_session_attrs=read-write``: each new connection then goes to whichever of them is the
primary now, so that after a failover the pools reconnect to the new one by themselves
(docs/deployment.md).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from eventsourcing.persistence import PersistenceError
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from adapters.credentials import open_credentials
from adapters.locks import PostgresAdvisoryLocks
from adapters.log_partitions import DEFAULT_SIZE as DEFAULT_PARTITION_SIZE
from adapters.past_versions import PostgresPastVersions
from adapters.personal_keys import default_key_path as default_personal_data_key
from adapters.personal_keys import open_vault
from adapters.recorder import LIBPQ_OPTIONS_SETTING, PARTITION_SIZE_SETTING
from adapters.schema import creating_tables, sqlite_in_turn, sqlite_wal
from adapters.settings import (
    DEFAULT_LOCK_POOL_SIZE,
    DEFAULT_POOL_SIZE,
    POOL_KEPT_OPEN,
    pool_settings,
)
from domain.application import Thucthi
from domain.petitions.duplicates import CandidateStore
from domain.ports import ChangeFeed
from domain.shared.clock import Clock
from domain.shared.files import FileRules, FileStore

AGGREGATE_CACHE = 1_000  # aggregates kept per process: the directives being worked on
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# libpq's parameters a URL may carry beside ``schema`` (Thucthi's own), and the values allowed.
LIBPQ_OPTIONS = {
    "target_session_attrs": (
        "any", "read-write", "read-only", "primary", "standby", "prefer-standby"
    ),
    "sslmode": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
}  # fmt: skip


class DatabaseURLError(ValueError):
    """The database URL cannot be understood."""


class DatabaseUnavailableError(RuntimeError):
    """The database named by the URL cannot be reached or opened."""


@dataclass(frozen=True, slots=True)
class Database:
    """A parsed database URL: which backend, and how to reach it."""

    backend: Literal["sqlite", "postgres", "memory"]
    url: str
    path: str = ""
    host: str = ""  # libpq's: one host, or several separated by commas, tried in turn
    port: str = "5432"  # one port per host, separated by commas as the hosts are
    dbname: str = ""
    user: str = ""
    password: str = ""
    schema: str = ""
    # libpq's parameters the URL carried (``LIBPQ_OPTIONS``), e.g. target_session_attrs.
    options: tuple[tuple[str, str], ...] = ()

    @property
    def display(self) -> str:
        """The URL without its password, for messages and logs."""
        if self.backend == "postgres":
            hosts = ",".join(
                f"[{h}]:{p}" if ":" in h else f"{h}:{p}"
                for h, p in zip(self.host.split(","), self.port.split(","), strict=True)
            )
            query = "&".join(f"{k}={v}" for k, v in (*self.options, ("schema", self.schema)) if v)
            return f"postgresql://{self.user}@{hosts}/{self.dbname}{'?' if query else ''}{query}"
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
            # The library's factory, giving the connections the URL's libpq parameters, and its
            # recorder storing in one statement and naming the aggregates each save concerned,
            # in a log table partitioned by position (adapters.recorder).
            "PERSISTENCE_MODULE": "adapters.recorder:PostgresFactory",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": self.port,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            **pool_settings(DEFAULT_POOL_SIZE),
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        if self.options:
            env[LIBPQ_OPTIONS_SETTING] = "&".join(f"{k}={v}" for k, v in self.options)
        return env

    def datastore(self, pool_size: int) -> PostgresDatastore:
        """A pool of at most ``pool_size`` connections to this database, its read models' own
        (a standby's: nothing is created or written through it)."""
        kept = min(POOL_KEPT_OPEN, pool_size)
        datastore = PostgresDatastore(
            dbname=self.dbname,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            connect_timeout=5,
            idle_in_transaction_session_timeout=5,
            pool_size=kept,
            max_overflow=pool_size - kept,
            schema=self.schema,
        )
        if isinstance(datastore.pool.kwargs, dict):
            datastore.pool.kwargs.update(dict(self.options))
        return datastore

    def conninfo(self) -> str:
        """A libpq connection string, for the few things done with psycopg directly."""
        return psycopg.conninfo.make_conninfo(
            host=self.host,
            port=self.port,
            dbname=self.dbname,
            user=self.user,
            password=self.password or None,
            connect_timeout=5,
            **dict(self.options),
        )


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
        return _postgres(url, parts.netloc, parts.path, parts.query)
    msg = f"the database URL must start with sqlite:///, postgresql:// or memory://, not {url!r}"
    raise DatabaseURLError(msg)


def _postgres(url: str, netloc: str, path: str, query_text: str) -> Database:
    """A PostgreSQL URL: one host or several (``h1:5432,h2:5432``), a database, and the
    settings after ``?`` (Thucthi's ``schema``, and ``LIBPQ_OPTIONS``)."""
    userinfo, _, hostlist = netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    hosts: list[str] = []
    ports: list[str] = []
    for item in hostlist.split(","):
        host, port = _host_port(item, url)
        hosts.append(host)
        ports.append(port)
    dbname = unquote(path.lstrip("/"))
    if not all(hosts) or not dbname:
        msg = (
            "a PostgreSQL URL names a host and a database: "
            f"postgresql://user@host:5432/db, not {url!r}"
        )
        raise DatabaseURLError(msg)
    query = parse_qs(query_text)
    unknown = sorted(set(query) - {"schema", *LIBPQ_OPTIONS})
    if unknown:
        msg = (
            f"unknown setting(s) in the database URL: {', '.join(unknown)} "
            f"(only schema=, {'=, '.join(LIBPQ_OPTIONS)}=)"
        )
        raise DatabaseURLError(msg)
    schema = query.get("schema", [""])[-1]
    if schema and not _SCHEMA_NAME.match(schema):
        msg = f"a schema name is lower-case letters, digits and _: not {schema!r}"
        raise DatabaseURLError(msg)
    options: list[tuple[str, str]] = []
    for name, allowed in LIBPQ_OPTIONS.items():
        value = query.get(name, [""])[-1]
        if value and value not in allowed:
            msg = f"{name} is one of {', '.join(allowed)}: not {value!r}"
            raise DatabaseURLError(msg)
        if value:
            options.append((name, value))
    return Database(
        backend="postgres",
        url=url,
        host=",".join(hosts),
        port=",".join(ports),
        dbname=dbname,
        user=unquote(user or "postgres"),
        password=unquote(password),
        schema=schema,
        options=tuple(options),
    )


def _host_port(item: str, url: str) -> tuple[str, str]:
    """``host``, ``host:port`` or ``[v6 address]:port``; the port 5432 unless given."""
    if item.startswith("["):
        host, _, rest = item[1:].partition("]")
        port = rest.removeprefix(":")
    else:
        host, _, port = item.partition(":")
    port = port or "5432"
    if not (port.isascii() and port.isdecimal() and 0 < int(port) < 65536):
        msg = f"the port in {url!r} is not a number from 1 to 65535"
        raise DatabaseURLError(msg)
    return unquote(host), str(int(port))


def open_application(
    database: Database,
    *,
    clock: Clock | None = None,
    create_tables: bool = True,
    pool_size: int = DEFAULT_POOL_SIZE,
    lock_pool_size: int = DEFAULT_LOCK_POOL_SIZE,
    changes: ChangeFeed | None = None,
    personal_data_key: Path | None = None,
    files: FileStore | None = None,
    file_rules: FileRules | None = None,
    candidates: Callable[[Thucthi], CandidateStore] | None = None,
    log_partition_size: int = DEFAULT_PARTITION_SIZE,
) -> Thucthi:
    """Connect to the database (creating tables, and the schema if named) and return the service
    with the adapters of its ports for this backend. ``bootstrap.open_services`` is the one
    caller outside the tests of this module.

    Server workers pass ``create_tables=False``: their parent created everything before starting
    them. ``pool_size`` is the most PostgreSQL connections the application's pool holds
    (``POOL_KEPT_OPEN`` of them stay open while idle), ``lock_pool_size`` the most its advisory
    locks hold (opened only when aggregates are contended); ``changes`` what is heard of saves by
    other processes; ``personal_data_key`` the file of the key that wraps the persons' keys
    (``adapters.personal_keys``; default: ``THUCTHI_PERSONAL_DATA_KEY``, else beside the signing
    key), read when a person is first sealed or opened; ``files`` where filed files' bytes are
    kept and ``file_rules`` what may be filed (``domain.shared.files``); ``candidates`` the
    store of the duplicate search, made from the application (a read model: ``bootstrap``
    gives it); ``log_partition_size`` the positions in each partition of a PostgreSQL log
    created now (``adapters.log_partitions``). Raises
    DatabaseUnavailableError with a one-line reason when it cannot be reached or opened.
    """
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
        env[PARTITION_SIZE_SETTING] = str(log_partition_size)
        env.update(pool_settings(pool_size))

        def application() -> Thucthi:
            return Thucthi(
                env,
                clock=clock,
                locks=locks,
                changes=changes,
                past_versions=PostgresPastVersions.of,
                credentials=lambda app: open_credentials(
                    getattr(app.factory, "datastore", None), create=create_tables
                ),
                vault=lambda app: open_vault(
                    getattr(app.factory, "datastore", None),
                    personal_data_key or default_personal_data_key(),
                    create=create_tables,
                ),
                files=files,
                file_rules=file_rules,
                candidates=candidates,
            )

        with creating:
            if database.backend == "sqlite" and create_tables:
                return sqlite_in_turn(application)
            return application()
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
