"""The follower killed and cut off, again and again, while commands keep arriving, on PostgreSQL.

`thucthi serve --workers 2` takes commands from several clients at once while its follower is
SIGKILLed and, in turn, has its backends terminated (``pg_terminate_backend``). The follower must
come back by itself each time (a new process, or new connections), every command that was
answered 2xx must be stored exactly once, and at the end the read models and the audit trail
must equal a rebuild from the log, row for row, with the tail signed.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from adapters.database import open_application, parse_database_url
from domain.application import Thucthi
from projections.audit import AuditProjection
from projections.runner import rebuild
from readmodels.audit_postgres import PostgresAuditStore
from readmodels.open import open_trail as open_audit_store
from readmodels.open import open_view
from tests.adversarial.serving import (
    Served,
    backends,
    demo,
    eventually,
    http,
    own_database,
    process_state,
    serving,
    terminate,
)
from tests.integration.readmodels import table_rows

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
FAULTS = 6  # alternately a SIGKILL of the follower and the termination of its backends
CLIENTS = 4  # clients sending commands all along
SETTINGS = {"THUCTHI_FOLLOWER_TIMEOUT": "2"}
FOLLOWER = "application_name = 'thucthi-follower'"


class Clients:
    """Clients issuing directives, acknowledging them and reporting progress until stopped;
    what each request was answered, by its request id."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.leader = served.sign_in("leader.chutich")
        self.officer = served.sign_in("so-ct.canbo")
        self.answers: dict[str, int] = {}
        self.failures: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(CLIENTS)]

    def __enter__(self) -> Clients:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def count(self) -> int:
        with self._lock:
            return len(self.answers)

    def _send(self, request_id: str, path: str, body: object, token: str) -> bool:
        try:
            status, _, answer = http(
                "POST", self.served.base + path, body, token, X_Request_Id=request_id
            )
        except OSError as e:  # no answer at all: not a 2xx, so nothing is promised
            status, answer = 0, str(e)
        with self._lock:
            self.answers[request_id] = status
            if not 200 <= status < 300:
                self.failures.append(f"{request_id} {path}: {status} {answer}")
        return 200 <= status < 300

    def _run(self, n: int) -> None:
        i = 0
        while not self._stop.is_set():
            number = 1000 * (n + 1) + i
            path = f"/api/directives/{number}~UBND-KT"
            issued = self._send(
                f"crash-{n}-{i}-issue",
                "/api/directives",
                {"reference": f"{number}/UBND-KT", "title": "Thử sự cố", "lead_unit": "SO-CT"},
                self.leader,
            )
            if issued and self._send(
                f"crash-{n}-{i}-ack", path + "/acknowledgement", {}, self.officer
            ):
                self._send(
                    f"crash-{n}-{i}-progress", path + "/progress-reports", {"percent": 40},
                    self.officer,
                )  # fmt: skip
            i += 1


def restarts(served: Served, kind: str) -> float:
    return served.metrics().get(f'thucthi_follower_restarts_total{{kind="{kind}"}}', 0.0)


def kill_the_follower(served: Served) -> None:
    """SIGKILL it; it comes back as a new process, which /metrics counts."""
    before = restarts(served, "process")
    killed = served.follower()
    os.kill(killed, signal.SIGKILL)
    eventually(
        lambda: process_state(killed) == "gone",
        f"the killed follower {killed} was not reaped",
        detail=lambda: served.describe(killed),
    )
    eventually(lambda: restarts(served, "process") > before, "no new follower started")


def cut_the_follower_off(served: Served) -> None:
    """Terminate its backends; it connects again, which /metrics counts."""
    before = restarts(served, "reconnect")
    pids = backends(served.url, FOLLOWER)
    assert pids, "the follower holds no connection"
    terminate(pids)
    eventually(lambda: restarts(served, "reconnect") > before, "the follower did not reconnect")


def caught_up(served: Served) -> bool:
    status, _, body = served.get("/readyz")
    return status == 200 and all(lag == 0 for lag in body["lags"].values())


def stored_request_ids(app: Thucthi) -> Counter[str]:
    notifications = app.recorder.select_notifications(start=1, limit=10**9)
    return Counter(
        str(getattr(app.mapper.to_domain_event(n), "request_id", "")) for n in notifications
    )


def trail_rows(url: str, prefix: str) -> dict[str, list[tuple[Any, ...]]]:
    """The audit trail's entries, tree nodes and state, in order (checkpoints are signed at
    moments of their own, so they are left out)."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with psycopg.connect(url) as conn:
        for name, order in (
            ("entries", ["position"]),
            ("nodes", ["level", "idx"]),
            ("state", ["id"]),
        ):
            query = sql.SQL("SELECT * FROM {} ORDER BY {}").format(
                sql.Identifier(f"{prefix}_{name}"), sql.SQL(", ").join(map(sql.Identifier, order))
            )
            rows[name] = conn.execute(query).fetchall()
    return rows


@pytest.fixture
def database() -> Iterator[str]:
    """A database of its own with a demo year: terminating "the follower's backends" there
    cannot reach another test's."""
    with own_database() as url:
        demo(url, directives=30)
        yield url


def test_a_follower_killed_and_cut_off_while_commands_arrive_loses_and_doubles_nothing(
    database: str,
) -> None:
    """Each fault is survived unaided; each 2xx command is stored once; the read models and the
    trail equal a rebuild, and the tail is signed."""
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    with serving(database, workers=2, settings=SETTINGS) as served:
        served.ready()
        with Clients(served) as clients:
            for fault in range(FAULTS):
                answered = clients.count()
                eventually(lambda: clients.count() >= answered + 5, "commands stopped arriving")  # noqa: B023
                time.sleep(rng.uniform(0.0, 1.0))  # somewhere in the follower's work
                if fault % 2 == 0:
                    kill_the_follower(served)
                else:
                    cut_the_follower_off(served)
                served.ready()
            answered = clients.count()
            eventually(lambda: clients.count() >= answered + 5, "commands stopped arriving")
        eventually(lambda: caught_up(served), "the projections did not catch up", timeout=120)
        assert clients.failures == [], clients.failures[:5]
        assert restarts(served, "process") >= FAULTS // 2
        app = open_application(parse_database_url(database), create_tables=False, pool_size=2)
        try:
            head = app.max_notification_id()
            trail = open_audit_store(app, create=False)
            eventually(
                lambda: (trail.latest_checkpoint() or _Unsigned).position == head,
                "the tail of the log was not signed",
            )
        finally:
            app.close()

    app = open_application(parse_database_url(database), create_tables=False, pool_size=2)
    try:
        stored = stored_request_ids(app)
        succeeded = [rid for rid, status in clients.answers.items() if 200 <= status < 300]
        assert len(succeeded) >= FAULTS * 5
        assert {rid: stored[rid] for rid in succeeded} == dict.fromkeys(succeeded, 1)

        view = open_view(app, create=False)
        followed = table_rows(view)
        rebuild(app)
        assert table_rows(open_view(app, create=False)) == followed

        datastore = app.factory.datastore  # type: ignore[attr-defined]
        fresh = PostgresAuditStore(datastore, "audit_rebuilt")
        fresh.create_tables()
        AuditProjection(app, fresh).catch_up()
        assert trail_rows(database, "audit_rebuilt") == trail_rows(database, "audit")
    finally:
        app.close()


class _Unsigned:
    position = -1
