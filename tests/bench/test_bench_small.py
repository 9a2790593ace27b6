"""``python -m bench --scale small`` runs the whole harness on a fresh schema and writes its
report: every figure with its baseline from the same run. Nothing here asserts a time; the
targets are for the ``city`` run on PostgreSQL (docs/performance.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import psycopg
import pytest

from bench.pageload import Found, plan
from tests.postgres import require_server

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "POST …/progress-reports req/s, 32 connections",
    "GET /api/oversight req/s and p99",
    "as-of oversight (random past day) p99",
    "oversight summary now p99",
    "execution index (responsiveness) as of a past day p99",
    "overdue list (100 rows) as of a past day p99",
    "due-soon list (100 rows) as of a past day p99",
    "awaiting list (100 rows) as of a past day p99",
    "projection rebuild events/s",
    "audit verify events/s",
    "audit verify events/s, against hashing alone",
    "directive at version N (1,000 events) p99",
    "peak RSS, projection rebuild",
    "peak RSS, api worker",
    "peak RSS, projection follower",
    # Every page under wrk, beside the oversight GET (bench.pageload).
    *(
        f"page: {page.name}, req/s and p99"
        for page in plan(Found("1/UBND-TH", "2026-0A1B2C3D", "", "2026-01-01"))
    ),
    # The list of directives, in the same rounds as the oversight GET (bench.run.list_targets).
    *(
        f"{name} req/s and p99"
        for name in (
            "GET /api/directives (first page)",
            "GET /api/directives (page 21)",
            "GET /api/directives?status=open&sort=deadline",
            "GET /api/directives?q=tan+binh",
            "GET /api/directives (a department)",
            "GET /directives (the page)",
        )
    ),
}
# A PostgreSQL rebuild runs in a process per core (at most four): one core, no workers.
WORKERS = (
    {"peak RSS, projection rebuild, largest worker process"} if (os.cpu_count() or 1) > 1 else set()
)


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI needs wrk for the bench harness: make installs it with apt-get")
        pytest.skip("wrk is not installed (make test installs it with apt-get)")
    return found


@pytest.mark.postgres
@pytest.mark.slow
def test_the_small_bench_measures_every_figure_against_its_baseline_and_writes_the_report(
    tmp_path: Path,
) -> None:
    server = require_server()
    require_wrk()
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "small", "--postgres", server,
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    report = orjson.loads((tmp_path / "latest.json").read_bytes())
    table = (tmp_path / "latest.md").read_text()

    assert report["scale"] == "small"
    assert report["machine"]["cores"] >= 1
    assert report["machine"]["postgresql"]
    assert report["events"] > 10_000
    assert report["load"]["events_per_s"] > 0
    rows = {row["figure"]: row for row in report["figures"]}
    assert set(rows) == FIGURES | WORKERS
    for name, row in rows.items():
        assert row["ratio"] > 0, name
        assert isinstance(row["met"], bool), name
        assert f"| {name} |" in table
    assert report["http"]["oversight"]["measured"]["non_2xx"] == 0
    assert report["http"]["progress"]["measured"]["non_2xx"] == 0
    assert report["http"]["progress"]["baseline"]["non_2xx"] == 0
    # The list of directives is measured in the same rounds, each answer a 2xx.
    lists = {item["target"]: item for item in report["http"]["lists"]}
    assert "GET /api/directives (page 21)" in lists
    assert all(item["non_2xx"] == 0 for item in lists.values()), lists
    # Every page, as the role it is for, under wrk beside the oversight GET, and made afresh
    # just after an event.
    pages = report["http"]["pages"]["pages"]
    assert {page["user"] for page in pages} >= {
        "leader.chutich", "office.vp", "so-ct.canbo", "thanhtra", "admin", "so-xd.tiepdan",
        "so-xd.thutruong", "so-xd.canbo", None,
    }  # fmt: skip
    for page in pages:
        assert page["non_2xx"] == 0, page
        assert page["requests_per_s"] > 0, page
        assert page["oversight_requests_per_s"] > 0, page
        assert len(page["afresh_ms"]) == 1, page
        assert page["afresh_median_ms"] > 0, page
    # The machine is shared: its load is said with the figures.
    assert len(report["load_average"]["start"]) == len(report["load_average"]["end"]) == 3
    assert "Load average" in table
    assert report["versions"]["events"] == 1_000
    audit = report["audit"]  # both of verify's baselines, and reading alone, were measured
    assert audit["read_sha256_records_per_s"] > 0
    assert audit["sha256_records_per_s"] > 0
    assert audit["read_records_per_s"] > 0
    # Its schema is gone: a bench leaves nothing behind.
    with psycopg.connect(server) as conn:
        left = conn.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s",
            (report["schema"],),
        ).fetchone()
    assert left == (0,)
    assert "wrk shares the cores" in table
