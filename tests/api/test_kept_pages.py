"""Pages made at a log position are kept and sent again until the read models move on, as the
API's oversight answers are (issue 27, item 9): counted in read-model queries, never in time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from api.fastpath import AnsweredBefore, EachReaderEverySecond
from api.web.pages.base import Pages
from api.web.session import FORM_TOKEN_MARK
from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Role
from domain.shared.ordering import natural_key
from projections.notifications import Scheduler
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
    calls = counted(monkeypatch, api, ("current_rows",))
    leader = visitor(api, "leader.chutich")
    page = "/directives/1234~UBND-VX"
    first = leader.get(page).text
    assert leader.get(page).text == first
    assert calls == {"current_rows": 1}
    acknowledged = api.post("/api/directives/1234~UBND-VX/acknowledgement", Role.DEPARTMENT, {})
    assert acknowledged.status_code == 200
    projected = calls["current_rows"]  # the projection reads the rows it replaces too
    assert leader.get(page).text != first  # acknowledged since: made again
    assert calls == {"current_rows": projected + 1}


def test_pages_are_kept_per_reader_and_refused_readers_are_refused_every_time(api: Api) -> None:
    issue(api)
    assert visitor(api, "leader.chutich").get("/dashboard").status_code == 200
    department = visitor(api, "so-ct.canbo")
    for _ in range(2):
        answer = department.get("/dashboard")
        assert answer.status_code == 303  # sent to its unit's page, not the leader's dashboard
    anonymous = visitor(api)
    assert anonymous.get("/dashboard").status_code == 303  # to the sign-in page


def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates the pages render from now on, in order."""
    made: list[str] = []
    real = Pages.made

    def counting(self: Pages, req: Any, template: str, csrf: str, **values: Any) -> bytes:
        made.append(template)
        return real(self, req, template, csrf, **values)

    monkeypatch.setattr(Pages, "made", counting)
    return made


KEPT = {
    "leader.chutich": (
        "/directives",
        "/directives?status=open&sort=deadline",
        "/todo",
        "/notifications",
    ),
    "so-ct.canbo": ("/directives", "/todo", "/notifications"),
    "admin": ("/admin/users", "/admin/units", "/admin/users/so-ct.canbo"),
    "so-ct.tiepdan": ("/petitions/new", "/todo"),
}


def test_the_list_queues_notifications_forms_and_administration_are_kept_until_the_log_moves(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each asked again at the same position is the page made first, rendered once; those
    without a path parameter are sent from in front of Falcon; after an event each is made again
    and shows it."""
    issue(api)
    visitors = {user: visitor(api, user) for user in KEPT}
    made = rendered(monkeypatch)
    first = {}
    for user, paths in KEPT.items():
        for path in paths:
            page = visitors[user].get(path)
            assert page.status_code == 200, (user, path)
            first[user, path] = page.text
    assert len(made) == sum(len(paths) for paths in KEPT.values())
    served = front(api).served
    for (user, path), text in first.items():
        assert visitors[user].get(path).text == text, (user, path)
    assert len(made) == len(first)  # nothing rendered again
    assert front(api).served == served + len(first) - 1  # all but the account's page
    issue(api, reference="77/UBND-KT")
    for user, path in first:
        again = visitors[user].get(path).text
        if path.startswith("/directives") and user == "leader.chutich":
            assert "77/UBND-KT" in again
    assert len(made) == 2 * len(first)


def test_the_header_count_is_made_once_per_reader_and_position(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(api)
    view = api.services.view
    assert view is not None
    counts: list[int] = []
    real = view.todo.queues

    def counting(*args: Any, **kw: Any) -> Any:
        counts.append(kw.get("limit", args[2] if len(args) > 2 else -1))
        return real(*args, **kw)

    monkeypatch.setattr(view.todo, "queues", counting)
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    for path in ("/directives", "/directives?sort=title", "/notifications", "/dashboard"):
        assert leader.get(path).status_code == 200
    assert counts == [0]  # one count for every page the leader opened
    officer.get("/directives")
    officer.get("/notifications")
    assert counts == [0, 0]  # the officer's own
    acknowledged = api.post("/api/directives/1234~UBND-VX/acknowledgement", Role.DEPARTMENT, {})
    assert acknowledged.status_code == 200
    page = officer.get("/directives").text
    assert counts == [0, 0, 0]  # counted again at the new position
    assert 'id="todo-count">0<' in page  # acknowledged: nothing waits now


def test_the_list_in_the_api_is_kept_per_question_reader_and_position(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(api)
    calls = counted(monkeypatch, api, ("directive_page",))
    first = api.get("/api/directives", Role.LEADER)
    assert api.get("/api/directives", Role.LEADER).content == first.content
    assert calls == {"directive_page": 1}
    assert api.get("/api/directives", Role.OFFICE).content == first.content
    assert calls == {"directive_page": 1}  # the same question, the same list for the Office
    assert api.get("/api/directives", "ubnd-q1.canbo").json["items"] == []  # seen by a unit
    assert calls == {"directive_page": 2}
    assert api.get("/api/directives", Role.LEADER, limit="1").json["total"] == 1
    assert calls == {"directive_page": 3}
    issue(api, reference="77/UBND-KT")
    again = api.get("/api/directives", Role.LEADER).json
    assert {i["reference"] for i in again["items"]} == {"77/UBND-KT", "1234/UBND-VX"}
    assert again["position"] > first.json["position"]
    # A question refused is refused every time: nothing was kept for it.
    for _ in range(2):
        assert api.get("/api/directives", Role.LEADER, sort="nonsense").status_code == 422


def test_the_notifications_page_is_made_again_once_the_reader_is_told_something(
    api: Api,
) -> None:
    """The notices are kept beside the log: a scheduler's decision moves no log position, but
    the page is made again as soon as where the reader's notices stand is asked again (at most
    a second later: the page's clock is moved here)."""
    issue(api)
    kept = front(api).pages["/notifications"]
    assert isinstance(kept.beside, EachReaderEverySecond)
    seconds = [1000.0]
    kept.beside.clock = lambda: seconds[0]
    officer = visitor(api, "so-ct.canbo")
    before = officer.get("/notifications").text
    assert "1234/UBND-VX" not in before
    store = api.services.notifications
    assert store is not None
    assert Scheduler(api.app, store, sender=None, clock=api.clock).run_once().notices >= 1
    seconds[0] += 0.5
    assert officer.get("/notifications").text == before  # within the second: as it was
    seconds[0] += 1.0
    assert "1234/UBND-VX" in officer.get("/notifications").text


def test_an_account_s_pages_show_each_change_of_its_state_at_once(api: Api) -> None:
    """Disabled, enabled and disabled again: the account's page asked with the same question
    shows the state of the moment each time, and so does the list of accounts."""
    admin = visitor(api, "admin")
    page = "/admin/users/so-ct.canbo"
    for action, active in (("disable", "no"), ("enable", "yes"), ("disable", "no")):
        moved = admin.post(f"{page}/{action}", {"reason": "Chuyển công tác"})
        assert moved.status_code == 303, moved.text
        assert moved.headers["location"] == f"{page}?done={action}"
        shown = admin.get(moved.headers["location"]).text
        assert f'id="account-state" data-active="{active}"' in shown, action
        row = re.search(r'<tr data-username="so-ct.canbo">.*?</tr>', admin.get("/admin/users").text)
        assert row is not None
        assert ("Đang hoạt động" in row[0]) == (active == "yes"), action


def test_the_public_look_up_form_is_kept_for_everyone_not_signed_in_alike(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One page for every visitor without a session, with no form token in it; a signed-in
    reader's is their own, with theirs."""
    made = rendered(monkeypatch)
    one, other = visitor(api), visitor(api)
    for path in ("/tra-cuu", "/tra-cuu/2024-ABCDEF12"):
        first = one.get(path)
        assert first.status_code == 200
        assert other.get(path).content == first.content
        assert FORM_TOKEN_MARK not in first.text
    assert made == ["lookup.html", "lookup.html"]
    assert "2024-ABCDEF12" in other.get("/tra-cuu/2024-ABCDEF12").text
    reader = visitor(api, "leader.chutich")
    mine = reader.get("/tra-cuu").text
    assert f'name="csrf" value="{reader.csrf}"' in mine
    assert 'name="csrf" value=""' not in mine


def test_the_units_names_are_put_in_order_once_per_version_of_the_registry(api: Api) -> None:
    """Every page lists the units by name (``Pages.unit_names``): the same ordered names serve
    every page until a unit is added, and then include it in its place."""
    pages = Pages(api.app.unit_registry)
    first = pages.unit_names("vi")
    assert pages.unit_names("vi") is first
    assert pages.unit_names("en") is not first
    api.app.add_unit(
        code="UBND-P-AN-KHANH",
        name_vi="UBND phường An Khánh",
        name_en="An Khanh Ward People's Committee",
        parent="UBND-TP",
        actor=SYSTEM_ACTOR,
        request_id="unit",
    )
    after = pages.unit_names("vi")
    assert after is not first
    assert after["UBND-P-AN-KHANH"] == "UBND phường An Khánh"
    assert list(after.values()) == sorted(after.values(), key=natural_key)
