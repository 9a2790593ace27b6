"""Thucthi on a pair of PostgreSQL servers under pg_auto_failover, its primary killed while
officials issue directives and read their lists: nothing answered 2xx is lost, the server
reconnects to the new primary by itself, the follower and the notifier carry on from where they
stood, the read models equal a rebuild, and no read, from the standby or the primary, is older
than its caller's own last write (docs/deployment.md, "A pair with failover")."""

from __future__ import annotations

import io
import itertools
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from adapters.database import open_application, parse_database_url
from cli.main import main
from projections.runner import rebuild
from readmodels.open import open_view
from tests.adversarial.serving import THUCTHI, Served, environment, eventually, http, serving
from tests.cluster.pair import Pair, pair, synchronous
from tests.integration.readmodels import table_rows

pytestmark = [pytest.mark.cluster, pytest.mark.postgres, pytest.mark.slow]
ACKNOWLEDGED_BEFORE = 15  # directives answered 2xx before the primary is killed
ACKNOWLEDGED_AFTER = 15  # and after the new primary took over
_numbers = itertools.count(1)


@dataclass
class Caller:
    """An official issuing directives and reading the list, remembering the newest position
    an answer named, as a client of the API does (``Log-Position``)."""

    username: str
    token: str
    acknowledged: list[str] = field(default_factory=list)  # references answered 2xx
    seen: int = 0
    refused: int = 0  # commands not answered 2xx (the failover's moments)
    read_at: list[tuple[int, int]] = field(default_factory=list)  # (needed, answered at)
    problems: list[str] = field(default_factory=list)

    def issue(self, base: str) -> None:
        reference = f"{next(_numbers)}/FO-{self.username.rsplit('.', 1)[-1].upper()}"
        body = {"reference": reference, "title": "Báo cáo tình hình", "lead_unit": "SO-CT"}
        try:
            status, headers, _ = http("POST", base + "/api/directives", body, self.token)
        except OSError:
            status, headers = 0, {}
        if 200 <= status < 300:
            self.acknowledged.append(reference)
            self.seen = max(self.seen, int(headers["log-position"]))
        else:
            self.refused += 1
            time.sleep(0.2)

    def read(self, base: str) -> None:
        needed = self.seen
        try:
            status, headers, body = http(
                "GET", base + "/api/directives?limit=500", token=self.token,
                Log_Position=str(needed),
            )  # fmt: skip
        except OSError:
            return
        if status != 200:
            return
        named, read_at = int(headers["log-position"]), int(body["position"])
        listed = {item["reference"] for item in body["items"]}
        missing = [r for r in self.acknowledged if r not in listed]
        if read_at < needed or named < needed or missing:
            self.problems.append(
                f"{self.username} needed {needed}, read at {read_at}, named {named}, "
                f"missing {missing}"
            )
        self.read_at.append((needed, read_at))
        self.seen = max(self.seen, named)


class Load:
    """Callers issuing and reading in threads of their own until stopped."""

    def __init__(self, served: Served, callers: list[Caller]) -> None:
        self.base, self.callers = served.base, callers
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(c,)) for c in callers]

    def run(self, caller: Caller) -> None:
        while not self.stopping.is_set():
            caller.issue(self.base)
            caller.read(self.base)

    def acknowledged(self) -> int:
        return sum(len(c.acknowledged) for c in self.callers)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def settings(tmp_path: Path, cluster: Pair) -> dict[str, str]:
    """The server's environment: keys of its own, the standby for reads, the notifier's rounds
    every second, and commits waiting for the standby (the server's own setting: the test
    run's PGOPTIONS turn that off for the suite's server)."""
    return {
        "THUCTHI_SIGNING_KEY": str(tmp_path / "signing-key.pem"),
        "THUCTHI_PERSONAL_DATA_KEY": str(tmp_path / "personal-data.key"),
        "THUCTHI_CHECKPOINT_LOG": str(tmp_path / "checkpoints.jsonl"),
        "THUCTHI_READ_DATABASE_URL": next(n for n in cluster.nodes if n != cluster.primary()).url,
        "THUCTHI_READ_WAIT": "1",
        "THUCTHI_NOTIFY_INTERVAL": "1",
        "PGOPTIONS": "-c synchronous_commit=on",
    }


def test_killing_the_primary_loses_no_acknowledged_command_and_no_read_goes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pair() as cluster:
        # A commit waits for the standby to have it on disk: what is answered 2xx is on both.
        names, level = synchronous(cluster.primary())
        assert (names.startswith("ANY 1 (pgautofailover_standby_"), level) == (True, "on")
        env = settings(tmp_path, cluster)
        demo(cluster.url, env)
        with serving(cluster.url, workers=1, settings=env) as served:
            served.ready()
            callers = [
                Caller(name, served.sign_in(name)) for name in ("leader.chutich", "leader.pct1")
            ]
            with Load(served, callers) as load:
                eventually(lambda: load.acknowledged() >= ACKNOWLEDGED_BEFORE,
                           "the load did not get going", 120.0, detail=served.describe)  # fmt: skip
                before = load.acknowledged()
                lost = cluster.primary()
                cluster.kill(lost)
                killed = time.monotonic()
                survivor = next(n for n in cluster.nodes if n is not lost)
                cluster.wait_for({survivor.name: "wait_primary"})
                eventually(lambda: load.acknowledged() >= before + ACKNOWLEDGED_AFTER,
                           "no command was acknowledged after the failover", 120.0,
                           detail=served.describe)  # fmt: skip
                recovered = time.monotonic() - killed
            assert [p for c in callers for p in c.problems] == []
            head = caught_up(served)
            metrics = served.metrics()
            notified = notified_up_to(cluster)
        acknowledged = [r for c in callers for r in c.acknowledged]
        app = open_application(parse_database_url(cluster.url), create_tables=False)
        try:
            missing = [r for r in acknowledged if app.find_directive(r) is None]
            assert missing == []
            view = open_view(app, create=False)
            incremental = table_rows(view)
            # The new primary's sequence went on from where its WAL had it: positions skip a few
            # numbers at the failover, and the rebuild reads them as the follower did.
            assert rebuild(app, workers=1) == len(app.recorder.select_notifications(1, 10**6))
            assert (view.position(), app.max_notification_id()) == (head, head)
            assert table_rows(open_view(app, create=False)) == incremental
        finally:
            app.close()
        assert notified == head  # the notifier decided everything, the failover's side too
        # The trail the follower kept across the failover extends what it signed before, is
        # signed again, and verifies against every checkpoint it published.
        monkeypatch.setenv("THUCTHI_CHECKPOINT_LOG", env["THUCTHI_CHECKPOINT_LOG"])
        key = ["--signing-key", env["THUCTHI_SIGNING_KEY"]]
        out = io.StringIO()
        assert main(["--db", cluster.url, "audit", "checkpoint", *key], out=out) == 0
        verified = main(["--db", cluster.url, "audit", "verify", *key, "--quiet"], out=out)
        assert verified == 0, out.getvalue()
        assert "OK: the log is intact" in out.getvalue()
        assert metrics['thucthi_reads_total{served_by="standby"}'] > 0
        report(callers, metrics, recovered)


def demo(url: str, env: dict[str, str]) -> None:
    """A few directives of a simulated year, and the demo's accounts, on the pair."""
    subprocess.run(
        [*THUCTHI, "--db", url, "demo", "--directives", "3", "--petitions", "0",
         "--end", "2024-12-31", "--quiet"],
        check=True, capture_output=True, env=environment(**env),
    )  # fmt: skip


def caught_up(served: Served) -> int:
    """Once the follower has taken in the whole log, on the new primary: the log's head."""
    found: dict[str, Any] = {}

    def zero_lag() -> bool:
        try:
            metrics = served.metrics()
        except (OSError, ValueError):
            return False
        found.update(metrics)
        lags = [v for k, v in metrics.items() if k.startswith("thucthi_projection_lag_events")]
        return bool(lags) and all(v == 0 for v in lags)

    eventually(zero_lag, "the follower did not catch up after the failover", 120.0,
               detail=served.describe)  # fmt: skip
    return int(found["thucthi_log_head"])


def notified_up_to(cluster: Pair) -> int:
    """Where the notification scheduler stands (``notify_state``), once it reached the head."""
    found: list[int] = []

    def reached() -> bool:
        with psycopg.connect(cluster.url) as conn:
            head = conn.execute("SELECT max(notification_id) FROM thucthi_events").fetchone()
            row = conn.execute("SELECT position FROM notify_state").fetchone()
        found[:] = [int(row[0]) if row else 0]
        return head is not None and found[0] == head[0]

    eventually(reached, "the notifier did not carry on after the failover", 60.0)
    return found[0]


def report(callers: list[Caller], metrics: dict[str, float], recovered: float) -> None:
    """What the run measured, in the test's output (pytest -s, or -rP)."""
    reads = [r for c in callers for r in c.read_at]
    standby = metrics.get('thucthi_reads_total{served_by="standby"}', 0)
    primary = metrics.get('thucthi_reads_total{served_by="primary_after_waiting"}', 0)
    waited = metrics.get("thucthi_reads_waited_total", 0)
    seconds = metrics.get("thucthi_reads_wait_seconds_total", 0)
    reconnects = metrics.get('thucthi_follower_restarts_total{kind="reconnect"}', 0)
    restarts = metrics.get('thucthi_follower_restarts_total{kind="process"}', 0)
    print(  # noqa: T201 - the run's figures
        f"\nfailover: {sum(len(c.acknowledged) for c in callers)} commands acknowledged, "
        f"{sum(c.refused for c in callers)} refused while the primary was lost; acknowledged "
        f"again {recovered:.1f} s after the kill; {len(reads)} reads checked, the worker's "
        f"{standby:.0f} from the standby ({waited:.0f} after waiting for it, "
        f"{1000 * seconds / max(waited + primary, 1):.0f} ms on average), {primary:.0f} from "
        f"the primary after waiting; the follower began again {reconnects:.0f} times in its "
        f"process, and its process {restarts:.0f} times"
    )
