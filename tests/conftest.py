"""Fixtures shared by every layer of tests: clocks, actors, and the three storage backends."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.database import Database, open_application, parse_database_url
from domain.application import Thucthi
from domain.shared.clock import SimulatedClock
from tests import hypothesis_profiles  # noqa: F401 - the profiles, registered before one is loaded
from tests.postgres import fresh_schema, require_server

BACKENDS = ("memory", "sqlite", "postgres")
START = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)  # a Monday, 09:00 in Ho Chi Minh City
# Temporary files on tmpfs only where it has this much room: a run writes about 100 MB.
TMPFS = Path("/dev/shm")  # noqa: S108 - a directory for tempfile, which makes unique names in it
TMPFS_ROOM = 2 * 1024**3
NO_FLUSHING = "-c synchronous_commit=off"


def _storage_of_the_test_run() -> None:
    """What makes the suite's storage cheaper without changing what any test checks; set before
    anything runs, in the environment, so the servers and commands the tests start inherit it.

    - Temporary files (each test's SQLite databases, logs, the served demo years) go to tmpfs
      when /dev/shm is one with room: an fsync there returns at once. SQLite's locking, its
      write-ahead log and its crash safety against a killed process (what the tests kill) are
      the same there; only a power cut, which no test makes, would tell the difference.
    - PostgreSQL acknowledges a commit before its WAL is flushed to disk (``synchronous_commit
      = off``, through libpq's PGOPTIONS, for every connection the run and its processes open):
      a commit is still atomic and seen by every other session at once, and only a crash of the
      PostgreSQL server itself, which no test makes, could lose the last ones.

    ``THUCTHI_TEST_DURABLE=1`` keeps the disk's behaviour; a TMPDIR or PGOPTIONS already set is
    left as it is."""
    if os.environ.get("THUCTHI_TEST_DURABLE", "").lower() in ("1", "true", "yes"):
        return
    if "TMPDIR" not in os.environ and os.access(TMPFS, os.W_OK):
        room = os.statvfs(TMPFS)
        if room.f_bavail * room.f_frsize >= TMPFS_ROOM:
            os.environ["TMPDIR"] = str(TMPFS)
            tempfile.tempdir = None  # gettempdir() reads TMPDIR again
    os.environ.setdefault("PGOPTIONS", NO_FLUSHING)


_storage_of_the_test_run()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend in turn: memory, SQLite and PostgreSQL."""
    backend: str = request.param
    if backend == "memory":
        yield "memory://"
    elif backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'thucthi.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on a PostgreSQL server."""
    with fresh_schema(require_server()) as url:
        yield url


@pytest.fixture
def database(database_url: str) -> Database:
    return parse_database_url(database_url)


@pytest.fixture
def app(database: Database, clock: SimulatedClock) -> Iterator[Thucthi]:
    """The application on each backend, with the default units registered."""
    application = open_application(database, clock=clock)
    application.open_unit_registry()
    try:
        yield application
    finally:
        application.close()


@pytest.fixture(autouse=True)
def _checkpoint_log_of_the_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's signers publish to a checkpoint log of its own: the run's key signs many
    logs, and one log's published checkpoints say nothing of another's."""
    monkeypatch.setenv("THUCTHI_CHECKPOINT_LOG", str(tmp_path / "checkpoints.jsonl"))


@pytest.fixture(autouse=True, scope="session")
def _signing_key_of_the_test_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Servers and followers started by the tests sign with a key of this run, never one under
    the home directory."""
    key = tmp_path_factory.mktemp("keys") / "signing-key.pem"
    previous = os.environ.get("THUCTHI_SIGNING_KEY")
    os.environ["THUCTHI_SIGNING_KEY"] = str(key)
    yield
    if previous is None:
        os.environ.pop("THUCTHI_SIGNING_KEY", None)
    else:
        os.environ["THUCTHI_SIGNING_KEY"] = previous


# --- two xdist workers (`make test` runs `pytest -n 2`) --------------------------------------

TESTS = Path(__file__).parent
# The tests that hold the most PostgreSQL connections at once, 16 to 33 each as measured (servers
# with two API workers, a follower and clients; eight writers' pools): on two workers they take
# turns, so the run's peak is one of them beside a test that holds at most 14 (README, "Tests").
MANY_CONNECTIONS = frozenset(
    {
        "integration/test_concurrency_postgres.py::test_eight_processes_worth_of_writers_lose_nothing",
        "adversarial/test_connections.py",
        "adversarial/test_follower_crash.py",
        "adversarial/test_idempotency.py::test_forty_retries_of_a_busy_key_answer_409_at_once_while_healthz_stays_fast",
        "bench/test_bench_small.py",
    }
)


def holds_many_connections(item: pytest.Item) -> bool:
    if not item.path.is_relative_to(TESTS):
        return False
    module = item.path.relative_to(TESTS).as_posix()
    function = getattr(item, "originalname", item.name)
    return module in MANY_CONNECTIONS or f"{module}::{function}" in MANY_CONNECTIONS


@pytest.fixture(autouse=True)
def _many_connections_one_at_a_time(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Under xdist, a test of MANY_CONNECTIONS waits until no other worker runs one: an
    exclusive lock on a file of this run (in the folder its workers share), held from before
    its fixtures are set up until after they are torn down."""
    if "PYTEST_XDIST_WORKER" not in os.environ or not holds_many_connections(request.node):
        yield
        return
    shared = tmp_path_factory.getbasetemp().parent  # a worker's own folder is popen-gwN in it
    with (shared / "many-connections.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield
