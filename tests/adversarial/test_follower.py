"""The follower that died with its connection, and nobody noticed.

Terminating the database's backends left `thucthi serve`'s follower a zombie: the trail stopped,
no checkpoint was signed, and /readyz still said "ready, lag 0" (the API workers projected the
oversight for themselves). A standalone `projections run` exited the same way. The follower's
command line also showed the database password to anyone running `ps`.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import falcon.testing
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from api.app import AppConfig, create_app
from bootstrap import Process, Settings, open_services
from domain.application import Thucthi
from domain.directives.commands import IssueDirective
from domain.directives.directive import directive_id
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from projections.audit import AuditProjection
from projections.oversight import OversightProjection, catch_up
from projections.runner import Backoff
from readmodels.open import open_trail as open_audit_store
from readmodels.open import open_view
from tests.adversarial.serving import (
    THUCTHI,
    Served,
    backends,
    children,
    demo,
    environment,
    eventually,
    http,
    process_state,
    serving,
    terminate,
)
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

LEADER = Actor(user_id="leader.chutich", role=Role.LEADER)
# Seconds of silence after which a follower counts as down: short, so that the tests wait little.
FAST = {"THUCTHI_FOLLOWER_TIMEOUT": "2"}


def issue(app: Thucthi, reference: str) -> int:
    return app.issue(
        IssueDirective(reference=reference, title="Kiểm tra", content="", lead_unit="SO-CT"),
        actor=LEADER,
        request_id=f"test-{reference}",
    )


@pytest.fixture(params=["sqlite", "postgres"])
def served_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database with a demo year, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'served.db'}"
        demo(url, directives=5)
        yield url
    else:
        with fresh_schema(require_server()) as url:
            demo(url, directives=5)
            yield url


def caught_up(served: Served) -> bool:
    """/readyz says ready and every projection stands at the head of the log."""
    status, _, body = served.get("/readyz")
    return status == 200 and all(lag == 0 for lag in body["lags"].values())


@pytest.mark.postgres
@pytest.mark.slow
def test_a_follower_whose_connections_are_terminated_follows_on(postgres_url: str) -> None:
    """A `projections run` whose backends are terminated, three times, keeps following."""
    app = open_application(parse_database_url(postgres_url), clock=SimulatedClock(START))
    name = "t22-follower-" + uuid.uuid4().hex[:8]  # how its backends are told from any other
    try:
        app.open_unit_registry()
        issue(app, "1/KN")
        view = open_view(app)
        trail = open_audit_store(app)
        with tempfile.TemporaryFile() as errors:
            follower = subprocess.Popen(
                [*THUCTHI, "projections", "run"],
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=environment(THUCTHI_DATABASE_URL=postgres_url, PGAPPNAME=name),
            )

            def followed(head: int) -> bool:
                if follower.poll() is not None:
                    errors.seek(0)
                    tail = errors.read().decode()[-2000:]
                    pytest.fail(f"the follower exited ({follower.returncode}): {tail}")
                return view.position() == trail.max_tracking_id(app.name) == head

            try:
                eventually(lambda: followed(app.max_notification_id()), "it did not catch up")
                for n in range(3):
                    mine = backends(postgres_url, "application_name = %s", (name,))
                    assert mine, "the follower holds no connection"
                    terminate(mine)
                    head = issue(app, f"{n + 2}/KN")
                    eventually(lambda: followed(head), f"it did not follow on after kill {n + 1}")  # noqa: B023
            finally:
                follower.send_signal(signal.SIGTERM)
                follower.wait(timeout=30)
        assert follower.returncode == 0
    finally:
        app.close()


@pytest.mark.slow
def test_serve_brings_back_a_follower_killed_with_sigkill(served_url: str) -> None:
    """`serve` reaps a killed follower, starts another, and /metrics counts the restart."""
    with serving(served_url, settings=FAST) as served:
        served.ready()
        killed = served.follower()
        os.kill(killed, signal.SIGKILL)
        eventually(
            lambda: process_state(killed) == "gone",
            f"the killed follower {killed} was not reaped",
            detail=lambda: served.describe(killed),
        )
        assert served.follower() != killed
        token = served.sign_in("leader.chutich")
        directive = {"reference": "77/UBND-KL", "title": "Sau sự cố", "lead_unit": "SO-CT"}
        status, _, body = http("POST", served.base + "/api/directives", directive, token)
        assert status == 201, body
        eventually(lambda: caught_up(served), "the new follower did not bring the trail up")
        restarts = 'thucthi_follower_restarts_total{kind="process"}'
        # The new follower counts itself in its heartbeat thread, which may come after its
        # catch-up: wait for it rather than for luck.
        eventually(lambda: served.metrics()[restarts] >= 1, "the restart was not counted")
        metrics = served.metrics()
        assert metrics['thucthi_projection_lag_events{projection="audit"}'] == 0
        assert metrics["thucthi_follower_up"] == 1


@pytest.mark.slow
def test_readiness_fails_while_the_follower_is_stopped_and_returns_after(served_url: str) -> None:
    """A follower stopped with SIGSTOP makes /readyz answer 503 however small the lag."""
    with serving(served_url, settings=FAST) as served:
        served.ready()
        follower = served.follower()
        os.kill(follower, signal.SIGSTOP)
        try:
            eventually(
                lambda: served.get("/readyz")[0] == 503, "/readyz stayed ready with no follower"
            )
            status, _, body = served.get("/readyz")
            assert (status, body["status"]) == (503, "follower down")
            assert served.metrics()["thucthi_follower_up"] == 0
        finally:
            os.kill(follower, signal.SIGCONT)
        served.ready()


@pytest.mark.slow
def test_a_follower_started_by_serve_does_not_outlive_it(tmp_path: Path) -> None:
    """When `serve` dies by SIGKILL, which it cannot pass on, its follower stops by itself."""
    url = f"sqlite:///{tmp_path / 'orphan.db'}"
    demo(url, directives=2)
    with serving(url, settings=FAST) as served:
        served.ready()
        follower = served.follower()
        workers = [p for p in children(served.process.pid) if p != follower]
        served.process.kill()
        served.process.wait()
        try:
            eventually(lambda: process_state(follower) == "gone", "the follower outlived serve")
        finally:
            for worker in workers:  # granian's workers are left running: not ours to judge here
                if process_state(worker) != "gone":
                    os.kill(worker, signal.SIGKILL)


@given(
    first=st.floats(0.001, 10),
    factor=st.floats(1, 1000),
    failures=st.integers(1, 80),
)
def test_backoff_pauses_grow_to_their_ceiling_and_start_again_after_a_reset(
    first: float, factor: float, failures: int
) -> None:
    """Each pause lies between half its ceiling and the ceiling, which doubles up to the most."""
    most = first * factor
    backoff = Backoff(first, most, random.Random(failures))
    for n in range(failures):
        ceiling = min(most, first * 2**n)
        assert ceiling / 2 <= backoff.next() <= ceiling
    backoff.reset()
    assert first / 2 <= backoff.next() <= first


@pytest.mark.postgres
@pytest.mark.slow
def test_the_followers_command_line_shows_no_database_password(postgres_url: str) -> None:
    """The follower `serve` starts gets the database URL without it showing in /proc/PID/cmdline."""
    secret = "s3cret-" + uuid.uuid4().hex[:8]  # trust authentication lets any password in
    with_password = postgres_url.replace("postgres@", f"postgres:{secret}@", 1)
    assert secret in with_password
    demo(with_password, directives=2)
    with serving(with_password, settings=FAST) as served:
        served.ready()  # the follower is following: it has the URL
        follower = served.follower()
        shown = Path(f"/proc/{follower}/cmdline").read_bytes()
        assert b"projections" in shown
        assert secret.encode() not in shown


@pytest.fixture(params=["sqlite", "postgres"])
def lagging(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[falcon.testing.TestClient, Thucthi]]:
    """An API whose ready lag is 3 events, over a log of 6 the oversight has projected and
    the audit trail has not."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lag.db'}"
        schema = None
    else:
        schema = fresh_schema(require_server())
        url = schema.__enter__()
    signer = Signer("test.thucthi/log", Ed25519PrivateKey.generate())
    services = open_services(
        Settings(database_url=url), clock=SimulatedClock(START), listen=False, signer=signer
    )
    app = services.app
    try:
        app.open_unit_registry()
        assert services.view is not None
        for n in range(5):
            issue(app, f"{n + 1}/LAG")
        catch_up(app, OversightProjection(services.view))
        config = AppConfig(services=services, ready_lag=3)
        yield falcon.testing.TestClient(create_app(config)), app
    finally:
        services.close()
        if schema is not None:
            schema.__exit__(None, None, None)


def test_readiness_counts_the_audit_trails_lag_too(
    lagging: tuple[falcon.testing.TestClient, Thucthi],
) -> None:
    """/readyz is not ready while the audit trail is behind by more than the ready lag."""
    client, app = lagging
    head = app.max_notification_id()
    ready = client.simulate_get("/readyz")
    assert ready.status_code == 503
    assert ready.json["status"] == "lagging"
    assert ready.json["lags"] == {"oversight": 0, "audit": head}
    AuditProjection(app, open_audit_store(app)).catch_up()
    ready = client.simulate_get("/readyz")
    assert (ready.status_code, ready.json["lags"]) == (200, {"oversight": 0, "audit": 0})


def test_metrics_give_the_lag_of_each_projection(
    lagging: tuple[falcon.testing.TestClient, Thucthi],
) -> None:
    """/metrics has one lag per projection, the audit trail's among them."""
    client, app = lagging
    text = client.simulate_get("/metrics").text
    assert 'thucthi_projection_lag_events{projection="oversight"} 0\n' in text
    assert f'thucthi_projection_lag_events{{projection="audit"}} {app.max_notification_id()}\n' in (
        text
    )
    assert text.count("# TYPE thucthi_projection_lag_events gauge") == 1


@pytest.mark.postgres
def test_a_workers_listener_comes_back_after_its_backend_is_terminated(postgres_url: str) -> None:
    """An API worker's LISTEN connection, terminated, reconnects and hears saves again."""
    settings = Settings(database_url=postgres_url)
    database = settings.database
    worker = open_services(settings, role=Process.WORKER, clock=SimulatedClock(START))
    app, freshness = worker.app, worker.freshness
    assert freshness is not None
    other = open_application(database, clock=SimulatedClock(START), create_tables=False)
    try:
        app.open_unit_registry()
        try:
            assert freshness.wait_live(30)
            listening = f"LISTEN %{database.schema}%"
            first = backends(postgres_url, "query LIKE %s", (listening,))
            assert len(first) == 1
            terminate(first)
            eventually(
                lambda: backends(postgres_url, "query LIKE %s", (listening,)) not in ([], first),
                "the listener did not connect again",
            )
            assert freshness.wait_live(30)
            mark = freshness.mark()
            assert mark is not None
            issue(other, "1/NGHE")
            eventually(
                lambda: not freshness.unchanged(directive_id("1/NGHE"), 0, mark),
                "a save after the reconnection was not heard",
            )
        finally:
            freshness.stop()
    finally:
        other.close()
        worker.close()
