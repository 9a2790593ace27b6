"""The audit store on SQLite and on PostgreSQL, given the same log, answers every query the same:
the verifier, the proofs and the trail page read one interface, whichever backend is under it.
And each backend makes a trail an earlier version wrote again from the log."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from cli.demo import run_demo
from domain.application import Thucthi
from domain.shared.clock import SimulatedClock
from projections.audit import AuditProjection
from readmodels.audit import AuditFilters, AuditStore, Confinement, StoredRecord
from readmodels.audit_postgres import PostgresAuditStore
from readmodels.open import open_trail
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

ORIGIN = "backends.test/log"
KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass
class Side:
    app: Thucthi
    store: AuditStore

    @property
    def events_table(self) -> str:
        return str(self.app.recorder.events_table_name)  # type: ignore[attr-defined]


@dataclass
class Both:
    sqlite: Side
    postgres: Side

    def same(self, ask: Callable[[Side], Any]) -> Any:
        """What ``ask`` gets from each backend, asserted equal; that answer."""
        from_sqlite, from_postgres = ask(self.sqlite), ask(self.postgres)
        assert from_sqlite == from_postgres
        return from_sqlite

    def answer(self, query: str, *args: Any, **kwargs: Any) -> Any:
        """The store's ``query`` asked the same of each backend, its answers asserted equal."""
        return self.same(lambda side: getattr(side.store, query)(*args, **kwargs))


def _side(url: str, signer: Signer) -> Side:
    app = open_application(parse_database_url(url), clock=SimulatedClock(START))
    run_demo(app, directives=40, seed=11, end=date(2024, 12, 31), progress=None)
    store = open_trail(app)
    if isinstance(store, PostgresAuditStore):
        # Partitions of 64 positions: every query reads a trail spread over several.
        store = PostgresAuditStore(store.datastore, span=64)
        store.drop_tables()
        store.create_tables()
    projection = AuditProjection(app, store, signer, every=100)
    projection.catch_up(batch_size=37)
    assert projection.sign_now() is not None
    return Side(app, store)


def _by_position(records: list[StoredRecord]) -> list[StoredRecord]:
    """``records_at`` promises no order."""
    return sorted(records, key=lambda r: r.position)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    """The same demo year, and its trail signed with the same key, on each backend."""
    signer = Signer(ORIGIN, Ed25519PrivateKey.generate())
    url = f"sqlite:///{tmp_path_factory.mktemp('backends') / 'trail.db'}"
    with fresh_schema(require_server()) as postgres_url:
        sqlite, postgres = _side(url, signer), _side(postgres_url, signer)
        try:
            yield Both(sqlite, postgres)
        finally:
            sqlite.app.close()
            postgres.app.close()


@pytest.mark.postgres
def test_the_records_the_verifier_reads_are_the_same_bytes(both: Both) -> None:
    records = both.same(lambda s: s.store.records(s.events_table, 0, 10**6))
    assert len(records) > 300
    assert both.same(lambda s: s.store.records(s.events_table, 100, 37)) == records[100:137]
    wanted = [*(p for p, _ in records[::17]), 10**9]
    found = both.same(lambda s: _by_position(s.store.records_at(s.events_table, wanted)))
    assert [r.position for r in found] == wanted[:-1]
    assert both.same(lambda s: s.store.records_at(s.events_table, [])) == []


@pytest.mark.postgres
def test_the_pages_a_verifier_compares_are_the_same(both: Both) -> None:
    tracked = both.same(lambda s: s.store.max_tracking_id(s.app.name))
    for after, upto in [(0, tracked), (0, 0), (37, 111), (tracked - 5, tracked + 5)]:
        for query in ("leaf_page", "key_page", "key_rows", "leaves"):
            both.answer(query, after, upto)
    assert len(both.answer("leaves", 10, limit=7)) == 7
    both.answer("leaves", tracked - 3)
    both.answer("leaf_rows", 0, 64)
    both.same(lambda s: s.store.load_state(s.app.name))


@pytest.mark.postgres
def test_the_trail_page_filters_alike(both: Both) -> None:
    """Every filter of the trail page, alone and together, both ways round."""
    everything = both.answer("entries", AuditFilters(), limit=10**6)
    some = everything[123]
    assert some.actor is not None
    assert some.directive is not None
    directives = tuple(sorted({e.directive for e in everything if e.directive})[:3])
    filters = [
        AuditFilters(actor=some.actor),
        AuditFilters(unit=some.actor_unit),
        AuditFilters(directive=some.directive),
        AuditFilters(action=some.action),
        AuditFilters(recorded_from=some.recorded_at),
        AuditFilters(recorded_to=some.recorded_at),
        AuditFilters(confined=Confinement(unit="SO-CT", directives=directives)),
        AuditFilters(confined=Confinement(unit="SO-CT", directives=())),
        AuditFilters(action=some.action, unit="SO-CT", recorded_from=everything[50].recorded_at),
    ]
    near = {"after": some.position - 200, "before": some.position + 200}
    for f in filters:
        for newest_first in (False, True):
            assert both.answer("entries", f, limit=1_000, newest_first=newest_first), f
            both.answer("entries", f, **near, limit=5, newest_first=newest_first)


@pytest.mark.postgres
def test_single_entries_and_proof_hashes_are_found_alike(both: Both) -> None:
    everything = both.answer("entries", AuditFilters(), limit=10**6)
    for entry in everything[::41]:
        assert both.answer("record_at", entry.position) == entry
        both.answer("leaf_at", entry.position)
        both.answer("position_of_leaf", entry.leaf_index)
        both.answer("recorded_position", entry.originator_id, entry.originator_version)
    assert both.answer("record_at", 10**9) is None
    nodes = both.same(lambda s: list(s.store.iter_nodes()))
    assert nodes
    leaves = {e.leaf_index for e in everything[::7]}
    wanted = {(level, idx) for level, idx, _ in nodes[::3]} | {(4, 10**6)}
    both.answer("hashes", leaves, wanted)


@pytest.mark.postgres
def test_the_checkpoints_are_found_alike(both: Both) -> None:
    checkpoints = both.answer("checkpoints")
    assert len(checkpoints) > 3
    both.answer("latest_checkpoint")
    both.answer("checkpoints_between", 100, 300)
    both.answer("checkpoint_covering", 150)
    both.answer("checkpoint_of_size", checkpoints[1].tree_size)
    assert both.answer("checkpoint_of_size", 7) is None
    assert both.answer("checkpoint_count", checkpoints[2].tree_size) == 3
    assert both.answer("checkpoint_count", 0) == 0


@pytest.mark.postgres
def test_an_aggregate_s_records_up_to_a_version_are_found_alike(both: Both) -> None:
    everything = both.same(
        lambda s: _by_position(s.store.records_at(s.events_table, range(1, 10**4)))
    )
    versions: dict[Any, int] = {}
    for record in everything[:300]:
        versions[record.originator] = record.originator_version
    topics = sorted({r.topic for r in everything})[:2]
    found = both.same(lambda s: s.store.records_of(s.events_table, versions))
    assert found
    both.same(lambda s: s.store.records_of(s.events_table, versions, topics))


@pytest.mark.parametrize("kind", KINDS)
def test_a_trail_an_earlier_version_wrote_is_made_again_from_the_log_keeping_its_checkpoints(
    kind: str, tmp_path: Path
) -> None:
    """An earlier version stored each entry's story (``summary_vi``, ...): opening the trail
    drops what it wrote but its signed checkpoints, and the projection writes it again."""
    with contextlib.ExitStack() as stack:
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / 'earlier.db'}"
        else:
            url = stack.enter_context(fresh_schema(require_server()))
        signer = Signer(ORIGIN, Ed25519PrivateKey.generate())
        side = _side(url, signer)
        stack.callback(side.app.close)
        written = side.store.entries(AuditFilters(), limit=10**6)
        checkpoints = side.store.checkpoints()
        datastore: Any = side.app.factory.datastore  # type: ignore[attr-defined]
        entries = '"audit_entries"'
        if kind == "postgres":
            entries = f'"{datastore.schema}".{entries}'
        with datastore.transaction(commit=True) as c:
            c.execute(f"ALTER TABLE {entries} ADD COLUMN summary_vi TEXT")

        again = open_trail(side.app)
        assert again.max_tracking_id(side.app.name) == 0
        assert again.entries(AuditFilters()) == []
        assert again.checkpoints() == checkpoints
        AuditProjection(side.app, again).catch_up()
        assert again.entries(AuditFilters(), limit=10**6) == written
        assert again.checkpoints() == checkpoints
