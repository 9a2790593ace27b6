"""Finding a PostgreSQL server for the tests, and giving each test its own schema.

Order: ``THUCTHI_TEST_POSTGRES_URL``; else the server on 127.0.0.1:5432 (database ``test``, user
``postgres``); else a throwaway cluster started from the local PostgreSQL binaries. Outside CI a
test with no server skips with the reason; with ``CI=true`` it fails instead.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import psycopg
import pytest
from psycopg import sql

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


class NoPostgresError(RuntimeError):
    """No PostgreSQL server could be found or started."""


@cache
def server_url() -> str:
    """The URL of a reachable server, or NoPostgresError saying why none is."""
    given = os.environ.get("THUCTHI_TEST_POSTGRES_URL")
    if given:
        _check(given)
        return given
    try:
        _check(DEFAULT_URL)
    except psycopg.OperationalError as default_error:
        try:
            return _throwaway_server()
        except (OSError, subprocess.CalledProcessError, NoPostgresError) as e:
            msg = f"no PostgreSQL at {DEFAULT_URL} ({default_error}) and none could be started: {e}"
            raise NoPostgresError(msg) from e
    return DEFAULT_URL


def require_server() -> str:
    """The server URL; skips the test outside CI, fails it in CI, when there is none."""
    try:
        return server_url()
    except (NoPostgresError, psycopg.OperationalError) as e:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs PostgreSQL: {e}")
        pytest.skip(f"PostgreSQL unavailable: {e}")


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new, empty schema for one test, dropped afterwards; yields the URL with ``?schema=``."""
    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        yield f"{url}?schema={name}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def _check(url: str) -> None:
    with psycopg.connect(url, connect_timeout=3) as conn:
        conn.execute("SELECT 1")


def _throwaway_server() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = shutil.which("initdb") or (candidates[-1] if candidates else None)
    if initdb is None:
        msg = "no initdb binary found"
        raise NoPostgresError(msg)
    bindir = os.path.dirname(initdb)
    datadir = tempfile.mkdtemp(prefix="thucthi-pg-")
    port = _free_port()
    run_as: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: run the throwaway cluster as the postgres user.
        shutil.chown(datadir, user="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*run_as, initdb, "-D", datadir, "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *run_as,
            os.path.join(bindir, "pg_ctl"),
            "-D",
            datadir,
            "-o",
            f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1",
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )

    def stop() -> None:
        subprocess.run(
            [*run_as, os.path.join(bindir, "pg_ctl"), "-D", datadir, "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(datadir, ignore_errors=True)

    atexit.register(stop)
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    _check(url)
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
