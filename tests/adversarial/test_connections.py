"""How many PostgreSQL connections the default deployment holds.

An idle `thucthi serve --workers 2` held 57-59 connections, 33 of them in its follower; with the
separate `thucthi projections run` the docs describe it held 92, and other clients were refused
("too many clients"; PostgreSQL allows 100 by default). Each kind of process now has a budget
(``Settings.connection_budget``, docs/api.md), and what is counted here must stay within it.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from adapters.settings import Settings
from tests.adversarial.serving import (
    THUCTHI,
    Served,
    backends,
    demo,
    environment,
    eventually,
    http,
    own_database,
    serving,
    stop,
)
from tests.postgres import require_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
WORKERS = 2  # the default on the two-core machines the city runs
CLIENTS = 32  # requests at once while counting, as the benchmarks send
COMMANDS_EACH = 6


def max_connections() -> int:
    with psycopg.connect(require_server()) as conn:
        row = conn.execute("SHOW max_connections").fetchone()
    assert row is not None
    return int(row[0])


def busy(served: Served, counted: list[int], url: str) -> None:
    """CLIENTS clients issuing directives and reading the oversight, while ``counted`` gets the
    database's connections every few milliseconds."""
    token = served.sign_in("leader.chutich")
    done = threading.Event()

    def count() -> None:
        while not done.is_set():
            counted.append(len(backends(url)))
            done.wait(0.02)

    def client(n: int) -> None:
        for i in range(COMMANDS_EACH):
            directive = {
                "reference": f"{n * 1000 + i}/KN",
                "title": "Đếm kết nối",
                "lead_unit": "SO-CT",
            }
            status, _, body = http("POST", served.base + "/api/directives", directive, token)
            assert status == 201, body
            assert http("GET", served.base + "/api/oversight", token=token)[0] == 200

    counter = threading.Thread(target=count)
    counter.start()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            for result in [pool.submit(client, n) for n in range(CLIENTS)]:
                result.result()
    finally:
        done.set()
        counter.join()


def test_serve_with_two_workers_and_a_separate_follower_stays_within_its_budget() -> None:
    """Idle and under load, `serve --workers 2` beside a `projections run` holds no more
    PostgreSQL connections than its budget, far below the server's limit."""
    budget = Settings().connection_budget(workers=WORKERS, followers=2)
    assert budget["total"] <= max_connections() // 2  # room for everyone else on the server
    with own_database() as url:
        demo(url, directives=20)
        with (
            serving(url, workers=WORKERS) as served,
            tempfile.TemporaryFile() as log,
        ):
            separate = subprocess.Popen(
                [*THUCTHI, "projections", "run"],
                stdout=subprocess.DEVNULL,
                stderr=log,
                env=environment(THUCTHI_DATABASE_URL=url),
            )
            try:
                served.ready()
                eventually(
                    lambda: len(backends(url, "application_name = 'thucthi-follower'")) >= 2,
                    "the separate follower did not connect",
                )
                idle = backends(url)
                assert 0 < len(idle) <= budget["total"], f"idle: {len(idle)} > {budget}"
                counted: list[int] = []
                busy(served, counted, url)
                assert counted, "nothing was counted"
                assert max(counted) <= budget["total"], f"under load: {max(counted)} > {budget}"
                log.seek(0)
                assert separate.poll() is None, log.read().decode(errors="replace")[-3000:]
            finally:
                stop(separate)
