"""Item 10 of issue 22: a revoked token, or a disabled account's, runs no command once the
revocation has returned, in any worker, whatever that worker has heard; reads stop within the
bound docs/api.md states.

Two application instances on one database stand in for two server workers; on PostgreSQL each
listens to the change feed, as ``thucthi serve``'s workers do."""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from api import auth
from domain.accounts.account import UserAccount, user_id
from domain.directives.directive import Directive
from tests.adversarial.signed_in_workers import (
    ADMIN,
    INSPECTOR,
    LEADER,
    Worker,
    shared_url,
    workers,
)

__all__ = ["shared_url"]  # the fixture, imported for the tests below

DOCS = Path(__file__).parents[2] / "docs" / "api.md"
_numbers = itertools.count(1)


def issue(worker: Worker, token: str) -> tuple[int, str]:
    """Issue a directive of its own; its status and request id."""
    number = next(_numbers)
    request_id = f"cmd-{number}"
    answer = worker.post(
        "/api/directives",
        token,
        {"reference": f"{number}/UBND-TH", "title": "Kiểm tra", "lead_unit": "SO-CT"},
        **{"X-Request-Id": request_id},
    )
    return answer.status_code, request_id


def wait_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the commands stopped coming"
        time.sleep(0.01)


def stored_request_ids(worker: Worker, username: str) -> set[str]:
    """The request ids of every event the user is the actor of."""
    events = [
        worker.app.mapper.to_domain_event(n)
        for n in worker.app.recorder.select_notifications(start=1, limit=100_000)
        if n.topic == "thucthi:Directive.Issued"
    ]
    return {
        e.request_id
        for e in events
        if isinstance(e, Directive.Event) and e.actor.user_id == username
    }


def test_a_command_after_sign_out_is_refused_by_a_worker_that_has_not_heard_of_it(
    shared_url: str,
) -> None:
    """Once DELETE /api/session has returned on one worker, another worker that checked the token
    before and has heard nothing since refuses the next command with it and records nothing."""
    with workers(shared_url) as (a, b):
        token = a.sign_in(LEADER)
        assert b.get("/api/me", token).status_code == 200  # b has checked the token
        assert issue(b, token)[0] == 201
        with b.deaf():
            assert a.delete("/api/session", token).status_code == 204
            status, request_id = issue(b, token)
            assert status == 401
            assert b.post("/api/directives", token, {}).status_code == 401
        assert request_id not in stored_request_ids(a, LEADER)


def test_a_command_after_disabling_is_refused_by_a_worker_that_has_not_heard_of_it(
    shared_url: str,
) -> None:
    """Once an admin's disabling has returned on one worker, the disabled officer's next command
    on another worker is refused and records nothing, and the officer cannot sign in again."""
    with workers(shared_url) as (a, b):
        admin = a.sign_in(ADMIN)
        token = b.sign_in(LEADER)
        assert issue(b, token)[0] == 201
        with b.deaf():
            disabled = a.post(f"/api/users/{LEADER}/disabling", admin, {"reason": "Nghỉ việc"})
            assert disabled.status_code == 200, disabled.text
            status, request_id = issue(b, token)
            assert status == 401
            again = b.client.simulate_post(
                "/api/session", json={"username": LEADER, "password": "mat-khau-du-dai"}
            )
            assert again.status_code == 401
        assert request_id not in stored_request_ids(a, LEADER)


def test_reads_with_a_revoked_token_end_within_the_bound_the_api_documents(
    shared_url: str,
) -> None:
    """A worker that has heard nothing of a revocation refuses the token's reads, the oversight
    answers it keeps included, once the bound docs/api.md states has passed."""
    bound = auth.RECHECK_SECONDS
    assert re.search(rf"at most {bound:g} s", DOCS.read_text(encoding="utf-8")), "documented"
    with workers(shared_url) as (a, b):
        token = a.sign_in(INSPECTOR)
        assert b.get("/api/oversight", token).status_code == 200
        assert b.get("/api/oversight", token).status_code == 200  # now a kept answer
        with b.deaf():
            assert a.delete("/api/session", token).status_code == 204
            returned = time.monotonic()
            time.sleep(bound + 0.05)
            assert time.monotonic() - returned > bound
            assert b.get("/api/oversight", token).status_code == 401
            assert b.get("/api/me", token).status_code == 401


@pytest.mark.parametrize("how", ["sign-out", "disabling"])
def test_no_command_sent_after_a_revocation_returned_is_accepted_while_commands_keep_coming(
    shared_url: str, how: str
) -> None:
    """Threads on two workers keep sending commands with one token while it is revoked (or its
    account disabled) on the first: every command sent after the revocation returned is refused
    and none of them is stored."""
    with workers(shared_url) as (a, b):
        admin = a.sign_in(ADMIN)
        token = a.sign_in(LEADER)
        sent: list[tuple[float, int, str]] = []  # when sent, status, request id
        lock = threading.Lock()
        stop = threading.Event()

        def keep_sending(worker: Worker) -> None:
            while not stop.is_set():
                started = time.monotonic()
                status, request_id = issue(worker, token)
                with lock:
                    sent.append((started, status, request_id))

        threads = [threading.Thread(target=keep_sending, args=(w,)) for w in (a, b, b)]
        for thread in threads:
            thread.start()
        try:
            wait_until(lambda: sum(1 for s in sent if s[1] == 201) >= 6)
            if how == "sign-out":
                assert a.delete("/api/session", token).status_code == 204
            else:
                answer = a.post(f"/api/users/{LEADER}/disabling", admin, {"reason": "Nghỉ việc"})
                assert answer.status_code == 200
            returned = time.monotonic()
            wait_until(lambda: sum(1 for s in sent if s[0] > returned) >= 30)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        after = [s for s in sent if s[0] > returned]
        accepted = [s for s in after if s[1] != 401]
        assert accepted == [], f"{len(accepted)} of {len(after)} accepted after the revocation"
        assert not {s[2] for s in after} & stored_request_ids(a, LEADER)
        # The refusals were of a token that had worked: some commands before were stored.
        assert {s[2] for s in sent if s[1] == 201} <= stored_request_ids(a, LEADER)
        account: UserAccount = a.app.repository.get(user_id(LEADER))
        assert account.version >= 2
