"""The WSGI application each server worker builds for itself, through the composition root.

Built in the worker, after the server has started it, so every worker opens its own database
connections (a psycopg pool must not cross a fork).
"""

from __future__ import annotations

from adapters.documents import signing_configured
from api.app import AppConfig, create_app
from api.fastpath import AnsweredBefore
from bootstrap import Process, Settings, open_services
from readmodels.index import IndexWeights


def build() -> AnsweredBefore:
    settings = Settings.from_env()
    memory = settings.database.backend == "memory"
    # The parent (thucthi serve) created every table, the unit registry and the signing key
    # before starting us; on PostgreSQL we listen for changes instead of asking per request.
    services = open_services(settings, role=Process.WORKER, create_tables=memory)
    if memory:
        services.app.open_city_registry()
    # A quarter of the threads at most wait for a busy Idempotency-Key, none with fewer than
    # four: a waiting retry must never hold the thread a health check or another request needs.
    threads = settings.serve_threads
    config = AppConfig(
        services=services,
        idempotency_waiters=threads // 4,
        ready_lag=settings.pools.ready_lag,
        # `thucthi serve` runs a follower, and the read models and the trail need one.
        follower_timeout=None if memory else settings.pools.follower_timeout,
        index_weights=IndexWeights(petitions=settings.index_petition_weight),
        petition_due_soon_days=settings.petition_due_soon_days,
        todo_windows=settings.todo_windows,
        file_documents=signing_configured(settings.documents),
    )
    return create_app(config)
