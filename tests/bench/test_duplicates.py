"""``python -m bench.duplicates`` measures the matching on labelled filings: the synthetic set is
what it says it is, and the harness reports every figure per signal and combined, on the
synthetic set and on the demo's truth. No figure is asserted here: docs/petitions-matching.md
gives them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rapidfuzz.distance import JaroWinkler

from bench.duplicates import jaro_winkler, main, report
from bench.duplicates_corpus import generate

FIGURES = {"P@1", "R@1", "P@5", "R@5", "false alarms"}


def test_the_synthetic_set_is_seeded_and_its_hard_cases_are_what_they_say() -> None:
    """The same seed gives the same filings; each hard pair is, or is not, one matter as said."""
    corpus = generate(5, 60)
    assert corpus == generate(5, 60)
    matter = {f.receipt: f.matter for f in corpus.filings}
    assert len({f.matter for f in corpus.filings}) >= 60
    assert corpus.hard_cases
    for h in corpus.hard_cases:
        assert h.earlier < h.later
        assert (matter[h.earlier] == matter[h.later]) == h.same_matter, h


def test_a_mistyped_number_is_one_typo_from_the_right_one() -> None:
    """The "mistyped_id" pairs differ in one digit or in two adjacent digits swapped."""
    corpus = generate(7, 120)
    number = {f.receipt: f.petitioners[0].id_number for f in corpus.filings}
    pairs = [h for h in corpus.hard_cases if h.case == "mistyped_id"]
    assert pairs
    for h in pairs:
        a, b = number[h.earlier], number[h.later]
        if a is None or b is None:
            continue
        diff = [i for i in range(12) if a[i] != b[i]]
        assert len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1), (a, b)


def test_the_report_gives_every_figure_per_signal_and_combined() -> None:
    """Combined and each signal alone, with the hard cases and the content measures compared."""
    for source in ("synthetic", "demo"):
        r = report(source, 3, 30, date(2025, 12, 31))
        assert set(r["figures"]) == {"combined", "id", "name", "address", "content", "subject"}
        assert all(set(t) == FIGURES for t in r["figures"].values())
        assert r["hard cases"]
        assert "TF-IDF cosine of words (the matching's)" in r["content measures"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("nguyen van hung", "nguyen van hunh"),
        ("tran thi lan", "lan thi tran"),
        ("", "a"),
        ("ab", "ab"),
    ],
)
def test_the_pure_python_jaro_winkler_the_speed_is_compared_with_is_rapidfuzzs(
    a: str, b: str
) -> None:
    """The two figures timed against each other are the same figures."""
    assert jaro_winkler(a, b) == pytest.approx(JaroWinkler.similarity(a, b))


def test_the_harness_runs_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It prints the tables and writes the JSON it is asked for."""
    out = tmp_path / "duplicates.json"
    assert main(["--source", "synthetic", "--matters", "30", "--json", str(out)]) == 0
    assert "| combined" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"{")
