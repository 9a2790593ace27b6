"""``python -m bench.duplicates``: how well the matching finds earlier filings of the same matter,
on labelled filings, per signal and combined (issue 26, item 5).

Each filing in turn, in the order filed, is the query; the filings before it are the
candidates, ranked (``domain.petitions.matching.rank``), and those of its own matter are the
right answers. For each method (the combination, and each signal alone):

- **P@1**: of the queries shown any candidate, those whose first is of the same matter;
- **R@1**, **R@5**: of the queries that have an earlier filing of the same matter, those with
  one first, or among the first five shown;
- **P@5**: of all the candidates shown (at most five a query), those of the same matter;
- **false alarms**: of the queries that have no earlier filing of their matter, those shown a
  candidate all the same.

A candidate is shown when its score reaches the threshold (``MatchingConfig.threshold``; a
signal alone: ``reason_floor``). Then each hard case (a relative's filing, a mistyped number,
the same street's other grievance, ...): a pair of the same matter is found when the earlier is
among the later's first five, a pair of two matters is kept apart when the earlier is not shown.

The content measures are compared beside it by ranking alone (no threshold): pg_trgm's trigram
similarity (what the matching uses), the trigrams' overlap coefficient, TF-IDF cosine of words
and word pairs, and MinHash (``datasketch``, if installed) of word 3-shingles.

The labelled filings: the demo's year of petitions with its truth (``cli.demo_petitions``,
made in this process, sealed and opened by a vault of its own, compared with that vault's HMAC
of the identification numbers), and the seeded synthetic set of ``bench.duplicates_corpus``
(another generator's wordings, and the tuning set of the weights). The harness holds the
filings in clear and the HMAC's key: it runs only where the vault's key may be, as the
matching itself does.

    python -m bench.duplicates [--source synthetic|demo|both] [--seed S] [--matters N]
                               [--end DAY] [--json FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import math
import random
import secrets
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from rapidfuzz.distance import JaroWinkler

from bench.duplicates_corpus import Corpus, HardCase, Labelled, Petitioner, generate
from cli.demo_petitions import petition_year
from domain.petitions.desk import seeded_receipts
from domain.petitions.matching import (
    SIGNALS,
    Filing,
    IdHash,
    Vocabulary,
    compare,
    content_similarity,
    party,
    profile,
    trigram_similarity,
)
from domain.petitions.matching_config import DEFAULT, MatchingConfig
from domain.petitions.petition import Petition
from domain.shared.sealing import MemoryVault

TARGET_R5, TARGET_P1 = 0.95, 0.90
DEFAULT_SEEDS = {"synthetic": 26, "demo": 2024}


def keyed_hash() -> IdHash:
    """An HMAC-SHA256 of identification numbers under a key drawn for this run (the vault's
    ``MasterKey.id_hash`` in the application)."""
    key = secrets.token_bytes(32)
    return lambda number: hmac.new(key, number.encode("ascii"), hashlib.sha256).digest()


def profiles(filings: Sequence[Labelled], id_hash: IdHash) -> list[Filing]:
    return [
        profile(
            f.receipt,
            f.content,
            f.subject,
            [party(p.full_name, p.address, p.id_number, id_hash) for p in f.petitioners],
        )
        for f in filings
    ]


@dataclass(slots=True)
class Figures:
    """One method's counts over every query."""

    with_earlier: int = 0
    fresh: int = 0
    shown_queries: int = 0
    first_right: int = 0
    right_in_1: int = 0
    right_in_5: int = 0
    shown: int = 0
    shown_right: int = 0
    false_alarms: int = 0

    def add(self, ranked: Sequence[str], right: set[str]) -> None:
        top = ranked[:5]
        if right:
            self.with_earlier += 1
            self.right_in_1 += bool(top[:1] and top[0] in right)
            self.right_in_5 += any(r in right for r in top)
        else:
            self.fresh += 1
            self.false_alarms += bool(top)
        if top:
            self.shown_queries += 1
            self.first_right += top[0] in right
        self.shown += len(top)
        self.shown_right += sum(r in right for r in top)

    def table(self) -> dict[str, float]:
        def share(a: int, b: int) -> float:
            return a / b if b else math.nan

        return {
            "P@1": share(self.first_right, self.shown_queries),
            "R@1": share(self.right_in_1, self.with_earlier),
            "P@5": share(self.shown_right, self.shown),
            "R@5": share(self.right_in_5, self.with_earlier),
            "false alarms": share(self.false_alarms, self.fresh),
        }


@dataclass(slots=True)
class Run:
    """What one pass over the labelled filings found."""

    figures: dict[str, Figures] = field(default_factory=dict)
    top5: dict[str, set[str]] = field(default_factory=dict)  # query → the combination's top 5
    scores: dict[tuple[str, str], float] = field(default_factory=dict)  # (query, earlier) → score
    seconds: float = 0.0
    pairs: int = 0


def evaluate(
    filings: Sequence[Labelled], config: MatchingConfig = DEFAULT, id_hash: IdHash | None = None
) -> Run:
    """Every filing against those before it, by the combination and each signal alone."""
    made = profiles(filings, id_hash or keyed_hash())
    matter = {f.receipt: f.matter for f in filings}
    run = Run({name: Figures() for name in ("combined", *SIGNALS)})
    vocabulary = Vocabulary()
    for f in made:
        vocabulary.add(f)
    started = time.perf_counter()
    for k, query in enumerate(made):
        earlier = made[:k][::-1]  # the most recent first, so that ties go to it
        right = {e.receipt for e in earlier if matter[e.receipt] == matter[query.receipt]}
        compared = [compare(query, e, config, vocabulary) for e in earlier]
        run.pairs += len(compared)
        for c in compared:
            run.scores[query.receipt, c.receipt] = c.score
        combined = sorted(
            (c for c in compared if c.score >= config.threshold), key=lambda c: -c.score
        )
        run.figures["combined"].add([c.receipt for c in combined], right)
        run.top5[query.receipt] = {c.receipt for c in combined[:5]}
        for name in SIGNALS:
            alone = sorted(
                (c for c in compared if c.signals[name] >= config.reason_floor),
                key=lambda c: -c.signals[name],
            )
            run.figures[name].add([c.receipt for c in alone], right)
    run.seconds = time.perf_counter() - started
    return run


def hard_cases(corpus: Corpus, run: Run, config: MatchingConfig) -> dict[str, dict[str, Any]]:
    """Per hard case: how many pairs, and how many the combination got right."""
    found: dict[str, dict[str, Any]] = {}
    filed = {f.receipt: n for n, f in enumerate(corpus.filings)}
    for h in corpus.hard_cases:
        entry = found.setdefault(h.case, {"same matter": h.same_matter, "pairs": 0, "right": 0})
        entry["pairs"] += 1
        # a truth may list a pair later first; the later is the one received after the other
        earlier, later = sorted((h.earlier, h.later), key=filed.__getitem__)
        if h.same_matter:
            entry["right"] += earlier in run.top5[later]
        else:
            entry["right"] += run.scores[later, earlier] < config.threshold
    return found


# --- the demo's petitions and their truth ---------------------------------------------------


def demo_corpus(seed: int, matters: int, end: date) -> tuple[Corpus, IdHash]:
    """The demo's year of petitions (``thucthi demo``: ``cli.demo_petitions``) made in this
    process, sealed by a vault of its own, opened again to be compared (with that vault's own
    HMAC of the identification numbers), and the demo's truth of which are the same matter."""
    vault = MemoryVault()
    year = petition_year(
        seed=seed,
        start=end - timedelta(days=365),
        end=end,
        matters=matters,
        seal=vault.seal,
        # the demo's own seeded receipts, as ``thucthi demo`` draws them
        receipts=seeded_receipts(random.Random(f"{seed}/receipts")),  # noqa: S311
        moment=_office_hours,
    )
    truth = year.truth
    filings: list[Labelled] = []
    for event in year.events:
        if not isinstance(event, Petition.Received):
            continue
        persons = [vault.open(p) for p in event.petitioners]
        petitioners = tuple(
            Petitioner(p.full_name, p.id_number, p.address) for p in persons if p is not None
        )
        day = (event.received_on - end).days
        matter = truth.filings[event.receipt]
        filings.append(
            Labelled(event.receipt, matter, day, event.content, event.subject, petitioners)
        )
    hard = tuple(
        HardCase(case, pair["filings"][0], pair["filings"][1], pair["same_matter"])
        for case, pairs in truth.hard_cases.items()
        for pair in pairs
    )
    return Corpus(tuple(filings), hard), vault.master_key().id_hash


def _office_hours(day: date, rank: int, jitter: int) -> datetime:
    minutes = min(8 * 60 + rank * 20 + jitter, 23 * 60 + 59)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=UTC)


# --- the content measures compared -----------------------------------------------------------


def _shingles(words: str, n: int = 3) -> frozenset[str]:
    w = words.split()
    return frozenset(" ".join(w[i : i + n]) for i in range(max(1, len(w) - n + 1)))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _tfidf(made: Sequence[Filing]) -> Callable[[Filing, Filing], float]:
    """Cosine of TF-IDF vectors of words and word pairs, the document frequencies taken over
    the whole labelled set (the most a store could keep up to date)."""
    terms = {f.receipt: Counter(_terms(f.words)) for f in made}
    df: Counter[str] = Counter()
    for t in terms.values():
        df.update(t.keys())
    n = len(made)
    vectors: dict[str, dict[str, float]] = {}
    for receipt, t in terms.items():
        v = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in t.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[receipt] = {w: x / norm for w, x in v.items()}

    def cosine(a: Filing, b: Filing) -> float:
        va, vb = vectors[a.receipt], vectors[b.receipt]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(w, 0.0) for w, x in va.items())

    return cosine


def _matching_tfidf(made: Sequence[Filing]) -> Callable[[Filing, Filing], float]:
    vocabulary = Vocabulary()
    for f in made:
        vocabulary.add(f)
    return lambda a, b: content_similarity(a, b, vocabulary)


def _terms(words: str) -> list[str]:
    w = words.split()
    return w + [f"{a} {b}" for a, b in itertools.pairwise(w)]


def _minhash(made: Sequence[Filing]) -> Callable[[Filing, Filing], float] | None:
    """MinHash, when ``datasketch`` is installed: measured, not a dependency (it brings numpy
    and scipy, and ranks no better than the Jaccard it estimates: docs)."""
    try:
        from datasketch import MinHash  # type: ignore[import-not-found,import-untyped,unused-ignore]  # noqa: PLC0415
    except ImportError:
        return None
    sketches = {}
    for f in made:
        m = MinHash(num_perm=128, seed=26)
        for s in _shingles(f.words):
            m.update(s.encode())
        sketches[f.receipt] = m

    def jaccard(a: Filing, b: Filing) -> float:
        return float(sketches[a.receipt].jaccard(sketches[b.receipt]))

    return jaccard


def content_measures(
    filings: Sequence[Labelled], id_hash: IdHash | None = None
) -> dict[str, dict[str, float]]:
    """Each content measure alone, by ranking (no threshold): of the queries that have an
    earlier filing of their matter, those with one first (S@1) and in the first five (S@5),
    the mean reciprocal rank of the first right one, and the time of one comparison."""
    made = profiles(filings, id_hash or keyed_hash())
    measures: dict[str, Callable[[Filing, Filing], float]] = {
        "trigram similarity (pg_trgm)": lambda a, b: trigram_similarity(a.trigrams, b.trigrams),
        "trigram overlap coefficient": lambda a, b: _overlap(a.trigrams, b.trigrams),
        "word 3-shingle Jaccard": lambda a, b: trigram_similarity(
            _shingles(a.words), _shingles(b.words)
        ),
        "TF-IDF cosine (words and pairs)": _tfidf(made),
        "TF-IDF cosine of words (the matching's)": _matching_tfidf(made),
    }
    minhash = _minhash(made)
    if minhash is not None:
        measures["MinHash of word 3-shingles (datasketch, 128)"] = minhash
    matter = {f.receipt: f.matter for f in filings}
    out: dict[str, dict[str, float]] = {}
    for name, measure in measures.items():
        s1 = s5 = queries = 0
        rr = 0.0
        calls = 0
        started = time.perf_counter()
        for k, q in enumerate(made):
            earlier = made[:k][::-1]
            right = {e.receipt for e in earlier if matter[e.receipt] == matter[q.receipt]}
            ranked = sorted(earlier, key=lambda e, q=q: -measure(q, e))  # type: ignore[misc]
            calls += len(earlier)
            if not right:
                continue
            queries += 1
            rank = next(i for i, e in enumerate(ranked) if e.receipt in right)
            s1 += rank == 0
            s5 += rank < 5
            rr += 1 / (rank + 1)
        elapsed = time.perf_counter() - started
        out[name] = {
            "S@1": s1 / queries,
            "S@5": s5 / queries,
            "MRR": rr / queries,
            "µs per comparison": 1e6 * elapsed / max(calls, 1),
        }
    return out


def name_speed(filings: Sequence[Labelled]) -> dict[str, float]:
    """µs per Jaro–Winkler of two names: rapidfuzz against the same in pure Python."""
    names = [p.full_name for f in filings for p in f.petitioners][:200]
    half = len(names) // 2
    pairs = [(a, b) for a in names[:half] for b in names[half:]] or [("", "")]
    started = time.perf_counter()
    for a, b in pairs:
        JaroWinkler.similarity(a, b)
    fast = time.perf_counter() - started
    started = time.perf_counter()
    for a, b in pairs:
        jaro_winkler(a, b)
    slow = time.perf_counter() - started
    return {
        "rapidfuzz µs": 1e6 * fast / len(pairs),
        "pure Python µs": 1e6 * slow / len(pairs),
    }


def jaro_winkler(a: str, b: str) -> float:
    """Jaro–Winkler in pure Python (prefix scale 0.1, up to 4), for the comparison only."""
    if a == b:
        return 1.0
    window = max(len(a), len(b)) // 2 - 1
    used_a, used_b = [False] * len(a), [False] * len(b)
    matches = 0
    for i, c in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used_b[j] and b[j] == c:
                used_a[i] = used_b[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    swaps, k = 0, 0
    for i, c in enumerate(a):
        if used_a[i]:
            while not used_b[k]:
                k += 1
            swaps += c != b[k]
            k += 1
    jaro = (matches / len(a) + matches / len(b) + (matches - swaps // 2) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


# --- the report ------------------------------------------------------------------------------


def report(
    source: str, seed: int, matters: int, end: date, config: MatchingConfig = DEFAULT
) -> dict[str, Any]:
    """The figures on the synthetic set (``source`` "synthetic") or the demo's ("demo")."""
    if source == "demo":
        corpus, id_hash = demo_corpus(seed, matters, end)
        named = f"the demo's petitions and truth (seed {seed}, {matters} matters, ending {end})"
    else:
        corpus, id_hash = generate(seed, matters), keyed_hash()
        named = f"bench.duplicates_corpus (seed {seed})"
    run = evaluate(corpus.filings, config, id_hash)
    return {
        "labelled": {
            "source": named,
            "filings": len(corpus.filings),
            "matters": len({f.matter for f in corpus.filings}),
            "queries with an earlier filing of their matter": run.figures["combined"].with_earlier,
        },
        "threshold": config.threshold,
        "figures": {name: f.table() for name, f in run.figures.items()},
        "targets": {"R@5": TARGET_R5, "P@1": TARGET_P1},
        "hard cases": hard_cases(corpus, run, config),
        "µs per comparison (all signals)": 1e6 * run.seconds / max(run.pairs, 1),
        "content measures": content_measures(corpus.filings, id_hash),
        "names: Jaro–Winkler": name_speed(corpus.filings),
    }


def markdown(r: dict[str, Any]) -> str:
    lab = r["labelled"]
    lines = [
        f"Labelled: {lab['source']}, {lab['filings']} filings of {lab['matters']} matters, "
        f"{lab['queries with an earlier filing of their matter']} filed after one of their "
        f"matter. Threshold {r['threshold']}.",
        "",
        "| method | P@1 | R@1 | P@5 | R@5 | false alarms |",
        "|---|---|---|---|---|---|",
    ]
    for name, t in r["figures"].items():
        marks = ""
        if name == "combined":
            marks = " (targets: P@1 ≥ 0.90, R@5 ≥ 0.95)"
        cells = " | ".join(f"{t[k]:.3f}" for k in ("P@1", "R@1", "P@5", "R@5", "false alarms"))
        lines.append(f"| {name}{marks} | {cells} |")
    lines += ["", "| hard case | same matter | pairs | right |", "|---|---|---|---|"]
    for case, h in sorted(r["hard cases"].items()):
        same = "yes" if h["same matter"] else "no"
        lines.append(f"| {case} | {same} | {h['pairs']} | {h['right']} |")
    lines += ["", "| content measure, alone | S@1 | S@5 | MRR | µs per comparison |"]
    lines.append("|---|---|---|---|---|")
    for name, t in r["content measures"].items():
        lines.append(
            f"| {name} | {t['S@1']:.3f} | {t['S@5']:.3f} | {t['MRR']:.3f} | "
            f"{t['µs per comparison']:.1f} |"
        )
    jw = r["names: Jaro–Winkler"]
    lines += [
        "",
        f"All signals: {r['µs per comparison (all signals)']:.0f} µs per comparison. "
        f"Jaro–Winkler of two names: rapidfuzz {jw['rapidfuzz µs']:.2f} µs, pure Python "
        f"{jw['pure Python µs']:.2f} µs.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.duplicates", description=__doc__)
    parser.add_argument(
        "--source",
        choices=("synthetic", "demo", "both"),
        default="both",
        help="the seeded synthetic set, the demo's petitions and truth, or both (default)",
    )
    parser.add_argument("--seed", type=int, help="default: 26 (synthetic), 2024 (demo)")
    parser.add_argument("--matters", type=int, default=250)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2025, 12, 31))
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    sources = ("synthetic", "demo") if args.source == "both" else (args.source,)
    reports = {}
    for source in sources:
        seed = args.seed if args.seed is not None else DEFAULT_SEEDS[source]
        reports[source] = report(source, seed, args.matters, args.end)
        sys.stdout.write(f"## {source}\n\n{markdown(reports[source])}\n\n")
    if args.json is not None:
        args.json.write_bytes(orjson.dumps(reports, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
