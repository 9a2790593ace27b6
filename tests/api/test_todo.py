"""What waits for whom ("Việc cần làm"), through the API and the pages, on SQLite and PostgreSQL:
each role's queues hold the steps it owes, oldest first, with their counts; the header of every
page shows the count; a leader clears their queue from its page; and the Vietnamese page has no
English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.settings import SettingsError
from bootstrap import Settings
from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Role
from domain.shared.clock import CITY_TIMEZONE
from readmodels.todo import OFFICE_QUERIES, Asked, Windows
from tests.api.conftest import PASSWORD_HASH, USERS, Api, api_on
from tests.api.test_pages import visitor

LEADER = "leader.chutich"
OTHER_LEADER = "leader.pct1"
OFFICE = "office.vp"
OFFICER = "so-ct.canbo"
RECEPTION = "so-ct.tiepdan"
HEAD = "so-ct.thutruong"


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API and pages on each backend, with a second leader signed in."""
    for built in api_on(request.param, tmp_path):
        built.app.create_user(
            username=OTHER_LEADER,
            display_name=OTHER_LEADER,
            role=Role.LEADER,
            unit=None,
            password_hash=PASSWORD_HASH,
            actor=SYSTEM_ACTOR,
            request_id="setup",
        )
        built.tokens[OTHER_LEADER] = ""
        built.sign_in_again()
        yield built


def on(api: Api, day: date, hour: int = 10) -> None:
    """The clock at ``hour`` city time on ``day``, everyone signed in afresh."""
    api.clock.set(datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE))
    api.sign_in_again()


def path(reference: str) -> str:
    return "/api/directives/" + reference.replace("/", "~")


def ok(api: Api, url: str, who: str | Role, body: dict[str, Any] | None = None) -> Any:
    answer = api.post(url, who, body or {})
    assert answer.status_code in (200, 201), (url, answer.text)
    return answer.json


def issued(
    api: Api, reference: str, deadline: str | None = "2024-06-30", by: str = LEADER, **more: Any
) -> str:
    body = {"reference": reference, "title": f"Nhiệm vụ {reference}", "lead_unit": "SO-CT"}
    if deadline:
        body["deadline"] = deadline
    ok(api, "/api/directives", by, {**body, **more})
    return reference


def acknowledged(api: Api, reference: str, **more: Any) -> str:
    issued(api, reference, **more)
    ok(api, path(reference) + "/acknowledgement", OFFICER)
    return reference


def todo(api: Api, who: str | Role) -> dict[str, Any]:
    answer = api.get("/api/me/todo", who)
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json
    return document


def queue(document: dict[str, Any], kind: str) -> tuple[int, list[str]]:
    (found,) = [q for q in document["queues"] if q["kind"] == kind]
    return found["count"], [i["reference"] for i in found["items"]]


def header_count(page: str) -> int:
    found = re.search(r'id="nav-todo">[^<]*\(<span id="todo-count">(\d+)</span>\)', page)
    assert found, "the header shows the count of what waits"
    return int(found[1])


# --- a leader ----------------------------------------------------------------------------------


def leader_waits(api: Api) -> None:
    """Two completion reports (on 10 and 6 April) and an extension request (the second, on 8
    April) on the chairman's directives; a completion report on another leader's."""
    for reference in ("1/UBND", "2/UBND", "3/UBND"):
        acknowledged(api, reference)
    acknowledged(api, "9/UBND", by=OTHER_LEADER)
    on(api, date(2024, 4, 1))
    ok(api, path("3/UBND") + "/extension-requests", OFFICER,
       {"new_deadline": "2024-07-31", "reason": "Chờ số liệu"})  # fmt: skip
    ok(api, path("3/UBND") + "/extension-requests/1/decision", LEADER,
       {"decision": "deny", "note": "Không đủ căn cứ"})  # fmt: skip
    on(api, date(2024, 4, 6))
    ok(api, path("2/UBND") + "/completion-report", OFFICER, {"summary": "Xong"})
    ok(api, path("9/UBND") + "/completion-report", OFFICER, {"summary": "Xong"})
    on(api, date(2024, 4, 8))
    ok(api, path("3/UBND") + "/extension-requests", OFFICER,
       {"new_deadline": "2024-08-31", "reason": "Chờ số liệu quý II"})  # fmt: skip
    on(api, date(2024, 4, 10))
    ok(api, path("1/UBND") + "/completion-report", OFFICER, {"summary": "Xong"})
    on(api, date(2024, 4, 12))


def test_a_leader_s_queue_holds_the_reports_and_requests_on_their_directives_oldest_first(
    api: Api,
) -> None:
    leader_waits(api)
    document = todo(api, LEADER)
    assert (document["role"], document["count"], document["today"]) == ("leader", 3, "2024-04-12")
    assert queue(document, "decide_completion") == (2, ["2/UBND", "1/UBND"])
    assert queue(document, "decide_extension") == (1, ["3/UBND"])
    (completions,) = [q for q in document["queues"] if q["kind"] == "decide_completion"]
    assert [(i["since"], i["days_waiting"]) for i in completions["items"]] == [
        ("2024-04-06", 6),
        ("2024-04-10", 2),
    ]
    (extensions,) = [q for q in document["queues"] if q["kind"] == "decide_extension"]
    (request,) = extensions["items"]
    # The second request: its number is the one the decision takes, its day the day it was made.
    assert (request["number"], request["since"]) == (2, "2024-04-08")
    assert request["deadline"] == "2024-06-30"
    assert api.services.view is not None
    assert document["position"] == api.services.view.position()
    other = todo(api, OTHER_LEADER)
    assert queue(other, "decide_completion") == (1, ["9/UBND"])
    assert queue(other, "decide_extension") == (0, [])


def test_a_leader_clears_their_queue_from_its_page_and_the_header_counts_down(api: Api) -> None:
    leader_waits(api)
    leader = visitor(api, LEADER)
    assert header_count(leader.get("/dashboard").text) == 3
    page = leader.get("/todo")
    assert page.status_code == 200
    assert header_count(page.text) == 3
    for reference, action in (
        ("2/UBND", "decide_completion"),
        ("3/UBND", "decide_extension"),
        ("1/UBND", "decide_completion"),
    ):
        item = re.search(rf'data-reference="{re.escape(reference)}".*?</li>', page.text, re.S)
        assert item, f"{reference} is in the queue"
        target, form = form_in(item[0])
        assert target == "/directives/" + reference.replace("/", "~") + f"/{action}"
        posted = leader.post(target, form)
        assert posted.status_code == 303, posted.text
        assert posted.headers["location"] == f"/todo?done={action}"
        page = leader.get(posted.headers["location"])
        assert f'data-reference="{reference}"' not in page.text
        assert 'id="done"' in page.text
    assert header_count(page.text) == 0
    assert 'id="todo-empty"' in page.text
    assert todo(api, LEADER)["count"] == 0
    assert api.get(path("3/UBND"), LEADER).json["deadline"] == "2024-08-31"


def form_in(html: str) -> tuple[str, dict[str, str]]:
    """The form of a queue's item as a browser sends it: its hidden fields and its ticked box
    (the form token is the visitor's own)."""
    found = re.search(r'<form method="post" action="([^"]+)"', html)
    assert found, "the item has a form"
    shown = r'<input type="(?:hidden|checkbox)" name="(\w+)" value="([^"]*)"'
    fields = dict(re.findall(shown, html))
    fields.pop("csrf", None)
    return found[1], fields


# --- the Office --------------------------------------------------------------------------------


def test_the_office_s_queue_holds_the_overdue_not_reminded_for_7_days_and_answers_of_7_days(
    api: Api,
) -> None:
    for reference, deadline in (
        ("11/UBND", "2024-03-20"),  # overdue, never reminded
        ("12/UBND", "2024-03-15"),  # overdue, reminded 2 days ago
        ("13/UBND", "2024-03-10"),  # overdue, reminded 10 days ago
        ("14/UBND", "2024-05-30"),  # not yet due
    ):
        acknowledged(api, reference, deadline=deadline)
    on(api, date(2024, 3, 31))
    ok(api, path("13/UBND") + "/reminders", OFFICE, {"message": "Đề nghị khẩn trương"})
    ok(api, path("11/UBND") + "/explanation-requests", LEADER, {"question": "Vì sao chậm?"})
    ok(api, path("12/UBND") + "/explanation-requests", LEADER, {"question": "Vì sao chậm?"})
    ok(api, path("11/UBND") + "/explanation-requests/1/answer", OFFICER, {"answer": "Chờ vốn"})
    on(api, date(2024, 4, 8))
    ok(api, path("12/UBND") + "/reminders", OFFICE, {"message": "Đề nghị khẩn trương"})
    ok(api, path("12/UBND") + "/explanation-requests/1/answer", OFFICER, {"answer": "Chờ đất"})
    on(api, date(2024, 4, 10))
    document = todo(api, OFFICE)
    assert queue(document, "remind") == (2, ["13/UBND", "11/UBND"])  # the longest overdue first
    assert queue(document, "read_explanation") == (1, ["12/UBND"])  # the 31 March answer is old
    assert document["count"] == 3
    office = visitor(api, OFFICE)
    assert header_count(office.get("/directives").text) == 3
    ok(api, path("11/UBND") + "/reminders", OFFICE, {"message": "Lần hai"})
    assert queue(todo(api, OFFICE), "remind") == (1, ["13/UBND"])
    # A shorter window: the reminder of 8 April is two days old, so 12/UBND waits again; the
    # answers of 8 April are out of it.
    assert api.services.view is not None
    shorter = Asked(date(2024, 4, 10), windows=Windows(quiet_days=1))
    remind, answered = api.services.view.todo.queues(OFFICE_QUERIES, shorter)
    assert [i.reference for i in remind.items] == ["13/UBND", "12/UBND"]
    assert (answered.count, answered.items) == (0, [])


def test_the_windows_are_settings_of_whole_days() -> None:
    assert Settings.from_env({}).todo_windows == Windows(quiet_days=7, progress_days=14)
    given = Settings.from_env({"THUCTHI_TODO_QUIET_DAYS": "3", "THUCTHI_TODO_PROGRESS_DAYS": "30"})
    assert given.todo_windows == Windows(quiet_days=3, progress_days=30)
    for text in ("-1", "2.5", "400", "bảy"):
        with pytest.raises(SettingsError):
            Settings.from_env({"THUCTHI_TODO_QUIET_DAYS": text})


# --- a department officer ----------------------------------------------------------------------


def test_a_department_officer_s_queue_is_what_their_unit_owes_as_lead(api: Api) -> None:
    issued(api, "21/UBND")  # to acknowledge
    acknowledged(api, "22/UBND")  # progress: none since 4 March
    acknowledged(api, "23/UBND")  # progress reported lately
    acknowledged(api, "24/UBND")  # an explanation requested
    issued(api, "25/UBND", lead_unit="SO-TC", coordinating_units=["SO-CT"])  # coordinates only
    on(api, date(2024, 3, 15))
    ok(api, path("24/UBND") + "/explanation-requests", LEADER, {"question": "Vì sao chậm?"})
    on(api, date(2024, 3, 20))
    ok(api, path("23/UBND") + "/progress-reports", OFFICER, {"percent": 40, "narrative": "Dở"})
    on(api, date(2024, 3, 25))
    document = todo(api, OFFICER)
    assert queue(document, "acknowledge") == (1, ["21/UBND"])
    assert queue(document, "report_progress") == (1, ["22/UBND"])
    assert queue(document, "answer_explanation") == (1, ["24/UBND"])
    assert document["count"] == 3
    (asked,) = next(q for q in document["queues"] if q["kind"] == "answer_explanation")["items"]
    assert asked["since"] == "2024-03-15"
    assert todo(api, "so-tc.canbo")["count"] == 1  # SO-TC leads 25/UBND: to acknowledge
    officer = visitor(api, OFFICER)
    page = officer.get("/todo").text
    assert header_count(page) == 3
    posted = officer.post("/directives/21~UBND/acknowledge", {"next": "/todo"})
    assert posted.headers["location"] == "/todo?done=acknowledge"
    assert queue(todo(api, OFFICER), "acknowledge") == (0, [])


# --- the petitions' desk -----------------------------------------------------------------------


AN = {"full_name": "Nguyễn Văn An", "id_number": "079085001234", "address": "12 Lê Lợi"}
COMPLAINT = "Khiếu nại Quyết định số 123/QĐ-UBND về việc thu hồi đất tại thửa 45, tờ bản đồ 12."
PETITION = {"agency": USERS[Role.RECEPTION][1], "content": COMPLAINT, "petitioners": [AN]}


def test_the_petitions_desk_sees_its_due_steps_reception_head_and_handling_officer(
    api: Api,
) -> None:
    receipts = [ok(api, "/api/petitions", RECEPTION, PETITION)["receipt"] for _ in range(3)]
    classify = {"kind": "complaint", "field": "land", "competence": "ours"}
    ok(api, f"/api/petitions/{receipts[1]}/classify", RECEPTION, classify)
    ok(api, f"/api/petitions/{receipts[2]}/classify", RECEPTION, classify)
    ok(api, f"/api/petitions/{receipts[2]}/accept", HEAD, {"handler": OFFICER})
    assert queue(todo(api, RECEPTION), "classify") == (1, [receipts[0]])
    head = todo(api, HEAD)
    assert queue(head, "decide") == (1, [receipts[1]])
    assert queue(head, "resolve") == (1, [receipts[2]])
    assert queue(todo(api, OFFICER), "handle") == (1, [receipts[2]])
    assert queue(todo(api, "so-tc.canbo"), "handle") == (0, [])  # another agency's officer
    desk = visitor(api, HEAD)
    page = desk.get("/todo").text
    assert header_count(page) == 2
    assert f'href="/petitions/{receipts[1]}"' in page


# --- who owes nothing, and the words -----------------------------------------------------------


@pytest.mark.parametrize("who", [Role.INSPECTOR, Role.ADMIN])
def test_the_inspector_and_the_administrator_owe_no_step_and_have_no_count(
    api: Api, who: Role
) -> None:
    issued(api, "31/UBND")
    document = todo(api, who)
    assert (document["count"], document["queues"]) == (0, [])
    page = visitor(api, USERS[who][0]).get("/todo").text
    assert 'id="nav-todo"' not in page


def test_the_vietnamese_queue_page_has_no_english_and_the_english_one_no_vietnamese(
    api: Api,
) -> None:
    leader_waits(api)
    leader = visitor(api, LEADER)
    vietnamese = text_of(leader.get("/todo").text)
    for word in ("Accept", "Grant", "waiting", "To do", "reported", "Completion", "Extension"):
        assert word not in vietnamese
    assert "Việc cần làm ( 3 )" in vietnamese
    english = text_of(leader.get("/todo?lang=en").text)
    assert "To do ( 3 )" in english
    for word in ("Nghiệm thu", "gia hạn", "Việc cần làm", "đã chờ"):
        assert word not in english


def text_of(page: str) -> str:
    """What a reader sees: the tags gone, the spaces made one."""
    shown = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown))
