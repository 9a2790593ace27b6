"""The log on PostgreSQL, partitioned by position: versions still conflict, partitions are added
ahead, and the oldest one is archived to a file that ``thucthi audit verify --archive`` checks
against the trail and the signed checkpoints as it checks the database."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresDatastore

from adapters.database import open_application, parse_database_url
from adapters.log_partitions import LogPartitions, PartitionError, read_archive
from cli.demo import run_demo
from cli.main import main
from domain.application import Thucthi
from domain.shared.clock import SimulatedClock
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

pytestmark = pytest.mark.postgres


def partitions_of(app: Thucthi) -> LogPartitions:
    datastore = app.factory.datastore  # type: ignore[attr-defined]
    assert isinstance(datastore, PostgresDatastore)
    return LogPartitions(datastore, app.recorder.events_table_name)  # type: ignore[attr-defined]


@pytest.fixture
def small_partitions() -> Iterator[Thucthi]:
    """A fresh log whose partitions hold five positions each."""
    with fresh_schema(require_server()) as url:
        app = open_application(parse_database_url(url), log_partition_size=5)
        try:
            yield app
        finally:
            app.close()


def test_a_new_log_is_partitioned_by_position_with_a_default_partition_beyond(
    small_partitions: Thucthi,
) -> None:
    partitions = partitions_of(small_partitions)
    assert partitions.partitioned()
    assert [(p.first, p.end) for p in partitions.partitions()] == [(1, 6), (6, 11)]
    one = uuid.uuid4()
    stored = small_partitions.recorder.insert_events(
        [StoredEvent(one, v, "t", b"{}") for v in range(1, 13)]
    )
    assert stored == list(range(1, 13))
    counts = partitions.counts()
    assert counts == {
        "thucthi_events_from_1": 5,
        "thucthi_events_from_6": 5,
        "thucthi_events_default": 2,
    }


def test_a_version_stored_twice_conflicts_across_partitions_as_the_unique_key_did(
    small_partitions: Thucthi,
) -> None:
    """PostgreSQL cannot keep (id, version) unique over a table partitioned by position: the
    recorder's function checks it under the table's lock, and raises the same violation."""
    one, other = uuid.uuid4(), uuid.uuid4()
    recorder = small_partitions.recorder
    recorder.insert_events([StoredEvent(one, v, "t", b"{}") for v in range(1, 8)])
    with pytest.raises(IntegrityError):  # version 2 is in the first partition, now past it
        recorder.insert_events([StoredEvent(other, 1, "t", b"{}"), StoredEvent(one, 2, "t", b"")])
    with pytest.raises(IntegrityError):  # the same version twice in one save
        recorder.insert_events([StoredEvent(other, 1, "t", b"{}"), StoredEvent(other, 1, "t", b"")])
    assert recorder.max_notification_id() == 7  # neither save stored anything
    assert recorder.insert_events([StoredEvent(other, 1, "t", b"{}")]) == [8]


def test_partitions_added_ahead_take_the_rows_the_default_partition_held(
    small_partitions: Thucthi,
) -> None:
    partitions = partitions_of(small_partitions)
    one = uuid.uuid4()
    small_partitions.recorder.insert_events([StoredEvent(one, v, "t", b"{}") for v in range(1, 14)])
    added = partitions.keep_ahead(small_partitions.recorder.max_notification_id() or 0)
    # Position 13 is in 11-15; one empty partition, 16-20, is ready beyond it.
    assert [(p.first, p.end) for p in added] == [(11, 16), (16, 21)]
    assert partitions.counts()["thucthi_events_default"] == 0
    assert partitions.counts()["thucthi_events_from_11"] == 3
    assert partitions.keep_ahead(13) == []
    notifications = small_partitions.recorder.select_notifications(start=1, limit=100)
    assert [n.id for n in notifications] == list(range(1, 14))


@dataclass
class Kept:
    url: str
    key: Path
    log: Path  # the checkpoint log the signer published to
    archive: Path
    # What `thucthi show REF --json` said of each directive with events in the first
    # partition, and the unit registry's units, before it was archived.
    before: dict[str, str]
    units: list[tuple[str, str, bool, tuple[str, ...]]]

    def cli(self, *args: str) -> tuple[int, str]:
        out = io.StringIO()
        code = main(["--db", self.url, *args], out=out)
        return code, out.getvalue()

    def verify(self, *archives: Path) -> tuple[int, dict[str, object]]:
        code, out = self.cli(
            "audit", "verify", "--signing-key", str(self.key), "--checkpoint-log", str(self.log),
            "--quiet", "--json", *(x for a in archives for x in ("--archive", str(a))),
        )  # fmt: skip
        return code, orjson.loads(out)


def units_of(app: Thucthi) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    return [(u.code, u.name_vi, u.active, u.successors) for u in app.unit_registry().listed()]


@pytest.fixture
def archived(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kept]:
    """A demo year on a log of 100-position partitions, a signed checkpoint of all of it, and
    its first partition archived with ``thucthi log archive``."""
    key = tmp_path / "key.pem"
    private = Ed25519PrivateKey.generate()
    key.write_bytes(private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    log = tmp_path / "checkpoints.jsonl"
    monkeypatch.setenv("THUCTHI_CHECKPOINT_LOG", str(log))
    with fresh_schema(require_server()) as url:
        app = open_application(
            parse_database_url(url), clock=SimulatedClock(START), log_partition_size=100
        )
        run_demo(app, directives=12, petitions=0, seed=3, end=date(2024, 12, 31), force=False)
        first = app.recorder.select_notifications(start=1, limit=100)
        directives = {
            app.get_directive(n.originator_id).reference
            for n in first
            if n.topic.endswith("Directive.Issued")
        }
        units = units_of(app)
        app.close()
        kept = Kept(url, key, log, tmp_path / "first.jsonl", {}, units)
        for ref in sorted(directives):
            code, said = kept.cli("show", ref, "--json")
            assert code == 0, said
            kept.before[ref] = said
        code, said = kept.cli("audit", "checkpoint", "--signing-key", str(key))
        assert code == 0, said
        code, said = kept.cli("log", "archive", "thucthi_events_from_1", "--out", str(kept.archive))
        assert code == 0, said
        assert "archived thucthi_events_from_1: 100 records" in said
        yield kept


def test_an_archived_partition_verifies_from_its_file_against_the_checkpoints(
    archived: Kept,
) -> None:
    code, report = archived.verify(archived.archive)
    assert code == 0, report
    assert report["ok"] is True
    assert report["scope"] == "checkpoint-log"  # record by record against what was published
    assert report["archives"] == [
        {
            "partition": "thucthi_events_from_1",
            "first": 1,
            "end": 101,
            "records": 100,
            "sha256": read_archive(archived.archive).header["sha256"],
        }
    ]


def test_without_its_archive_the_detached_partition_is_found_missing(archived: Kept) -> None:
    code, report = archived.verify()
    assert code == 1
    first = report["first_failure"]
    assert isinstance(first, dict)
    assert (first["position"], first["kind"]) == (1, "missing")


def test_a_byte_changed_in_an_archive_is_found_at_its_position(archived: Kept) -> None:
    """Even with the file's own count and digest made again: the trail and the checkpoint log
    hold the record's hash."""
    lines = archived.archive.read_bytes().splitlines()
    record = bytearray(base64.b64decode(lines[43]))
    record[-2] ^= 0x01
    lines[43] = base64.b64encode(bytes(record))
    trailer = orjson.loads(lines[-1])
    digest = hashlib.sha256()
    for line in lines[1:-1]:
        digest.update(base64.b64decode(line))
    trailer["sha256"] = digest.hexdigest()
    lines[-1] = orjson.dumps(trailer)
    archived.archive.write_bytes(b"\n".join(lines) + b"\n")
    code, report = archived.verify(archived.archive)
    assert code == 1
    first = report["first_failure"]
    assert isinstance(first, dict)
    assert (first["position"], first["kind"]) == (43, "edited")


def test_an_archive_whose_digest_does_not_match_is_refused_before_verifying(
    archived: Kept,
) -> None:
    lines = archived.archive.read_bytes().splitlines()
    archived.archive.write_bytes(b"\n".join([*lines[:5], *lines[6:]]) + b"\n")
    with pytest.raises(PartitionError, match="count or SHA-256"):
        read_archive(archived.archive)
    code, _ = archived.cli("audit", "verify", "--signing-key", str(archived.key), "--quiet",
                           "--archive", str(archived.archive))  # fmt: skip
    assert code == 1


def test_what_the_archived_events_made_is_still_read_from_the_snapshots(archived: Kept) -> None:
    """The unit registry and the directives issued in the first hundred positions are read
    from the snapshots the archiving took, as they were read from the whole log."""
    assert len(archived.before) >= 3
    for ref, said in archived.before.items():
        code, now = archived.cli("show", ref, "--json")
        assert code == 0, now
        assert now == said, ref
    app = open_application(parse_database_url(archived.url))
    try:
        assert units_of(app) == archived.units
        assert partitions_of(app).partitions()[0].first == 101
        assert app.recorder.select_notifications(start=1, limit=1)[0].id == 101
    finally:
        app.close()


def test_the_partition_holding_the_head_is_not_archived(archived: Kept, tmp_path: Path) -> None:
    code, said = archived.cli("log", "partitions", "--json")
    assert code == 0
    listed = orjson.loads(said)
    last = listed["partitions"][-1]["name"]
    code, _ = archived.cli("log", "archive", last, "--out", str(tmp_path / "x.jsonl"))
    assert code == 1
    assert not (tmp_path / "x.jsonl").exists()
