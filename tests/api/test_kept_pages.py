"""Pages made at a log position are kept and sent again until the read models move on, as the
API's oversight answers are (issue 27, item 9): counted in read-model queries, never in time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from api.fastpath import AnsweredBefore
from api.web.session import FORM_TOKEN_MARK
from domain.shared.actors import Role
from tests.api.conftest import Api
from tests.api.test_api import issue
from tests.api.test_pages import visitor


def front(api: Api) -> AnsweredBefore:
    app = api.client.app
    assert isinstance(app, AnsweredBefore)
    return app


def counted(
    monkeypatch: pytest.MonkeyPatch,
    api: Api,
    names: tuple[str, ...] = ("summary", "late", "issuers"),
) -> dict[str, int]:
    """How many times the pages asked the read models each of these queries."""
    view = api.services.view
    assert view is not None
    calls = dict.fromkeys(names, 0)
    for name in calls:
        real: Callable[..., Any] = getattr(view, name)

        def counting(
            *args: Any, _real: Callable[..., Any] = real, _name: str = name, **kw: Any
        ) -> Any:
            calls[_name] += 1
            return _real(*args, **kw)

        monkeypatch.setattr(view, name, counting)
    return calls


def test_the_dashboard_asked_again_at_the_same_position_reads_nothing_again(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(api, deadline="2024-03-05")
    api.clock.set(api.clock.now() + timedelta(days=10))  # overdue: the late list has a row
    api.sign_in_again()
    calls = counted(monkeypatch, api)
    leader = visitor(api, "leader.chutich")
    first = leader.get("/dashboard")
    assert first.status_code == 200
    # One summary serves the figures and the index alike.
    assert calls == {"summary": 1, "late": 1, "issuers": 1}
    served = front(api).served
    again = leader.get("/dashboard")
    assert again.content == first.content
    assert calls == {"summary": 1, "late": 1, "issuers": 1}
    assert front(api).served == served + 1  # sent from in front of Falcon
    # Another reader at the same position: the figures are shared, the page is their own.
    office = visitor(api, "office.vp").get("/dashboard")
    assert calls["summary"] == 1
    assert "office.vp" in office.text
    # A new event moves the read models: the next dashboard is made afresh.
    assert (
        api.post("/api/directives/1234~UBND-VX/acknowledgement", Role.DEPARTMENT, {}).status_code
        == 200
    )
    leader.get("/dashboard")
    assert calls["summary"] == 2


def test_a_kept_page_carries_each_sessions_own_form_token(api: Api) -> None:
    issue(api)
    one, other = visitor(api, "leader.chutich"), visitor(api, "leader.chutich")
    pages = [v.get("/dashboard").text for v in (one, other, one, other)]
    tokens = [re.findall(r'name="csrf" value="([^"]*)"', page) for page in pages]
    assert all(t and len(set(t)) == 1 for t in tokens)
    assert tokens[0] == tokens[2] != tokens[1] == tokens[3]
    assert all(FORM_TOKEN_MARK not in page for page in pages)
    # The token works: the kept page's sign-out form signs out.
    assert one.post("/sign-out", {"csrf": tokens[0][0]}).status_code == 303


def test_a_page_sent_from_in_front_of_falcon_has_falcons_headers(api: Api) -> None:
    issue(api)
    leader = visitor(api, "leader.chutich")
    served = front(api).served
    first = leader.get("/dashboard")
    again = leader.get("/dashboard")
    assert front(api).served == served + 1
    for answer in (first, again):
        answer.headers.pop("x-request-id")
    assert again.headers == first.headers
    assert again.content == first.content


def test_a_directive_page_is_kept_until_the_log_moves(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(api)
    calls = counted(monkeypatch, api, ("board",))
    leader = visitor(api, "leader.chutich")
    page = "/directives/1234~UBND-VX"
    first = leader.get(page).text
    assert leader.get(page).text == first
    assert calls == {"board": 1}
    acknowledged = api.post("/api/directives/1234~UBND-VX/acknowledgement", Role.DEPARTMENT, {})
    assert acknowledged.status_code == 200
    assert leader.get(page).text != first  # acknowledged since: made again
    assert calls == {"board": 2}


def test_pages_are_kept_per_reader_and_refused_readers_are_refused_every_time(api: Api) -> None:
    issue(api)
    assert visitor(api, "leader.chutich").get("/dashboard").status_code == 200
    department = visitor(api, "so-ct.canbo")
    for _ in range(2):
        answer = department.get("/dashboard")
        assert answer.status_code == 303  # sent to its unit's page, not the leader's dashboard
    anonymous = visitor(api)
    assert anonymous.get("/dashboard").status_code == 303  # to the sign-in page
