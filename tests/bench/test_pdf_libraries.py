"""``python -m bench.pdf_libraries`` measures the PDF libraries on the same directive: the harness
runs, measures ReportLab (the one installed) and writes every figure. No time is asserted here:
docs/documents.md gives the figures."""

from __future__ import annotations

from pathlib import Path

import orjson

from bench.pdf_libraries import main
from tests.pdf_reading import require_tools


def test_the_harness_measures_the_installed_library_and_writes_every_figure(tmp_path: Path) -> None:
    """One round of one document: ReportLab's row, its text intact and its fonts embedded, and
    the others skipped or measured as installed."""
    require_tools()
    out = tmp_path / "figures.json"
    assert (
        main(["--documents", "1", "--rounds", "1", "--json", str(out), "--out", str(tmp_path)]) == 0
    )
    figures = {row["library"]: row for row in orjson.loads(out.read_bytes())}
    reportlab = figures["reportlab"]
    assert reportlab["text_intact"] is True
    assert reportlab["fonts_embedded"] is True
    assert reportlab["pages"] == 1
    assert reportlab["documents_per_second"] > 0
    assert (tmp_path / "reportlab.pdf").read_bytes().startswith(b"%PDF-")
