"""Rebuild speed of the oversight projection against reading the same log, and summary latency.

Loads the demo year into a fresh database on each backend, then in one run measures:
- reading and decoding every notification without projecting (the baseline);
- rebuilding the oversight read models from the first event;
- the oversight summary as of today and as of a past day (median and p99 of repeated calls);
- the audit projection, and ``thucthi audit verify`` against plain SHA-256 over the same stored
  records in Python (median of three runs each).
The machine is small and shared: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import orjson
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from api.config import open_application, parse_database_url
from api.demo import run_demo
from domain.application import Thucthi
from projections.audit import AuditProjection, Signer, open_store, record_of
from projections.runner import open_view, rebuild
from projections.verify import verify
from readmodels.model import AsOf

END = date(2026, 11, 26)
PAGE = 1_000


def read_all(app: Thucthi) -> int:
    """The baseline: every notification read in pages and decoded, nothing written."""
    position, count = 0, 0
    while True:
        page = app.recorder.select_notifications(
            start=position, limit=PAGE, inclusive_of_start=False
        )
        if not page:
            return count
        for notification in page:
            app.mapper.to_domain_event(notification)
        position = page[-1].id
        count += len(page)


def latency_ms(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))]


def measure(url: str, directives: int) -> dict[str, object]:
    app = open_application(parse_database_url(url))
    try:
        run_demo(app, directives=directives, seed=2024, end=END, progress=None)
        events = app.max_notification_id()
        read_all(app)  # warm the caches for both measurements alike
        started = time.perf_counter()
        read = read_all(app)
        read_rate = read / (time.perf_counter() - started)
        started = time.perf_counter()
        projected = rebuild(app)
        rebuild_rate = projected / (time.perf_counter() - started)
        view = open_view(app)
        today = latency_ms(lambda: view.summary(AsOf(END)), 30)
        past = latency_ms(lambda: view.summary(AsOf(END - timedelta(days=200))), 30)
        return {
            "events": events,
            "read_events_per_s": round(read_rate),
            "rebuild_events_per_s": round(rebuild_rate),
            "rebuild_vs_read": round(rebuild_rate / read_rate, 3),
            "summary_today_ms": {"median": round(today[0], 2), "p99": round(today[1], 2)},
            "summary_past_ms": {"median": round(past[0], 2), "p99": round(past[1], 2)},
            "past_vs_today": round(past[0] / today[0], 2),
            **measure_audit(app),
        }
    finally:
        app.close()


def measure_audit(app: Thucthi) -> dict[str, object]:
    """The audit projection's speed, and verification against plain SHA-256 of the records."""
    signer = Signer("bench.thucthi/log", Ed25519PrivateKey.generate())
    store = open_store(app)
    started = time.perf_counter()
    projected = AuditProjection(app, store, signer).catch_up()
    audit_rate = projected / (time.perf_counter() - started)
    records = [record_of(n) for n in app.recorder.select_notifications(start=1, limit=10**9)]
    sha_rates, verify_rates = [], []
    for _ in range(3):
        started = time.perf_counter()
        for record in records:
            hashlib.sha256(record).digest()
        sha_rates.append(len(records) / (time.perf_counter() - started))
        report = verify(app, store, origin=signer.origin, public_key=signer.public_key)
        assert report.ok, report.problems  # noqa: S101 - a benchmark of a broken log is no use
        verify_rates.append(report.records / report.seconds)
    sha, checked = statistics.median(sha_rates), statistics.median(verify_rates)
    return {
        "audit_projection_events_per_s": round(audit_rate),
        "sha256_records_per_s": round(sha),
        "verify_events_per_s": round(checked),
        "verify_vs_sha256": round(checked / sha, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--directives", type=int, default=2_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = measure(f"sqlite:///{Path(folder) / 'bench.db'}", args.directives)
    schema = "bench_" + uuid.uuid4().hex[:8]
    try:
        results["postgres"] = measure(f"{args.postgres}?schema={schema}", args.directives)
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    sys.stdout.write(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
