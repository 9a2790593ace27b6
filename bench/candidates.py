"""``python -m bench.candidates``: the duplicate search through its store (issue 26, item 5).

Two parts, one run:

1. **Through the store, on the demo's labelled truth.** The demo's year of petitions
   (``bench.duplicates.demo_corpus``) is received one filing after another by an application on
   a temporary SQLite file whose desk searches its candidate store; before each is received,
   the search runs for it as the intake does (``DuplicateSearch``: retrieval, then ranking), and
   its candidates are scored as ``bench.duplicates`` scores the in-memory ranking (every filing
   before it a candidate), per signal and combined, beside the in-memory figures of the same
   run. What the retrieval loses shows as the difference, and as its own recall: the share of
   queries with an earlier filing of their matter for which one was retrieved.
2. **At size, on PostgreSQL.** A bulk loader writes ``--size`` petitions (default a million)
   straight into the candidate store's tables and the vault's key table of a fresh schema
   (COPY), then the search's latency is measured end to end through the service (a query's
   text normalised and profiled, its numbers hashed, retrieval, the candidates' petitioners
   opened through the vault, ranking) beside an indexed look-up of one case by its receipt
   code, as the median and the p99 of ``--queries`` calls each, interleaved. The schema is
   dropped afterwards.

The loaded petitions: a pool of the labelled generator's filings (``bench.duplicates_corpus``,
every wording, twist and hard case) profiled by the projection's own code, then copied
``size / pool`` times, each copy with its numbers (decisions, parcels, sheets, house numbers,
sums; not days, months or years) drawn again for each matter and its petitioners' numbers
renumbered digit by digit (so that a mistyped number stays one typo away): about the same
matters filed again in another part of the city. Its vocabulary is the generator's (a few
thousand words besides the numbers), poorer than real petitions', so a query's rarest words
are commoner than they would be: a pessimistic case for the retrieval by words.

    python -m bench.candidates [--size N] [--queries Q] [--pool P] [--postgres URL]
                               [--skip-store] [--skip-size] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import psycopg
from psycopg import sql

from adapters.database import open_application, parse_database_url
from bench.duplicates import DEFAULT_SEEDS, Figures, demo_corpus, evaluate
from bench.duplicates_corpus import Labelled, generate
from domain.application import Thucthi
from domain.petitions.commands import PetitionerGiven, ReceivePetition
from domain.petitions.duplicates import (
    DuplicateSearch,
    Retrieved,
    filed_text,
    pairs,
    rarest,
    subject_keys,
    subject_record,
)
from domain.petitions.matching import SIGNALS, Document, Subject
from domain.petitions.matching_config import DEFAULT
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from domain.shared.personal import Person
from domain.shared.sealing import KEY_BYTES, MasterKey, Vault, seal_record
from projections.oversight import OversightProjection, catch_up
from readmodels.candidates import EVERY_FILING
from readmodels.candidates_postgres import COLUMNS, PostgresCandidates
from readmodels.open import open_candidates, open_view
from readmodels.postgres import PostgresOversightView

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
RESULTS = Path(__file__).parent / "results"
AGENCY = "SO-XD"
AGENCIES = ("SO-XD", "SO-TC", "SO-CT", "UBND-Q1", "UBND-Q3", "UBND-Q5", "UBND-TD", "THANH-TRA")
RECEPTION = Actor("bench.tiepdan", Role.RECEPTION, AGENCY)
TARGET_P99_MS = 100.0
START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def note(text: str) -> None:
    sys.stderr.write(f"[bench.candidates] {text}\n")


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- 1. through the store, on the labelled truth ----------------------------------------------


@dataclass(slots=True)
class StorePath:
    figures: dict[str, Figures]
    retrieved_right: int = 0  # queries with an earlier filing of their matter retrieved
    with_earlier: int = 0
    retrieved: list[int] = field(default_factory=list)  # filings retrieved per query
    seconds: float = 0.0


class _Receipts:
    def __init__(self, receipts: Sequence[str]) -> None:
        self.left = iter(receipts)

    def __call__(self, day: date) -> str:
        return next(self.left)


def store_path(filings: Sequence[Labelled], folder: Path) -> StorePath:
    """Each filing searched for as the intake does, then received and projected."""
    run = StorePath({name: Figures() for name in ("combined", *SIGNALS)})
    matter = {f.receipt: f.matter for f in filings}
    receipts = [f"2025-{n:08d}" for n in range(len(filings))]  # Crockford's digits
    code = {f.receipt: r for f, r in zip(filings, receipts, strict=True)}
    url = f"sqlite:///{folder / 'store-path.db'}"
    app = open_application(
        parse_database_url(url),
        clock=SimulatedClock(START),
        candidates=open_candidates,
        personal_data_key=folder / "personal-data.key",
    )
    try:
        app.open_unit_registry()
        app.petitions.receipts = _Receipts(receipts)
        view = open_view(app)
        projection = OversightProjection(view)
        search = app.petitions.duplicates
        started = time.perf_counter()
        received: list[str] = []
        for f in filings:
            people = [Person(p.full_name, p.id_number, p.address) for p in f.petitioners]
            query = search.query("", f.content, f.subject, people)
            retrieved = search.retrieve(query, viewer=RECEPTION)
            right = {code[e] for e in received if matter[e] == f.matter}
            run.retrieved.append(len(retrieved.filings))
            if right:
                run.with_earlier += 1
                run.retrieved_right += any(x.receipt in right for x in retrieved.filings)
            _score(search, query, retrieved, right, run)
            app.petitions.receive(_command(f), actor=RECEPTION, request_id="bench")
            catch_up(app, projection)
            received.append(f.receipt)
        run.seconds = time.perf_counter() - started
    finally:
        app.close()
    return run


def _score(
    search: DuplicateSearch, query: Any, retrieved: Retrieved, right: set[str], run: StorePath
) -> None:
    every = search.ranked(query, retrieved, RECEPTION, every=True)
    combined = [f.filing.receipt for f in every if f.score >= DEFAULT.threshold]
    run.figures["combined"].add(combined, right)
    for name in SIGNALS:
        alone = sorted(
            (f for f in every if f.signals[name] >= DEFAULT.reason_floor),
            key=lambda f: -f.signals[name],
        )
        run.figures[name].add([f.filing.receipt for f in alone], right)


def _command(f: Labelled) -> ReceivePetition:
    petitioners = tuple(
        PetitionerGiven(full_name=p.full_name, id_number=p.id_number, address=p.address)
        for p in f.petitioners
    )
    return ReceivePetition(
        agency=AGENCY,
        petitioners=petitioners,
        anonymous=not petitioners,
        content=f.content,
        subject=f.subject,
    )


def labelled_figures(seed: int, matters: int, end: date, folder: Path) -> dict[str, Any]:
    """The demo's truth in memory and through the store, per signal and combined."""
    corpus, id_hash = demo_corpus(seed, matters, end)
    note(f"the demo's {len(corpus.filings)} filings in memory")
    memory = evaluate(corpus.filings, DEFAULT, id_hash)
    note("... and through the store (SQLite)")
    store = store_path(corpus.filings, folder)
    sizes = store.retrieved or [0]
    return {
        "labelled": f"the demo's petitions and truth (seed {seed}, {matters} matters, to {end})",
        "filings": len(corpus.filings),
        "in memory": {name: f.table() for name, f in memory.figures.items()},
        "through the store": {name: f.table() for name, f in store.figures.items()},
        "retrieval recall": store.retrieved_right / max(store.with_earlier, 1),
        "retrieved per query": {
            "median": statistics.median(sizes),
            "max": max(sizes),
        },
    }


# --- 2. at size, on PostgreSQL -----------------------------------------------------------------


_NUMBER = re.compile(r"\d+")


def _kept(n: int) -> bool:
    """Days, months and years are not drawn again (a date keeps its form)."""
    return n < 32 or 1900 <= n <= 2099


class Renumbering:
    """One copy's numbers for one matter: drawn once each, the same wherever they appear."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.drawn: dict[int, int] = {}

    def __call__(self, n: int) -> int:
        if _kept(n):
            return n
        found = self.drawn.get(n)
        if found is None:
            found = self.drawn[n] = self.rng.randrange(32, 30_000)
            while _kept(found):
                found = self.drawn[n] = self.rng.randrange(32, 30_000)
        return found

    def text(self, text: str) -> str:
        return _NUMBER.sub(lambda m: str(self(int(m[0]))), text)

    def subject(self, s: Subject) -> Subject:
        return Subject(
            frozenset(Document(self(d.number), d.symbol, d.year) for d in s.documents),
            frozenset((self(a), self(b)) for a, b in s.parcels),
            frozenset(self.text(site) for site in s.sites),
        )


@dataclass(slots=True)
class Loaded:
    rows: int
    persons: int
    seconds: dict[str, float]
    queries: list[tuple[str, str, Person, uuid.UUID]]  # content, subject, who, petition id
    receipts: list[str]
    # Each query's matter in its copy: the petitions of it (the query's own among them).
    truth: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)


@dataclass(slots=True)
class Rows:
    """What the COPYs write beside the candidates' rows."""

    keys: list[tuple[str, uuid.UUID]]
    links: list[tuple[uuid.UUID, uuid.UUID]]
    people: list[tuple[uuid.UUID, bytes, bytes | None]]
    words: Counter[str]


class Maker:
    """The loaded petitions, one after another, from a profiled pool (the module's words)."""

    def __init__(self, master: MasterKey, pool: int) -> None:
        self.master = master
        corpus = generate(seed=31, matters=max(pool * 2 // 3, 50))
        self.base = corpus.filings[:pool]
        self.profiled = [
            filed_text(uuid.uuid4(), f.receipt, f.content, f.subject, ()) for f in self.base
        ]
        self.persons: dict[tuple[int, str], tuple[uuid.UUID, str]] = {}
        self.rows = Rows([], [], [], Counter())

    def matter(self, i: int) -> tuple[int, str]:
        copy, k = divmod(i, len(self.base))
        return copy, self.base[k].matter

    def row(self, i: int) -> tuple[tuple[Any, ...], tuple[str, str, Person] | None]:
        """The i-th petition's row, and the query that would find its matter again."""
        copy, k = divmod(i, len(self.base))
        f, made = self.base[k], self.profiled[k]
        renumber = Renumbering(random.Random(f"{copy}/{f.matter}"))  # noqa: S311
        petition_id = uuid.uuid4()
        sealed = []
        who: Person | None = None
        for p in f.petitioners:
            who = self.person(copy, p.full_name, p.id_number, p.address)
            person_id, record = self.persons[copy, _named(who)]
            sealed.append([str(person_id), record])
            self.rows.links.append((person_id, petition_id))
        text = renumber.text(made.words)
        subject = renumber.subject(made.subject)
        self.rows.words.update(set(text.split()))
        self.rows.keys.extend((key, petition_id) for key in subject_keys(subject))
        row = (
            petition_id,
            f"{2024 + copy % 3}-{_code(i)}",
            AGENCIES[i % len(AGENCIES)],
            date(2024, 1, 1) + timedelta(days=i % 1000),
            "received",
            None if i % 3 else "complaint",
            None,
            False,
            text,
            renumber.text(made.registered),
            orjson.dumps(subject_record(subject)).decode(),
            orjson.dumps(sealed).decode(),
        )
        asked = None if who is None else (renumber.text(f.content), renumber.text(f.subject), who)
        return row, asked

    def person(self, copy: int, name: str, number: str | None, address: str) -> Person:
        """A petitioner of this copy, sealed and kept once: their number renumbered digit by
        digit, their key wrapped and their number's keyed hash as the vault keeps them."""
        if number is not None:
            number = number[:6] + number[6:].translate(digits_of(copy))
        person = Person(name, number, address)
        if (copy, _named(person)) not in self.persons:
            person_id = uuid.uuid4()
            own = os.urandom(KEY_BYTES)
            self.persons[copy, _named(person)] = (person_id, seal_record(own, person_id, person))
            hashed = None if number is None else self.master.id_hash(number)
            self.rows.people.append((person_id, self.master.wrap(person_id, own), hashed))
        return person


def _named(person: Person) -> str:
    return f"{person.id_number}|{person.full_name}|{person.address}"


def load_size(
    view: PostgresOversightView,
    conninfo: str,
    master: MasterKey,
    size: int,
    *,
    pool: int,
    queries: int,
) -> Loaded:
    """``size`` petitions COPYed into the candidate store and the vault's key table."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    maker = Maker(master, pool)
    seconds["pool profiled"] = time.perf_counter() - started
    note(f"pool of {len(maker.base)} filings profiled in {seconds['pool profiled']:.1f} s")
    rng = random.Random(2026)  # noqa: S311 - the bench's own data set
    wanted = set(rng.sample(range(size), min(queries, size)))
    matters: dict[tuple[int, str], set[uuid.UUID]] = {maker.matter(i): set() for i in wanted}
    loaded = Loaded(0, 0, seconds, [], [])
    t = time.perf_counter()
    schema = sql.Identifier(view.datastore.schema)
    columns = sql.SQL(", ").join(sql.Identifier(n) for n in COLUMNS)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(view.table("candidates"), columns)
    with psycopg.connect(conninfo, autocommit=False) as conn, conn.cursor() as cur:
        with cur.copy(statement) as copy:
            for i in range(size):
                row, asked = maker.row(i)
                copy.write_row(row)
                same = matters.get(maker.matter(i))
                if same is not None:
                    same.add(row[0])
                if i in wanted and asked is not None:
                    loaded.queries.append((*asked, row[0]))
                    loaded.truth[row[0]] = same or set()
                if i % 97 == 0:
                    loaded.receipts.append(row[1])
                if (i + 1) % 100_000 == 0:
                    note(f"{i + 1:,} petitions written ({time.perf_counter() - t:.0f} s)")
        made = maker.rows
        made.words[EVERY_FILING] = size
        _copy(cur, view.table("candidate_keys"), made.keys)
        _copy(cur, view.table("candidate_persons"), sorted(set(made.links)))
        _copy(cur, view.table("candidate_words"), sorted(made.words.items()))
        _copy(cur, sql.SQL("{}.personal_keys").format(schema), made.people)
        conn.commit()
    loaded.rows, loaded.persons = size, len(maker.rows.people)
    seconds["rows made and copied"] = time.perf_counter() - t
    note(f"rows copied in {seconds['rows made and copied']:.0f} s; indexes ...")
    return loaded


def _copy(cur: psycopg.Cursor[Any], table: sql.Composed, rows: Sequence[tuple[Any, ...]]) -> None:
    with cur.copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
        for row in rows:
            copy.write_row(row)


def digits_of(copy: int) -> dict[int, int]:
    """A permutation of the ten digits for one copy: a number one typo from another stays so."""
    order = list("0123456789")
    random.Random(f"digits/{copy}").shuffle(order)  # noqa: S311
    return str.maketrans("0123456789", "".join(order))


_LETTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _code(n: int) -> str:
    out = []
    for _ in range(8):
        n, r = divmod(n, 32)
        out.append(_LETTERS[r])
    return "".join(reversed(out))


def at_size(
    postgres: str, size: int, pool: int, queries: int, *, compare: bool = False
) -> dict[str, Any]:
    """Load ``size`` petitions into a fresh schema, measure, drop the schema."""
    schema = f"bench_candidates_{secrets.token_hex(4)}"
    url = f"{postgres}?schema={schema}"
    conninfo = parse_database_url(url).conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    folder = tempfile.TemporaryDirectory(prefix="bench-key-")
    key = Path(folder.name) / "personal-data.key"
    try:
        app = open_application(
            parse_database_url(url), personal_data_key=key, candidates=open_candidates, pool_size=2
        )
        try:
            view = open_view(app, create=False)
            vault = app.vault
            if not isinstance(view, PostgresOversightView) or not isinstance(vault, Vault):
                msg = "the load at size needs PostgreSQL and the vault over its key table"
                raise TypeError(msg)
            view.create_table(indexes=False)
            started = time.perf_counter()
            loaded = load_size(view, conninfo, vault.master_key(), size, pool=pool, queries=queries)
            t = time.perf_counter()
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute("SET maintenance_work_mem = '512MB'")
                for statement in view.candidates.index_statements():
                    conn.execute(statement)
                for name in (
                    "candidates",
                    "candidate_keys",
                    "candidate_persons",
                    "candidate_words",
                ):
                    conn.execute(sql.SQL("ANALYZE {}").format(view.table(name)))
                conn.execute(sql.SQL("ANALYZE {}.personal_keys").format(sql.Identifier(schema)))
            loaded.seconds["indexes"] = time.perf_counter() - t
            loaded.seconds["load in all"] = time.perf_counter() - started
            note(f"indexed in {loaded.seconds['indexes']:.0f} s")
            figures = latency(app, view.candidates, loaded)
            if compare:
                figures["retrieval by words compared"] = by_words(app, view, conninfo, loaded)
            with psycopg.connect(conninfo) as conn:
                sizes = conn.execute(
                    "SELECT pg_size_pretty(pg_total_relation_size(%s::regclass))",
                    (f"{schema}.oversight_candidates",),
                ).fetchone()
        finally:
            app.close()
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        folder.cleanup()
        note(f"dropped schema {schema}")
    return {
        "petitions": loaded.rows,
        "persons": loaded.persons,
        "pool": pool,
        "load seconds": {k: round(v, 1) for k, v in loaded.seconds.items()},
        "candidates table with indexes": None if sizes is None else sizes[0],
        **figures,
    }


def latency(app: Thucthi, store: PostgresCandidates, loaded: Loaded) -> dict[str, Any]:
    """The search end to end and the receipt look-up, interleaved, median and p99."""
    search = app.petitions.duplicates
    rng = random.Random(7)  # noqa: S311
    search_ms: list[float] = []
    parts: dict[str, list[float]] = {"profile": [], "retrieve": [], "rank": []}
    lookup_ms: list[float] = []
    retrieved: list[int] = []
    shown: list[int] = []
    truth = Figures()
    recalled = with_earlier = 0
    for content, subject, who, petition_id in loaded.queries[:5]:  # warm the caches
        search.search(
            search.query("", content, subject, [who]), viewer=RECEPTION, exclude=petition_id
        )
    for content, subject, who, petition_id in loaded.queries:
        t0 = time.perf_counter()
        query = search.query("", content, subject, [who])
        t1 = time.perf_counter()
        found = search.retrieve(query, viewer=RECEPTION, exclude=petition_id)
        t2 = time.perf_counter()
        ranked = search.ranked(query, found, RECEPTION)
        t3 = time.perf_counter()
        search_ms.append(1000 * (t3 - t0))
        parts["profile"].append(1000 * (t1 - t0))
        parts["retrieve"].append(1000 * (t2 - t1))
        parts["rank"].append(1000 * (t3 - t2))
        retrieved.append(len(found.filings))
        shown.append(len(ranked))
        right = {str(i) for i in loaded.truth[petition_id] - {petition_id}}
        ids = [str(f.filing.petition_id) for f in ranked]
        truth.add(ids, right)
        if right:
            with_earlier += 1
            recalled += any(str(f.petition_id) in right for f in found.filings)
        receipt = rng.choice(loaded.receipts)
        t4 = time.perf_counter()
        if store.by_receipt(receipt) is None:
            msg = f"{receipt} not found"
            raise RuntimeError(msg)
        lookup_ms.append(1000 * (time.perf_counter() - t4))

    def summary(samples: list[float]) -> dict[str, float]:
        return {
            "median": round(statistics.median(samples), 2),
            "p99": round(percentile(samples, 0.99), 2),
        }

    return {
        "queries": len(search_ms),
        "candidate search ms": summary(search_ms),
        "of which ms": {name: summary(v) for name, v in parts.items()},
        "receipt look-up ms": summary(lookup_ms),
        "retrieved per query": {"median": statistics.median(retrieved), "max": max(retrieved)},
        "shown per query": {"median": statistics.median(shown), "max": max(shown)},
        "target p99 ms": TARGET_P99_MS,
        "found again": {
            **{k: round(v, 3) for k, v in truth.table().items()},
            "queries with another filing of their matter": with_earlier,
            "retrieval recall": round(recalled / max(with_earlier, 1), 3),
        },
        "load average after": [round(x, 2) for x in os.getloadavg()],
    }


def by_words(
    app: Thucthi, view: PostgresOversightView, conninfo: str, loaded: Loaded
) -> dict[str, Any]:
    """The retrieval by words alone, two ways over the same petitions: the full-text index
    with any two of the query's rarest words ranked by ``ts_rank`` (the store's), and pg_trgm's
    GIN index with its word similarity (``<%``, threshold 0.3), ranked by it; each the time of
    the arm's query and the share of queries whose matter it finds, 60 rows at most."""
    search = app.petitions.duplicates
    schema = view.datastore.schema
    t = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA {}").format(
                sql.Identifier(schema)
            )
        )
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute(
            sql.SQL(
                "CREATE INDEX candidates_trigrams ON {} USING gin (words {}.gin_trgm_ops)"
            ).format(view.table("candidates"), sql.Identifier(schema))
        )
        built = time.perf_counter() - t
        note(f"trigram index built in {built:.0f} s")
        conn.execute(sql.SQL("SET search_path = {}, public").format(sql.Identifier(schema)))
        ways: dict[str, tuple[list[float], int, int]] = {}
        fts = sql.SQL(
            "SELECT petition_id FROM {c}, to_tsquery('simple', %s) AS q(query) "
            "WHERE document @@ q.query ORDER BY ts_rank(document, q.query) DESC LIMIT 60"
        ).format(c=view.table("candidates"))
        trgm = sql.SQL(
            "SELECT petition_id FROM {c} WHERE %s <%% words "
            "ORDER BY word_similarity(%s, words) DESC LIMIT 60"
        ).format(c=view.table("candidates"))
        for name in ("full text, two of the 8 rarest words", "pg_trgm word similarity"):
            times: list[float] = []
            found = asked = 0
            for content, subject, who, petition_id in loaded.queries[:100]:
                query = search.query("", content, subject, [who])
                right = loaded.truth[petition_id] - {petition_id}
                if name.startswith("full"):
                    documents, frequency = search.store.frequencies(query.terms.keys())
                    chosen = pairs(rarest(frequency, documents, search.retrieval))
                    words = " | ".join(f"({' & '.join(p)})" for p in chosen)
                    t0 = time.perf_counter()
                    rows = conn.execute(fts, (words,)).fetchall()
                else:
                    t0 = time.perf_counter()
                    rows = conn.execute(trgm, (query.words, query.words)).fetchall()
                times.append(1000 * (time.perf_counter() - t0))
                if right:
                    asked += 1
                    found += any(r[0] in right for r in rows)
            ways[name] = (times, found, asked)
    return {
        "trigram index seconds": round(built, 1),
        **{
            name: {
                "median ms": round(statistics.median(times), 1),
                "p99 ms": round(percentile(times, 0.99), 1),
                "recall": round(found / max(asked, 1), 3),
            }
            for name, (times, found, asked) in ways.items()
        },
    }


# --- the report --------------------------------------------------------------------------------


def markdown(report: dict[str, Any]) -> str:
    lines: list[str] = []
    labelled = report.get("labelled")
    if labelled:
        lines += [
            f"Labelled: {labelled['labelled']}, {labelled['filings']} filings.",
            "",
            "| method | P@1 memory | P@1 store | R@1 memory | R@1 store | R@5 memory | R@5 store "
            "| false alarms memory | false alarms store |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name in ("combined", *SIGNALS):
            m, s = labelled["in memory"][name], labelled["through the store"][name]
            cells = " | ".join(
                f"{m[k]:.3f} | {s[k]:.3f}" for k in ("P@1", "R@1", "R@5", "false alarms")
            )
            lines.append(f"| {name} | {cells} |")
        lines += [
            "",
            f"Retrieval recall (an earlier filing of the matter among those retrieved): "
            f"{labelled['retrieval recall']:.3f}; filings retrieved per query: median "
            f"{labelled['retrieved per query']['median']}, most "
            f"{labelled['retrieved per query']['max']}.",
            "",
        ]
    size = report.get("at size")
    if size:
        s, r = size["candidate search ms"], size["receipt look-up ms"]
        parts = size["of which ms"]
        lines += [
            f"At {size['petitions']:,} petitions ({size['persons']:,} persons) on PostgreSQL: "
            f"loaded in {size['load seconds']['load in all']:.0f} s "
            f"({size['load seconds']}); candidates table {size['candidates table with indexes']}.",
            "",
            "| call | median ms | p99 ms |",
            "|---|---|---|",
            f"| candidate search, end to end (target p99 ≤ {TARGET_P99_MS:.0f}) | "
            f"{s['median']} | {s['p99']} |",
            *(f"| … of which {name} | {v['median']} | {v['p99']} |" for name, v in parts.items()),
            f"| receipt look-up (indexed) | {r['median']} | {r['p99']} |",
            "",
            f"{size['queries']} queries; filings retrieved per query: median "
            f"{size['retrieved per query']['median']}, most {size['retrieved per query']['max']}; "
            f"load average after the run {size['load average after']} (2 cores, shared).",
            "",
            *_compared(size.get("retrieval by words compared")),
            "The queries' matters found again among the loaded petitions (the other filings of "
            f"the same matter in the same copy): {size['found again']}.",
        ]
    return "\n".join(lines) + "\n"


def _compared(compared: dict[str, Any] | None) -> list[str]:
    if not compared:
        return []
    lines = [
        "",
        f"Retrieval by words alone, two ways (trigram index built in "
        f"{compared['trigram index seconds']} s):",
        "",
        "| method | median ms | p99 ms | recall of the matter (60 rows) |",
        "|---|---|---|---|",
    ]
    for name, v in compared.items():
        if isinstance(v, dict):
            lines.append(f"| {name} | {v['median ms']} | {v['p99 ms']} | {v['recall']} |")
    return [*lines, ""]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.candidates", description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="petitions loaded (1,000,000)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--pool", type=int, default=6_000, help="generated filings copied")
    parser.add_argument("--matters", type=int, default=250, help="the demo's matters")
    parser.add_argument("--postgres", default=os.environ.get("THUCTHI_TEST_POSTGRES_URL", POSTGRES))
    parser.add_argument("--skip-store", action="store_true", help="skip the labelled truth")
    parser.add_argument("--skip-size", action="store_true", help="skip the load at size")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--compare-retrieval",
        action="store_true",
        help="also time pg_trgm against the full-text retrieval by words (builds a trigram index)",
    )
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"size": args.size}
    with tempfile.TemporaryDirectory(prefix="bench-candidates-") as folder:
        if not args.skip_store:
            report["labelled"] = labelled_figures(
                DEFAULT_SEEDS["demo"], args.matters, date(2025, 12, 31), Path(folder)
            )
    if not args.skip_size:
        report["at size"] = at_size(
            args.postgres,
            args.size,
            min(args.pool, args.size),
            args.queries,
            compare=args.compare_retrieval,
        )
    table = markdown(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "candidates.json").write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    )
    (args.out / "candidates.md").write_text(table)
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
