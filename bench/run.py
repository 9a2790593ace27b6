"""``python -m bench --scale small|city|nation`` (``make bench``): each figure against its baseline.

One run on one machine, on a fresh PostgreSQL schema (dropped at the end unless ``--keep``):

1. loads the scale's data set with the bulk loader (``thucthi demo``: the simulated year streamed
   through the library's recorder in large transactions) and times it;
2. adds one directive with a 1,000-event life, for loading a directive at a past version;
3. measures each figure and the baseline it is read against, in the same run, as medians of
   several repetitions (latencies as median and p99 of many calls, baselines interleaved):

   - projection rebuild (``thucthi projections rebuild``, a process of its own, its RSS sampled)
     against reading and decoding the same notifications without projecting;
   - the oversight summary as of a random past day against the current one;
   - a directive at a random version N against its current state;
   - ``audit verify`` against plain SHA-256 over the same stored records in Python: read from
     PostgreSQL as the verifier reads them and hashed once each (the least a verifier does),
     and, beside it, hashed once each already in memory;
   - with ``thucthi serve`` (2 workers) and a bare Falcon app (``bench.bare``, the same granian
     settings) under wrk: ``GET /api/oversight`` against a fixed JSON document of the same size,
     and ``POST …/progress-reports`` against a naive one-row INSERT, 32 connections each, with
     the RSS of the API workers and of the projection follower sampled throughout; and in the
     same rounds the list of directives (``list_targets``: first page, a page 20 deep, filtered
     and sorted, searched, a department's, and the ``/directives`` page), each beside the
     oversight GET; then every page, signed in as the role it is for, each beside a run of
     ``GET /api/oversight``, and each opened alone just after an event (``bench.pageload``);

4. prints and writes ``bench/results/latest.json`` and ``latest.md`` (``--out`` to move them),
   with the machine's description. Targets are shown and marked; the exit status does not depend
   on them (``small`` proves the harness in CI, where no time is asserted).

wrk shares the machine's cores with the servers and PostgreSQL: read the ratios, not the rates.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import platform
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from api.web.session import SESSION_COOKIE as SESSION
from bench import pageload
from bench.http import (
    POSTGRES,
    BenchError,
    Server,
    Target,
    WrkRun,
    call,
    expect,
    free_port,
    path_ref,
    sign_in,
)
from bench.memory import Sampler
from domain.application import Thucthi
from domain.directives.commands import Acknowledge, IssueDirective, ReportProgress
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date
from projections.audit import AuditProjection
from projections.verify import PAGE as VERIFY_PAGE
from projections.verify import verify
from readmodels.model import AsOf
from readmodels.open import open_trail, open_view

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGE = 1_000
LONG_REFERENCE = "1000/BENCH-UBND-KT"  # a document number of its own: no demo one has it
LONG_EVENTS = 1_000
UNIT = "SO-CT"
DEPARTMENT = "so-ct.canbo"
LEADER = "leader.chutich"
PROGRESS_BODY = '{"percent": 50, "narrative": "bench"}'
INSERT_BODY = '{"percent": 50, "narrative": "bench", "directive": "bench"}'


@dataclass(frozen=True)
class Scale:
    directives: int
    repeat: int  # repetitions of whole-log figures (rebuild, read, verify)
    calls: int  # calls per latency figure (median and p99)
    wrk_seconds: float
    rounds: int
    warmup: float
    # Every page (bench.pageload): each page's wrk run and its warm-up, and how many times each
    # is opened alone just after an event (made afresh).
    page_seconds: int
    page_warmup: int  # 0: none
    afresh: int


SCALES = {
    # Proves the harness in make test: every figure, repeated and interleaved, at the least cost
    # (two repetitions still take a median, one wrk round still interleaves the four targets).
    "small": Scale(
        directives=1_500,
        repeat=2,
        calls=60,
        wrk_seconds=2,
        rounds=1,
        warmup=1,
        page_seconds=1,
        page_warmup=0,
        afresh=1,
    ),
    # Three dozen pages, three rounds: 5 s runs keep the pages' part under half an hour.
    "city": Scale(
        directives=127_000,
        repeat=3,
        calls=300,
        wrk_seconds=10,
        rounds=3,
        warmup=3,
        page_seconds=5,
        page_warmup=2,
        afresh=5,
    ),
    # At ten million events a summary takes seconds: 60 calls (p99 is then nearly their maximum).
    "nation": Scale(
        directives=1_270_000,
        repeat=1,
        calls=60,
        wrk_seconds=10,
        rounds=3,
        warmup=3,
        page_seconds=5,
        page_warmup=2,
        afresh=3,
    ),
}


def note(text: str) -> None:
    sys.stderr.write(f"[bench] {time.strftime('%H:%M:%S')} {text}\n")
    sys.stderr.flush()


# --- measuring -----------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latencies(calls: dict[str, Callable[[], object]], count: int) -> dict[str, dict[str, float]]:
    """Each call ``count`` times, interleaved so that the machine's noise falls on all alike.

    After a tenth as many calls of each untimed: the steady state is measured, not the first
    reads of cold pages and the statements' preparation on each pooled connection.
    """
    for _ in range(max(count // 10, 1)):
        for function in calls.values():
            function()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(count):
        for name, function in calls.items():
            started = time.perf_counter()
            function()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {
        name: {
            "median_ms": round(statistics.median(values), 3),
            "p99_ms": round(percentile(values, 0.99), 3),
            "calls": len(values),
        }
        for name, values in samples.items()
    }


def read_and_decode(app: Thucthi) -> int:
    """The rebuild's baseline: every notification read in pages and decoded, nothing written."""
    position, count = 0, 0
    while page := app.recorder.select_notifications(
        start=position, limit=PAGE, inclusive_of_start=False
    ):
        for notification in page:
            app.mapper.to_domain_event(notification)
        position = page[-1].id
        count += len(page)
    return count


def rate(work: Callable[[], int]) -> float:
    started = time.perf_counter()
    done = work()
    return done / (time.perf_counter() - started)


def thucthi(url: str, *args: str) -> tuple[str, dict[str, Any]]:
    """``python -m cli.main --db URL ARGS``: its output, and RSS sampled while it ran.

    The RSS is the process's (``process``) and the largest of the worker processes it spawned
    (``worker``: a PostgreSQL rebuild's shares), if any.
    """
    argv = [sys.executable, "-m", "cli.main", "--db", url, *args]
    with subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    ) as process:
        sampler = Sampler(process.pid, command_namer(process.pid))
        with sampler:
            out, err = process.communicate()
    if process.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed ({process.returncode}):\n{err[-4000:]}")
    return out, sampler.summary()


def command_namer(root: int) -> Callable[[int, str], str | None]:
    def name(pid: int, command: str) -> str | None:
        if pid == root:
            return "process"
        return "worker" if "multiprocessing.spawn" in command else None

    return name


def events_per_second(output: str) -> float:
    found = re.search(r"= ([0-9,]+) events/s", output)
    if found is None:
        raise BenchError(f"no events/s in {output!r}")
    return float(found[1].replace(",", ""))


# --- the steps -----------------------------------------------------------------------------------


def load(url: str, scale: Scale, end: date) -> dict[str, Any]:
    note(f"loading {scale.directives:,} directives with the bulk loader (thucthi demo)")
    out, memory = thucthi(
        url, "demo", "--directives", str(scale.directives), "--end", end.isoformat(), "--quiet"
    )
    line = out.splitlines()[0]
    note(line)
    return {
        "output": line,
        "events_per_s": events_per_second(line),
        "rss": memory.get("process", {}),
    }


def long_directive(app: Thucthi) -> int:
    """A directive whose life is ``LONG_EVENTS`` events: issued, acknowledged, then reports."""
    leader = Actor(user_id=LEADER, role=Role.LEADER)
    officer = Actor(user_id=DEPARTMENT, role=Role.DEPARTMENT, unit=UNIT)
    app.issue(
        IssueDirective(
            reference=LONG_REFERENCE,
            title="Theo dõi tiến độ dài hạn (bench)",
            content="Một văn bản có một nghìn sự kiện, để đo việc đọc một phiên bản cũ.",
            lead_unit=UNIT,
            deadline=city_date(app.clock.now()) + timedelta(days=365),
        ),
        actor=leader,
        request_id="bench",
    )
    app.execute(Acknowledge(), LONG_REFERENCE, actor=officer, request_id="bench")
    for n in range(LONG_EVENTS - 2):
        app.execute(
            ReportProgress(percent=n * 100 // LONG_EVENTS, narrative=f"báo cáo {n}"),
            LONG_REFERENCE,
            actor=officer,
            request_id="bench",
        )
    return app.get_directive(LONG_REFERENCE).version


def whole_log(app: Thucthi, url: str, scale: Scale) -> dict[str, Any]:
    """Rebuild (its own process, RSS sampled) against reading and decoding, interleaved."""
    read_and_decode(app)  # warm the database's caches for both alike
    reads, rebuilds, memories, workers = [], [], [], []
    for n in range(1, scale.repeat + 1):
        reads.append(rate(lambda: read_and_decode(app)))
        out, memory = thucthi(url, "projections", "rebuild")
        rebuilds.append(events_per_second(out))
        memories.append(memory.get("process", {}))
        workers.append(memory.get("worker", {}))
        note(f"rebuild {n}: {rebuilds[-1]:,.0f} events/s against reading {reads[-1]:,.0f}")
    read, rebuilt = statistics.median(reads), statistics.median(rebuilds)
    return {
        "read_events_per_s": round(read),
        "rebuild_events_per_s": round(rebuilt),
        "ratio": round(rebuilt / read, 3),
        "runs": {"read": [round(r) for r in reads], "rebuild": [round(r) for r in rebuilds]},
        "rebuild_rss": max(memories, key=lambda m: m.get("peak_mb", 0.0)),
        "rebuild_worker_rss": max(workers, key=lambda m: m.get("peak_mb", 0.0)),
    }


def oversight(app: Thucthi, scale: Scale, end: date, rng: random.Random) -> dict[str, Any]:
    """The summary now and as of a random past day of the year (read from the tallies per unit
    and day, ``readmodels.tallies``), the execution index's responsiveness the same way, and
    the three lists (overdue, due soon, awaiting a decision) now and as of a past day (walked
    day by day, ``readmodels.queries.walks``)."""
    view = open_view(app, create=False)

    def past() -> AsOf:
        return AsOf(end - timedelta(days=rng.randint(1, 364)))

    measured = latencies(
        {
            "current": lambda: view.summary(AsOf(end)),
            "as_of": lambda: view.summary(past()),
            "index_current": lambda: view.responsiveness(AsOf(end)),
            "index_as_of": lambda: view.responsiveness(past()),
            "late_current": lambda: view.late(AsOf(end)),
            "late_as_of": lambda: view.late(past()),
            "due_soon_current": lambda: view.due_soon(AsOf(end)),
            "due_soon_as_of": lambda: view.due_soon(past()),
            "awaiting_current": lambda: view.awaiting_acceptance(AsOf(end)),
            "awaiting_as_of": lambda: view.awaiting_acceptance(past()),
        },
        scale.calls,
    )
    return {
        **measured,
        "ratio_p99": round(measured["as_of"]["p99_ms"] / measured["current"]["p99_ms"], 3),
    }


def versions(app: Thucthi, scale: Scale, rng: random.Random) -> dict[str, Any]:
    head = app.get_directive(LONG_REFERENCE).version
    measured = latencies(
        {
            "current": lambda: app.get_directive(LONG_REFERENCE),
            "at_version": lambda: app.get_directive(LONG_REFERENCE, version=rng.randint(1, head)),
        },
        scale.calls,
    )
    return {
        **measured,
        "events": head,
        "ratio_p99": round(measured["at_version"]["p99_ms"] / measured["current"]["p99_ms"], 3),
    }


def audit(app: Thucthi, scale: Scale) -> dict[str, Any]:
    """The audit projection, then verification against two baselines over the same records.

    ``read + SHA-256``: the stored records read from PostgreSQL as the verifier reads them
    (``AuditStore.records``, pages of ``verify.PAGE``) and each hashed once: the least any
    verifier of the stored log does. ``SHA-256 in memory``: the same records already in memory,
    hashed once each: the hashing alone, which reading the log from the database already costs
    several times over (``read_records_per_s`` says how many).
    """
    signer = Signer("bench.thucthi/log", Ed25519PrivateKey.generate())
    store = open_trail(app)
    # A fresh trail under this run's key (with --reuse one from an earlier run is there).
    store.drop_tables()
    store.create_tables()
    projected = rate(lambda: AuditProjection(app, store, signer).catch_up())
    note(f"audit trail projected at {projected:,.0f} events/s")
    events_table = app.recorder.events_table_name  # type: ignore[attr-defined]

    def pages() -> Iterator[list[tuple[int, bytes]]]:
        after = 0
        while page := store.records(events_table, after, VERIFY_PAGE):
            yield page
            after = page[-1][0]

    records = [record for page in pages() for _, record in page]

    def read_only() -> int:
        return sum(len(page) for page in pages())

    def read_and_hash() -> int:
        sha256, count = hashlib.sha256, 0
        for page in pages():
            for _, record in page:
                sha256(record).digest()
            count += len(page)
        return count

    def sha256_in_memory() -> int:
        for record in records:
            hashlib.sha256(record).digest()
        return len(records)

    # Untimed, as every latency here is warmed up: the first read of a trail just written is
    # slower (it sets each row's hint bits, writing every page once, the likely cause; the one
    # verify of a nation run ran at 69,000 events/s, later ones at 136,000-159,000), and a trail
    # an inspector verifies was written long before.
    verify(app, store, origin=signer.origin, public_key=signer.public_key)
    reads, read_shas, shas, checks = [], [], [], []
    for _ in range(scale.repeat):
        reads.append(rate(read_only))
        read_shas.append(rate(read_and_hash))
        shas.append(rate(sha256_in_memory))
        report = verify(app, store, origin=signer.origin, public_key=signer.public_key)
        if not report.ok:
            raise BenchError(f"the log does not verify: {report.problems[:3]}")
        checks.append(report.records / report.seconds)
        note(
            f"verify {checks[-1]:,.0f} events/s against read + SHA-256 {read_shas[-1]:,.0f}, "
            f"SHA-256 in memory {shas[-1]:,.0f} (reading alone {reads[-1]:,.0f})"
        )
    read, read_sha = statistics.median(reads), statistics.median(read_shas)
    sha, checked = statistics.median(shas), statistics.median(checks)
    return {
        "audit_projection_events_per_s": round(projected),
        "read_records_per_s": round(read),
        "read_sha256_records_per_s": round(read_sha),
        "sha256_records_per_s": round(sha),
        "verify_events_per_s": round(checked),
        "ratio": round(checked / read_sha, 3),
        "ratio_to_sha256_in_memory": round(checked / sha, 3),
        "read_ratio_to_sha256_in_memory": round(read / sha, 3),
        "records": len(records),
        "runs": {"read": reads, "read_sha256": read_shas, "sha256": shas, "verify": checks},
    }


# --- HTTP ----------------------------------------------------------------------------------------


def progress_script(folder: Path, token: str, paths: list[str]) -> Path:
    """wrk's Lua: POST a progress report, cycling over directives the unit leads."""
    path = folder / "progress.lua"
    listed = ", ".join(orjson.dumps(p).decode() for p in paths)
    path.write_text(
        f"local paths = {{{listed}}}\n"
        "local n = 0\n"
        'wrk.method = "POST"\n'
        f"wrk.body = {orjson.dumps(PROGRESS_BODY).decode()}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = {orjson.dumps("Bearer " + token).decode()}\n'
        "request = function()\n"
        "  n = n + 1\n"
        "  return wrk.format(nil, paths[(n % #paths) + 1])\n"
        "end\n"
    )
    return path


def insert_script(folder: Path) -> Path:
    path = folder / "insert.lua"
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {orjson.dumps(INSERT_BODY).decode()}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    return path


def progress_paths(base: str, token: str, limit: int = 256) -> list[str]:
    inbox = expect(
        call("GET", f"{base}/api/units/{UNIT}/inbox", token=token), (200,), f"{UNIT} inbox"
    ).json()["items"]
    refs = [
        i["reference"]
        for i in inbox
        if i["owes"] == "report_progress" and i["status"] == "in_progress"
    ]
    if not refs:
        raise BenchError(f"{UNIT} has no directive in progress to report on")
    return [f"/api/directives/{path_ref(r)}/progress-reports" for r in refs[:limit]]


def list_targets(base: str, leader: str, department: str) -> list[Target]:
    """The list of directives under the same load as the oversight GET (issue 27): its first
    page newest first, the 21st page (a keyset token 20 pages deep), open directives by
    deadline, a search, a department officer's list, and the list page itself; 50 rows each."""
    as_leader = [f"Authorization: Bearer {leader}"]
    first = base + "/api/directives?limit=50"
    after = expect(call("GET", first, token=leader), (200,), "the list").json()["next"]
    for _ in range(19):
        if after is None:
            break
        deeper = call("GET", f"{first}&after={after}", token=leader)
        after = expect(deeper, (200,), "a page of the list").json()["next"]
    deep = f"{first}&after={after}" if after else first
    return [
        Target("GET /api/directives (first page)", first, as_leader),
        Target("GET /api/directives (page 21)", deep, as_leader),
        Target(
            "GET /api/directives?status=open&sort=deadline",
            f"{first}&status=open&sort=deadline",
            as_leader,
        ),
        Target("GET /api/directives?q=tan+binh", f"{first}&q=tan+binh", as_leader),
        Target(
            "GET /api/directives (a department)", first, [f"Authorization: Bearer {department}"]
        ),
        Target("GET /directives (the page)", base + "/directives", [f"Cookie: {SESSION}={leader}"]),
    ]


def server_namer(server: int) -> Callable[[int, str], str | None]:
    """Names the processes below ``thucthi serve``: its API workers and projection follower."""

    def name(pid: int, command: str) -> str | None:
        if pid == server:
            return None  # granian's supervisor: it serves no request
        return "projection follower" if "projections run" in command else "api worker"

    return name


def http(  # noqa: PLR0917 - the run's few settings, each named at the one call
    url: str, conninfo: str, schema: str, scale: Scale, folder: Path, logs: Path
) -> dict[str, Any]:
    """The load tests; the servers' output is copied to ``logs``."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("wrk is not installed: make bench installs it (apt-get install wrk)")
    table = f"{schema}.bench_rows"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (id bigserial PRIMARY KEY, body jsonb)").format(
                sql.Identifier(schema, "bench_rows")
            )
        )
    env = {
        **os.environ,
        "THUCTHI_DATABASE_URL": url,
        # A checkpoint log of this run's own: the default one (beside the signing key, in
        # ~/.config/thucthi) is shared with every other server on the machine, and a log smaller
        # than one published there is refused signing. (The keys stay the defaults: the bulk
        # loader sealed the petitioners' data under the personal-data key beside that one.)
        "THUCTHI_CHECKPOINT_LOG": str(folder / "checkpoints.jsonl"),
    }
    servers: list[Server] = []
    try:
        port = free_port()
        real = Server(
            "thucthi serve",
            [
                sys.executable,
                "-m",
                "cli.main",
                "--db",
                url,
                "serve",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            env,
            port,
            folder / "serve.log",
        )
        servers.append(real)
        real.start("/healthz", timeout=120)
        leader = sign_in(real.base, LEADER)
        department = sign_in(real.base, DEPARTMENT)
        answer = expect(call("GET", real.base + "/api/oversight", token=leader), (200,), "summary")
        paths = progress_paths(real.base, department)
        expect(
            call("POST", real.base + paths[0], token=department, body=PROGRESS_BODY.encode()),
            (200, 201),
            "a progress report",
        )
        port2 = free_port()
        bare_env = {
            **env,
            "BENCH_BARE_BYTES": str(len(answer.body)),
            "BENCH_BARE_POSTGRES": conninfo,
            "BENCH_BARE_TABLE": table,
            "PYTHONPATH": str(ROOT),
        }
        bare = Server(
            "bare granian",
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--workers",
                "2",
                "--blocking-threads",
                "1",
                "--factory",
                "--port",
                str(port2),
                "bench.bare:build",
            ],
            bare_env,
            port2,
            folder / "bare.log",
        )
        servers.append(bare)
        bare.start("/fixed")
        expect(call("POST", bare.base + "/rows", body=INSERT_BODY.encode()), (201,), "bare row")
        pairs = [
            (
                Target("GET /fixed (bare)", bare.base + "/fixed"),
                Target(
                    "GET /api/oversight",
                    real.base + "/api/oversight",
                    headers=[f"Authorization: Bearer {leader}"],
                ),
            ),
            (
                Target(
                    "POST /rows (bare INSERT)", bare.base + "/rows", script=insert_script(folder)
                ),
                Target(
                    "POST progress-reports",
                    real.base + paths[0],
                    script=progress_script(folder, department, paths),
                ),
            ),
        ]
        lists = list_targets(real.base, leader, department)
        assert real.process is not None  # noqa: S101 - started above
        options = argparse.Namespace(connections=32, timeout=10.0)
        with Sampler(real.process.pid, server_namer(real.process.pid), interval=0.5) as sampler:
            for n in range(1, scale.rounds + 1):
                for target in [*(t for pair in pairs for t in pair), *lists]:
                    # Each measured run follows a warm-up of its own target: a GET round starts
                    # once the read models and the audit trail have taken in the POST round
                    # before it (until then each new position is a summary made afresh).
                    target.run(wrk, options, scale.warmup)
                    run = target.run(wrk, options, scale.wrk_seconds)
                    target.runs.append(run)
                    note(
                        f"round {n} {target.name}: {run.requests_per_s:,.0f} req/s, "
                        f"p99 {run.p99_ms:.1f} ms, non-2xx {run.non_2xx}"
                    )
        oversight_rate = summarise(pairs[0][1].runs)["requests_per_s"]
        # Every page under the same wrk, each beside the oversight GET, then each made afresh
        # after a progress report (bench.pageload).
        reports = itertools.cycle(paths)

        def move() -> None:
            posted = call(
                "POST", real.base + next(reports), token=department, body=PROGRESS_BODY.encode()
            )
            expect(posted, (200, 201), "a progress report")

        pages = pageload.loads(
            wrk,
            options,
            real.base,
            scale.page_seconds,
            scale.page_warmup,
            scale.rounds,
            afresh=scale.afresh,
            move=move,
        )
        return {
            "oversight": compare(*pairs[0]),
            "progress": compare(*pairs[1]),
            "lists": [
                {
                    "target": t.name,
                    **summarise(t.runs),
                    "ratio_to_oversight": round(
                        summarise(t.runs)["requests_per_s"] / oversight_rate, 4
                    ),
                }
                for t in lists
            ],
            "pages": pages,
            "rss": sampler.summary(),
            "oversight_bytes": len(answer.body),
            "progress_directives": len(paths),
            "wrk": f"wrk -t2 -c32 -d{scale.wrk_seconds:g}s --latency, {scale.rounds} rounds, "
            f"targets interleaved, each run after a {scale.warmup:g} s warm-up of its target; "
            "wrk shares the machine's cores with both servers and PostgreSQL",
        }
    finally:
        for server in reversed(servers):
            note(f"{server.name} {server.stop()}")
            if server.suspicious():
                note(f"{server.name} wrote errors: see {logs / server.log.name}")
            server.keep_log(logs)


def summarise(runs: list[WrkRun]) -> dict[str, Any]:
    return {
        "requests_per_s": round(statistics.median(r.requests_per_s for r in runs), 1),
        "p50_ms": round(statistics.median(r.p50_ms for r in runs), 3),
        "p99_ms": round(statistics.median(r.p99_ms for r in runs), 3),
        "non_2xx": sum(r.non_2xx for r in runs),
        "runs": [round(r.requests_per_s) for r in runs],
    }


def compare(baseline: Target, measured: Target) -> dict[str, Any]:
    base, real = summarise(baseline.runs), summarise(measured.runs)
    return {
        "baseline": {"target": baseline.name, **base},
        "measured": {"target": measured.name, **real},
        "ratio": round(real["requests_per_s"] / base["requests_per_s"], 4),
    }


# --- the report ----------------------------------------------------------------------------------


def machine(conninfo: str) -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = 0.0
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory_gb = round(kb / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    packages = ("eventsourcing", "falcon", "granian", "psycopg", "orjson")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": row[0] if row else "unknown",
        "packages": {p: metadata.version(p) for p in packages},
        "wrk": "shares the cores with the servers and PostgreSQL",
    }


def figures(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's table: each figure, its baseline, the ratio, the target and whether it is met."""
    rows: list[dict[str, Any]] = []

    def add(  # noqa: PLR0917 - one row of the table, its columns in order
        figure: str, value: str, baseline: str, ratio: float | None, target: str, met: bool | None
    ) -> None:
        rows.append(
            {
                "figure": figure,
                "value": value,
                "baseline": baseline,
                "ratio": ratio,
                "target": target,
                "met": met,
            }
        )

    h = results.get("http")
    if h is not None:
        p = h["progress"]
        add(
            "POST …/progress-reports req/s, 32 connections",
            f"{p['measured']['requests_per_s']:,.0f} (p99 {p['measured']['p99_ms']:.0f} ms)",
            f"bare INSERT {p['baseline']['requests_per_s']:,.0f}",
            p["ratio"],
            "≥ 0.5×",
            p["ratio"] >= 0.5,
        )
        for row in pageload.figures(h["pages"]):
            add(*row)
        o = h["oversight"]
        p99 = o["measured"]["p99_ms"]
        add(
            "GET /api/oversight req/s and p99",
            f"{o['measured']['requests_per_s']:,.0f} (p99 {p99:.1f} ms)",
            f"bare fixed JSON {o['baseline']['requests_per_s']:,.0f}",
            o["ratio"],
            "≥ 0.5×; p99 ≤ 50 ms",
            o["ratio"] >= 0.5 and p99 <= 50,
        )
        for listed in h.get("lists", []):
            add(
                f"{listed['target']} req/s and p99",
                f"{listed['requests_per_s']:,.0f} (p99 {listed['p99_ms']:.1f} ms)",
                f"GET /api/oversight {o['measured']['requests_per_s']:,.0f}",
                listed["ratio_to_oversight"],
                "p99 ≤ 200 ms",
                listed["p99_ms"] <= 200,
            )
    s = results["oversight"]
    add(
        "oversight summary now p99",
        f"{s['current']['p99_ms']:.1f} ms (median {s['current']['median_ms']:.1f})",
        f"as of a past day {s['as_of']['p99_ms']:.1f} ms",
        round(s["current"]["p99_ms"] / s["as_of"]["p99_ms"], 3),
        "≤ 50 ms, and ≤ 1.5× of city's at nation",
        s["current"]["p99_ms"] <= 50,
    )
    if "index_as_of" in s:
        add(
            "execution index (responsiveness) as of a past day p99",
            f"{s['index_as_of']['p99_ms']:.1f} ms (median {s['index_as_of']['median_ms']:.1f})",
            f"now {s['index_current']['p99_ms']:.1f} ms",
            round(s["index_as_of"]["p99_ms"] / s["index_current"]["p99_ms"], 3),
            "≤ 50 ms",
            s["index_as_of"]["p99_ms"] <= 50,
        )
    for key, name in (("late", "overdue"), ("due_soon", "due-soon"), ("awaiting", "awaiting")):
        if f"{key}_as_of" in s and f"{key}_current" in s:
            then, now = s[f"{key}_as_of"], s[f"{key}_current"]
            add(
                f"{name} list (100 rows) as of a past day p99",
                f"{then['p99_ms']:.1f} ms (median {then['median_ms']:.1f})",
                f"now {now['p99_ms']:.1f} ms",
                round(then["p99_ms"] / now["p99_ms"], 3),
                "≤ 50 ms (walked day by day)",
                then["p99_ms"] <= 50,
            )
    add(
        "as-of oversight (random past day) p99",
        f"{s['as_of']['p99_ms']:.1f} ms (median {s['as_of']['median_ms']:.1f})",
        f"current {s['current']['p99_ms']:.1f} ms (median {s['current']['median_ms']:.1f})",
        s["ratio_p99"],
        "≤ 3×; p99 ≤ 50 ms",
        s["ratio_p99"] <= 3 and s["as_of"]["p99_ms"] <= 50,
    )
    w = results["whole_log"]
    add(
        "projection rebuild events/s",
        f"{w['rebuild_events_per_s']:,}",
        f"read + decode {w['read_events_per_s']:,}",
        w["ratio"],
        "≥ 0.25× (aim 0.5×)",
        w["ratio"] >= 0.25,
    )
    a = results["audit"]
    add(
        "audit verify events/s",
        f"{a['verify_events_per_s']:,}",
        f"read + SHA-256 {a['read_sha256_records_per_s']:,}",
        a["ratio"],
        "≥ 0.3×",
        a["ratio"] >= 0.3,
    )
    add(
        "audit verify events/s, against hashing alone",
        f"{a['verify_events_per_s']:,}",
        f"SHA-256 in memory {a['sha256_records_per_s']:,} "
        f"(reading alone: {a['read_ratio_to_sha256_in_memory']:g}×)",
        a["ratio_to_sha256_in_memory"],
        "≥ 0.3×",
        a["ratio_to_sha256_in_memory"] >= 0.3,
    )
    v = results["versions"]
    add(
        f"directive at version N ({v['events']:,} events) p99",
        f"{v['at_version']['p99_ms']:.2f} ms",
        f"current {v['current']['p99_ms']:.2f} ms",
        v["ratio_p99"],
        "≤ 2×",
        v["ratio_p99"] <= 2,
    )
    peaks = {
        "projection rebuild": w["rebuild_rss"],
        "projection rebuild, largest worker process": w.get("rebuild_worker_rss", {}),
    }
    if h is not None:
        peaks.update(h["rss"])
    for name, memory in peaks.items():
        if memory:
            add(
                f"peak RSS, {name}",
                f"{memory['peak_mb']:.0f} MB",
                f"first half {memory['first_half_peak_mb']:.0f} MB",
                memory["growth"],
                "≤ 300 MB, flat",
                memory["peak_mb"] <= 300 and memory["growth"] <= 1.1,
            )
    return rows


def loads_said(load: dict[str, Any] | None) -> str:
    """The machine's load average at the run's start and end, as the table's header says it."""
    if not load:
        return ""
    start, end = load["start"], load["end"]
    return (
        f" Load average (1, 5, 15 min) at the start {start[0]:.1f}, {start[1]:.1f}, "
        f"{start[2]:.1f}; at the end {end[0]:.1f}, {end[1]:.1f}, {end[2]:.1f}."
    )


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"## `{report['scale']}`: {report['events']:,} events, {report['date']}",
        "",
        f"{m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}. Loaded at {report['load']['events_per_s']:,.0f} events/s. "
        "Medians of repeated runs; wrk shares the cores with the servers and PostgreSQL."
        + loads_said(report.get("load_average")),
        "",
        "| figure | measured | baseline (same run) | ratio | target | met |",
        "|---|---|---|---:|---|:-:|",
    ]
    for row in report["figures"]:
        met = {True: "yes", False: "**no**", None: "–"}[row["met"]]
        ratio = "–" if row["ratio"] is None else f"{row['ratio']:g}×"
        lines.append(
            f"| {row['figure']} | {row['value']} | {row['baseline']} | {ratio} "
            f"| {row['target']} | {met} |"
        )
    return "\n".join(lines) + "\n"


# --- main ----------------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace, url: str, conninfo: str, schema: str) -> dict[str, Any]:
    scale = SCALES[args.scale]
    if args.directives:
        scale = replace(scale, directives=args.directives)
    # The simulated year ends yesterday, so that what the bench itself records comes after it.
    end = city_date(datetime.now(UTC)) - timedelta(days=1)
    rng = random.Random(args.seed)  # noqa: S311 - which past days and versions, not secrets
    results: dict[str, Any] = {}
    load_before = os.getloadavg()
    if args.reuse:
        note(f"reusing the data set in schema {schema}")
    else:
        results["load"] = load(url, scale, end)
    app = open_application(parse_database_url(url))
    try:
        if not args.reuse:
            note(f"a directive with {LONG_EVENTS:,} events")
            long_directive(app)
        events = app.max_notification_id()
        results["whole_log"] = whole_log(app, url, scale)
        results["oversight"] = oversight(app, scale, end, rng)
        note(f"oversight: {results['oversight']}")
        results["versions"] = versions(app, scale, rng)
        note(f"versions: {results['versions']}")
        results["audit"] = audit(app, scale)
    finally:
        app.close()
    if not args.no_http:
        results["http"] = http(url, conninfo, schema, scale, args.work, args.out / "logs")
    return {
        "scale": args.scale,
        "schema": schema,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "events": events,
        "directives": args.directives or scale.directives,
        "machine": machine(conninfo),
        # The machine is shared: its load (1, 5 and 15 minutes) when the run began and ended.
        "load_average": {"start": load_before, "end": os.getloadavg()},
        "load": results.get("load", {"events_per_s": 0.0, "output": "reused"}),
        **results,
        "figures": [],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--directives",
        type=int,
        help="the data set's size instead of the scale's (~7.9 events each)",
    )
    parser.add_argument("--postgres", default=os.environ.get("THUCTHI_TEST_POSTGRES_URL", POSTGRES))
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for latest.json/.md")
    parser.add_argument("--schema", help="use this schema (default: a fresh one, dropped after)")
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    parser.add_argument("--reuse", action="store_true", help="the schema already holds the data")
    parser.add_argument("--no-http", action="store_true", help="skip the wrk load tests")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.reuse and not args.schema:
        parser.error("--reuse needs --schema")
    schema = args.schema or f"bench_{args.scale}_{secrets.token_hex(4)}"
    keep = args.keep or args.reuse
    url = f"{args.postgres}?schema={schema}"
    conninfo = parse_database_url(url).conninfo()
    status = 0
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        args.work = Path(folder)
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
                )
            note(f"scale {args.scale}, schema {schema}")
            report = benchmark(args, url, conninfo, schema)
            report["figures"] = figures(report)
            table = markdown(report)
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "latest.json").write_bytes(
                orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
            )
            (args.out / "latest.md").write_text(table)
            sys.stdout.write(table)
            note(f"written {args.out / 'latest.json'} and {args.out / 'latest.md'}")
        except BenchError as e:
            sys.stderr.write(f"bench failed: {e}\n")
            status = 1
        finally:
            if not keep:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(
                        sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                    )
                note(f"dropped schema {schema}")
    return status
