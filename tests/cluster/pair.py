"""A pair of PostgreSQL servers under pg_auto_failover, started from the local binaries in a
folder of their own, as the suite's throwaway server is (tests/postgres.py): a monitor, a
primary and a synchronous standby, each on a free port, listening on 127.0.0.1 only, with
trust authentication from there. Debian's ``pg-auto-failover-cli`` and
``postgresql-15-auto-failover`` packages provide ``pg_autoctl`` and the monitor's extension
(the Makefile installs them); without them a test skips, and fails with ``CI=true``.

The monitor decides a failover within seconds rather than the default's half-minute: it checks
the nodes every second and counts a node that missed its checks for four seconds as failed (the
production defaults, and why they are longer, are in docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import psycopg
import pytest

from tests.adversarial.serving import eventually, free_port

DATABASE = "thucthi"
# The monitor's settings for a test (milliseconds): a failover in about ten seconds, with
# room for a machine busy enough to answer a health check late.
QUICK = {
    "health_check_period": 1000,
    "health_check_timeout": 2000,
    "health_check_max_retries": 2,
    "health_check_retry_delay": 500,
    "node_considered_unhealthy_timeout": 4000,
    "primary_demote_timeout": 2000,
}


def binaries() -> str:
    """The PostgreSQL binaries' folder, with pg_autoctl available; skips (fails in CI) if not."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    bindir = os.path.dirname(found[-1]) if found else ""
    extension = glob.glob("/usr/share/postgresql/*/extension/pgautofailover.control")
    if not bindir or shutil.which("pg_autoctl") is None or not extension:
        reason = (
            "pg_auto_failover is not installed (Debian: pg-auto-failover-cli and "
            "postgresql-15-auto-failover; `make test` installs them)"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs {reason}")
        pytest.skip(reason)
    return bindir


@dataclass
class Node:
    """One server of the formation and the ``pg_autoctl run`` that keeps it."""

    name: str
    port: int
    pgdata: Path
    keeper: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def postmaster(self) -> int | None:
        """The server's pid, from its postmaster.pid; None when it is not running."""
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            return None


@dataclass
class Pair:
    """A monitor, ``node1`` (the first primary) and ``node2`` (its synchronous standby)."""

    root: Path
    bindir: str
    monitor: Node
    nodes: list[Node] = field(default_factory=list)

    @property
    def url(self) -> str:
        """What Thucthi is given: both nodes, the primary found among them on each connection."""
        hosts = ",".join(f"127.0.0.1:{n.port}" for n in self.nodes)
        return f"postgresql://postgres@{hosts}/{DATABASE}?target_session_attrs=read-write"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*as_postgres(), "pg_autoctl", *args],
            env=self.environment(),
            capture_output=True,
            text=True,
            check=check,
        )

    def environment(self) -> dict[str, str]:
        return {
            "PATH": f"{self.bindir}:/usr/sbin:/usr/bin:/sbin:/bin",
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_RUNTIME_DIR": str(self.root / "run"),
            "LANG": "C.UTF-8",
        }

    def keep(self, node: Node) -> None:
        """``pg_autoctl run`` for the node, in a process group of its own (to kill it whole)."""
        node.log = (self.root / f"{node.name}.log").open("wb")
        node.keeper = subprocess.Popen(
            [*as_postgres(), "pg_autoctl", "run", "--pgdata", str(node.pgdata)],
            env=self.environment(),
            stdout=node.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def monitor_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.monitor.port}/pg_auto_failover"

    def states(self) -> dict[str, tuple[str, str]]:
        """Each node's state as it reported it, and the state the monitor assigned it."""
        with psycopg.connect(self.monitor_url(), connect_timeout=3) as conn:
            rows = conn.execute(
                "SELECT nodename, reportedstate::text, goalstate::text FROM pgautofailover.node"
            ).fetchall()
        return {name: (reported, goal) for name, reported, goal in rows}

    def wait_for_pair(self, timeout: float = 120.0) -> None:
        """Until one node is the primary and the other its secondary (the first made is the
        primary, unless a busy machine made the monitor fail it over already)."""

        def paired() -> bool:
            try:
                states = self.states()
            except psycopg.OperationalError:
                return False
            settled = sorted(r for r, goal in states.values() if r == goal)
            return len(states) == 2 and settled == ["primary", "secondary"]

        eventually(paired, "the pair did not form", timeout, 0.25, self.describe)

    def wait_for(self, wanted: dict[str, str], timeout: float = 120.0) -> None:
        """Until each named node reports, and was assigned, the state wanted."""

        def reached() -> bool:
            try:
                states = self.states()
            except psycopg.OperationalError:
                return False
            return all(states.get(name) == (state, state) for name, state in wanted.items())

        eventually(reached, f"the formation did not reach {wanted}", timeout, 0.25, self.describe)

    def describe(self) -> str:
        try:
            states: object = self.states()
        except psycopg.OperationalError as e:
            states = f"monitor unreachable: {e}"
        logs = ""
        for node in [self.monitor, *self.nodes]:
            path = self.root / f"{node.name}.log"
            if path.exists():
                logs += f"\n--- {node.name}\n" + path.read_text(errors="replace")[-1500:]
        return f"(states: {states}){logs}"

    def add_node(self, name: str) -> Node:
        node = Node(name, free_port(), self.root / name)
        self.run(
            "create", "postgres", "--pgdata", str(node.pgdata), "--pgport", str(node.port),
            "--pgctl", f"{self.bindir}/pg_ctl", "--listen", "127.0.0.1",
            "--hostname", "127.0.0.1", "--name", name, "--auth", "trust", "--no-ssl",
            "--dbname", DATABASE, "--monitor",
            f"postgresql://autoctl_node@127.0.0.1:{self.monitor.port}/pg_auto_failover",
        )  # fmt: skip
        self.nodes.append(node)
        self.keep(node)
        return node

    def primary(self) -> Node:
        """The node the monitor knows as the primary now."""
        states = self.states()
        return next(n for n in self.nodes if states.get(n.name, ("",))[0] == "primary")

    def kill(self, node: Node) -> None:
        """The node lost as a machine is lost: its keeper and its server killed outright."""
        pid = node.postmaster()
        if node.keeper is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(node.keeper.pid, signal.SIGKILL)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        """Every server stopped at once, then their keepers."""
        for node in [*self.nodes, self.monitor]:
            if node.postmaster() is not None:
                subprocess.run(
                    [*as_postgres(), f"{self.bindir}/pg_ctl", "-D", str(node.pgdata), "stop",
                     "-m", "immediate"],
                    capture_output=True, check=False,
                )  # fmt: skip
            if node.keeper is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(node.keeper.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    node.keeper.wait(timeout=10)
            if node.log is not None:
                node.log.close()


def as_postgres() -> list[str]:
    """pg_autoctl and PostgreSQL refuse to run as root: then they run as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@contextmanager
def pair() -> Iterator[Pair]:
    """The formation, started and in sync (node1 primary, node2 secondary); stopped and removed
    afterwards."""
    bindir = binaries()
    root = Path(tempfile.mkdtemp(prefix="thucthi-pair-"))
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    formed = Pair(root, bindir, Node("monitor", free_port(), root / "monitor"))
    try:
        for folder in ("config", "data", "run"):
            (root / folder).mkdir()
            if os.geteuid() == 0:
                shutil.chown(root / folder, user="postgres")
        formed.run(
            "create", "monitor", "--pgdata", str(formed.monitor.pgdata),
            "--pgport", str(formed.monitor.port), "--pgctl", f"{bindir}/pg_ctl",
            "--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl",
        )  # fmt: skip
        formed.run(
            "config", "set", "--pgdata", str(formed.monitor.pgdata),
            "postgresql.listen_addresses", "127.0.0.1",
        )  # fmt: skip
        formed.keep(formed.monitor)
        eventually(lambda: _answers(formed.monitor_url()), "the monitor did not start", 60.0)
        with psycopg.connect(formed.monitor_url(), autocommit=True) as conn:
            for name, value in QUICK.items():
                conn.execute(f"ALTER SYSTEM SET pgautofailover.{name} = {int(value)}")
            conn.execute("SELECT pg_reload_conf()")
        formed.add_node("node1")
        formed.wait_for({"node1": "single"})
        formed.add_node("node2")
        formed.wait_for_pair()
        yield formed
    finally:
        formed.stop()
        shutil.rmtree(root, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True


def synchronous(node: Node) -> tuple[str, str]:
    """The node's synchronous_standby_names and synchronous_commit, as a session sees them
    without the test run's PGOPTIONS (tests/conftest.py turns synchronous_commit off)."""
    with psycopg.connect(node.url, options="", connect_timeout=3) as conn:
        names = conn.execute("SHOW synchronous_standby_names").fetchone()
        committed = conn.execute("SHOW synchronous_commit").fetchone()
    assert names is not None
    assert committed is not None
    return str(names[0]), str(committed[0])
