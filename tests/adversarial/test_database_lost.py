"""The database's backends terminated under a serving process (a restart, a failover, an
administrator's ``pg_terminate_backend``): the pooled connections die with them. A request that
meets one is answered, or told to try again (503 with ``Retry-After``), never a 500.

The follower's group saw one 500 in forty reads after terminating every backend; this could not
be made to happen again here (the reads are retried by the library or meet a fresh connection),
so this stays as a guard, and a database error that does reach a request is a 503 (api.app)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
from eventsourcing.persistence import OperationalError

from domain.shared.actors import Role
from tests.adversarial.serving import backends, demo, own_database, serving, terminate
from tests.api.conftest import Api, make_api
from tests.postgres import fresh_schema, require_server

PAGES = (
    "/api/oversight?as_of=2024-06-30",
    "/api/oversight/late?as_of=2024-07-31",
    "/api/directives",
    "/api/audit?limit=5",
    "/api/units/SO-CT/inbox",
    "/readyz",
)
ROUNDS = 3


@pytest.mark.postgres
@pytest.mark.slow
def test_requests_meeting_a_dead_connection_are_told_to_retry_not_a_server_error() -> None:
    """Every backend of the database is terminated three times while a worker's pool holds them
    idle; each request after that answers 200 or 503 with Retry-After, and soon all 200."""
    with own_database() as url:
        demo(url, directives=20)
        with serving(url, workers=1) as served:
            served.ready()
            token = served.sign_in("leader.chutich")
            answers: list[tuple[str, int, str | None]] = []
            for _ in range(ROUNDS):
                for path in PAGES * 3:  # the pool's idle connections, each taken in turn
                    status, headers, _ = served.get(path, token)
                    assert status == 200, (path, status)
                terminate(backends(url))
                for path in PAGES * 3:
                    status, headers, body = served.get(path, token)
                    answers.append((path, status, headers.get("retry-after")))
                    assert status in (200, 503), (path, status, body)
                    if status == 503 and path != "/readyz":
                        assert headers.get("retry-after") == "1", (path, headers)
                        assert body["type"] == "urn:thucthi:problem:database-unavailable"
                for path in PAGES:
                    served.ready()
                    assert served.get(path, token)[0] == 200, path
            assert all(status in (200, 503) for _, status, _ in answers)


@pytest.fixture(params=["sqlite", "postgres"])
def served_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    if request.param == "sqlite":
        built, app = make_api(f"sqlite:///{tmp_path / 'api.db'}")
        try:
            yield built
        finally:
            app.close()
    else:
        with fresh_schema(require_server()) as url:
            built, app = make_api(url)
            try:
                yield built
            finally:
                app.close()


@pytest.mark.parametrize("through", ["library", "psycopg"])
def test_a_connection_lost_in_a_request_answers_503_retry_after_in_both_forms(
    served_api: Api, monkeypatch: pytest.MonkeyPatch, through: str
) -> None:
    """The API says database-unavailable with Retry-After: 1, a page says it in Vietnamese;
    neither is a 500."""
    view = served_api.services.view
    lost = OperationalError if through == "library" else psycopg.OperationalError

    def dropped(*args: object, **kwargs: object) -> NoReturn:
        raise lost("server closed the connection unexpectedly")

    # The list reads a page of the board in the database (issue 27), no longer the whole board.
    monkeypatch.setattr(view, "directive_page", dropped)
    answer = served_api.get("/api/directives", Role.LEADER)
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1"
    assert answer.json["type"] == "urn:thucthi:problem:database-unavailable"
    monkeypatch.setattr(view, "position", dropped)
    page = served_api.client.simulate_get(
        "/directives", headers={"Authorization": served_api.headers(Role.LEADER)["Authorization"]}
    )
    assert page.status_code == 503
    assert "Chưa kết nối được cơ sở dữ liệu" in page.text
