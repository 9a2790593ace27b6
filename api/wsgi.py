"""The WSGI application each server worker builds for itself, from ``THUCTHI_DATABASE_URL``.

Built in the worker, after the server has started it, so every worker opens its own database
connections (a psycopg pool must not cross a fork).
"""

from __future__ import annotations

import falcon

from api.app import AppConfig, create_app
from api.config import database_url_from_env, open_application, parse_database_url
from api.freshness import Freshness
from projections.audit import Signer, default_key_path, load_key, origin_from_env
from projections.runner import open_view
from readmodels.postgres import PostgresOversightView


def build() -> falcon.App[falcon.Request, falcon.Response]:
    database = parse_database_url(database_url_from_env())
    memory = database.backend == "memory"
    # The parent (thucthi serve) created every table and the unit registry before starting us.
    service = open_application(database, create_tables=memory)
    if memory:
        service.open_unit_registry()
    view = None if memory else open_view(service, create=False)
    path = default_key_path()  # created by `thucthi init` or `thucthi serve` before the workers
    signer = Signer(origin_from_env(), load_key(path, create=False)) if path.exists() else None
    freshness = None
    if isinstance(view, PostgresOversightView):
        freshness = Freshness(
            database.conninfo(),
            events_channel=service.recorder.channel_name,  # type: ignore[attr-defined]
            view_channel=view.notify_channel,
            read_position=view.position,
        ).start()
    config = AppConfig(
        service=service, view=view, create_tables=memory, signer=signer, freshness=freshness
    )
    return create_app(config)
