"""The panel of the same matter on a case's page (issue 26): right after a repeat is registered,
the earlier filing at another agency is proposed with its agency, day, status, result, score and
reasons in words, and nothing of who filed it; marking it and undoing the mark, each with a
reason, run through the page's forms, and the case's timeline tells both; a refusal is said in
the form it came from, in the reader's language; the head answers a repeat with the earlier
result. Through the WSGI app on SQLite."""

from __future__ import annotations

import re
from html import unescape

import falcon.testing

from api.web.i18n import MATCH_REASONS, MESSAGES
from domain.application import SYSTEM_ACTOR
from domain.petitions.commands import (
    Accept,
    Classify,
    PetitionerGiven,
    PublishResult,
    ReceivePetition,
    Resolve,
)
from domain.petitions.petition import Competence, Field, Kind, Verdict
from domain.shared.actors import Actor, Role
from projections.oversight import OversightProjection, catch_up
from tests.api.conftest import PASSWORD_HASH, USERS, Api
from tests.api.test_pages import Visitor, visitor
from tests.api.test_petition_desk_pages import forms_on, receipt_of, text_of

RECEPTION = USERS[Role.RECEPTION][0]
HEAD = USERS[Role.AGENCY_HEAD][0]
HANDLER = USERS[Role.DEPARTMENT][0]
Q1_RECEPTION = Actor("ubnd-q1.tiepdan", Role.RECEPTION, "UBND-Q1")
Q1_HEAD = Actor("ubnd-q1.thutruong", Role.AGENCY_HEAD, "UBND-Q1")
# The earlier filing, at District 1, by the same person, who then lived elsewhere.
EARLIER_ADDRESS = "88 Nguyễn Huệ, phường Sài Gòn"
EARLIER = PetitionerGiven(
    full_name="Nguyễn Văn An", id_number="079085001234", address=EARLIER_ADDRESS
)
ABOUT = (
    "Kiến nghị sửa chữa cống thoát nước bị vỡ trước nhà số 12 Lê Lợi, phường Bến Thành, gây "
    "ngập mỗi khi mưa, đề nghị cơ quan có thẩm quyền xử lý dứt điểm."
)
RESULT = "Đã giao Ban quản lý dự án sửa chữa cống trong tháng 4."
REPEAT = {
    "petitioners-0-full_name": "Nguyễn Văn An",
    "petitioners-0-id_number": "079085001234",
    "petitioners-0-address": "12 Lê Lợi, phường Bến Thành",
    "content": ABOUT,
    "channel": "in_person",
    "received_on": "2024-03-04",
}


# Other matters the city received, so that the content's words are weighed among many.
OTHERS = (
    "Phản ánh quán karaoke tại số 21 đường Phạm Thế Hiển, Phường 4, Quận 8 mở loa đến 1 giờ.",
    "Đề nghị xem xét trợ cấp xã hội hằng tháng cho người cao tuổi không có lương hưu.",
    "Phản ánh công trình số 9 Quang Trung, quận Gò Vấp xây vượt phép lên 5 tầng.",
    "Khiếu nại Quyết định số 77/QĐ-UBND về việc thu hồi đất tại thửa 12, tờ bản đồ 3.",
)


def earlier_resolved(api: Api) -> str:
    """District 1 received the matter, answered it and published the answer, among others."""
    desk = api.app.petitions
    for n, text in enumerate(OTHERS):
        someone = PetitionerGiven(full_name=f"Người gửi {n}", address=f"{n + 1} Hai Bà Trưng")
        desk.receive(
            ReceivePetition(agency="UBND-Q1", petitioners=(someone,), content=text),
            actor=Q1_RECEPTION,
            request_id="setup",
        )
    receipt, _ = desk.receive(
        ReceivePetition(
            agency="UBND-Q1", petitioners=(EARLIER,), content=ABOUT, subject="Cống 12 Lê Lợi"
        ),
        actor=Q1_RECEPTION,
        request_id="setup",
    )
    for command, actor in (
        (Classify(kind=Kind.PROPOSAL, field=Field.OTHER, competence=Competence.OURS), Q1_RECEPTION),
        (Accept(handler="ubnd-q1.canbo"), Q1_HEAD),
        (Resolve(verdict=Verdict.ANSWERED, summary=RESULT), Q1_HEAD),
        (PublishResult(), Q1_HEAD),
    ):
        desk.execute(command, receipt, actor=actor, request_id="setup")
    project(api)
    return receipt


def project(api: Api) -> None:
    """The read models, the candidate store among them, caught up with the log (a server's
    projection worker does this; the test client has none)."""
    view = api.services.view
    assert view is not None
    catch_up(api.app, OversightProjection(view))


def repeated(api: Api, reception: Visitor) -> tuple[str, str, falcon.testing.Result]:
    """The earlier filing, and its repeat registered at SO-CT through the intake form; the page
    the registration leads to."""
    earlier = earlier_resolved(api)
    answer = reception.post("/petitions/new", REPEAT)
    assert answer.status_code == 303, answer.text
    return earlier, receipt_of(answer), reception.get(answer.headers["location"])


def section(html: str, element: str) -> str:
    found = re.search(rf'<(\w+)[^>]* id="{element}"[^>]*>.*?</\1>', html, re.S)
    assert found is not None, element
    return found[0]


def card(html: str, receipt: str) -> str:
    """The card of one other filing in the panel."""
    found = re.search(rf'<li class="filing" data-receipt="{receipt}">.*?</li>\n', html, re.S)
    assert found is not None, receipt
    return found[0]


def version_of(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found is not None
    return found[1]


def vi(key: str, **values: str) -> str:
    return MESSAGES[key][0].format(**values)


def test_a_repeat_registered_shows_the_earlier_filing_with_its_reasons_before_classifying(
    api: Api,
) -> None:
    """The page after saving proposes the earlier filing above the classification form: its
    receipt code, District 1 by name, its day, status and published result in Vietnamese, the
    score as a percentage, the reasons in words, and no trace of who filed it."""
    reception = visitor(api, RECEPTION)
    earlier, receipt, page = repeated(api, reception)
    html = page.text
    assert html.index('id="same-matter"') < html.index('id="form-classify"')
    shown = card(section(html, "candidates"), earlier)
    words = text_of(shown)
    assert earlier in words
    assert "Ủy ban nhân dân Quận 1" in words or "UBND Quận 1" in words, words
    assert "4/3/2024" in words
    assert "Đã có kết quả giải quyết" in words
    assert RESULT in words
    score = re.search(r"giống (\d+)%", words)
    assert score is not None, words
    assert 50 <= int(score[1]) <= 100
    assert vi("match.id.exact") in words
    assert "Nội dung đơn tương tự" in words
    for private in ("Nguyễn Văn An", "079085001234", EARLIER_ADDRESS):
        assert private not in unescape(shown), private
    assert EARLIER_ADDRESS not in unescape(html)  # nowhere on the page
    assert 'data-link="same-matter"' in shown
    assert forms_on(html) == ["classify", "withdraw"]  # the panel's forms are its own
    assert receipt in html


def test_marking_and_unmarking_with_reasons_run_through_the_panel_and_the_timeline_tells_both(
    api: Api,
) -> None:
    """Marked with a reason, the earlier filing moves from the candidates to the linked filings
    and the timeline tells the mark and its reason once; undone with a reason, it is proposed
    again, no longer linked, and the timeline tells that too."""
    reception = visitor(api, RECEPTION)
    earlier, receipt, page = repeated(api, reception)
    why = "Cùng người gửi, cùng cống thoát nước trước số 12 Lê Lợi."
    marked = reception.post(
        f"/petitions/{receipt}/same-matter",
        {"earlier": earlier, "reason": why, "version": version_of(page.text)},
    )
    assert marked.status_code == 303, marked.text
    assert marked.headers["location"] == f"/petitions/{receipt}?done=same-matter#same-matter"
    assert api.app.petitions.get(receipt).same_matter == (earlier,)
    html = reception.get(f"/petitions/{receipt}?done=same-matter").text
    assert "Đã ghi nhận. Đánh dấu cùng vụ việc" in text_of(section(html, "done"))
    linked = card(section(html, "linked"), earlier)
    assert 'data-link="same-matter-undo"' in linked
    assert RESULT in text_of(linked)
    assert html.count(f'data-receipt="{earlier}"') == 1  # linked, no longer proposed
    told = re.findall(r'<span class="what">([^<]+)</span>', html)
    assert unescape(told[-1]) == f"Đánh dấu cùng vụ việc với hồ sơ {earlier}: {why}"
    assert html.count(why) == 1  # said once, not again beneath

    undo = "Người gửi xác nhận đây là việc khác."
    undone = reception.post(
        f"/petitions/{receipt}/same-matter-undo",
        {"earlier": earlier, "reason": undo, "version": version_of(html)},
    )
    assert undone.status_code == 303, undone.text
    assert api.app.petitions.get(receipt).same_matter == ()
    html = reception.get(f"/petitions/{receipt}").text
    assert 'id="linked-none"' in html
    assert 'data-link="same-matter"' in card(section(html, "candidates"), earlier)
    told = re.findall(r'<span class="what">([^<]+)</span>', html)
    assert unescape(told[-1]) == f"Bỏ đánh dấu cùng vụ việc với hồ sơ {earlier}: {undo}"


def test_a_mark_without_a_reason_comes_back_in_its_own_form_in_the_readers_language(
    api: Api,
) -> None:
    """No reason: 422, the candidate's form open with the error inside it, nothing recorded; a
    receipt code that is no filing is refused in the form that took it; in English, English."""
    reception = visitor(api, RECEPTION)
    earlier, receipt, _ = repeated(api, reception)
    before = api.app.max_notification_id()
    empty = reception.post(f"/petitions/{receipt}/same-matter", {"earlier": earlier, "reason": ""})
    assert empty.status_code == 422
    form = card(section(empty.text, "candidates"), earlier)
    assert '<details class="link-form" open>' in form
    assert 'id="problem"' in form
    assert "Không được để trống" in text_of(form)
    assert api.app.max_notification_id() == before
    unknown = reception.post(
        f"/petitions/{receipt}/same-matter", {"earlier": "2024-KHONGCO0", "reason": "Trùng."}
    )
    assert unknown.status_code == 422
    other = section(unknown.text, "form-same-matter-other")
    assert "Không có hồ sơ 2024-KHONGCO0." in text_of(other)
    assert 'value="2024-KHONGCO0"' in other  # kept to correct
    reception.get(f"/language?to=en&back=/petitions/{receipt}")
    english = reception.post(
        f"/petitions/{receipt}/same-matter", {"earlier": receipt, "reason": "Trùng."}
    )
    assert english.status_code == 409
    assert f"{receipt} cannot be the same matter as itself." in text_of(english.text)


def test_the_panel_speaks_english_to_an_english_reader(api: Api) -> None:
    """The panel's headings, the candidate's status and reasons, the score and the forms in
    English, and none of the panel's Vietnamese words."""
    reception = visitor(api, RECEPTION)
    _, receipt, _ = repeated(api, reception)
    html = reception.get(f"/petitions/{receipt}?lang=en").text
    panel = text_of(section(html, "same-matter"))
    for key in (
        "petition.same.title",
        "petition.same.candidates",
        "petition.same.form.same-matter",
    ):
        assert MESSAGES[key][1] in panel, key
    assert MATCH_REASONS["match.id.exact"][1] in panel
    assert MESSAGES["petition.status.resolved"][1] in panel
    assert re.search(r"\d+% alike", panel), panel
    for key in ("petition.same.title", "petition.same.candidates", "match.id.exact"):
        assert MESSAGES[key][0] not in panel, key


def test_who_sees_the_panel_and_its_forms(api: Api) -> None:
    """The reception and the head of the holding agency get the forms; an officer of the agency
    who does not handle it gets no panel of candidates; the inspectorate reads the candidates
    with no form."""
    reception = visitor(api, RECEPTION)
    earlier, receipt, _ = repeated(api, reception)
    head = visitor(api, HEAD).get(f"/petitions/{receipt}").text
    assert 'data-link="same-matter"' in card(section(head, "candidates"), earlier)
    colleague = visitor(api, HANDLER).get(f"/petitions/{receipt}").text
    assert 'id="candidates"' not in colleague
    assert "data-link=" not in colleague
    inspector = visitor(api, USERS[Role.INSPECTOR][0]).get(f"/petitions/{receipt}").text
    assert earlier in section(inspector, "candidates")
    assert "data-link=" not in inspector


def test_the_head_answers_a_repeat_with_the_earlier_result_and_the_link_then_stays(
    api: Api,
) -> None:
    """A classified proposal linked to the answered one: the head is offered the answer, which
    closes the case with the earlier result, said on the page; the link can no longer be undone
    there."""
    reception, head = visitor(api, RECEPTION), visitor(api, HEAD)
    earlier, receipt, _ = repeated(api, reception)
    classified = {"kind": "proposal", "field": "other", "competence": "ours"}
    assert reception.post(f"/petitions/{receipt}/classify", classified).status_code == 303
    why = {"earlier": earlier, "reason": "Cùng kiến nghị về cống trước số 12 Lê Lợi."}
    assert reception.post(f"/petitions/{receipt}/same-matter", why).status_code == 303
    assert 'data-link="answer-with-earlier"' not in reception.get(f"/petitions/{receipt}").text
    html = head.get(f"/petitions/{receipt}").text
    assert 'data-link="answer-with-earlier"' in card(section(html, "linked"), earlier)
    answered = head.post(
        f"/petitions/{receipt}/answer-with-earlier",
        {"earlier": earlier, "note": "Không có tình tiết mới."},
    )
    assert answered.status_code == 303, answered.text
    html = head.get(f"/petitions/{receipt}").text
    archived = vi("petition.status.archived")
    assert f'id="status">{archived}<' in html
    assert vi("petition.same.answered", earlier=earlier) in text_of(section(html, "answered-with"))
    assert RESULT in text_of(section(html, "earlier-result"))
    linked = card(section(html, "linked"), earlier)
    assert "data-link=" not in linked
    told = re.findall(r'<span class="what">([^<]+)</span>', html)
    assert told[-1].startswith(f"Trả lời bằng kết quả giải quyết của hồ sơ {earlier}")


def test_a_department_officer_handling_the_case_may_mark_it(api: Api) -> None:
    """The officer the head assigned sees the panel's forms and marks the repeat."""
    api.app.create_user(
        username="so-ct.canbo2",
        display_name="so-ct.canbo2",
        role=Role.DEPARTMENT,
        unit="SO-CT",
        password_hash=PASSWORD_HASH,
        actor=SYSTEM_ACTOR,
        request_id="setup",
    )
    reception, head = visitor(api, RECEPTION), visitor(api, HEAD)
    earlier, receipt, _ = repeated(api, reception)
    classified = {"kind": "complaint", "field": "land", "competence": "ours"}
    assert reception.post(f"/petitions/{receipt}/classify", classified).status_code == 303
    assert head.post(f"/petitions/{receipt}/accept", {"handler": HANDLER}).status_code == 303
    handler = visitor(api, HANDLER)
    html = handler.get(f"/petitions/{receipt}").text
    assert 'data-link="same-matter"' in card(section(html, "candidates"), earlier)
    why = {"earlier": earlier, "reason": "Xác minh: cùng vụ việc."}
    assert handler.post(f"/petitions/{receipt}/same-matter", why).status_code == 303
    colleague = visitor(api, "so-ct.canbo2").get(f"/petitions/{receipt}").text
    assert "data-link=" not in colleague
    assert earlier in section(colleague, "linked")  # the link, read only


def test_the_reception_looks_for_the_same_matter_before_saving_and_nothing_is_recorded(
    api: Api,
) -> None:
    """ "Tìm hồ sơ cùng vụ việc" gives the intake form back as typed, with the earlier filing
    beneath it (its reasons and score, nobody's details), the save button focused, and nothing
    in the log; a form with a mistake is refused as a save would be."""
    reception = visitor(api, RECEPTION)
    earlier = earlier_resolved(api)
    before = api.app.max_notification_id()
    looked = reception.post("/petitions/new", {**REPEAT, "check": "1"})
    assert looked.status_code == 200, looked.text
    assert api.app.max_notification_id() == before
    shown = card(section(looked.text, "candidates"), earlier)
    assert vi("match.id.exact") in text_of(shown)
    assert re.search(r"giống \d+%", text_of(shown))
    assert EARLIER_ADDRESS not in unescape(looked.text)
    assert "data-link=" not in looked.text  # marked once registered, on the case's page
    assert 'value="079085001234"' in looked.text
    assert ABOUT in unescape(looked.text)
    assert re.search(r'id="save" autofocus', looked.text)
    wrong = reception.post("/petitions/new", {**REPEAT, "content": "", "check": "1"})
    assert wrong.status_code == 422
    assert 'id="same-matter"' not in wrong.text
    saved = reception.post("/petitions/new", REPEAT)
    assert saved.status_code == 303
