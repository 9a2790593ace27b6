"""An inspector proves a file was the one filed (issue 27): ``thucthi audit file-proof`` makes the
proof of the event that filed it and checks it against a signed checkpoint, and the standalone
verifier checks the same proof file with nothing but the log's public key. On SQLite and
PostgreSQL; files kept where ``THUCTHI_FILES_DIR`` says."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bootstrap import Settings, open_services
from cli.main import main
from domain.directives.commands import Acknowledge, IssueDirective, ReportProgress
from domain.shared.files import FileGiven, digest_of
from tests.builders import LEAD, LEAD_OFFICER, LEADER
from tests.postgres import fresh_schema, require_server

SCRIPT = Path(__file__).parents[2] / "docs" / "inspectors" / "thucthi_verify.py"
REF = "88/UBND-VX"
PDF = b"%PDF-1.7\n% bien ban nghiem thu\n%%EOF\n"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    monkeypatch.setenv("THUCTHI_SIGNING_KEY", str(tmp_path / "keys" / "signing-key.pem"))
    monkeypatch.setenv("THUCTHI_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.delenv("THUCTHI_CHECKPOINT_LOG", raising=False)
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'log.db'}"
    else:
        with fresh_schema(require_server()) as made:
            yield made


def cli(url: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["--db", url, *args], out=out)
    gc.collect()  # the command leaves its application to the process's end: close it now
    return status, out.getvalue()


def filed(url: str) -> None:
    """A directive whose lead unit filed PDF with a progress report."""
    services = open_services(Settings.from_env(database_url=url))
    try:
        app = services.app
        kept = app.upload(PDF, "bien-ban.pdf")
        app.issue(
            IssueDirective(reference=REF, title="Nghiệm thu", lead_unit=LEAD),
            actor=LEADER,
            request_id="t",
        )
        app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="t")
        report = ReportProgress(percent=50, files=(FileGiven(kept.digest, "bien-ban.pdf"),))
        app.execute(report, REF, actor=LEAD_OFFICER, request_id="t")
    finally:
        services.close()


def verifier(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_an_inspector_proves_a_file_was_the_one_filed_and_another_is_not(
    url: str, tmp_path: Path
) -> None:
    assert cli(url, "init")[0] == 0
    filed(url)
    held = tmp_path / "held.pdf"
    held.write_bytes(PDF)
    proof = tmp_path / "proof.json"
    # No checkpoint covers the event yet: the command says so, and how to get one.
    status, _ = cli(url, "audit", "file-proof", str(held), "--ref", REF)
    assert status == 1
    status, said = cli(
        url, "audit", "file-proof", str(held), "--ref", REF, "--sign", "--out", str(proof)
    )
    assert status == 0, said
    assert f"digest:    {digest_of(PDF)}" in said
    assert "OK: the file is the one filed" in said
    document = json.loads(proof.read_text())
    assert document["file"] == {
        "digest": digest_of(PDF),
        "name": "bien-ban.pdf",
        "media_type": "application/pdf",
        "size": len(PDF),
    }
    other = tmp_path / "other.pdf"
    other.write_bytes(PDF + b"% one byte more\n")
    assert cli(url, "audit", "file-proof", str(other), "--ref", REF)[0] == 1

    key = tmp_path / "public.vkey"
    key.write_text(cli(url, "audit", "public-key")[1])
    checked = verifier("file", "--key", key, proof, held)
    assert checked.returncode == 0, checked.stderr
    assert "OK: the file is the one filed by the record at position" in checked.stdout
    refused = verifier("file", "--key", key, proof, other)
    assert refused.returncode == 1
    assert refused.stderr.startswith("FAILED: the record at position")
