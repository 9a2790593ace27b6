"""Helpers for read-model tests: an application with its oversight view on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from psycopg import sql

from adapters.database import open_application, parse_database_url
from domain.application import Thucthi
from domain.shared.clock import SimulatedClock
from projections.oversight import OversightProjection, catch_up
from readmodels.open import OversightView, open_view
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView
from tests.conftest import START
from tests.postgres import fresh_schema, require_server


@contextmanager
def backend(kind: str, tmp_path: Path) -> Iterator[tuple[Thucthi, OversightView, SimulatedClock]]:
    """A fresh application and oversight view on ``sqlite`` or ``postgres``."""
    clock = SimulatedClock(START)
    if kind == "sqlite":
        app = open_application(parse_database_url(f"sqlite:///{tmp_path / 'rm.db'}"), clock=clock)
        try:
            app.open_unit_registry()
            yield app, open_view(app), clock
        finally:
            app.close()
    else:
        with fresh_schema(require_server()) as url:
            app = open_application(parse_database_url(url), clock=clock)
            try:
                app.open_unit_registry()
                yield app, open_view(app), clock
            finally:
                app.close()


def project(app: Thucthi, view: OversightView, batch_size: int = 1_000) -> int:
    return catch_up(app, OversightProjection(view), batch_size=batch_size)


def all_events(app: Thucthi) -> list[tuple[int, Any]]:
    notifications = app.recorder.select_notifications(start=1, limit=10**9)
    return [(n.id, app.mapper.to_domain_event(n)) for n in notifications]


def index_names(view: OversightView) -> list[str]:
    """The names of the view's indexes, primary keys included."""
    assert isinstance(view, SQLiteOversightView | PostgresOversightView)
    like = f"{view.prefix}\\_%"
    if isinstance(view, PostgresOversightView):
        with view.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = %s AND indexname LIKE %s",
                (view.datastore.schema, like),
            )
            return sorted(r["indexname"] for r in c.fetchall())
    with view.datastore.transaction(commit=False) as s:
        s.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ? ESCAPE '\\'",
            (like,),
        )
        return sorted(r[0] for r in s.fetchall())


def table_rows(view: OversightView) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the view (tracking included), sorted, for comparisons."""
    tables = (
        "board", "units", "directive_units", "days", "tracking", "petitions", "calendar",
        "petition_links", "tally_days", "tally_deadlines",
    )  # fmt: skip
    rows: dict[str, list[tuple[Any, ...]]] = {}
    if isinstance(view, PostgresOversightView):
        with view.datastore.transaction(commit=False) as c:
            for name in (*tables, "search"):
                c.execute(sql.SQL("SELECT * FROM {}").format(view.table(name)))
                rows[name] = sorted(tuple(str(v) for v in r.values()) for r in c.fetchall())
    else:
        assert isinstance(view, SQLiteOversightView)
        with view.datastore.transaction(commit=False) as c:
            for name in tables:
                c.execute(f"SELECT * FROM {view.table(name)}")  # noqa: S608 - test, fixed names
                rows[name] = sorted(tuple(str(v) for v in r) for r in c.fetchall())
            c.execute(f"SELECT directive_id, reference, title, content FROM {view.table('search')}")  # noqa: S608
            rows["search"] = sorted(tuple(str(v) for v in r) for r in c.fetchall())
    return rows
