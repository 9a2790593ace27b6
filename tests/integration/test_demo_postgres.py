"""The bulk loader on PostgreSQL leaves the database ready to be read, statistics included."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from adapters.database import open_application, parse_database_url
from cli.demo import run_demo
from domain.shared.clock import SimulatedClock
from tests.conftest import START

pytestmark = pytest.mark.postgres


def test_the_bulk_loader_leaves_statistics_for_the_tables_it_filled(postgres_url: str) -> None:
    """Without them the planner guessed so high over ten million events that every page a
    rebuild read was JIT-compiled (autovacuum, which would gather them, may be off)."""
    database = parse_database_url(postgres_url)
    app = open_application(database, clock=SimulatedClock(START))
    try:
        run_demo(app, directives=40, seed=5, end=date(2024, 12, 31), progress=None)
    finally:
        app.close()
    with psycopg.connect(database.conninfo()) as conn:
        analyzed: dict[str, bool] = dict(
            conn.execute(
                "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables"
                " WHERE schemaname = %s AND relname IN ('thucthi_events', 'thucthi_snapshots')",
                (database.schema,),
            ).fetchall()
        )
    assert analyzed == {"thucthi_events": True, "thucthi_snapshots": True}
