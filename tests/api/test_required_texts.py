"""The texts a command must carry, through the API and the pages: an explanation request asks a
question, a completion report says what was done, a withdrawal says why; each refusal is a 422
naming the field and records nothing. What cannot be undone (a withdrawal, an acceptance) is
confirmed in the form itself, with no script, and the server refuses it unconfirmed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from api.commands import request_model
from domain.directives.commands import ReportCompletion, RequestExplanation, Withdraw
from domain.shared.actors import Role
from tests.api.conftest import Api
from tests.api.test_pages import REF, alert, issue, page_of, visitor

PATH = "/api/directives/101~UBND-VX"


def acknowledged(api: Api) -> None:
    assert issue(visitor(api, "leader.chutich")).status_code == 303
    assert api.post(PATH + "/acknowledgement", Role.DEPARTMENT, {}).status_code == 200


@pytest.mark.parametrize(
    ("suffix", "who", "body", "field"),
    [
        ("/explanation-requests", Role.LEADER, {"question": ""}, "question"),
        ("/explanation-requests", Role.LEADER, {"question": " \n "}, "question"),
        ("/completion-report", Role.DEPARTMENT, {"summary": ""}, "summary"),
        ("/completion-report", Role.DEPARTMENT, {"summary": "   "}, "summary"),
        ("/completion-report", Role.DEPARTMENT, {}, "summary"),
        ("/withdrawal", Role.LEADER, {"reason": ""}, "reason"),
        ("/withdrawal", Role.LEADER, {"reason": "\t "}, "reason"),
        ("/withdrawal", Role.LEADER, {}, "reason"),
    ],
)
def test_an_empty_required_text_is_a_422_naming_the_field_and_records_nothing(
    api: Api, suffix: str, who: Role, body: dict[str, Any], field: str
) -> None:
    acknowledged(api)
    before = api.app.max_notification_id()
    answer = api.post(PATH + suffix, who, body)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json["errors"]] == [field]
    assert api.app.max_notification_id() == before


def test_an_extension_or_a_reassignment_may_still_go_without_a_reason(api: Api) -> None:
    acknowledged(api)
    asked = api.post(
        PATH + "/extension-requests", Role.DEPARTMENT, {"new_deadline": "2024-05-31", "reason": ""}
    )
    assert asked.status_code == 201, asked.text
    moved = api.post(PATH + "/reassignment", Role.OFFICE, {"to_unit": "SO-TC", "reason": ""})
    assert moved.status_code == 200, moved.text


def test_the_request_schemas_require_the_texts_as_the_domain_does() -> None:
    for command, field in (
        (RequestExplanation, "question"),
        (ReportCompletion, "summary"),
        (Withdraw, "reason"),
    ):
        schema = request_model(command).model_json_schema()
        assert field in schema["required"], command.__name__
        assert schema["properties"][field]["minLength"] == 1, command.__name__


@pytest.mark.parametrize(
    ("action", "who", "form", "field"),
    [
        ("explain_request", "leader.chutich", {"question": "  "}, "question"),
        ("completion", "so-ct.canbo", {"summary": ""}, "summary"),
        ("withdraw", "leader.chutich", {"reason": " ", "confirm": "yes"}, "reason"),
    ],
)
def test_a_form_with_an_empty_required_text_names_the_field_and_records_nothing(
    api: Api, action: str, who: str, form: dict[str, str], field: str
) -> None:
    acknowledged(api)
    person = visitor(api, who)
    before = api.app.max_notification_id()
    refused = person.post(page_of(REF) + "/" + action, {**form, "version": "2"})
    assert refused.status_code == 422, refused.text
    assert re.search(r'name="' + field + r'"[^>]*required', refused.text)
    assert api.app.max_notification_id() == before


def test_a_withdrawal_asks_for_its_confirmation_and_goes_through_once_confirmed(
    api: Api,
) -> None:
    acknowledged(api)
    leader = visitor(api, "leader.chutich")
    page = leader.get(page_of(REF)).text
    form = page[page.index('id="form-withdraw"') :]
    form = form[: form.index("</form>")]
    assert re.search(r'<input type="checkbox" name="confirm" value="yes" required>', form)
    unconfirmed = leader.post(page_of(REF) + "/withdraw", {"reason": "Trùng lặp", "version": "2"})
    assert unconfirmed.status_code == 422
    assert "Xác nhận" in alert(unconfirmed.text)
    assert api.app.get_directive(REF).status == "in_progress"
    confirmed = leader.post(
        page_of(REF) + "/withdraw", {"reason": "Trùng lặp", "version": "2", "confirm": "yes"}
    )
    assert confirmed.status_code == 303, confirmed.text
    assert api.app.get_directive(REF).status == "withdrawn"


def test_an_acceptance_asks_for_its_confirmation_and_a_return_does_not(api: Api) -> None:
    acknowledged(api)
    assert api.post(PATH + "/completion-report", Role.DEPARTMENT, {"summary": "Xong"}).status_code
    leader = visitor(api, "leader.chutich")
    assert 'name="confirm"' in leader.get(page_of(REF)).text
    unconfirmed = leader.post(page_of(REF) + "/decide_completion", {"decision": "accept"})
    assert unconfirmed.status_code == 422
    assert api.app.get_directive(REF).status == "completion_reported"
    returned = leader.post(
        page_of(REF) + "/decide_completion", {"decision": "return", "note": "Thiếu số liệu"}
    )
    assert returned.status_code == 303, returned.text
    assert api.app.get_directive(REF).status == "in_progress"
    assert api.post(
        PATH + "/completion-report", Role.DEPARTMENT, {"summary": "Bổ sung"}
    ).status_code
    accepted = leader.post(
        page_of(REF) + "/decide_completion", {"decision": "accept", "confirm": "yes"}
    )
    assert accepted.status_code == 303, accepted.text
    assert api.app.get_directive(REF).status == "completed"


def test_the_confirmation_is_asked_in_english_too(api: Api) -> None:
    acknowledged(api)
    leader = visitor(api, "leader.chutich")
    leader.get("/language?to=en&back=/")
    refused = leader.post(page_of(REF) + "/withdraw", {"reason": "Duplicate", "version": "2"})
    assert refused.status_code == 422
    assert "Confirmation" in alert(refused.text)
    assert "I confirm withdrawing this directive" in refused.text
