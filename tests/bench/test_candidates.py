"""``python -m bench.candidates`` measures the duplicate search through its store: on the
demo's truth it reports every figure per signal and combined beside the in-memory ranking, and
at size it loads petitions into a fresh PostgreSQL schema, times the search and the receipt
look-up, and drops the schema. Small sizes here; no figure is asserted (docs give them)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import orjson
import psycopg

from bench.candidates import Renumbering, digits_of, labelled_figures, main
from domain.petitions.matching import Document, Subject, one_typo_away
from tests.postgres import require_server

FIGURES = {"P@1", "R@1", "P@5", "R@5", "false alarms"}
SIGNALS = {"combined", "id", "name", "address", "content", "subject"}


def test_the_labelled_figures_come_through_the_store_beside_those_in_memory(
    tmp_path: Path,
) -> None:
    """Each signal and the combination, in memory and through the store, and the share of
    queries whose matter the retrieval found."""
    r = labelled_figures(2024, 20, date(2025, 12, 31), tmp_path)
    assert set(r["in memory"]) == set(r["through the store"]) == SIGNALS
    assert all(set(t) == FIGURES for t in r["through the store"].values())
    assert 0.0 <= r["retrieval recall"] <= 1.0


def test_a_copys_numbers_are_drawn_once_and_keep_dates_and_typos() -> None:
    """One number is renumbered alike in the text and the subject; a day, a month and a year
    are kept; a number one typo from another stays one typo away once its digits are
    permuted."""
    renumber = Renumbering(random.Random(1))
    text = renumber.text("quyet dinh 1234 ngay 12 3 2024 thua 318 to 27")
    subject = renumber.subject(Subject(frozenset({Document(1234, "qd-ubnd", 2024)})))
    drawn = text.split()
    assert drawn[2] == str(next(iter(subject.documents)).number) != "1234"
    assert drawn[4:7] == ["12", "3", "2024"]
    digits = digits_of(3)
    number = "079085001234"
    typo = sorted(one_typo_away(number))[17]
    moved = number[:6] + number[6:].translate(digits)
    assert typo[:6] + typo[6:].translate(digits) in one_typo_away(moved) | {moved}


def test_the_bench_loads_a_small_size_measures_and_drops_its_schema(tmp_path: Path) -> None:
    """The whole run at a few hundred petitions: both tables of figures written, the schema
    gone afterwards."""
    url = require_server()
    with psycopg.connect(url) as conn:
        before = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace")}
    assert main(["--size", "300", "--queries", "20", "--pool", "120", "--matters", "20",
                 "--postgres", url, "--out", str(tmp_path)]) == 0  # fmt: skip
    report = orjson.loads((tmp_path / "candidates.json").read_bytes())
    size = report["at size"]
    assert size["petitions"] == 300
    assert set(size["candidate search ms"]) == {"median", "p99"}
    assert set(size["receipt look-up ms"]) == {"median", "p99"}
    assert "P@1" in size["found again"]
    assert "receipt look-up" in (tmp_path / "candidates.md").read_text()
    with psycopg.connect(url) as conn:
        after = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace")}
    assert not {s for s in after - before if s.startswith("bench_candidates_")}
