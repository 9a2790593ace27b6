"""An API client on a fresh SQLite database with one signed-in user per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import falcon.testing
import pytest
from argon2 import PasswordHasher
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.documents import PadesSettings
from adapters.signing import Signer
from api.app import AppConfig, create_app
from bootstrap import Process, Services, Settings, open_services
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.shared.actors import Role
from domain.shared.clock import SimulatedClock
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

PASSWORD = "mat-khau-du-dai"
USERS = {
    Role.LEADER: ("leader.chutich", None),
    Role.OFFICE: ("office.vp", None),
    Role.DEPARTMENT: ("so-ct.canbo", "SO-CT"),
    Role.INSPECTOR: ("thanhtra", None),
    Role.ADMIN: ("admin", None),
    # SO-CT's petitions desk: its reception and its head (so-ct.canbo is the officer they assign)
    Role.RECEPTION: ("so-ct.tiepdan", "SO-CT"),
    Role.AGENCY_HEAD: ("so-ct.thutruong", "SO-CT"),
}
COORDINATOR = ("so-tc.canbo", "SO-TC")
ORIGIN = "test.thucthi/log"
OUTSIDER = ("ubnd-q1.canbo", "UBND-Q1")
# A real argon2id hash of PASSWORD, made once and with the smallest cost argon2 allows: sign-in
# reads the cost from the hash, so each test's nine sign-ins verify in microseconds instead of
# the production cost's ~65 ms each. A user the admin creates through the API gets the production
# cost (test_admins_create_users_and_change_roles_as_events signs in as one).
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


@dataclass
class Api:
    client: falcon.testing.TestClient
    app: Thucthi
    clock: SimulatedClock
    tokens: dict[str, str]
    services: Services

    def headers(self, who: str | Role, **extra: str) -> dict[str, str]:
        username = USERS[who][0] if isinstance(who, Role) else who
        return {"Authorization": f"Bearer {self.tokens[username]}", **extra}

    def sign_in_again(self) -> None:
        """Fresh tokens for everyone, after the clock has moved past their 12 hours."""
        for username in list(self.tokens):
            signed = self.client.simulate_post(
                "/api/session", json={"username": username, "password": PASSWORD}
            )
            assert signed.status_code == 201, signed.text
            self.tokens[username] = signed.json["token"]

    def post(
        self, path: str, who: str | Role, body: object = None, **headers: str
    ) -> falcon.testing.Result:
        return self.client.simulate_post(path, json=body, headers=self.headers(who, **headers))

    def get(self, path: str, who: str | Role, **params: str) -> falcon.testing.Result:
        return self.client.simulate_get(path, params=params or None, headers=self.headers(who))


def make_api(
    url: str,
    files_dir: Path | None = None,
    documents: PadesSettings | None = None,
    **settings: Any,
) -> tuple[Api, Thucthi]:
    """The API as a server worker builds it (``bootstrap``, listening on PostgreSQL), on a
    simulated clock, with one user per role signed in; filed files in ``files_dir`` (default:
    beside a SQLite database); ``settings``: other fields of ``bootstrap.Settings``; with
    ``documents``, directives signed and filed as issued."""
    clock = SimulatedClock(START)
    signer = Signer(ORIGIN, Ed25519PrivateKey.generate())
    if documents is not None:
        settings["documents"] = documents
    services = open_services(
        Settings(database_url=url, files_dir=files_dir, **settings),
        role=Process.WORKER,
        clock=clock,
        signer=signer,
    )
    app = services.app
    app.open_unit_registry()
    config = AppConfig(services=services, file_documents=documents is not None)
    client = falcon.testing.TestClient(create_app(config))
    tokens: dict[str, str] = {}
    for role, (username, unit) in [
        *USERS.items(),
        (Role.DEPARTMENT, COORDINATOR),
        (Role.DEPARTMENT, OUTSIDER),
    ]:
        app.create_user(
            username=username,
            display_name=username,
            role=role,
            unit=unit,
            password_hash=PASSWORD_HASH,
            actor=SYSTEM_ACTOR,
            request_id="setup",
        )
        signed = client.simulate_post(
            "/api/session", json={"username": username, "password": PASSWORD}
        )
        assert signed.status_code == 201, signed.text
        tokens[username] = signed.json["token"]
    return Api(client, app, clock, tokens, services), app


def api_on(backend: str, tmp_path: Path, documents: PadesSettings | None = None) -> Iterator[Api]:
    """The API and pages on a fresh SQLite database or a fresh PostgreSQL schema, closed after;
    with ``documents``, signing and filing documents with those keys."""
    if backend == "sqlite":
        built, app = make_api(f"sqlite:///{tmp_path / 'api.db'}", documents=documents)
        try:
            yield built
        finally:
            app.close()
        return
    with fresh_schema(require_server()) as url:
        built, app = make_api(url, tmp_path / "files", documents=documents)
        try:
            yield built
        finally:
            app.close()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    built, app = make_api(f"sqlite:///{tmp_path / 'api.db'}")
    try:
        yield built
    finally:
        app.close()
