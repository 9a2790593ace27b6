"""The list of directives through the API and the page: every page reached with the true total,
sorted by each column both ways, narrowed by each filter, as of an earlier day, and only what a
department sees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.accounts.account import user_id
from domain.shared.actors import Role
from readmodels.model import SORTS
from tests.api.conftest import COORDINATOR, OUTSIDER, Api, api_on
from tests.api.test_pages import visitor

# (reference, title, lead unit, coordinators, deadline, urgency, issuer)
DIRECTIVES = [
    ("1/DS", "Chợ truyền thống Tân Bình", "SO-CT", ["SO-TC"], "2024-03-10", "urgent", None),
    ("2/DS", "Bãi xe Quận 1", "SO-TC", ["SO-CT"], "2024-03-20", "normal", None),
    ("3/DS", "Ăn uống an toàn", "SO-CT", [], None, "immediate", None),
    ("4/DS", "Đường Tân Bình", "UBND-Q1", ["SO-CT", "SO-TC"], "2024-04-01", "very_urgent", None),
    ("5/DS", "Zê-rô rác thải", "SO-TC", [], "2024-03-05", "normal", "leader.pct1"),
    ("6/DS", "Kế hoạch 2024", "SO-CT", [], "2024-05-01", "urgent", "leader.pct1"),
    ("7/DS", "Báo cáo quý", "SO-CT", [], "2024-03-08", "normal", None),
]


@pytest.fixture(params=["sqlite", "postgres"])
def listed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """Seven directives issued on 2024-03-04 in several states: 1/DS awaits acceptance, 2/DS
    has an extension request awaiting a decision, 5/DS was completed, 6/DS is 60 % done, 7/DS
    withdrawn; the clock is then moved to 2024-03-12, past 1/DS's deadline."""
    for api in api_on(request.param, tmp_path):
        for reference, title, lead, coordinators, deadline, urgency, issuer in DIRECTIVES:
            api.clock.advance(timedelta(hours=1))
            body: dict[str, Any] = {
                "reference": reference,
                "title": title,
                "content": "",
                "lead_unit": lead,
                "coordinating_units": coordinators,
                "urgency": urgency,
            }
            if deadline:
                body["deadline"] = deadline
            body["issuer"] = issuer or "leader.chutich"
            assert api.post("/api/directives", Role.OFFICE, body).status_code == 201
        officer_ct, officer_tc = Role.DEPARTMENT, COORDINATOR[0]
        steps = [
            ("1~DS/acknowledgement", officer_ct, {}),
            ("1~DS/completion-report", officer_ct, {"summary": "Xong"}),
            ("2~DS/acknowledgement", officer_tc, {}),
            (
                "2~DS/extension-requests",
                officer_tc,
                {"new_deadline": "2024-04-20", "reason": "Chờ"},
            ),
            ("5~DS/acknowledgement", officer_tc, {}),
            ("5~DS/completion-report", officer_tc, {"summary": "Xong"}),
            ("5~DS/completion-report/decision", Role.LEADER, {"decision": "accept"}),
            ("7~DS/withdrawal", Role.LEADER, {"reason": "Không còn cần"}),
            ("6~DS/acknowledgement", officer_ct, {}),
            ("6~DS/progress-reports", officer_ct, {"percent": 60, "narrative": ""}),
        ]
        for path, who, step in steps:
            answer = api.post(f"/api/directives/{path}", who, step)
            assert answer.status_code in {200, 201}, (path, answer.text)
        api.clock.advance(timedelta(days=8))
        api.sign_in_again()
        yield api


def walk(
    api: Api, who: str | Role, limit: int = 2, **params: str
) -> tuple[list[dict[str, Any]], set[int]]:
    """Every item of the list, page after page by ``next``, and the totals the pages named."""
    items: list[dict[str, Any]] = []
    totals: set[int] = set()
    after: str | None = None
    while True:
        asked = {**params, "limit": str(limit), **({"after": after} if after else {})}
        answer = api.get("/api/directives", who, **asked)
        assert answer.status_code == 200, answer.text
        items += answer.json["items"]
        totals.add(answer.json["total"])
        after = answer.json["next"]
        if after is None:
            return items, totals


def refs(items: list[dict[str, Any]]) -> list[str]:
    return [i["reference"] for i in items]


def test_every_page_is_reached_by_next_with_the_true_total(listed: Api) -> None:
    """Seven directives two a page: four pages, each naming seven in all, each shown once,
    newest first; a token made for another order is refused."""
    items, totals = walk(listed, Role.LEADER)
    assert refs(items) == [f"{n}/DS" for n in range(7, 0, -1)]
    assert totals == {7}
    first = listed.get("/api/directives", Role.LEADER, limit="2").json
    refused = listed.get("/api/directives", Role.LEADER, after=first["next"], sort="title")
    assert (refused.status_code, refused.json["type"].rsplit(":", 1)[-1]) == (
        422,
        "invalid-cursor",
    )


def sort_value(item: dict[str, Any], sort: str) -> Any:
    rank = {"normal": 0, "urgent": 1, "very_urgent": 2, "immediate": 3}
    status = {"issued": 0, "in_progress": 1, "completion_reported": 2, "completed": 3}
    return {
        "issued": item["reference"],  # issued one hour apart, in the order of their numbers
        "reference": item["reference"],
        "title": item["title"],
        "lead_unit": item["lead_unit"],
        "deadline": item["deadline"] or "9999-12-31",
        "urgency": rank[item["urgency"]],
        "progress": item["percent"],
        "status": status.get(item["status"], 4),
    }[sort]


@pytest.mark.parametrize("sort", [s for s in SORTS if s not in {"relevance", "category"}])
def test_the_list_sorts_by_each_column_both_ways(listed: Api, sort: str) -> None:
    """Each column, ascending and descending, over every page: the values in order, ties by
    the directive's id, the same directives."""
    for order in ("asc", "desc"):
        items, _ = walk(listed, Role.LEADER, 3, sort=sort, order=order)
        values = [sort_value(i, sort) for i in items]
        assert values == sorted(values, reverse=order == "desc"), (sort, order)
        assert sorted(refs(items)) == [f"{n}/DS" for n in range(1, 8)]


def test_the_category_sort_puts_the_overdue_first_and_the_withdrawn_last(listed: Api) -> None:
    """As of 2024-03-12: overdue (1/DS awaits acceptance past its deadline), then in progress
    (ties in the directive's id order), without deadline, completed on time, withdrawn; the
    other way round when descending."""
    items, _ = walk(listed, Role.LEADER, 3, sort="category")
    found = refs(items)
    assert (found[0], set(found[1:4]), found[4:]) == (
        "1/DS",
        {"2/DS", "4/DS", "6/DS"},
        ["3/DS", "5/DS", "7/DS"],
    )
    backwards, _ = walk(listed, Role.LEADER, 3, sort="category", order="desc")
    assert refs(backwards) == found[::-1]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "awaiting_acceptance"}, ["1/DS"]),
        ({"status": "extension_pending"}, ["2/DS"]),
        ({"status": "completed"}, ["5/DS"]),
        ({"status": "withdrawn"}, ["7/DS"]),
        ({"status": "issued"}, ["3/DS", "4/DS"]),
        ({"status": "open"}, ["1/DS", "2/DS", "3/DS", "4/DS", "6/DS"]),
        ({"due_from": "2024-03-08", "due_to": "2024-03-20"}, ["1/DS", "2/DS", "7/DS"]),
        ({"deadline_to": "2024-03-08"}, ["5/DS", "7/DS"]),
        ({"unit": "SO-CT"}, ["1/DS", "3/DS", "6/DS", "7/DS"]),
        ({"unit": "SO-CT", "role": "coordinating"}, ["2/DS", "4/DS"]),
        ({"issuer": "leader.pct1"}, ["5/DS", "6/DS"]),
        ({"urgency": "normal"}, ["2/DS", "5/DS", "7/DS"]),
        ({"category": "overdue"}, ["1/DS"]),
        ({"q": "tan binh"}, ["1/DS", "4/DS"]),
        ({"q": "tan binh", "unit": "UBND-Q1"}, ["4/DS"]),
    ],
)
def test_each_filter_narrows_the_list_in_the_database(
    listed: Api, params: dict[str, str], expected: list[str]
) -> None:
    """Status (awaiting acceptance and extension pending among them), deadline range, lead or
    coordinating unit, issuer, urgency, category and search, each with its true total."""
    items, totals = walk(listed, Role.LEADER, 1, sort="reference", order="asc", **params)
    assert refs(items) == expected
    assert totals == {len(expected)}


def test_a_search_is_best_match_first_and_relevance_needs_words(listed: Api) -> None:
    """With words and no sort, the best match comes first; sorting by relevance without words
    is refused, in both languages."""
    answer = listed.get("/api/directives", Role.LEADER, q="chợ tân bình")
    assert refs(answer.json["items"]) == ["1/DS"]
    refused = listed.get("/api/directives", Role.LEADER, sort="relevance")
    assert refused.status_code == 422


def test_a_department_pages_through_only_what_its_unit_leads_or_coordinates(listed: Api) -> None:
    """SO-TC's officer: the two it leads, the two it coordinates; UBND-Q1's: its one."""
    items, totals = walk(listed, COORDINATOR[0], 2, sort="reference", order="asc")
    assert refs(items) == ["1/DS", "2/DS", "4/DS", "5/DS"]
    assert totals == {4}
    items, _ = walk(listed, OUTSIDER[0], 2)
    assert refs(items) == ["4/DS"]


def test_an_earlier_days_list_is_walked_at_one_log_position(listed: Api) -> None:
    """As of 2024-03-04, every page is read at the position the first page named, and shows
    the directives as they stood then, whatever is recorded during the walk."""
    asked = {"as_of": "2024-03-04", "limit": "2", "sort": "reference", "order": "asc"}
    first = listed.get("/api/directives", Role.LEADER, **asked).json
    done = listed.post("/api/directives/6~DS/completion-report", Role.DEPARTMENT, {"summary": "X"})
    assert done.status_code == 201
    items, totals, after = first["items"], {first["total"]}, first["next"]
    while after:
        page = listed.get("/api/directives", Role.LEADER, **asked, after=after).json
        assert page["position"] == first["position"]
        items += page["items"]
        totals.add(page["total"])
        after = page["next"]
    assert refs(items) == [f"{n}/DS" for n in range(1, 8)]
    assert totals == {7}
    assert {i["reference"]: i["status"] for i in items}["6/DS"] == "in_progress"


# --- the page -----------------------------------------------------------------------------------


def rows_of(html: str) -> list[str]:
    return re.findall(r'<td class="list-title">.*?<a class="ref" href="[^"]+">([^<]+)</a>', html)


def next_link(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" id="list-next"', html)
    return None if found is None else found[1].replace("&amp;", "&")


def test_the_page_shows_the_true_total_and_leads_through_every_page(
    listed: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three a page: "7 văn bản", a "Trang sau" link to each next page, every directive shown
    once; the Vietnamese page has no English word of the pager, the English one has its own."""
    monkeypatch.setattr("api.web.pages.directives.LIST_SHOWN", 3)
    leader = visitor(listed, "leader.chutich")
    html = leader.get("/directives?sort=reference&order=asc").text
    assert 'id="result-count" role="status">7 văn bản' in html
    shown = rows_of(html)
    assert "Trang sau" in html
    assert "Next page" not in html
    assert "Về trang đầu" not in html
    link = next_link(html)
    while link is not None:
        html = leader.get(link).text
        assert "7 văn bản" in html
        assert "Về trang đầu" in html
        shown += rows_of(html)
        link = next_link(html)
    assert shown == [f"{n}/DS" for n in range(1, 8)]
    english = leader.get("/directives?lang=en").text
    assert "Next page" in english
    assert "Trang sau" not in english


def test_the_page_sorts_filters_and_keeps_the_earlier_day_while_paging(
    listed: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A column's link sorts by it (again: the other way); the form's filters narrow the list;
    an earlier day's list pages at that day, its links keeping ``as_of``."""
    monkeypatch.setattr("api.web.pages.directives.LIST_SHOWN", 2)
    leader = visitor(listed, "leader.chutich")
    html = leader.get("/directives?sort=deadline&order=asc").text
    assert rows_of(html) == ["5/DS", "7/DS"]
    link = re.search(r'<a href="([^"]+)" aria-current="true" class="sorted">', html)
    assert link is not None
    assert rows_of(leader.get(link[1].replace("&amp;", "&")).text) == ["3/DS", "6/DS"]
    waiting = leader.get("/directives?status=awaiting_acceptance").text
    assert rows_of(waiting) == ["1/DS"]
    assert "1 văn bản" in waiting
    coordinating = leader.get("/directives?unit=SO-CT&role=coordinating&sort=reference&order=asc")
    assert rows_of(coordinating.text) == ["2/DS", "4/DS"]
    earlier = leader.get("/directives?as_of=2024-03-04&sort=reference&order=asc").text
    link_after = next_link(earlier)
    assert link_after is not None
    assert "as_of=2024-03-04" in link_after
    assert rows_of(leader.get(link_after).text) == ["3/DS", "4/DS"]
    assert leader.get("/directives?sort=sideways").status_code == 422


# --- saved views --------------------------------------------------------------------------------


def test_a_person_saves_a_view_and_opens_it_again_through_the_api(listed: Api) -> None:
    """Saved under a name, the question comes back checked and in one order, with where to ask
    it; it answers the same list; saved again under that name it is replaced; deleted, gone;
    each step an event on the person's account; another person's views are their own."""
    saved = listed.post(
        "/api/me/views",
        Role.LEADER,
        {"name": "Chờ nghiệm thu", "query": "sort=deadline&status=awaiting_acceptance&after=x"},
    )
    assert saved.status_code == 201, saved.text
    (view,) = saved.json["items"]
    assert view["query"] == "status=awaiting_acceptance&sort=deadline"
    asked = listed.client.simulate_get(view["api"], headers=listed.headers(Role.LEADER)).json
    assert refs(asked["items"]) == ["1/DS"]
    again = listed.post(
        "/api/me/views", Role.LEADER, {"name": "Chờ nghiệm thu", "query": "urgency=normal"}
    )
    assert [v["query"] for v in again.json["items"]] == ["urgency=normal"]
    assert listed.get("/api/me/views", Role.OFFICE).json["items"] == []
    gone = listed.client.simulate_delete(
        "/api/me/views/Chờ nghiệm thu", headers=listed.headers(Role.LEADER)
    )
    assert (gone.status_code, gone.json["items"]) == (200, [])
    missing = listed.client.simulate_delete(
        "/api/me/views/Chờ nghiệm thu", headers=listed.headers(Role.LEADER)
    )
    assert missing.status_code == 404
    events = [type(e).__name__ for e in listed.app.events.get(user_id("leader.chutich"))]
    assert events[-3:] == ["ViewSaved", "ViewSaved", "ViewDeleted"]


def test_a_view_with_a_parameter_the_list_does_not_take_is_refused(listed: Api) -> None:
    """A view's question is the list's: an unknown parameter, or a value the list refuses, is
    422 and nothing is saved."""
    for query in ("colour=red", "status=sleeping", "due_from=tomorrow"):
        refused = listed.post("/api/me/views", Role.LEADER, {"name": "x", "query": query})
        assert refused.status_code == 422, query
    assert listed.get("/api/me/views", Role.LEADER).json["items"] == []


def test_saved_views_are_offered_on_the_page_and_saved_and_deleted_there(listed: Api) -> None:
    """The page's form saves what is shown under a name; the view is then a link on the list
    page that asks the same question; its button deletes it."""
    leader = visitor(listed, "leader.chutich")
    saved = leader.post(
        "/directives/views", {"name": "Việc quá hạn", "query": "category=overdue&sort=deadline"}
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/directives?category=overdue&sort=deadline"
    page = leader.get("/directives").text
    link = re.search(r'<li><a href="([^"]+)">Việc quá hạn</a>', page)
    assert link is not None
    assert rows_of(leader.get(link[1].replace("&amp;", "&")).text) == ["1/DS"]
    shown = leader.get("/directives?status=open&sort=reference").text
    assert 'name="query" value="status=open&amp;sort=reference"' in shown
    deleted = leader.post("/directives/views/delete", {"name": "Việc quá hạn"})
    assert deleted.status_code == 303
    assert "Việc quá hạn" not in leader.get("/directives").text
