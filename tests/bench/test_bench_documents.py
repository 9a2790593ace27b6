"""``python -m bench.documents`` runs whole on a tiny count and writes every figure beside its
baseline. Nothing here asserts a time: the figures are in docs/performance.md."""

from __future__ import annotations

from pathlib import Path

import orjson

from bench.documents import main


def test_the_documents_bench_measures_signing_and_checking_beside_hashing(tmp_path: Path) -> None:
    """Each operation and both hashes are measured in the same run, and the table says each
    one's multiple of its baseline."""
    assert main(["--count", "2", "--rounds", "1", "--pages", "1", "--out", str(tmp_path)]) == 0
    report = orjson.loads((tmp_path / "documents.json").read_bytes())
    assert set(report["per second"]) == {
        "hash the unsigned PDF (SHA-256)",
        "sign, invisible",
        "sign, with the seal and text",
        "hash the signed PDF (SHA-256)",
        "verify",
        "sign and file",
        "check a filed file",
    }
    assert all(figure["median"] > 0 for figure in report["per second"].values())
    assert report["bytes"]["signed"] > report["bytes"]["unsigned"]
    table = (tmp_path / "documents.md").read_text()
    assert "| verify |" in table
    assert table.count("baseline") >= 2
