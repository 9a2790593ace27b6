"""Several processes starting at once on a fresh database each create every table they need.

`thucthi projections run` started at the same moment as `thucthi serve` on a fresh PostgreSQL
schema failed with ``UniqueViolation pg_type_typname_nsp_index``: two sessions ran
``CREATE TABLE IF NOT EXISTS audit_entries`` together, both found no table, and the second
failed on the catalogue's unique index. Every set of tables the code creates must survive that.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from adapters.credentials import open_credentials
from adapters.database import open_application, parse_database_url
from adapters.follower import open_heartbeat
from adapters.idempotency import open_store as open_idempotency
from domain.application import Thucthi
from readmodels.open import open_trail as open_audit_store
from readmodels.open import open_view
from tests.postgres import fresh_schema, require_server

STARTERS = 4  # processes starting at the same moment, as `serve`, its follower, a `projections run`
ROUNDS = 5  # fresh databases raced on: one round can miss the window by luck, five do not


def create_everything(url: str, ready: threading.Barrier) -> None:
    """What a starting process creates: the log, the read models, the trail, the keys."""
    database = parse_database_url(url)
    ready.wait()
    app = open_application(database, pool_size=1)
    try:
        datastore = app.factory.datastore  # type: ignore[attr-defined]
        creators: list[Callable[[Thucthi], object]] = [
            open_view,
            open_audit_store,
            lambda a: open_idempotency(
                datastore,
                events_table=getattr(a.recorder, "events_table_name", ""),
                head=a.max_notification_id,
            ),
            lambda a: open_credentials(datastore),
            lambda a: open_heartbeat(datastore),
        ]
        for create in creators:
            create(app)
    finally:
        app.close()


def race(url: str) -> None:
    ready = threading.Barrier(STARTERS)
    with ThreadPoolExecutor(STARTERS) as pool:
        starts = [pool.submit(create_everything, url, ready) for _ in range(STARTERS)]
        for started in starts:
            started.result()  # raises what a starter raised


@contextmanager
def fresh_database(backend: str, folder: Path, n: int) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'race-{n}.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_processes_starting_together_on_a_fresh_database_all_create_their_tables(
    backend: str, tmp_path: Path
) -> None:
    """Several starters creating every table set at once on a fresh database all succeed."""
    for n in range(ROUNDS):
        with fresh_database(backend, tmp_path, n) as url:
            race(url)
            app = open_application(parse_database_url(url), create_tables=False, pool_size=1)
            try:
                assert open_view(app, create=False).position() == 0  # the tables are there
            finally:
                app.close()
