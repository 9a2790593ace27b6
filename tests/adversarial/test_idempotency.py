"""Idempotency keys and read models that fail after the event is stored, on SQLite and
PostgreSQL: a stored command answers as a success, and one key never stores two events."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import orjson
import psycopg
import pytest

from domain.actors import Role
from domain.directive import Directive
from domain.errors import DirectiveNotFoundError
from tests.api.conftest import Api, make_api
from tests.api.test_pages import issue as issue_by_form
from tests.api.test_pages import page_of, visitor
from tests.postgres import fresh_schema, require_server

REF = "77/UBND-CRASH"
D = "/api/directives/77~UBND-CRASH"
BODY = orjson.dumps(
    {
        "reference": REF,
        "title": "Khắc phục sự cố máy chủ",
        "lead_unit": "SO-CT",
        "deadline": "2099-01-01",
    }
)


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'idem.db'}"
    else:
        with fresh_schema(require_server()) as given:
            yield given


@pytest.fixture
def api(url: str) -> Iterator[Api]:
    built, app = make_api(url)
    try:
        yield built
    finally:
        app.close()


def issued_events(api: Api, reference: str = REF) -> list[Directive.Event]:
    try:
        history = api.app.history(reference)
    except DirectiveNotFoundError:
        return []
    return [e for e in history if isinstance(e, Directive.Issued)]


# --- read models failing after the event is stored -----------------------------------------------


def failing_read_models(api: Api, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """From now on every write of the read models fails, as PostgreSQL's did on a NUL."""
    view = api.client.app.ctx.view  # type: ignore[attr-defined]
    error: Exception = (
        sqlite3.OperationalError("disk I/O error")
        if url.startswith("sqlite")
        else psycopg.errors.CharacterNotInRepertoire("invalid byte sequence for encoding")
    )

    def apply(*args: object) -> None:
        raise error

    monkeypatch.setattr(view, "apply", apply)


def test_a_command_stored_while_the_read_models_fail_answers_success_once_per_key(
    api: Api, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the read models cannot take an event in, the stored command still answers 201 with
    its position and says the read models are behind; three sends of one key store one event."""
    assert api.post("/api/directives", Role.LEADER, orjson.loads(BODY)).status_code == 201
    assert api.post(D + "/acknowledgement", Role.DEPARTMENT, {}).status_code == 200
    failing_read_models(api, monkeypatch, url)
    answers = [
        api.post(D + "/progress-reports", Role.DEPARTMENT, {"percent": 40}, Idempotency_Key="p-1")
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201], answers[0].text
    assert answers[0].headers["read-models"] == "behind"
    assert answers[0].json["position"] == api.app.max_notification_id()
    assert answers[0].json["percent"] == 40
    assert [a.headers.get("idempotent-replayed") for a in answers] == [None, "true", "true"]
    assert answers[1].json == answers[2].json == answers[0].json
    reports = [e for e in api.app.history(REF) if isinstance(e, Directive.ProgressReported)]
    assert len(reports) == 1
    plain = api.post(D + "/progress-reports", Role.DEPARTMENT, {"percent": 50})
    assert plain.status_code == 201, plain.text  # without a key too: never a 500


def test_a_form_command_stored_while_the_read_models_fail_is_not_a_server_error(
    api: Api, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages too: a directive issued through the form while the read models fail is stored
    once and the browser is sent on, not shown a server error."""
    leader = visitor(api, "leader.chutich")
    failing_read_models(api, monkeypatch, url)
    issued = issue_by_form(leader, reference=REF)
    assert issued.status_code == 303, issued.text
    assert issued.headers["location"] == page_of(REF) + "?done=issue"
    assert len(issued_events(api)) == 1
