"""What an entry of the audit trail costs to write on PostgreSQL does not depend on how long the
trail already is: each entry goes into the indexes of a partition of at most ``span`` positions,
not into indexes spanning the whole log (which, keyed by ids spread over the log, outgrew the
database's buffers: the projection ran at a third of its rate at 10 million events)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from cli.demo import run_demo
from domain.application import Thucthi
from domain.shared.clock import SimulatedClock
from projections.audit import AuditProjection
from projections.verify import verify
from readmodels.audit import AuditFilters
from readmodels.audit_postgres import PostgresAuditStore
from readmodels.open import open_trail
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

pytestmark = pytest.mark.postgres
SPAN = 50


@pytest.fixture
def app() -> Iterator[Thucthi]:
    with fresh_schema(require_server()) as url:
        app = open_application(parse_database_url(url), clock=SimulatedClock(START))
        run_demo(app, directives=30, seed=5, end=date(2024, 12, 31), progress=None)
        try:
            yield app
        finally:
            app.close()


def _datastore(app: Thucthi) -> Any:
    return app.factory.datastore  # type: ignore[attr-defined]


def _written_beside(store: PostgresAuditStore) -> tuple[int, int]:
    """The entries in the table the newest entry went into, and in the whole trail."""
    entries = store.table("entries")
    beside = sql.SQL(
        "SELECT count(*) AS n FROM {} WHERE tableoid = "
        "(SELECT tableoid FROM {} ORDER BY position DESC LIMIT 1)"
    ).format(entries, entries)
    counts = []
    for statement in (beside, sql.SQL("SELECT count(*) AS n FROM {}").format(entries)):
        with store.datastore.transaction(commit=False) as c:
            c.execute(statement)
            row = c.fetchone()
            assert row is not None
            counts.append(int(row["n"]))
    return counts[0], counts[1]


def test_the_entries_written_beside_the_newest_stay_as_few_however_long_the_trail(
    app: Thucthi,
) -> None:
    store = PostgresAuditStore(_datastore(app), span=SPAN)
    store.create_tables()
    projection = AuditProjection(app, store)
    head = app.max_notification_id()
    assert head > 6 * SPAN
    sizes = []
    for until in range(SPAN // 2, head + SPAN, SPAN // 2):
        projection.catch_up(batch_size=17, until=until)
        beside, trail = _written_beside(store)
        assert beside <= SPAN
        sizes.append(trail)
    assert sizes[-1] == head  # the whole log, in partitions
    assert sizes[-1] > 6 * beside


def test_a_trail_spread_over_partitions_verifies_and_reads_as_one_in_a_single_partition(
    app: Thucthi,
) -> None:
    signer = Signer("growth.test/log", Ed25519PrivateKey.generate())
    small = PostgresAuditStore(_datastore(app), prefix="small", span=SPAN)
    whole = PostgresAuditStore(_datastore(app), prefix="whole", span=1 << 40)
    for store in (small, whole):
        store.create_tables()
        AuditProjection(app, store, signer, every=100).catch_up(batch_size=33)
        report = verify(app, store, origin=signer.origin, public_key=signer.public_key)
        assert report.ok, report.problems[:3]
    everything = AuditFilters()
    assert small.entries(everything, limit=10**6) == whole.entries(everything, limit=10**6)
    assert small.entries(everything, newest_first=True, limit=7) == whole.entries(
        everything, newest_first=True, limit=7
    )
    assert [cp.root for cp in small.checkpoints()] == [cp.root for cp in whole.checkpoints()]
    head = small.max_tracking_id(app.name)
    assert small.leaf_rows(3, 3 * SPAN) == whole.leaf_rows(3, 3 * SPAN)
    assert small.leaf_page(SPAN - 5, head) == whole.leaf_page(SPAN - 5, head)
    entry = whole.entries(everything, after=2 * SPAN, limit=1)[0]
    assert small.recorded_position(entry.originator_id, entry.originator_version) == entry.position


def test_a_trail_kept_in_one_table_is_made_again_from_the_log_keeping_its_checkpoints(
    app: Thucthi,
) -> None:
    signer = Signer("growth.test/log", Ed25519PrivateKey.generate())
    store = open_trail(app)
    AuditProjection(app, store, signer, every=100).catch_up()
    written = store.entries(AuditFilters(), limit=10**6)
    checkpoints = store.checkpoints()
    assert isinstance(store, PostgresAuditStore)
    entries, one = store.table("entries"), store.table("one")
    with store.datastore.transaction(commit=True) as c:
        c.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(one, entries))
        c.execute(sql.SQL("INSERT INTO {} SELECT * FROM {}").format(one, entries))
        c.execute(sql.SQL("DROP TABLE {}").format(entries))
        name = sql.Identifier(f"{store.prefix}_entries")
        c.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(one, name))

    again = open_trail(app)
    assert again.max_tracking_id(app.name) == 0
    assert again.entries(AuditFilters()) == []
    assert again.checkpoints() == checkpoints
    AuditProjection(app, again).catch_up()
    assert again.entries(AuditFilters(), limit=10**6) == written
    assert again.checkpoints() == checkpoints
