"""Tampering with the stored events, on SQLite and PostgreSQL: ``thucthi audit verify`` finds each
kind of change at the right position, and an untouched log verifies."""
# ruff: noqa: S608 - the statements tamper on purpose, with table names of our own

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from cli.demo import run_demo
from cli.main import main
from domain.application import Thucthi
from domain.shared import merkle
from domain.shared.clock import SimulatedClock
from domain.shared.merkle import leaf_hash
from projections.audit import AuditProjection, Proofs, record_of
from projections.verify import PAGE, Report, verify
from readmodels.audit import AuditFilters, AuditStore
from readmodels.open import open_trail
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

ORIGIN = "tamper.test/log"
KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass
class Log:
    app: Thucthi
    store: AuditStore
    signer: Signer
    url: str
    kept: str  # a checkpoint an inspector kept, of the whole log
    size: int

    def verify(self, kept: str | None = None, page: int = 37) -> Report:
        """Pages of 37 records, so that a problem falls inside one page of several, between pages
        that agree with the trail and are checked whole."""
        return verify(
            self.app,
            self.store,
            origin=ORIGIN,
            public_key=self.signer.public_key,
            kept=kept,
            page=page,
        )

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        datastore: Any = self.app.factory.datastore  # type: ignore[attr-defined]
        if self.url.startswith("postgresql"):
            statement = statement.replace("?", "%s")
        with datastore.transaction(commit=True) as c:
            c.execute(statement, params)
            try:
                return list(c.fetchall())
            except Exception:
                return []

    def table(self, name: str) -> str:
        """One of the trail's tables (``open_trail``'s prefix), as these statements name it."""
        if self.url.startswith("postgresql"):
            schema = self.app.factory.datastore.schema  # type: ignore[attr-defined]
            return f'"{schema}"."audit_{name}"'
        return f'"audit_{name}"'

    @property
    def events(self) -> str:
        table = self.app.recorder.events_table_name  # type: ignore[attr-defined]
        if self.url.startswith("postgresql"):
            schema = self.app.factory.datastore.schema  # type: ignore[attr-defined]
            return f'"{schema}"."{table}"'
        return str(table)

    @property
    def id_column(self) -> str:
        return "notification_id" if self.url.startswith("postgresql") else "rowid"

    def records(self) -> list[tuple[int, bytes]]:
        table = self.app.recorder.events_table_name  # type: ignore[attr-defined]
        return self.store.records(table, 0, 10**6)

    def positions(self) -> list[int]:
        return [n.id for n in self.app.recorder.select_notifications(start=1, limit=10**6)]

    def state(self, position: int) -> bytes:
        rows = self.sql(f"SELECT state FROM {self.events} WHERE {self.id_column} = ?", (position,))
        return bytes(rows[0]["state"])

    def set_state(self, position: int, state: bytes) -> None:
        self.sql(
            f"UPDATE {self.events} SET state = ? WHERE {self.id_column} = ?", (state, position)
        )

    def move(self, old: int, new: int) -> None:
        self.sql(f"UPDATE {self.events} SET {self.id_column} = ? WHERE {self.id_column} = ?",
                 (new, old))  # fmt: skip


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'tamper.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@pytest.fixture(params=KINDS)
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Log]:
    """Sixty directives of the demo year, the audit trail with a checkpoint every 100 records,
    and a checkpoint of the whole log kept by an inspector."""
    with database(request.param, tmp_path) as url:
        app = open_application(parse_database_url(url), clock=SimulatedClock(START))
        try:
            run_demo(app, directives=60, seed=7, end=date(2024, 12, 31), force=False)
            store = open_trail(app)
            signer = Signer(ORIGIN, Ed25519PrivateKey.generate())
            projection = AuditProjection(app, store, signer, every=100)
            projection.catch_up(batch_size=37)
            kept = projection.sign_now()
            assert kept is not None
            yield Log(app, store, signer, url, kept.note, kept.tree_size)
        finally:
            app.close()


def test_a_trail_projected_by_a_fresh_projection_per_page_says_what_one_run_says(log: Log) -> None:
    """Each fresh projection reads the state before its first event of each aggregate from the
    store (snapshot and events), where one run keeps it: the entries are the same."""
    again = open_trail(log.app, prefix="audit_again")
    position = 0
    while position < log.positions()[-1]:
        position += 37
        AuditProjection(log.app, again, every=100).catch_up(until=position)
    everything = AuditFilters()
    first = log.store.entries(everything, limit=10_000)
    assert len(first) == log.size
    assert again.entries(everything, limit=10_000) == first


@pytest.mark.parametrize("page", [1, 37, 100, PAGE])
def test_an_untouched_log_verifies_with_every_checkpoint_and_the_kept_one(
    log: Log, page: int
) -> None:
    report = log.verify(kept=log.kept, page=page)
    assert report.ok, report.problems
    assert report.records == log.size == len(log.positions())
    assert report.root == merkle.root([leaf_hash(r) for _, r in log.records()])
    assert report.checkpoints_checked == log.size // 100 + 1
    assert report.kept_checkpoint is not None
    assert report.kept_checkpoint["extended"] is True


def test_the_records_read_for_verification_are_the_records_the_trail_hashed(log: Log) -> None:
    """On PostgreSQL the database joins each row's columns into its record: byte for byte what
    ``record_of`` makes of the same row in Python, Vietnamese text and all."""
    notifications = log.app.recorder.select_notifications(start=1, limit=10**6)
    assert log.records() == [(n.id, record_of(n)) for n in notifications]
    assert any("ệ".encode() in record for _, record in log.records())


def test_proofs_from_the_stored_subtrees_equal_proofs_over_every_leaf(log: Log) -> None:
    leaves = [leaf_hash(record_of(n)) for n in log.app.recorder.select_notifications(1, 10**6)]
    positions = log.positions()
    proofs = Proofs(log.store, log.app.name)
    rng = random.Random(11)
    for size in [1, 16, 255, 256, 257, 300, len(leaves), *rng.sample(range(1, len(leaves)), 5)]:
        for index in {0, size - 1, rng.randrange(size)}:
            inclusion = proofs.inclusion(positions[index], size)
            assert inclusion["proof"] == merkle.inclusion_proof(index, leaves[:size])
            assert inclusion["root"] == merkle.root(leaves[:size])
        first = rng.randrange(1, size + 1)
        consistency = proofs.consistency(first, size)
        assert consistency["proof"] == merkle.consistency_proof(first, leaves[:size])
        assert consistency["first_root"] == merkle.root(leaves[:first])


def test_editing_one_byte_of_any_stored_event_is_found_at_its_position(log: Log) -> None:
    positions = log.positions()
    rng = random.Random(5)
    for position in [positions[0], positions[-1], *rng.sample(positions[1:-1], 4)]:
        original = log.state(position)
        at = rng.randrange(len(original))
        log.set_state(position, original[:at] + bytes([original[at] ^ 0x01]) + original[at + 1 :])
        report = log.verify()
        assert not report.ok
        assert report.first is not None
        assert (report.first.position, report.first.kind) == (position, "edited"), report.first
        log.set_state(position, original)
    assert log.verify().ok


def test_a_deleted_row_is_found_missing_at_its_position(log: Log) -> None:
    position = log.positions()[len(log.positions()) // 2]
    log.sql(f"DELETE FROM {log.events} WHERE {log.id_column} = ?", (position,))
    first = log.verify().first
    assert first is not None
    assert (first.position, first.kind) == (position, "missing")


def test_two_swapped_rows_are_found_reordered(log: Log) -> None:
    positions = log.positions()
    a, b = positions[40], positions[90]
    log.move(a, -1)
    log.move(b, a)
    log.move(-1, b)
    report = log.verify()
    assert report.first is not None
    assert (report.first.position, report.first.kind) == (a, "reordered")
    assert f"recorded at {b}" in report.first.detail
    assert {(p.position, p.kind) for p in report.problems} >= {(a, "reordered"), (b, "reordered")}


def test_a_truncated_tail_is_found_where_it_was_cut(log: Log) -> None:
    positions = log.positions()
    cut = positions[-25]
    log.sql(f"DELETE FROM {log.events} WHERE {log.id_column} > ?", (cut,))
    first = log.verify(kept=log.kept).first
    assert first is not None
    assert (first.position, first.kind) == (positions[-24], "truncated")


def test_a_log_cut_and_its_trail_rebuilt_is_caught_by_the_kept_checkpoint(log: Log) -> None:
    """The whole database rolled back to an earlier state, trail included: without the signing
    key no new checkpoint can be made, and the inspector's kept one no longer fits."""
    positions = log.positions()
    cut = positions[-25]
    log.sql(f"DELETE FROM {log.events} WHERE {log.id_column} > ?", (cut,))
    log.store.drop_tables()
    log.store.create_tables()
    AuditProjection(log.app, log.store).catch_up()
    assert log.verify().ok  # consistent with itself...
    report = log.verify(kept=log.kept)  # ...but not with what the inspector kept
    assert report.first is not None
    assert report.first.kind == "truncated"
    assert f"after position {cut}" in report.first.detail
    assert report.kept_checkpoint is not None
    assert report.kept_checkpoint["extended"] is False


def test_an_event_edited_and_its_trail_rebuilt_is_caught_by_the_kept_checkpoint(log: Log) -> None:
    position = log.positions()[150]
    original = log.state(position)
    edited = original.replace(b"2024", b"2023", 1)  # still a well-formed event, back-dated
    assert edited != original
    log.set_state(position, edited)
    log.store.drop_tables()
    log.store.create_tables()
    AuditProjection(log.app, log.store).catch_up()
    report = log.verify(kept=log.kept)
    assert report.first is not None
    assert report.first.kind == "checkpoint"
    assert report.first.position is not None
    assert report.first.position <= position


@pytest.mark.parametrize("column", ["chain_hash", "leaf_index"])
def test_an_altered_chain_hash_or_leaf_index_in_the_trail_is_found_at_its_position(
    log: Log, column: str
) -> None:
    position = log.positions()[100]
    table = log.table("entries")
    value: Any = bytes(32) if column == "chain_hash" else 10**9
    log.sql(f"UPDATE {table} SET {column} = ? WHERE position = ?", (value, position))
    report = log.verify()
    assert report.first is not None
    assert (report.first.position, report.first.kind) == (position, "chain"), report.first


def test_a_trail_entry_moved_to_another_position_leaves_its_record_unrecorded(log: Log) -> None:
    position = log.positions()[100]
    table = log.table("entries")
    log.sql(f"UPDATE {table} SET position = ? WHERE position = ?", (10**9, position))
    report = log.verify()
    assert report.first is not None
    assert (report.first.position, report.first.kind) == (position, "inserted"), report.first


def test_a_deleted_row_is_found_when_the_trail_was_shifted_to_hide_it(log: Log) -> None:
    """The row after ``p`` deleted, its trail entry too, and ``p``'s entry moved into its place:
    the trail lists as many entries with the same hashes, at other positions."""
    positions = log.positions()
    p, q = positions[100], positions[101]
    table = log.table("entries")
    log.sql(f"DELETE FROM {log.events} WHERE {log.id_column} = ?", (q,))
    log.sql(f"DELETE FROM {table} WHERE position = ?", (q,))
    log.sql(f"UPDATE {table} SET position = ? WHERE position = ?", (q, p))
    problems = {(problem.position, problem.kind) for problem in log.verify().problems}
    assert {(p, "inserted"), (q, "missing")} <= problems, problems


def test_an_altered_stored_subtree_is_found(log: Log) -> None:
    table = log.table("nodes")
    log.sql(f"UPDATE {table} SET hash = ? WHERE level = 4 AND idx = 3", (bytes(32),))
    report = log.verify()
    assert [(p.position, p.kind) for p in report.problems] == [(None, "tree")], report.problems
    assert "4/3" in report.problems[0].detail


def test_an_altered_stored_checkpoint_fails_its_signature(log: Log) -> None:
    table = log.table("checkpoints")
    note = log.sql(f"SELECT note FROM {table} WHERE tree_size = ?", (100,))[0]["note"]
    forged = note.replace("\n100\n", "\n101\n")
    log.sql(f"UPDATE {table} SET note = ? WHERE tree_size = ?", (forged, 100))
    first = log.verify().first
    assert first is not None
    assert first.kind == "signature"


@pytest.mark.parametrize("kind", ["sqlite"])
def test_the_command_exits_non_zero_and_names_the_position(kind: str, tmp_path: Path) -> None:
    key_file = tmp_path / "key.pem"
    key = Ed25519PrivateKey.generate()
    key_file.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    with database(kind, tmp_path) as url:
        app = open_application(parse_database_url(url), clock=SimulatedClock(START))
        run_demo(app, directives=20, seed=3, end=date(2024, 12, 31), force=False)
        app.close()
        args = ["--db", url, "audit", "verify", "--signing-key", str(key_file), "--quiet"]
        out = io.StringIO()
        assert main(args, out=out) == 0, out.getvalue()
        assert "OK: the log is intact" in out.getvalue()
        checkpoint = io.StringIO()
        assert main(["--db", url, "audit", "checkpoint", "--signing-key", str(key_file)],
                    out=checkpoint) == 0  # fmt: skip
        kept = tmp_path / "kept.txt"
        kept.write_text(checkpoint.getvalue())
        app = open_application(parse_database_url(url))
        with app.factory.datastore.transaction(commit=True) as c:  # type: ignore[attr-defined]
            c.execute(
                "UPDATE stored_events SET state = CAST(state || ' ' AS BLOB) WHERE rowid = 42"
            )
        app.close()
        out = io.StringIO()
        assert main([*args, "--checkpoint", str(kept)], out=out) == 1
        assert "FAILED edited: position 42:" in out.getvalue()
