"""A worker on PostgreSQL learns what changed from notifications, not from a query per request:
an account, the unit registry or a directive it holds is read again only after a later version of
it was saved, and the oversight answers follow the position the projection NOTIFYs; a revoked
token is still refused at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import falcon.testing
import pytest

import api.writes
from adapters.database import open_application, parse_database_url
from adapters.freshness import Freshness
from api.app import AppConfig, create_app
from api.auth import hash_password
from bootstrap import Process, Services, Settings, open_services
from domain.accounts.account import UserAccount
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.commands import IssueDirective, SendReminder
from domain.directives.directive import directive_id
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from projections.oversight import OversightProjection, catch_up
from readmodels.open import open_view
from tests.api.conftest import PASSWORD
from tests.conftest import START

pytestmark = pytest.mark.postgres
LEADER = "leader.chutich"


def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the notification never arrived"
        time.sleep(0.005)


@contextmanager
def another_process(postgres_url: str) -> Iterator[Thucthi]:
    """The application as another worker process has it, on the same database."""
    with other_worker(postgres_url) as services:
        yield services.app


@contextmanager
def other_worker(postgres_url: str) -> Iterator[Services]:
    """Another worker process's services (not listening: it hears nothing of this one)."""
    services = open_services(
        Settings(database_url=postgres_url),
        role=Process.WORKER,
        clock=SimulatedClock(START),
        create_tables=False,
        listen=False,
    )
    try:
        yield services
    finally:
        services.close()


def issue(app: Thucthi, reference: str) -> None:
    app.issue(
        IssueDirective(
            reference=reference, title="Kiểm tra", content="Nội dung", lead_unit="SO-CT"
        ),
        actor=Actor(user_id=LEADER, role=Role.LEADER),
        request_id="test",
    )


@pytest.fixture
def worker(postgres_url: str) -> Iterator[tuple[falcon.testing.TestClient, Thucthi, Freshness]]:
    """An API worker that listens, as ``thucthi serve``'s do, with one leader signed up."""
    services = open_services(
        Settings(database_url=postgres_url), role=Process.WORKER, clock=SimulatedClock(START)
    )
    app, freshness = services.app, services.freshness
    assert freshness is not None
    app.open_unit_registry()
    app.create_user(
        username=LEADER,
        display_name=LEADER,
        role=Role.LEADER,
        unit=None,
        password_hash=hash_password(PASSWORD),
        actor=SYSTEM_ACTOR,
        request_id="setup",
    )
    assert freshness.wait_live(10), "the worker never started listening"
    client = falcon.testing.TestClient(create_app(AppConfig(services=services)))
    try:
        yield client, app, freshness
    finally:
        services.close()


def sign_in(client: falcon.testing.TestClient) -> str:
    signed = client.simulate_post("/api/session", json={"username": LEADER, "password": PASSWORD})
    assert signed.status_code == 201, signed.text
    token: str = signed.json["token"]
    return token


def count_reads(app: Thucthi, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every read of an aggregate's events or state from the store, from now on."""
    reads: list[object] = []
    events, repository = app.events.get, app.repository.get

    def counted_events(*args: Any, **kwargs: Any) -> Any:
        reads.append(("events", args))
        return events(*args, **kwargs)

    def counted_state(*args: Any, **kwargs: Any) -> Any:
        reads.append(("state", args))
        return repository(*args, **kwargs)

    monkeypatch.setattr(app.events, "get", counted_events)
    monkeypatch.setattr(app.repository, "get", counted_state)
    return reads


def test_an_unchanged_account_is_not_read_again_while_other_aggregates_are_stored(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness],
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, app, freshness = worker
    token = sign_in(client)

    def ask() -> falcon.testing.Result:
        return client.simulate_get("/api/oversight", headers=bearer(token))

    assert ask().status_code == 200  # the account and the answer are now known to this worker
    mark = freshness.mark()
    assert mark is not None
    with another_process(postgres_url) as other:
        issue(other, "2/UBND-TH")
    eventually(lambda: not freshness.unchanged(directive_id("2/UBND-TH"), 0, mark))
    reads = count_reads(app, monkeypatch)
    for _ in range(5):
        assert ask().status_code == 200
    assert reads == []


def test_a_token_revoked_by_another_worker_is_refused_as_soon_as_it_is_stored(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness], postgres_url: str
) -> None:
    client, _, _ = worker
    token = sign_in(client)
    assert client.simulate_get("/api/me", headers=bearer(token)).status_code == 200
    with other_worker(postgres_url) as other:
        other_client = falcon.testing.TestClient(create_app(AppConfig(services=other)))
        signed_out = other_client.simulate_delete("/api/session", headers=bearer(token))
        assert signed_out.status_code in (200, 204), signed_out.text
    eventually(lambda: client.simulate_get("/api/me", headers=bearer(token)).status_code == 401)


def test_a_command_on_a_directive_this_worker_saved_last_reads_nothing_from_the_store(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, app, _ = worker
    leader = Actor(user_id=LEADER, role=Role.LEADER)
    issue(app, "3/UBND-TH")
    app.execute(
        SendReminder(message="1"), "3/UBND-TH", actor=leader, request_id="r"
    )  # read, remembered
    reads = count_reads(app, monkeypatch)
    for n in range(3):
        app.execute(SendReminder(message=str(n)), "3/UBND-TH", actor=leader, request_id="r")
    assert reads == []
    assert app.get_directive("3/UBND-TH").reminders == 4


def test_a_directive_another_process_saved_is_read_again_before_this_workers_next_command(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness],
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, app, freshness = worker
    leader = Actor(user_id=LEADER, role=Role.LEADER)
    issue(app, "4/UBND-TH")
    app.execute(SendReminder(message="mine"), "4/UBND-TH", actor=leader, request_id="r")
    mark = freshness.mark()
    assert mark is not None
    with another_process(postgres_url) as other:
        other.execute(SendReminder(message="theirs"), "4/UBND-TH", actor=leader, request_id="r")
    eventually(lambda: not freshness.unchanged(directive_id("4/UBND-TH"), 2, mark))
    saves: list[object] = []
    monkeypatch.setattr(app.writer, "_contend", saves.append)  # only when a save conflicts
    reads = count_reads(app, monkeypatch)
    app.execute(SendReminder(message="mine again"), "4/UBND-TH", actor=leader, request_id="r")
    kinds = [kind for kind, _ in cast("list[tuple[str, object]]", reads)]
    assert kinds[0] == "state"  # the repository, which brings its copy up to date
    assert kinds.count("state") == 1
    assert saves == []  # it was read before the command, not found out by a conflict
    assert app.get_directive("4/UBND-TH").reminders == 3


def test_a_save_of_more_aggregates_than_a_notification_can_name_vouches_for_nothing_heard_before(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness],
) -> None:
    _, app, freshness = worker
    issue(app, "5/UBND-TH")
    mark = freshness.mark()
    assert mark is not None
    held = directive_id("5/UBND-TH")
    assert freshness.unchanged(held, 1, mark)
    accounts = [  # one transaction: 300 ids do not fit in a notification's 8,000 bytes
        UserAccount.create(
            username=f"user{n}",
            display_name="U",
            role=Role.OFFICE,
            unit=None,
            actor=SYSTEM_ACTOR,
            request_id="r",
            at=app.clock.now(),
        )
        for n in range(300)
    ]
    app.save(*accounts)
    eventually(lambda: freshness.mark() != mark)
    assert not freshness.unchanged(held, 1, mark)
    fresh = freshness.mark()
    assert fresh is not None
    assert freshness.unchanged(held, 1, fresh)


def test_oversight_answers_follow_the_position_the_projection_notifies(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness], postgres_url: str
) -> None:
    client, _, freshness = worker
    token = sign_in(client)
    before = client.simulate_get("/api/oversight", headers=bearer(token)).json
    # Another process records a directive and another one projects it, as in production.
    with another_process(postgres_url) as other:
        issue(other, "1/UBND-TH")
        catch_up(other, OversightProjection(open_view(other, create=False)))
        head = other.max_notification_id()
    eventually(lambda: freshness.position() == head)
    after = client.simulate_get("/api/oversight", headers=bearer(token)).json
    assert after["position"] == head > before["position"]
    assert after["city"]["total"] == before["city"]["total"] + 1


DIRECTIVE = {
    "reference": "7/UBND-TH",
    "title": "Kiểm tra",
    "content": "Nội dung",
    "lead_unit": "SO-CT",
    "deadline": "2024-03-20",
}


def test_a_command_answers_once_the_follower_has_projected_it_without_projecting_itself(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness],
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _, freshness = worker
    token = sign_in(client)
    inline: list[object] = []
    monkeypatch.setattr(api.writes, "catch_up", lambda *a, **k: inline.append(a))
    follower_app = open_application(
        parse_database_url(postgres_url), clock=SimulatedClock(START), create_tables=False
    )
    projection = OversightProjection(open_view(follower_app, create=False))
    stop = threading.Event()

    def follow() -> None:  # as `thucthi projections run` does, in its own process
        while not stop.is_set():
            catch_up(follower_app, projection)
            stop.wait(0.01)

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    try:
        issued = client.simulate_post("/api/directives", json=DIRECTIVE, headers=bearer(token))
        assert issued.status_code == 201, issued.text
        assert freshness.position() == follower_app.max_notification_id()
        summary = client.simulate_get("/api/oversight", headers=bearer(token)).json
        assert summary["city"]["total"] == 1  # read-your-writes held
        assert inline == []  # the worker waited for the follower instead of projecting
    finally:
        stop.set()
        follower.join(5)
        follower_app.close()


def test_with_no_follower_a_command_projects_itself_and_the_next_ones_do_not_wait(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _, freshness = worker
    token = sign_in(client)
    waits: list[float] = []
    original = freshness.wait_for

    def counted(position: int, timeout: float) -> bool:
        waits.append(timeout)
        return original(position, 0.05)

    monkeypatch.setattr(freshness, "wait_for", counted)
    for n in (1, 2):
        body = {**DIRECTIVE, "reference": f"{n}/UBND-VX"}
        issued = client.simulate_post("/api/directives", json=body, headers=bearer(token))
        assert issued.status_code == 201, issued.text
        summary = client.simulate_get("/api/oversight", headers=bearer(token)).json
        assert summary["city"]["total"] == n  # read-your-writes held, projected by the worker
    assert len(waits) == 1  # after the first wait failed, the second command did not wait


def test_waiting_for_a_position_ends_when_it_is_notified_or_after_the_timeout(
    worker: tuple[falcon.testing.TestClient, Thucthi, Freshness], postgres_url: str
) -> None:
    _, app, freshness = worker
    head = app.max_notification_id()
    assert not freshness.wait_for(head + 1, 0.05)  # nothing projected it
    with another_process(postgres_url) as other:
        done: list[bool] = []
        waiter = threading.Thread(target=lambda: done.append(freshness.wait_for(head, 10)))
        waiter.start()
        catch_up(other, OversightProjection(open_view(other, create=False)))
        waiter.join(10)
        assert done == [True]


def test_a_listener_that_cannot_connect_claims_to_know_nothing() -> None:
    freshness = Freshness("host=127.0.0.1 port=1 dbname=none connect_timeout=1").start(
        saved_channel="thucthi_events_saved_x",
        view_channel="oversight_projected_x",
        read_position=lambda: 0,
    )
    try:
        assert not freshness.wait_live(0.5)
        assert freshness.mark() is None
        assert freshness.position() is None
        assert not freshness.wait_for(0, 10)  # at once: there is nothing to wait for
    finally:
        freshness.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
