"""Item 11 of issue 22: sign-in limits hold across workers, per account and per client address,
and the sign-in form carries a form token (no login CSRF).

Two application instances on one database stand in for two server workers."""

from __future__ import annotations

import itertools
import re
import threading
from datetime import datetime, timedelta
from urllib.parse import urlencode

import falcon.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.database import open_application, parse_database_url
from api.web.session import SESSION_COOKIE
from domain.accounts.account import UserAccount
from domain.accounts.credentials import Attempts
from tests.adversarial.signed_in_workers import (
    FORM,
    INSPECTOR,
    LEADER,
    PASSWORD,
    Worker,
    shared_url,
    workers,
)
from tests.conftest import START

__all__ = ["shared_url"]  # the fixture, imported for the tests below

ACCOUNT_LIMIT = 10  # docs/api.md
ADDRESS_LIMIT = 20


def attempt(worker: Worker, username: str, password: str, address: str) -> int:
    answer = worker.client.simulate_post(
        "/api/session", json={"username": username, "password": password}, remote_addr=address
    )
    if answer.status_code == 429:
        assert int(answer.headers["retry-after"]) > 0
    return answer.status_code


def sign_ins(worker: Worker, username: str) -> int:
    """How many SignedIn events the account has."""
    events = [
        worker.app.mapper.to_domain_event(n)
        for n in worker.app.recorder.select_notifications(start=1, limit=100_000)
        if n.topic == "thucthi:UserAccount.SignedIn"
    ]
    return sum(
        1 for e in events if isinstance(e, UserAccount.SignedIn) and e.actor.user_id == username
    )


def test_wrong_passwords_for_one_account_are_limited_to_ten_across_workers(
    shared_url: str,
) -> None:
    """Twenty wrong passwords for one account, from twenty addresses, alternating between two
    workers: ten are refused as wrong, the other ten as too many, and then so is the right one."""
    with workers(shared_url) as (a, b):
        statuses = [attempt((a, b)[i % 2], LEADER, "sai", f"198.51.100.{i}") for i in range(20)]
        assert statuses == [401] * ACCOUNT_LIMIT + [429] * (20 - ACCOUNT_LIMIT)
        assert attempt(a, LEADER, PASSWORD, "203.0.113.9") == 429
        assert attempt(b, INSPECTOR, PASSWORD, "203.0.113.9") == 201  # another account is not


def test_one_address_trying_many_user_names_once_each_is_limited(shared_url: str) -> None:
    """Thirty user names tried once each from one address (password spraying), alternating
    between two workers: the address is refused after twenty failures, on both workers."""
    with workers(shared_url) as (a, b):
        statuses = [
            attempt((a, b)[i % 2], f"nguoi-dung-{i:02}", "Mat-khau-2024", "198.51.100.7")
            for i in range(30)
        ]
        assert statuses == [401] * ADDRESS_LIMIT + [429] * (30 - ADDRESS_LIMIT)
        assert attempt(a, LEADER, PASSWORD, "198.51.100.7") == 429
        assert attempt(b, LEADER, PASSWORD, "198.51.100.8") == 201  # another address is not


def test_wrong_passwords_sent_at_once_do_not_slip_past_the_limit(shared_url: str) -> None:
    """Twenty wrong passwords for one account sent at the same moment to two workers: exactly
    ten are checked, the others refused as too many."""
    with workers(shared_url) as (a, b):
        statuses: list[int] = []
        lock = threading.Lock()
        start = threading.Barrier(20)

        def one(i: int) -> None:
            start.wait()
            status = attempt((a, b)[i % 2], LEADER, "sai", f"198.51.100.{i}")
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [401] * ACCOUNT_LIMIT + [429] * (20 - ACCOUNT_LIMIT)


def test_successful_sign_ins_do_not_count_against_the_address_or_the_account(
    shared_url: str,
) -> None:
    """An office behind one address signs in thirty times over two workers: every sign-in
    succeeds, and a few wrong passwords among them do not stop the next right one."""
    with workers(shared_url) as (a, b):
        for i in range(30):
            assert attempt((a, b)[i % 2], LEADER, PASSWORD, "198.51.100.20") == 201
            if i % 10 == 0:
                assert attempt((a, b)[i % 2], LEADER, "sai", "198.51.100.20") == 401
        assert sign_ins(a, LEADER) == 30


def form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found is not None, "the sign-in form carries a form token"
    return found[1]


def cookies_of(page: falcon.testing.Result) -> str:
    """The Cookie header a browser sends back after this page."""
    return "; ".join(f"{k}={v.value}" for k, v in page.cookies.items())


def test_the_sign_in_form_without_its_form_token_signs_nobody_in(shared_url: str) -> None:
    """A sign-in form posted with no form token, or with another browser's, is refused: no
    session cookie is set and no sign-in is recorded (login CSRF)."""
    with workers(shared_url) as (a, b):
        fields = {"username": LEADER, "password": PASSWORD, "next": "/"}
        bare = b.client.simulate_post("/sign-in", body=urlencode(fields), headers=FORM)
        assert bare.status_code == 403
        assert SESSION_COOKIE not in bare.cookies

        theirs = a.client.simulate_get("/sign-in")  # the attacker's own browser
        mine = a.client.simulate_get("/sign-in")  # the victim's
        forged = b.client.simulate_post(
            "/sign-in",
            body=urlencode({**fields, "csrf": form_token(theirs.text)}),
            headers={
                **FORM,
                "Cookie": "; ".join(f"{k}={v.value}" for k, v in mine.cookies.items()),
            },
        )
        assert forged.status_code == 403
        assert SESSION_COOKIE not in forged.cookies
        assert sign_ins(a, LEADER) == 0


def test_the_sign_in_form_with_its_form_token_signs_in_on_any_worker(shared_url: str) -> None:
    """The form opened on one worker and sent to another signs in: the token needs no storage."""
    with workers(shared_url) as (a, b):
        page = a.client.simulate_get("/sign-in")
        assert page.status_code == 200
        cookies = "; ".join(f"{k}={v.value}" for k, v in page.cookies.items())
        fields = {
            "username": LEADER,
            "password": PASSWORD,
            "next": "/",
            "csrf": form_token(page.text),
        }
        signed = b.client.simulate_post(
            "/sign-in", body=urlencode(fields), headers={**FORM, "Cookie": cookies}
        )
        assert signed.status_code == 303, signed.text
        assert SESSION_COOKIE in signed.cookies
        assert sign_ins(a, LEADER) == 1


def test_the_stores_count_attempts_in_fixed_windows_as_a_plain_count_does(shared_url: str) -> None:
    """Attempts counted and taken back under a few keys, at random moments: the database's
    count and window end are always those of a plain fold of the same steps."""
    app = open_application(parse_database_url(shared_url), pool_size=1)
    window = timedelta(seconds=60)
    runs = itertools.count()
    try:
        store = app.credentials

        @settings(max_examples=30, deadline=None)
        @given(
            steps=st.lists(
                st.tuples(st.sampled_from("ab"), st.integers(0, 45), st.booleans()), max_size=25
            )
        )
        def check(steps: list[tuple[str, int, bool]]) -> None:
            run = next(runs)  # keys of their own: each example starts with none
            at = START
            plain: dict[str, tuple[int, datetime]] = {}
            for name, seconds, forgive in steps:
                at += timedelta(seconds=seconds)
                key = f"{run}:{name}"
                count, ends = plain.get(key, (0, at))
                if forgive:
                    store.forgive_attempt(key)
                    plain[key] = (max(count - 1, 0), ends)
                    continue
                count, ends = (1, at + window) if ends <= at else (count + 1, ends)
                plain[key] = (count, ends)
                assert store.count_attempt(key, at, window) == Attempts(count, ends)

        check()
    finally:
        app.close()
