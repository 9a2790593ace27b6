"""Fixtures shared by every layer of tests: clocks, actors, and the three storage backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from api.config import Database, open_application, parse_database_url
from domain.application import Thucthi
from domain.clock import SimulatedClock
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
