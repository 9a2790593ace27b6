"""Crash safety: SIGKILL the projection process mid catch-up, again and again, on PostgreSQL.

After every kill the read models are exactly as of some batch boundary; after the last restart
they are identical, row for row, to a clean rebuild of the same log.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date

import pytest

from adapters.database import open_application, parse_database_url
from cli.demo import run_demo
from projections.runner import rebuild
from readmodels.open import open_view
from tests.integration.readmodels import table_rows

KILLS = 5


def start(url: str, batch: int) -> subprocess.Popen[bytes]:
    run = ["projections", "run", "--batch", str(batch)]
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "--db", url, *run],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.postgres
@pytest.mark.slow
def test_killing_the_projection_at_random_points_loses_and_doubles_nothing(
    postgres_url: str,
) -> None:
    app = open_application(parse_database_url(postgres_url))
    try:
        run_demo(app, directives=700, seed=3, end=date(2024, 12, 31), progress=None)
        head = app.max_notification_id()
        view = open_view(app)
        rng = random.Random(int.from_bytes(os.urandom(4), "big"))
        positions = [0]
        for _ in range(KILLS):
            process = start(postgres_url, batch=10)
            # Killed at a random point of its catch-up, chosen by position, not by time: however
            # fast or busy the machine, the kill lands mid catch-up.
            target = view.position() + rng.uniform(0.05, 0.4) * (head - view.position())
            deadline = time.monotonic() + 120
            while view.position() < target and time.monotonic() < deadline:
                time.sleep(0.002)
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=10)
            positions.append(view.position())
        assert positions == sorted(positions), "the position went backwards after a kill"
        assert any(0 < p < head for p in positions), f"no kill landed mid catch-up: {positions}"

        process = start(postgres_url, batch=10)
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"following")  # its SIGTERM handler is set
        deadline = time.monotonic() + 120
        while view.position() < head and time.monotonic() < deadline:
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
        assert process.returncode == 0, err.decode()
        assert view.position() == head

        after_crashes = table_rows(view)
        rebuild(app)
        assert table_rows(open_view(app)) == after_crashes
    finally:
        app.close()
