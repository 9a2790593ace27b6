"""Fixtures shared by every layer of tests: clocks, actors, and the three storage backends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.database import Database, open_application, parse_database_url
from domain.application import Thucthi
from domain.shared.clock import SimulatedClock
from tests.postgres import fresh_schema, require_server

BACKENDS = ("memory", "sqlite", "postgres")
START = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)  # a Monday, 09:00 in Ho Chi Minh City


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
