"""Several API workers on one database, as ``thucthi serve --workers N`` runs them: each an
application instance of its own (its own pool, caches and, on PostgreSQL, its own listener), all
sharing the store. Used by the credential, revocation and sign-in tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import falcon.testing
import pytest
from argon2 import PasswordHasher

from adapters.freshness import Freshness
from api.app import AppConfig, create_app
from bootstrap import Process, Services, Settings, open_services
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.shared.actors import Role
from domain.shared.clock import SimulatedClock
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

PASSWORD = "mat-khau-du-dai"
# The smallest argon2 cost, so a test's many sign-ins verify in microseconds.
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
LEADER = "leader.chutich"
ADMIN = "admin"
INSPECTOR = "thanhtra"
USERS = ((LEADER, Role.LEADER), (ADMIN, Role.ADMIN), (INSPECTOR, Role.INSPECTOR))
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Worker:
    """One API worker: its WSGI app under a test client, its application, its listener."""

    client: falcon.testing.TestClient
    app: Thucthi
    freshness: Freshness | None

    def get(self, path: str, token: str, **params: str) -> falcon.testing.Result:
        return self.client.simulate_get(path, params=params or None, headers=bearer(token))

    def post(
        self, path: str, token: str | None, body: object = None, **headers: str
    ) -> falcon.testing.Result:
        sent = {**(bearer(token) if token else {}), **headers}
        return self.client.simulate_post(path, json=body, headers=sent)

    def delete(self, path: str, token: str) -> falcon.testing.Result:
        return self.client.simulate_delete(path, headers=bearer(token))

    def sign_in(self, username: str, password: str = PASSWORD, address: str = "") -> str:
        signed = self.client.simulate_post(
            "/api/session",
            json={"username": username, "password": password},
            remote_addr=address or "192.0.2.1",
        )
        assert signed.status_code == 201, signed.text
        token: str = signed.json["token"]
        return token

    @contextmanager
    def deaf(self) -> Iterator[None]:
        """This worker hears no notification until the block ends, as when one arrives late:
        what it does meanwhile must not depend on having heard of other workers' saves."""
        if self.freshness is None:
            yield
            return
        gate = threading.Event()
        heard = self.freshness.heard

        def late(payload: str) -> None:
            gate.wait(60)
            heard(payload)

        self.freshness.heard = late  # type: ignore[method-assign]
        try:
            yield
        finally:
            gate.set()
            self.freshness.heard = heard  # type: ignore[method-assign]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=("sqlite", "postgres"))
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """One fresh database for several workers: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@contextmanager
def workers(url: str, count: int = 2, **config: Any) -> Iterator[list[Worker]]:
    """``count`` workers on one database; the first creates the tables and the users."""
    clock = SimulatedClock(START)
    started: list[Worker] = []
    opened: list[Services] = []
    try:
        for number in range(count):
            first = number == 0
            services = open_services(
                Settings(database_url=url),
                role=Process.WORKER,
                clock=clock,
                create_tables=first,
                pool_size=2,
            )
            opened.append(services)
            app = services.app
            if first:
                app.open_unit_registry()
                for username, role in USERS:
                    app.create_user(
                        username=username,
                        display_name=username,
                        role=role,
                        unit=None,
                        password_hash=PASSWORD_HASH,
                        actor=SYSTEM_ACTOR,
                        request_id="setup",
                    )
            freshness = services.freshness
            if freshness is not None:
                assert freshness.wait_live(10), "the worker never started listening"
            client = falcon.testing.TestClient(create_app(AppConfig(services=services, **config)))
            started.append(Worker(client, app, freshness))
        yield started
    finally:
        for services in opened:
            services.close()
