"""Wiping the audit tables never makes the system sign an edited log (issue 22, item 6).

The issue's scenario on SQLite and PostgreSQL, through the command line and a real follower
process: checkpoints are published, the record at position N is edited and every ``audit_*`` row
deleted; the follower then signs nothing and says why, ``thucthi audit checkpoint`` refuses, and
``thucthi audit verify`` with the checkpoint log kept beside the signing key names position N.
"""
# ruff: noqa: S608 - the statements tamper on purpose, with table names of our own

from __future__ import annotations

import base64
import gc
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import falcon.testing
import orjson
import pytest

from adapters.checkpoint_log import CheckpointLog
from adapters.database import open_application, parse_database_url
from api.app import AppConfig, create_app
from bootstrap import Services, Settings, open_services
from cli.demo import run_demo
from cli.main import main
from domain.application import Thucthi
from domain.directives.commands import IssueDirective
from domain.shared.actors import Actor, Role
from tests.postgres import fresh_schema, require_server

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
EDITED = 1000
AUDIT_TABLES = ("entries", "nodes", "checkpoints", "state", "tracking")


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'log.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@dataclass
class Scene:
    url: str
    key: Path
    kept: Path  # the checkpoint log, beside the key
    env: dict[str, str]
    app: Thucthi  # for the test's own statements
    opened: list[Services] = field(default_factory=list)  # by ``client``, closed at the end

    def cli(self, *args: str) -> tuple[int, str]:
        out = io.StringIO()
        status = main(["--db", self.url, *args], out=out)
        gc.collect()  # the command leaves its application to the process's end: close it now
        return status, out.getvalue()

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        datastore: Any = self.app.factory.datastore  # type: ignore[attr-defined]
        schema = getattr(datastore, "schema", "")
        statement = statement.replace("{schema}", f'"{schema}".' if schema else "")
        if self.url.startswith("postgresql"):
            statement = statement.replace("?", "%s")
        with datastore.transaction(commit=True) as c:
            c.execute(statement, params)
            return list(c.fetchall()) if statement.startswith("SELECT") else []

    def client(self) -> falcon.testing.TestClient:
        """The API over the same database and key, as a server worker builds it."""
        services = open_services(Settings.from_env(self.env, database_url=self.url))
        self.opened.append(services)
        return falcon.testing.TestClient(create_app(AppConfig(services=services)))

    def events(self) -> tuple[str, str]:
        if self.url.startswith("postgresql"):
            return "{schema}thucthi_events", "notification_id"
        return "stored_events", "rowid"


@pytest.fixture(params=KINDS)
def scene(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Scene]:
    """A demo log of about 2,400 records, its trail, and the checkpoints signed over it
    published to the checkpoint log beside the signing key."""
    key = tmp_path / "keys" / "signing-key.pem"
    kept = key.parent / "checkpoints.jsonl"
    monkeypatch.setenv("THUCTHI_SIGNING_KEY", str(key))
    monkeypatch.delenv("THUCTHI_CHECKPOINT_LOG", raising=False)
    with database(request.param, tmp_path) as url:
        app = open_application(parse_database_url(url))
        try:
            run_demo(app, directives=300, seed=11, end=date(2024, 12, 31), progress=None)
            assert app.max_notification_id() > 2 * EDITED
            scene = Scene(url, key, kept, dict(os.environ), app)
            assert scene.cli("init")[0] == 0
            status, note = scene.cli("audit", "checkpoint")
            assert status == 0, note
            yield scene
        finally:
            for services in scene.opened:
                services.close()
            app.close()


def edit_and_wipe(scene: Scene) -> None:
    """The issue's attack: one record edited (still well-formed), every audit row deleted."""
    table, column = scene.events()
    (row,) = scene.sql(f"SELECT state FROM {table} WHERE {column} = ?", (EDITED,))
    state = bytes(row["state"])
    edited = state.replace(b"2024", b"2023", 1)
    assert edited != state
    scene.sql(f"UPDATE {table} SET state = ? WHERE {column} = ?", (edited, EDITED))
    for name in AUDIT_TABLES:
        scene.sql(f"DELETE FROM {{schema}}audit_{name}")


def follow(scene: Scene) -> str:
    """Run the follower process until the trail is back at the head of the log; its stderr."""
    head = scene.sql(f"SELECT max({scene.events()[1]}) AS head FROM {scene.events()[0]}")[0]
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "--db", scene.url, "projections", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=scene.env,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"following")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            rows = scene.sql("SELECT notification_id FROM {schema}audit_tracking")
            if rows and rows[0]["notification_id"] >= head["head"]:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the follower did not bring the trail back to the head of the log")
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    return err.decode()


def test_the_follower_signs_nothing_over_an_edited_log_whose_trail_was_wiped(
    scene: Scene,
) -> None:
    published = scene.kept.read_bytes() if scene.kept.exists() else b""
    edit_and_wipe(scene)
    err = follow(scene)
    assert scene.sql("SELECT tree_size FROM {schema}audit_checkpoints") == [], "it signed"
    assert published, "nothing was published to the checkpoint log"
    assert scene.kept.read_bytes() == published
    assert "refus" in err.lower(), err
    status, out = scene.cli("audit", "checkpoint")
    assert status == 1, out
    assert scene.sql("SELECT tree_size FROM {schema}audit_checkpoints") == []
    assert scene.kept.read_bytes() == published
    client = scene.client()
    ready = client.simulate_get("/readyz")
    assert ready.status_code == 503, ready.text
    assert ready.json["status"] == "signing refused"
    assert "thucthi_audit_signing_refused 1" in client.simulate_get("/metrics").text


def test_a_trail_wiped_over_an_untouched_log_is_made_again_and_signing_goes_on(
    scene: Scene,
) -> None:
    """No false alarm: the same wipe without an edit, and the follower signs again past what was
    published, each new checkpoint extending the old ones."""
    before = list(CheckpointLog(scene.kept).checkpoints())
    for name in AUDIT_TABLES:
        scene.sql(f"DELETE FROM {{schema}}audit_{name}")
    follow(scene)
    client = scene.client()
    assert client.simulate_get("/readyz").status_code == 200
    assert "thucthi_audit_signing_refused 0" in client.simulate_get("/metrics").text
    leader = Actor("leader.chutich", Role.LEADER)
    for n in range(30):
        scene.app.issue(
            IssueDirective(reference=f"{n}/MOI", title="Mới", content="", lead_unit="SO-CT"),
            actor=leader,
            request_id="r",
        )
    status, note = scene.cli("audit", "checkpoint")
    assert status == 0, note
    after = list(CheckpointLog(scene.kept).checkpoints())
    assert after[: len(before)] == before
    assert after[-1].tree_size == scene.app.max_notification_id()
    status, out = scene.cli("audit", "verify", "--quiet")
    assert status == 0, out
    assert f"{len(after):,} checkpoints published" in out


def test_checkpoints_signed_before_the_checkpoint_log_existed_are_taken_into_it(
    scene: Scene,
) -> None:
    """A log signed by an earlier version: its checkpoints are in the database only. The first
    signing with a checkpoint log publishes them as they were signed, leaves and all."""
    signed = [r["note"] for r in scene.sql(
        "SELECT note FROM {schema}audit_checkpoints ORDER BY tree_size"
    )]  # fmt: skip
    scene.kept.unlink()
    status, _ = scene.cli("audit", "checkpoint")
    assert status == 0
    published = [c.note for c in CheckpointLog(scene.kept).checkpoints()]
    assert published == signed
    assert [b.checkpoint.tree_size for b in CheckpointLog(scene.kept).read()] == [
        1000,
        2000,
        scene.app.max_notification_id(),
    ]


def test_verify_with_the_checkpoint_log_names_the_edited_position(scene: Scene) -> None:
    edit_and_wipe(scene)
    follow(scene)
    status, out = scene.cli("audit", "verify", "--quiet")
    assert status == 1, out
    first = next(line for line in out.splitlines() if line.startswith("FAILED"))
    assert first.startswith(f"FAILED edited: position {EDITED}:"), out


def test_verify_with_nothing_kept_says_it_proves_self_consistency_only(scene: Scene) -> None:
    scene.kept.unlink()
    status, out = scene.cli("audit", "verify", "--quiet")
    assert status == 0, out
    assert "self-consistency only" in out
    assert "tự nhất quán" in out


def test_a_deleted_record_is_named_exactly_after_the_trail_was_made_again(scene: Scene) -> None:
    """Not only an edit: a row deleted and the trail made again over what is left is named at
    the position the checkpoint log published it."""
    table, column = scene.events()
    scene.sql(f"DELETE FROM {table} WHERE {column} = ?", (EDITED,))
    for name in AUDIT_TABLES:
        scene.sql(f"DELETE FROM {{schema}}audit_{name}")
    status, out = scene.cli("audit", "verify", "--quiet")
    assert status == 1, out
    first = next(line for line in out.splitlines() if line.startswith("FAILED"))
    assert first.startswith(f"FAILED missing: position {EDITED}:"), out


def test_the_standalone_verifier_checks_the_checkpoint_log_a_witness_holds(
    scene: Scene, tmp_path: Path
) -> None:
    """``thucthi_verify.py checkpoint-log`` accepts the file as published and refuses it with
    any one leaf hash changed, or a checkpoint's note altered."""
    vkey = tmp_path / "log.vkey"
    vkey.write_text(scene.cli("audit", "public-key")[1])
    script = Path(__file__).resolve().parents[2] / "docs" / "inspectors" / "thucthi_verify.py"

    def check(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), "checkpoint-log", "--key", str(vkey), str(path)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    done = check(scene.kept)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("OK: 3 checkpoints signed by")
    lines = scene.kept.read_text().splitlines()
    for number, line in enumerate(lines):
        record = orjson.loads(line)
        if "leaves" in record:
            leaves = bytearray(base64.b64decode(record["leaves"]))
            leaves[32 * 7] ^= 1
            record["leaves"] = base64.b64encode(leaves).decode()
        else:
            record["checkpoint"] = record["checkpoint"].replace("\n", "\n\n", 1)
        altered = tmp_path / f"altered-{number}.jsonl"
        altered.write_text("\n".join([*lines[:number], orjson.dumps(record).decode(),
                                      *lines[number + 1 :]]) + "\n")  # fmt: skip
        done = check(altered)
        assert done.returncode == 1, (number, done.stdout)
        assert done.stderr.startswith("FAILED: "), done.stderr


def test_a_log_cut_back_below_what_was_published_is_never_signed_again(scene: Scene) -> None:
    """The tail deleted with the trail: the log, at its new head, holds fewer records than the
    checkpoint log published; signing is refused and verify names where it was cut."""
    table, column = scene.events()
    scene.sql(f"DELETE FROM {table} WHERE {column} > ?", (1500,))
    for name in AUDIT_TABLES:
        scene.sql(f"DELETE FROM {{schema}}audit_{name}")
    status, out = scene.cli("audit", "checkpoint")
    assert status == 1, out
    assert scene.sql("SELECT tree_size FROM {schema}audit_checkpoints") == []
    assert scene.client().simulate_get("/readyz").status_code == 503
    status, out = scene.cli("audit", "verify", "--quiet")
    assert status == 1, out
    first = next(line for line in out.splitlines() if line.startswith("FAILED"))
    assert first.startswith("FAILED truncated: position 1501:"), out
