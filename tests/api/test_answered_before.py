"""The oversight answers sent from in front of Falcon are the answers Falcon sends."""

from __future__ import annotations

import pytest

from api.fastpath import AnswerCache, AnsweredBefore
from domain.shared.actors import Role
from tests.api.conftest import COORDINATOR, Api
from tests.api.test_api import issue

QUESTIONS = [
    ("/api/oversight", ""),
    ("/api/oversight", "as_of=2024-03-25"),
    ("/api/oversight", "as_of=2024-03-25&basis=original&due_soon_days=5"),
    ("/api/oversight", "unit=SO-TC&urgency=urgent"),
    ("/api/oversight/index", "as_of=2024-03-25"),
    ("/api/oversight/late", "as_of=2024-03-25&limit=5"),
    ("/api/oversight/due-soon", "as_of=2024-03-18&window=3"),
]
ASKERS = [Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.DEPARTMENT, COORDINATOR[0]]


def front(api: Api) -> AnsweredBefore:
    app = api.client.app
    assert isinstance(app, AnsweredBefore)
    return app


@pytest.fixture
def with_directives(api: Api) -> Api:
    issue(api, deadline="2024-03-10")
    issue(api, "2/UBND-VX", lead_unit="SO-TC", coordinating_units=[], deadline="2024-03-19")
    return api


@pytest.mark.parametrize(("path", "query"), QUESTIONS)
def test_an_answer_asked_again_comes_from_in_front_of_falcon_and_is_the_same(
    with_directives: Api, path: str, query: str
) -> None:
    api = with_directives
    for asker in ASKERS:
        headers = api.headers(asker, **{"X-Request-Id": f"first-{asker}"})
        front(api).oversight.answers = AnswerCache()  # so that Falcon makes the first answer
        before = front(api).served
        first = api.client.simulate_get(path, query_string=query, headers=headers)
        made_by_falcon = front(api).served == before
        headers["X-Request-Id"] = f"again-{asker}"
        again = api.client.simulate_get(path, query_string=query, headers=headers)
        if first.status_code != 200:  # refused: Falcon's problem, every time
            assert (again.status_code, again.json) == (first.status_code, first.json)
            assert front(api).served == before
            continue
        assert made_by_falcon
        assert front(api).served == before + 1
        assert again.content == first.content
        assert first.headers.pop("x-request-id") == f"first-{asker}"
        assert again.headers.pop("x-request-id") == f"again-{asker}"
        assert again.headers == first.headers


def test_a_department_is_sent_only_its_own_figures_from_in_front_too(with_directives: Api) -> None:
    api = with_directives
    for _ in range(2):
        own = api.get("/api/oversight", Role.DEPARTMENT).json
        theirs = api.get("/api/oversight", COORDINATOR[0]).json
        assert set(own["units"]) == {"SO-CT"}
        assert set(theirs["units"]) == {"SO-TC"}
    assert front(api).served == 2


def test_refusals_and_new_positions_go_to_falcon(with_directives: Api) -> None:
    api = with_directives
    first = api.get("/api/oversight", Role.LEADER).json
    served = front(api).served
    assert api.client.simulate_get("/api/oversight").status_code == 401
    bad = {"Authorization": "Bearer leader.chutich~not-the-token"}
    assert api.client.simulate_get("/api/oversight", headers=bad).status_code == 401
    assert api.get("/api/oversight/index", Role.DEPARTMENT).status_code == 403
    # An administrator's question has the leader's key, and its answer is cached: still refused.
    assert api.get("/api/oversight", Role.ADMIN).status_code == 403
    head = api.client.simulate_head("/api/oversight", headers=api.headers(Role.LEADER))
    assert head.status_code == 405
    assert front(api).served == served
    issue(api, "3/UBND-VX")  # the log moves: the next answer is made afresh, by Falcon
    assert api.get("/api/oversight", Role.LEADER).json["position"] > first["position"]
    assert front(api).served == served


def test_answers_from_in_front_are_counted_and_logged(with_directives: Api) -> None:
    api = with_directives
    for _ in range(3):
        assert api.get("/api/oversight/late", Role.OFFICE).status_code == 200
    metrics = api.get("/metrics", Role.ADMIN).text
    counter = 'thucthi_http_requests_total{route="/api/oversight/late",method="GET",status="200"} 3'
    assert counter in metrics
    assert front(api).served == 2
