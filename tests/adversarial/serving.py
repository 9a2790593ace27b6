"""Real processes for the follower's and the connections' tests: a database of their own,
``thucthi serve`` and ``thucthi projections run`` started as a user starts them, and what
PostgreSQL and /proc say about them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import orjson
import psycopg
from psycopg import sql

from tests.postgres import require_server

PASSWORD = "thucthi-demo"  # the demo users'
THUCTHI = [sys.executable, "-m", "cli.main"]


def eventually(
    condition: Callable[[], bool],
    what: str,
    timeout: float = 60.0,
    pause: float = 0.1,
    detail: Callable[[], str] = str,
) -> None:
    """Wait until ``condition()`` holds; fail saying ``what`` did not happen, and ``detail()``.
    The timeout is generous: it bounds a broken run, and a busy machine only makes a good run
    slower."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {timeout:.0f} s {detail()}"
        time.sleep(pause)


@contextmanager
def own_database(password: str = "") -> Iterator[str]:
    """A PostgreSQL database of its own, dropped afterwards: what is counted or terminated in it
    is this test's alone, whatever else runs on the shared server. Yields its URL."""
    server = urlsplit(require_server())
    name = "t22_" + uuid.uuid4().hex[:12]
    with psycopg.connect(require_server(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    user = server.username or "postgres"
    credentials = f"{user}:{password}" if password else user
    netloc = f"{credentials}@{server.hostname}:{server.port or 5432}"
    try:
        yield urlunsplit((server.scheme, netloc, "/" + name, "", ""))
    finally:
        with psycopg.connect(require_server(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def backends(url: str, where: str = "TRUE", params: tuple[object, ...] = ()) -> list[int]:
    """The pids of the server processes serving the database of ``url`` (this query's aside)."""
    with psycopg.connect(require_server(), autocommit=True) as conn:
        rows = conn.execute(
            sql.SQL(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid() AND ({})"
            ).format(sql.SQL(where)),  # the tests' own literal conditions
            (database_name(url), *params),
        ).fetchall()
    return [int(r[0]) for r in rows]


def terminate(pids: list[int]) -> None:
    with psycopg.connect(require_server(), autocommit=True) as conn:
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def http(
    method: str, url: str, body: object = None, token: str | None = None, **headers: str
) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else orjson.dumps(body)
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - local server
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local server
            raw = response.read()
            status = response.status
            answered = {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        raw = error.read()
        status = error.code
        answered = {k.lower(): v for k, v in error.headers.items()}
    kind = answered.get("content-type", "")
    return status, answered, orjson.loads(raw) if raw and "json" in kind else raw.decode()


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``, from /proc (zombies included: they are children)."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(p) for p in (task / "children").read_text().split())
    except FileNotFoundError:  # it, or one of its threads, ended meanwhile
        pass
    return found


def command_line(pid: int) -> list[str]:
    """Its arguments; none once it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except FileNotFoundError:
        return []


def process_state(pid: int) -> str:
    """``R``, ``S``, ``T`` (stopped), ``Z`` (a zombie: dead, not reaped) ...; ``gone`` if none."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return "gone"
    line = next(x for x in status.splitlines() if x.startswith("State:"))
    return line.split()[1]


@dataclass
class Served:
    """A running ``thucthi serve`` and what it was started with."""

    process: subprocess.Popen[bytes]
    url: str
    port: int
    stderr: IO[bytes]
    tokens: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        """What the server and its children wrote on stderr so far."""
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, token: str | None = None) -> tuple[int, dict[str, str], Any]:
        return http("GET", self.base + path, token=token)

    def followers(self) -> list[int]:
        """The server's follower processes (``projections run``), alive or zombie."""
        return [p for p in children(self.process.pid) if "projections" in command_line(p)]

    def follower(self) -> int:
        """The one live follower, once there is one."""
        live: list[int] = []

        def one_live() -> bool:
            live[:] = [p for p in self.followers() if process_state(p) not in ("Z", "gone")]
            return len(live) == 1

        eventually(one_live, "the server did not have one live follower", detail=self.describe)
        return live[0]

    def describe(self, *pids: int) -> str:
        """Its followers' states (and those of ``pids``) and the end of its log, for a failure's
        message."""
        states = {p: (process_state(p), command_line(p)[2:]) for p in {*self.followers(), *pids}}
        said = "\n".join(x for x in self.log().splitlines() if not x.startswith('{"request_id"'))
        return f"(processes: {states}; serve's stderr, request lines aside: {said[-3000:]})"

    def ready(self) -> dict[str, Any]:
        """Wait until /readyz says ready; its answer."""
        answer: dict[str, Any] = {}

        def is_ready() -> bool:
            assert self.process.poll() is None, f"the server exited: {self.log()[-3000:]}"
            try:
                status, _, body = self.get("/readyz")
            except OSError:
                return False
            answer.update(body if isinstance(body, dict) else {})
            return status == 200

        eventually(is_ready, "the server did not become ready")
        return answer

    def sign_in(self, username: str) -> str:
        if username not in self.tokens:
            status, _, body = http(
                "POST",
                self.base + "/api/session",
                {"username": username, "password": PASSWORD},
            )
            assert status == 201, body
            self.tokens[username] = body["token"]
        return self.tokens[username]

    def metrics(self) -> dict[str, float]:
        """The /metrics samples, by name with labels as written."""
        _, _, text = self.get("/metrics")
        samples: dict[str, float] = {}
        for line in str(text).splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                samples[name] = float(value)
        return samples


def demo(url: str, directives: int = 10) -> None:
    """A simulated year with the demo users, as ``thucthi demo`` makes it."""
    subprocess.run(
        [*THUCTHI, "--db", url, "demo", "--directives", str(directives), "--end", "2024-12-31",
         "--quiet"],
        check=True, capture_output=True, env=environment(),
    )  # fmt: skip


def environment(**settings: str) -> dict[str, str]:
    """This process's environment with the database URL variable left out, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if k != "THUCTHI_DATABASE_URL"}
    return {**env, **settings}


@contextmanager
def serving(
    url: str, *, workers: int = 1, settings: Mapping[str, str] | None = None
) -> Iterator[Served]:
    """``thucthi serve --workers N`` on ``url``, stopped with SIGTERM afterwards."""
    port = free_port()
    # The request log goes to stderr: a file, never a pipe nobody reads while serving.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [*THUCTHI, "--db", url, "serve", "--port", str(port), "--workers", str(workers)],
            stdout=subprocess.DEVNULL,
            stderr=log,
            env=environment(**(settings or {})),
        )
        served = Served(process, url, port, log)
        try:
            yield served
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it does not stop (its children are continued first)."""
    for child in children(process.pid) if process.poll() is None else []:
        if process_state(child) == "T":
            os.kill(child, signal.SIGCONT)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
