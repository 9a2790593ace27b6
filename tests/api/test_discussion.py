"""The discussion of a directive through the API and the pages (issue 27, item 5): a comment and
its reply posted with an idempotency key, the thread in the directive's document now and as of
a version, told in the history and the audit trail, refusals as problems in both languages, the
page's thread and form in both languages, and the other participants told in the app. On SQLite
and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.shared.actors import Role
from projections.audit import AuditProjection
from projections.notifications import Scheduler
from readmodels.open import open_trail
from tests.api.conftest import COORDINATOR, OUTSIDER, Api, api_on
from tests.api.test_pages import alert, page_of, visitor
from tests.refusals import english_words

REF = "27/UBND-VX"
D = "/api/directives/27~UBND-VX"
LEAD = "so-ct.canbo"


@pytest.fixture(params=["sqlite", "postgres"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    yield from api_on(request.param, tmp_path)


def issue(api: Api) -> None:
    body = {
        "reference": REF,
        "title": "Rà soát chợ truyền thống",
        "lead_unit": "SO-CT",
        "coordinating_units": ["SO-TC"],
        "deadline": "2024-04-30",
    }
    assert api.post("/api/directives", Role.LEADER, body).status_code == 201


def comment(api: Api, who: str | Role, body: dict[str, object], key: str) -> dict[str, object]:
    answer = api.post(D + "/comments", who, body, **{"Idempotency-Key": key})
    assert answer.status_code == 201, answer.text
    document: dict[str, object] = answer.json
    return document


def test_a_comment_and_its_reply_are_the_directives_thread_now_and_as_of_a_version(
    site: Api,
) -> None:
    issue(site)
    first = comment(site, Role.DEPARTMENT, {"text": "Đề nghị Sở Tài chính cho số liệu"}, "k-1")
    assert first["version"] == 2
    again = site.post(
        D + "/comments",
        Role.DEPARTMENT,
        {"text": "Đề nghị Sở Tài chính cho số liệu"},
        **{"Idempotency-Key": "k-1"},
    )
    assert (again.status_code, again.headers["idempotent-replayed"]) == (201, "true")
    assert again.json == first
    reply = comment(site, COORDINATOR[0], {"text": "Sẽ gửi thứ Sáu", "reply_to": 1}, "k-2")
    thread = reply["comments"]
    assert isinstance(thread, list)
    assert [(c["number"], c["author"], c["unit"], c["reply_to"]) for c in thread] == [
        (1, LEAD, "SO-CT", None),
        (2, COORDINATOR[0], "SO-TC", 1),
    ]
    assert thread[1]["role"] == "department"
    assert thread[1]["text"] == "Sẽ gửi thứ Sáu"
    now = site.get(D, COORDINATOR[0]).json
    assert now["comments"] == thread
    assert [c["number"] for c in site.get(D, Role.INSPECTOR, version="2").json["comments"]] == [1]
    assert site.get(D, Role.LEADER, version="1").json["comments"] == []
    told = [i for i in site.get(D + "/history", Role.OFFICE).json["items"] if i["version"] > 1]
    assert [(i["event"], i["actor"]["user_id"], i["vi"], i["en"]) for i in told] == [
        ("Commented", LEAD, "Nêu ý kiến thảo luận số 1", "Commented (comment 1)"),
        (
            "Commented",
            COORDINATOR[0],
            "Trả lời ý kiến số 1 (ý kiến số 2)",
            "Replied to comment 1 (comment 2)",
        ),
    ]
    AuditProjection(site.app, open_trail(site.app, create=False), signer=None).catch_up()
    trail = site.get("/api/audit", Role.INSPECTOR, action="Commented").json["items"]
    assert sorted(e["vi"] for e in trail) == [
        "Sở Công Thương nêu ý kiến thảo luận số 1",
        "Sở Tài chính trả lời ý kiến số 1 (ý kiến số 2)",
    ]


def test_the_office_and_the_leader_take_part_and_the_inspector_reads_only(site: Api) -> None:
    issue(site)
    comment(site, Role.OFFICE, {"text": "Văn phòng theo dõi"}, "k-1")
    comment(site, Role.LEADER, {"text": "Khẩn trương", "reply_to": 1}, "k-2")
    thread = site.get(D, Role.OFFICE).json["comments"]
    assert [(c["role"], c["reply_to"]) for c in thread] == [("office", None), ("leader", 1)]
    refused = site.post(D + "/comments", Role.INSPECTOR, {"text": "Ý kiến"})
    assert (refused.status_code, refused.json["type"]) == (
        403,
        "urn:thucthi:problem:not-permitted",
    )
    assert refused.json["vi"] == "Trang hoặc thao tác này không dành cho vai trò Thanh tra."
    assert len(site.get(D, Role.INSPECTOR).json["comments"]) == 2


def test_refusals_are_problems_said_in_both_languages_and_record_nothing(site: Api) -> None:
    issue(site)
    no_such = site.post(D + "/comments", Role.LEADER, {"text": "Trả lời", "reply_to": 4})
    assert no_such.status_code == 422
    assert no_such.headers["content-type"] == "application/problem+json"
    assert no_such.json["type"] == "urn:thucthi:problem:no-such-comment"
    assert no_such.json["vi"] == f"Văn bản {REF} không có ý kiến số 4 để trả lời."
    assert no_such.json["en"] == f"{REF} has no comment 4 to reply to."
    control = site.post(D + "/comments", Role.DEPARTMENT, {"text": "a\u0007b"})
    assert (control.status_code, control.json["type"]) == (422, "urn:thucthi:problem:invalid-text")
    assert control.json["vi"] == (
        "Nội dung ý kiến: Có ký tự điều khiển (U+0007) ở vị trí 2, không được phép."
    )
    assert control.json["en"] == (
        "Comment: Holds a control character (U+0007) at character 2, which is not allowed."
    )
    empty = site.post(D + "/comments", Role.DEPARTMENT, {"text": ""})
    assert (empty.status_code, empty.json["errors"][0]["field"]) == (422, "text")
    unknown = site.post(D + "/comments", Role.DEPARTMENT, {"text": "x", "author": "ai"})
    assert unknown.status_code == 422
    outsider = site.post(D + "/comments", OUTSIDER[0], {"text": "Ý kiến"})
    assert (outsider.status_code, outsider.json["type"]) == (
        404,
        "urn:thucthi:problem:directive-not-found",
    )
    assert site.get(D, Role.LEADER).json["comments"] == []
    withdrawn = site.post(D + "/withdrawal", Role.LEADER, {"reason": "Trùng lặp"})
    assert withdrawn.status_code == 200
    closed = site.post(D + "/comments", Role.OFFICE, {"text": "Ý kiến"})
    assert (closed.status_code, closed.json["type"]) == (
        409,
        "urn:thucthi:problem:directive-closed",
    )
    assert closed.json["vi"] == f"Văn bản {REF} đã bị thu hồi: chỉ còn xem được."
    assert site.get(D, Role.LEADER).json["version"] == 2


def discussion(html: str) -> str:
    found = re.search(r'<section [^>]*id="discussion">(.*?)</section>', html, re.S)
    assert found, "the page has its discussion"
    return found[1]


def test_the_page_shows_the_thread_and_its_form_in_the_readers_language(site: Api) -> None:
    issue(site)
    lead, coordinator = visitor(site, LEAD), visitor(site, COORDINATOR[0])
    page = page_of(REF)
    assert "Chưa có ý kiến nào." in discussion(lead.get(page).text)
    posted = lead.post(page + "/comment", {"text": "Đề nghị cho số liệu\r\nqua thư"})
    assert posted.status_code == 303
    assert posted.headers["location"].endswith("?done=comment")
    shown = coordinator.get(page).text
    said = discussion(shown)
    assert 'id="comment-1"' in said
    assert "Đề nghị cho số liệu\nqua thư" in said
    assert "Sở Công Thương" in said
    assert '<option value="1">Ý kiến số 1 của so-ct.canbo</option>' in said
    assert not english_words(re.sub(r"<[^>]+>", " ", said).replace("so-ct.canbo", ""))
    replied = coordinator.post(page + "/comment", {"text": "Sẽ gửi", "reply_to": "1"})
    assert replied.status_code == 303
    coordinator.get("/language?to=en&back=/")
    english = discussion(coordinator.get(page).text)
    assert "Discussion" in english
    assert 'data-reply-to="1"' in english
    assert "in reply to comment 1" in english
    assert "Post the comment" in english
    inspector = discussion(visitor(site, "thanhtra").get(page).text)
    assert 'id="comment-2"' in inspector
    assert 'id="form-comment"' not in inspector
    assert "vai trò của bạn chỉ xem" in inspector


def test_a_refused_comment_is_explained_in_its_form_and_the_text_is_kept(site: Api) -> None:
    issue(site)
    leader = visitor(site, "leader.chutich")
    refused = leader.post(page_of(REF) + "/comment", {"text": "Giữ lại", "reply_to": "3"})
    assert refused.status_code == 422
    said = discussion(refused.text)
    assert 'data-code="no-such-comment"' in said
    assert "không có ý kiến số 3 để trả lời" in alert(said + "</div>")
    assert ">Giữ lại</textarea>" in said


def test_the_other_participants_are_told_of_a_comment_in_the_app(site: Api) -> None:
    issue(site)
    store = site.services.notifications
    assert store is not None
    Scheduler(site.app, store, sender=None, clock=site.clock).run_once()  # the issue's notices
    comment(site, Role.DEPARTMENT, {"text": "Đề nghị cho số liệu"}, "k-1")
    Scheduler(site.app, store, sender=None, clock=site.clock).run_once()

    def commented(who: str | Role) -> list[dict[str, str]]:
        items = site.get("/api/notifications", who).json["notifications"]
        return [n["text"] for n in items if n["kind"] == "commented"]

    assert commented(COORDINATOR[0]) == [
        {
            "vi": "Ý kiến thảo luận số 1 của so-ct.canbo: Đề nghị cho số liệu",
            "en": "Comment 1 by so-ct.canbo: Đề nghị cho số liệu",
        }
    ]
    assert len(commented(Role.OFFICE)) == 1
    assert commented(Role.DEPARTMENT) == []  # the author
    assert commented(OUTSIDER[0]) == []
    assert commented(Role.LEADER) == []
