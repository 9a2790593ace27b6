"""The WSGI application each server worker builds for itself, from ``THUCTHI_DATABASE_URL``.

Built in the worker, after the server has started it, so every worker opens its own database
connections (a psycopg pool must not cross a fork).
"""

from __future__ import annotations

import os

from api.app import AnsweredBefore, AppConfig, create_app
from api.config import (
    Settings,
    database_url_from_env,
    name_connections,
    open_application,
    parse_database_url,
)
from api.freshness import listen
from api.server import THREADS_VARIABLE
from projections.audit import default_key_path, signer_at
from projections.runner import open_view
from readmodels.postgres import PostgresOversightView


def build() -> AnsweredBefore:
    database = parse_database_url(database_url_from_env())
    settings = Settings.from_env()
    memory = database.backend == "memory"
    name_connections("worker")
    # The parent (thucthi serve) created every table and the unit registry before starting us.
    service = open_application(
        database,
        create_tables=memory,
        pool_size=settings.pool_size,
        lock_pool_size=settings.lock_pool_size,
    )
    if memory:
        service.open_unit_registry()
    view = None if memory else open_view(service, create=False)
    path = default_key_path()  # created by `thucthi init` or `thucthi serve` before the workers
    signer = signer_at(path, create=False) if path.exists() else None
    # On PostgreSQL the worker learns of changes from notifications instead of asking per request.
    freshness = listen(database, service, view) if isinstance(view, PostgresOversightView) else None
    # A quarter of the threads at most wait for a busy Idempotency-Key, none with fewer than
    # four: a waiting retry must never hold the thread a health check or another request needs.
    threads = int(os.environ.get(THREADS_VARIABLE, "1"))
    config = AppConfig(
        service=service,
        view=view,
        create_tables=memory,
        signer=signer,
        freshness=freshness,
        idempotency_waiters=threads // 4,
        ready_lag=settings.ready_lag,
        # `thucthi serve` runs a follower, and the read models and the trail need one.
        follower_timeout=None if memory else settings.follower_timeout,
    )
    return create_app(config)
