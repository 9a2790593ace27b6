"""The petitions' desk pages through the WSGI app (issue 25, item 8): the reception's intake form
(what was typed kept on an error, each mistake beside its field in the reader's language, the
receipt code shown big after saving), and the case page (its deadline, its timeline in words,
the forms of the reader's step, a denouncer's identity only for those handling the case)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import falcon.testing

from api.web.i18n import MESSAGES
from domain.application import SYSTEM_ACTOR
from domain.petitions.law import LABELS, NotAcceptedGround
from domain.shared.actors import Role
from tests.api.conftest import PASSWORD_HASH, USERS, Api
from tests.api.test_pages import Visitor, visitor

RECEPTION = USERS[Role.RECEPTION][0]
HEAD = USERS[Role.AGENCY_HEAD][0]
HANDLER = USERS[Role.DEPARTMENT][0]
AN = {
    "petitioners-0-full_name": "Nguyễn Văn An",
    "petitioners-0-id_number": "079085001234",
    "petitioners-0-address": "12 Lê Lợi, phường Bến Thành",
    "petitioners-0-phone": "0903123456",
}
CONTENT = "Khiếu nại Quyết định số 123/QĐ-UBND về việc thu hồi đất tại thửa 45."


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def field_errors(html: str) -> dict[str, str]:
    """The errors shown beside the intake form's fields, by field."""
    found = re.findall(r'class="field-error" id="([^"]+)-error">([^<]+)<', html)
    return {name: unescape(said) for name, said in found}


def value_of(html: str, name: str) -> str:
    found = re.search(
        rf'<input id="{re.escape(name)}" name="{re.escape(name)}" value="([^"]*)"', html
    )
    assert found is not None, name
    return unescape(found[1])


def register(reception: Visitor, **fields: str) -> falcon.testing.Result:
    form = {**AN, "content": CONTENT, "channel": "in_person", "received_on": "2024-03-04"}
    form.update(fields)
    return reception.post("/petitions/new", form)


def receipt_of(answer: falcon.testing.Result) -> str:
    found = re.fullmatch(r"/petitions/([0-9A-Z-]+)\?done=receive", answer.headers["location"])
    assert found is not None, answer.headers["location"]
    return found[1]


def step(who: Visitor, receipt: str, action: str, **form: str) -> falcon.testing.Result:
    page = who.get(f"/petitions/{receipt}")
    version = re.search(
        rf'action="/petitions/{receipt}/{action}"[^>]*>.*?name="version" value="(\d+)"',
        page.text,
        re.S,
    )
    assert version is not None, (action, "the form is offered")
    return who.post(f"/petitions/{receipt}/{action}", {"version": version[1], **form})


def forms_on(html: str) -> list[str]:
    return re.findall(r'data-action="([^"]+)"', html)


def test_the_reception_signs_in_to_the_intake_form_ready_to_type(api: Api) -> None:
    """Signing in leads the reception to the form; it opens on the first petitioner's name,
    today's date and the in-person channel already filled, the agency named."""
    reception = Visitor(api.client)
    signed = reception.sign_in(RECEPTION)
    assert signed.headers["location"] == "/petitions/new"
    page = reception.get("/petitions/new")
    assert page.status_code == 200
    assert re.search(r'id="petitioners-0-full_name"[^>]*autofocus', page.text)
    assert 'name="received_on" type="date" max="2024-03-04" value="2024-03-04"' in page.text
    assert '<option value="in_person" selected>' in page.text
    assert "Cơ quan tiếp nhận: Sở Công Thương" in text_of(page.text)
    for link in ("/petitions", "/petitions/queue", "/petitions/dashboard"):
        assert f'href="{link}"' in page.text


def test_a_registered_petition_shows_its_receipt_code_big_with_the_printable_receipt(
    api: Api,
) -> None:
    """After saving, the case page opens with the receipt code in large type and a link to the
    printable receipt; the petition is in the log as typed."""
    reception = visitor(api, RECEPTION)
    answer = register(reception, signers="2", subject="Quyết định 123/QĐ-UBND")
    assert answer.status_code == 303, answer.text
    receipt = receipt_of(answer)
    page = reception.get(answer.headers["location"])
    assert re.search(rf'<p class="receipt-code" id="saved-receipt">{receipt}</p>', page.text)
    assert f'href="/petitions/{receipt}/receipt"' in page.text
    assert 'href="/petitions/new" id="another"' in page.text
    petition = api.app.petitions.get(receipt)
    assert (petition.signers, petition.subject, petition.content) == (
        2,
        "Quyết định 123/QĐ-UBND",
        CONTENT,
    )
    people = api.app.petitions.petitioners(petition, api.app.get_user(RECEPTION).as_actor())
    assert people is not None
    assert people[0] is not None
    assert people[0].full_name == "Nguyễn Văn An"


def test_a_refused_intake_keeps_what_was_typed_and_says_each_mistake_beside_its_field(
    api: Api,
) -> None:
    """The form comes back 422 with every value as typed, each mistake under its field in
    Vietnamese (in English for an English reader), the first one focused; nothing recorded."""
    reception = visitor(api, RECEPTION)
    before = api.app.max_notification_id()
    answer = register(reception, content="", signers="nhiều", subject="Ông Trần Văn B")
    assert answer.status_code == 422
    errors = field_errors(answer.text)
    assert errors == {
        "signers": MESSAGES["invalid.int"][0],
        "content": MESSAGES["text.empty"][0],
    }
    assert value_of(answer.text, "petitioners-0-full_name") == "Nguyễn Văn An"
    assert value_of(answer.text, "petitioners-0-id_number") == "079085001234"
    assert 'value="nhiều"' in answer.text
    assert 'value="Ông Trần Văn B"' in answer.text
    assert re.search(r'id="signers"[^>]*aria-invalid="true"[^>]*autofocus', answer.text)
    assert api.app.max_notification_id() == before
    reception.get("/language?to=en&back=/petitions/new")
    english = register(reception, content="", signers="nhiều")
    assert field_errors(english.text)["content"] == MESSAGES["text.empty"][1]


def test_a_signers_count_in_other_digits_is_refused_beside_its_field(api: Api) -> None:
    """ "²" is a digit to Python but no number: it is refused as one, not a server error."""
    reception = visitor(api, RECEPTION)
    for typed in ("²", "٣", "1" * 12):
        answer = register(reception, signers=typed)
        assert answer.status_code == 422, typed
        assert list(field_errors(answer.text)) == ["signers"], typed


def test_a_rule_of_the_domain_is_said_beside_the_field_it_is_about(api: Api) -> None:
    """A decision known after the receipt day is refused beside the day it was known; a
    second petitioner's mistyped number beside that row's number."""
    reception = visitor(api, RECEPTION)
    second = register(
        reception,
        **{"petitioners-1-full_name": "Trần Thị Bình", "petitioners-1-id_number": "0791900043"},
    )
    assert second.status_code == 422
    assert field_errors(second.text) == {
        "petitioners-1-id_number": "Số định danh cá nhân gồm đúng 12 chữ số."
    }
    assert value_of(second.text, "petitioners-1-id_number") == "0791900043"  # kept to correct
    answer = register(reception, decision_known_on="2024-03-05", received_on="2024-03-04")
    assert answer.status_code == 422
    said = field_errors(answer.text)
    assert list(said) == ["decision_known_on"]
    assert said["decision_known_on"] == (
        "Ngày biết được quyết định (5/3/2024) sau ngày nhận đơn (4/3/2024)."
    )


def test_another_petitioners_row_is_added_without_losing_the_first(api: Api) -> None:
    """ "Add another petitioner" gives the form back one row longer, the new row's name
    focused, and both rows are registered."""
    reception = visitor(api, RECEPTION)
    more = register(reception, add_row="1")
    assert more.status_code == 200
    assert value_of(more.text, "petitioners-0-full_name") == "Nguyễn Văn An"
    assert re.search(r'id="petitioners-1-full_name"[^>]*autofocus', more.text)
    answer = register(
        reception,
        **{
            "petitioners-1-full_name": "Trần Thị Bình",
            "petitioners-1-id_number": "079190004321",
        },
    )
    receipt = receipt_of(answer)
    assert api.app.petitions.get(receipt).signers == 2


def test_each_role_is_offered_the_forms_of_its_step_and_a_form_runs_its_command(
    api: Api,
) -> None:
    """The reception classifies, the head decides, the assigned officer verifies, the head
    resolves and publishes; the case page then shows the result; the inspectorate reads it with
    no form to send."""
    reception, head, handler = visitor(api, RECEPTION), visitor(api, HEAD), visitor(api, HANDLER)
    receipt = receipt_of(register(reception))
    assert forms_on(reception.get(f"/petitions/{receipt}").text) == ["classify", "withdraw"]
    done = step(reception, receipt, "classify", kind="complaint", field="land", competence="ours")
    assert done.headers["location"] == f"/petitions/{receipt}?done=classify"
    offered = forms_on(head.get(f"/petitions/{receipt}").text)
    assert offered == ["classify", "accept", "not-accept", "archive", "withdraw"]
    page = head.get(f"/petitions/{receipt}").text
    assert f'<option value="{HANDLER}">' in page  # the agency's officers to choose from
    assert 'value="so-tc.canbo"' not in page  # not another agency's
    assert f'<option value="{HEAD}">' not in page  # the head decides; officers handle
    # Not accepting a complaint offers the complaint's grounds, each in the law's words.
    form = re.search(r'id="form-not-accept".*?</form>', page, re.S)
    assert form is not None
    grounds = re.findall(r'name="ground" value="([^"]+)"', form[0])
    assert grounds == [g.value for g in NotAcceptedGround if g.value.startswith("complaint.")]
    assert LABELS[NotAcceptedGround.TIME_LIMIT].vi in unescape(form[0])
    assert step(head, receipt, "accept", handler=HANDLER).status_code == 303
    assert forms_on(handler.get(f"/petitions/{receipt}").text) == ["verify", "dialogue"]
    assert step(handler, receipt, "verify", summary="Đã xác minh thực địa.").status_code == 303
    assert step(head, receipt, "resolve", verdict="wrong", summary="Giữ nguyên.").status_code == 303
    assert step(head, receipt, "publish").status_code == 303
    result = head.get(f"/petitions/{receipt}").text
    assert 'id="status">Đã có kết quả giải quyết<' in result
    assert 'id="verdict"><strong>Sai</strong>' in result
    assert 'id="on-time">đúng hạn<' in result
    inspector = visitor(api, USERS[Role.INSPECTOR][0])
    read = inspector.get(f"/petitions/{receipt}")
    assert read.status_code == 200
    assert forms_on(read.text) == []
    timeline = re.findall(r'<span class="what">([^<]+)</span>', read.text)
    assert timeline[2] == f"Thụ lý giải quyết, giao {HANDLER} xác minh"
    assert timeline[-1] == "Công khai kết quả giải quyết"


def test_a_refused_form_says_why_in_the_readers_language_and_keeps_what_was_typed(
    api: Api,
) -> None:
    """A resolution without its summary, and a form sent on a version since passed, come back
    with the form's problem in words and the values typed."""
    reception, head = visitor(api, RECEPTION), visitor(api, HEAD)
    receipt = receipt_of(register(reception))
    step(reception, receipt, "classify", kind="complaint", field="land", competence="ours")
    step(head, receipt, "accept", handler=HANDLER)
    empty = step(head, receipt, "resolve", verdict="right", summary="", decision_reference="9/QĐ")
    assert empty.status_code == 422
    form = re.search(r'id="form-resolve".*?</form>', empty.text, re.S)
    assert form is not None
    assert "Không được để trống" in text_of(form[0])
    assert 'value="9/QĐ"' in form[0]
    stale = head.post(f"/petitions/{receipt}/extend", {"version": "2", "reason": "Phức tạp"})
    assert stale.status_code == 409
    assert "Phiên bản" in text_of(stale.text) or "phiên bản" in text_of(stale.text)


def test_the_case_page_counts_the_term_of_its_step_and_says_when_it_is_overdue(
    api: Api,
) -> None:
    """A denunciation awaiting its decision: its due day and the working days left, then, once
    past, the working days overdue."""
    reception = visitor(api, RECEPTION)
    receipt = receipt_of(register(reception))
    step(reception, receipt, "classify", kind="denunciation", field="land", competence="ours")
    page = text_of(reception.get(f"/petitions/{receipt}").text)
    assert "Hạn của bước hiện tại 13/3/2024" in page
    assert "còn 7 ngày làm việc" in page
    assert "7 ngày làm việc kể từ 4/3/2024 (Luật Tố cáo 2018" in page
    api.clock.advance(timedelta(days=10))  # Thursday 14/3: one working day past
    later = visitor(api, RECEPTION)
    assert "quá hạn 1 ngày làm việc" in text_of(later.get(f"/petitions/{receipt}").text)


def test_a_denouncers_identity_is_on_the_page_only_for_those_handling_the_case(
    api: Api,
) -> None:
    """The reception, the head and the assigned officer see who filed a denunciation; a
    colleague of the same agency and the inspectorate read the case with the sentence that
    says why, and no trace of the person."""
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
    receipt = receipt_of(register(reception))
    step(reception, receipt, "classify", kind="denunciation", field="conduct", competence="ours")
    step(head, receipt, "accept", handler=HANDLER)
    for who in (RECEPTION, HEAD, HANDLER):
        shown = visitor(api, who).get(f"/petitions/{receipt}").text
        assert "079085001234" in shown, who
    for who in ("so-ct.canbo2", USERS[Role.INSPECTOR][0], USERS[Role.OFFICE][0]):
        page = visitor(api, who).get(f"/petitions/{receipt}")
        assert page.status_code == 200, who
        assert 'id="identity-hidden"' in page.text
        assert "Luật Tố cáo 2018" in text_of(page.text)
        for value in AN.values():
            assert value not in unescape(page.text), (who, value)


def test_a_suspended_handling_says_its_term_stands_still_and_offers_only_its_resumption(
    api: Api,
) -> None:
    """Suspended, the case says since when and that the days do not count; the head is offered
    only the resumption and the officer nothing; resumed, the term runs again, later by the
    days it waited."""
    reception, head, handler = visitor(api, RECEPTION), visitor(api, HEAD), visitor(api, HANDLER)
    receipt = receipt_of(register(reception))
    step(reception, receipt, "classify", kind="complaint", field="land", competence="ours")
    step(head, receipt, "accept", handler=HANDLER)
    before = api.app.petitions.get(receipt).handling_term()
    assert before is not None
    assert step(head, receipt, "suspend", reason="Chờ kết quả giám định.").status_code == 303
    page = head.get(f"/petitions/{receipt}").text
    assert "Việc giải quyết đang tạm đình chỉ từ ngày 4/3/2024" in text_of(page)
    assert forms_on(page) == ["resume", "withdraw"]
    assert forms_on(handler.get(f"/petitions/{receipt}").text) == []
    api.clock.advance(timedelta(days=3))
    head = visitor(api, HEAD)
    assert step(head, receipt, "resume", note="Đã có kết quả.").status_code == 303
    after = api.app.petitions.get(receipt).handling_term()
    assert after is not None
    assert after.days == before.days + 3
    assert "suspend" in forms_on(head.get(f"/petitions/{receipt}").text)


def test_the_case_page_speaks_english_to_an_english_reader(api: Api) -> None:
    """The same case, in English: status, deadline and timeline."""
    reception = visitor(api, RECEPTION)
    receipt = receipt_of(register(reception))
    page: Any = reception.get(f"/petitions/{receipt}?lang=en")
    shown = text_of(page.text)
    assert "Received, awaiting classification" in shown
    assert f"Received petition {receipt} (in person, on Mar 4, 2024)" in shown
    assert "Đã tiếp nhận" not in shown
