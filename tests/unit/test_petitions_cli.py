"""``thucthi petitions export`` and ``import``: the national record written to a file only its
owner reads, continued from where the last export ended, and read back by another system once."""

from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path

import orjson
import pytest

from adapters.database import open_application, parse_database_url
from cli.main import main
from domain.shared.clock import SimulatedClock
from tests.petition_builders import MONDAY, Receipts, accepted, classified


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def source(tmp_path: Path) -> str:
    """A database with two petitions decided, and the log's signing key made (``init``)."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    assert run("--db", url, "init")[0] == 0
    app = open_application(parse_database_url(url), clock=SimulatedClock(MONDAY))
    try:
        app.petitions.receipts = Receipts()
        accepted(app)
        accepted(app)
        classified(app)  # not decided: not in the record
    finally:
        app.close()
    return url


def lines(path: Path) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_export_signs_first_when_asked_and_writes_a_file_only_its_owner_reads(
    source: str, tmp_path: Path
) -> None:
    """Without a checkpoint nothing leaves; with ``--sign`` the batch reaches the head; the
    next export from the position it names holds nothing already sent."""
    out = tmp_path / "out.jsonl"
    code, said = run("--db", source, "petitions", "export", "--since", "0", "--out", str(out))
    assert code == 0
    assert "Chưa có điểm kiểm tra" in said
    assert len(lines(out)) == 1
    code, said = run("--db", source, "petitions", "export", "--sign", "--out", str(out))
    assert code == 0
    header, *records = lines(out)
    assert len(records) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"--since {header['next_after']}" in said
    assert "checkpoint no. 1" in said
    again = tmp_path / "again.jsonl"
    since = str(header["next_after"])
    assert run("--db", source, "petitions", "export", "--since", since, "--out", str(again))[0] == 0
    assert len(lines(again)) == 1


def test_small_batches_follow_one_another_in_one_file(source: str, tmp_path: Path) -> None:
    """``--batch 1``: one record a batch, each batch after the one before, all in the file."""
    out = tmp_path / "out.jsonl"
    assert (
        run("--db", source, "petitions", "export", "--sign", "--batch", "1", "--out", str(out))[0]
        == 0
    )
    found = lines(out)
    headers = [r for r in found if r["type"] == "batch"]
    assert [h["records"] for h in headers][:2] == [1, 1]
    assert headers[1]["after"] == headers[0]["next_after"]
    assert sum(r["type"] == "step" for r in found) == 2


def test_import_takes_each_case_once_and_says_what_it_did(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first import receives both cases at the agency given; the second finds them there
    and records nothing; a file that is not the record's is refused whole."""
    out = tmp_path / "out.jsonl"
    assert run("--db", source, "petitions", "export", "--sign", "--out", str(out))[0] == 0
    target = f"sqlite:///{tmp_path / 'target.db'}"
    monkeypatch.setenv("THUCTHI_LOG_ORIGIN", "other.city/log")
    code, said = run("--db", target, "petitions", "import", str(out), "--agency", "UBND-P-BANCO")
    assert code == 0, said
    assert "2 imported, 0 already here, 0 refused" in said
    code, said = run("--db", target, "petitions", "import", str(out), "--agency", "UBND-P-BANCO")
    assert code == 0
    assert "0 imported, 2 already here, 0 refused" in said
    code, said = run("--db", target, "petitions", "import", str(out))
    assert code == 1
    assert "names no agency of this system" in said
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"schema": "something else"}\n')
    assert run("--db", target, "petitions", "import", str(bad))[0] == 1
