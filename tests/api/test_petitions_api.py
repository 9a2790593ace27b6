"""Petitions through the API, on SQLite and PostgreSQL (issue 25, item 8): receiving one, every
command of its life by the roles the law gives it, refusals as problem+json with their case in
both languages, an Idempotency-Key's repeat, If-Match, the term of the current step counted in
working days, and a denouncer's identity shown only to those handling the petition."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import falcon.testing
import pytest

from api.commands import PETITION_POSTED, request_model
from api.openapi import document
from api.web.i18n import refusal
from domain.application import SYSTEM_ACTOR
from domain.petitions.commands import LIFECYCLE
from domain.petitions.law import TERMS, TermName
from domain.petitions.petition import RECEIPT_CODE
from domain.shared.actors import Role
from tests.api.conftest import COORDINATOR, PASSWORD, PASSWORD_HASH, USERS, Api, api_on

RECEPTION = USERS[Role.RECEPTION][0]
HEAD = USERS[Role.AGENCY_HEAD][0]
HANDLER = USERS[Role.DEPARTMENT][0]  # so-ct.canbo, an officer of the same agency
AGENCY = USERS[Role.RECEPTION][1]
COLLEAGUE = "so-ct.canbo2"  # another officer of the agency, not assigned
OTHER_AGENCY_OFFICER = COORDINATOR[0]  # so-tc.canbo
AN = {
    "full_name": "Nguyễn Văn An",
    "id_number": "079085001234",
    "address": "12 Lê Lợi, phường Bến Thành",
    "phone": "0903123456",
}
COMPLAINT = "Khiếu nại Quyết định số 123/QĐ-UBND về việc thu hồi đất tại thửa 45, tờ bản đồ 12."


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    for built in api_on(request.param, tmp_path):
        built.app.create_user(
            username=COLLEAGUE,
            display_name=COLLEAGUE,
            role=Role.DEPARTMENT,
            unit=AGENCY,
            password_hash=PASSWORD_HASH,
            actor=SYSTEM_ACTOR,
            request_id="setup",
        )
        signed = built.client.simulate_post(
            "/api/session", json={"username": COLLEAGUE, "password": PASSWORD}
        )
        built.tokens[COLLEAGUE] = signed.json["token"]
        yield built


def receive(api: Api, **fields: Any) -> falcon.testing.Result:
    body = {"agency": AGENCY, "content": COMPLAINT, "petitioners": [AN], **fields}
    return api.post("/api/petitions", RECEPTION, body)


def received(api: Api, **fields: Any) -> str:
    answer = receive(api, **fields)
    assert answer.status_code == 201, answer.text
    receipt: str = answer.json["receipt"]
    return receipt


def run(
    api: Api, receipt: str, name: str, who: str, body: object = None, **headers: str
) -> falcon.testing.Result:
    return api.post(f"/api/petitions/{receipt}/{name}", who, body or {}, **headers)


def done(api: Api, receipt: str, name: str, who: str, body: object = None) -> dict[str, Any]:
    answer = run(api, receipt, name, who, body)
    assert answer.status_code in (200, 201), (name, answer.text)
    document: dict[str, Any] = answer.json
    return document


def classified(api: Api, kind: str = "complaint", competence: str = "ours", **fields: Any) -> str:
    receipt = received(api, **fields)
    done(
        api,
        receipt,
        "classify",
        RECEPTION,
        {"kind": kind, "field": "land", "competence": competence},
    )
    return receipt


def accepted(api: Api, kind: str = "complaint", **fields: Any) -> str:
    receipt = classified(api, kind, **fields)
    done(api, receipt, "accept", HEAD, {"handler": HANDLER})
    return receipt


def case(api: Api, receipt: str, who: str) -> falcon.testing.Result:
    return api.get(f"/api/petitions/{receipt}", who)


def test_a_petition_is_received_with_its_receipt_code_location_and_etag(api: Api) -> None:
    """The reception's POST answers 201 with the new receipt code, where the case is and its
    version, and the case reads back as received."""
    answer = receive(api, signers=3, subject="Quyết định số 123/QĐ-UBND")
    assert answer.status_code == 201, answer.text
    receipt = answer.json["receipt"]
    assert RECEIPT_CODE.match(receipt)
    assert answer.headers["location"] == f"/api/petitions/{receipt}"
    assert answer.headers["etag"] == '"1"'
    assert answer.json["links"]["receipt"] == f"/petitions/{receipt}/receipt"
    assert "read-models" not in answer.headers  # the read models took it in before answering
    assert (answer.json["status"], answer.json["signers"]) == ("received", 3)
    got = case(api, receipt, RECEPTION)
    assert got.status_code == 200
    assert got.headers["etag"] == '"1"'
    assert got.json["agency"] == AGENCY
    assert got.json["petitioners"] == [AN]


def test_the_answer_to_a_receipt_names_no_petitioner(api: Api) -> None:
    """The answer, which is kept for a repeated Idempotency-Key, holds no personal data."""
    answer = receive(api)
    assert answer.status_code == 201
    for value in AN.values():
        assert value not in answer.text


def test_every_command_of_a_petitions_life_runs_through_the_api(api: Api) -> None:
    """Receive, classify, accept, verify, hold a dialogue, extend, resolve and publish, each by
    its role, each answered with the new version; the timeline tells each step in both
    languages."""
    receipt = received(api)
    steps = [
        ("classify", RECEPTION, {"kind": "complaint", "field": "land", "competence": "ours"}, 200),
        ("accept", HEAD, {"handler": HANDLER, "note": "Giao phòng Thanh tra"}, 200),
        ("verify", HANDLER, {"summary": "Đã xác minh thực địa thửa 45."}, 201),
        ("dialogue", HANDLER, {"held_on": "2024-03-04", "summary": "Đối thoại với ông An."}, 201),
        ("extend", HEAD, {"reason": "Vụ việc phức tạp, cần thêm thời gian."}, 200),
        ("suspend", HEAD, {"reason": "Chờ kết quả giám định của Sở Xây dựng."}, 200),
        ("resume", HEAD, {"note": "Đã có kết quả giám định."}, 200),
        ("resolve", HEAD, {"verdict": "partly_right", "summary": "Khiếu nại đúng một phần.",
                           "decision_reference": "45/QĐ-SCT"}, 200),
        ("publish", HEAD, {}, 200),
    ]  # fmt: skip
    for version, (name, who, body, status) in enumerate(steps, start=2):
        answer = run(api, receipt, name, who, body)
        assert answer.status_code == status, (name, answer.text)
        assert answer.headers["etag"] == f'"{version}"', name
        assert answer.json["version"] == version
        assert answer.json["position"] == api.app.max_notification_id()
    got = case(api, receipt, HEAD).json
    assert (got["status"], got["verdict"], got["decision_reference"]) == (
        "resolved",
        "partly_right",
        "45/QĐ-SCT",
    )
    assert got["published_on"] == "2024-03-04"
    assert got["resolved_on_time"] is True
    assert got["deadline"] is None  # closed: no term runs
    assert got["handling_term"]["terms"] == [TermName.COMPLAINT_FIRST_ROUND_COMPLEX.value]
    told = got["timeline"]
    assert [t["event"] for t in told] == [
        "Received",
        "Classified",
        "Accepted",
        "VerificationRecorded",
        "DialogueHeld",
        "Extended",
        "Suspended",
        "Resumed",
        "Resolved",
        "ResultPublished",
    ]
    assert told[2]["vi"] == f"Thụ lý giải quyết, giao {HANDLER} xác minh"
    assert told[2]["en"] == f"Accepted for handling, assigned to {HANDLER}"
    assert told[6]["vi"] == "Tạm đình chỉ việc giải quyết"
    assert told[7]["en"] == "Resumed the handling"
    assert told[8]["vi"] == "Ban hành kết quả giải quyết: nội dung đơn đúng một phần (số 45/QĐ-SCT)"
    assert [t["actor"]["user_id"] for t in told] == [
        RECEPTION, RECEPTION, HEAD, HANDLER, HANDLER, HEAD, HEAD, HEAD, HEAD, HEAD
    ]  # fmt: skip


def test_a_head_guides_transfers_refuses_archives_and_a_reception_records_a_withdrawal(
    api: Api,
) -> None:
    """The other ways a petition ends at the agency, each by the API, each told."""
    guided = classified(api, competence="outside_city")
    after = done(api, guided, "guide", HEAD, {"body": "Tòa án nhân dân Thành phố"})
    assert after["status"] == "guided"

    moved = classified(api, competence="city_agency")
    after = done(api, moved, "transfer", HEAD, {"to_agency": "UBND-Q1", "note": "Đúng địa bàn"})
    assert (after["status"], after["agency"], after["transferred_from"]) == (
        "received",
        "UBND-Q1",
        [AGENCY],
    )
    # Moved with its history: no longer ours to act on, still ours to read.
    assert run(api, moved, "withdraw", RECEPTION, {"reason": "x"}).status_code == 403
    assert case(api, moved, RECEPTION).json["timeline"][-1]["vi"] == (
        "Chuyển đơn đến Ủy ban nhân dân Quận 1"
    )

    refused = classified(api, decision_known_on="2023-10-01")
    after = done(api, refused, "not-accept", HEAD, {"ground": "complaint.time_limit"})
    assert (after["status"], after["ground"]) == ("not_accepted", "complaint.time_limit")

    kept = classified(api, kind="denunciation")
    after = done(api, kept, "archive", HEAD, {"ground": "duplicate"})
    assert after["status"] == "archived"

    withdrawn = received(api)
    after = done(api, withdrawn, "withdraw", RECEPTION, {"reason": "Công dân rút đơn."})
    assert after["status"] == "withdrawn"
    told = case(api, withdrawn, RECEPTION).json["timeline"][-1]
    assert (told["vi"], told["en"]) == (
        "Ghi nhận công dân rút đơn",
        "Recorded that the petitioner withdrew it",
    )


def said(code: str, case_: str, values: dict[str, object]) -> tuple[str, str]:
    return refusal("vi", code, case_, values), refusal("en", code, case_, values)


def test_a_refusal_is_problem_json_with_its_case_in_both_languages(api: Api) -> None:
    """Each refused command answers with the domain error's code and case and says it in
    Vietnamese and English, and records nothing."""
    receipt = received(api)
    before = api.app.max_notification_id()
    early = run(api, receipt, "accept", HEAD, {"handler": HANDLER})
    assert early.status_code == 409
    assert early.headers["content-type"] == "application/problem+json"
    problem = early.json
    assert problem["type"] == "urn:thucthi:problem:wrong-step"
    assert problem["case"] == "not_classified"
    assert (problem["vi"], problem["en"]) == said(
        "wrong-step", "not_classified", {"receipt": receipt}
    )
    assert problem["vi"] == f"Đơn {receipt} cần được phân loại trước khi xử lý."

    short_id = receive(api, petitioners=[{**AN, "id_number": "07908500123"}])
    assert (short_id.status_code, short_id.json["case"]) == (422, "id_number")
    assert short_id.json["vi"] == "Số định danh cá nhân gồm đúng 12 chữ số."
    assert "07908500123" not in short_id.text  # a mistyped number is personal data too

    named = receive(api, anonymous=True)
    assert (named.status_code, named.json["case"]) == (422, "anonymous_named")
    assert named.json["vi"] == "Đơn nặc danh không ghi tên người gửi."

    handled = accepted(api)
    other = run(api, handled, "verify", COLLEAGUE, {"summary": "Tôi xác minh."})
    assert (other.status_code, other.json["type"]) == (403, "urn:thucthi:problem:not-handler")
    assert other.json["en"] == f"{handled} is handled by {HANDLER}, not {COLLEAGUE}."

    role = run(api, handled, "resolve", RECEPTION, {"verdict": "right", "summary": "x"})
    assert (role.status_code, role.json["case"]) == (403, "route")
    assert "vi" in role.json
    assert "en" in role.json
    assert api.app.max_notification_id() == before + 3  # the petition accepted, nothing else


def test_a_repeated_idempotency_key_gets_the_first_answer_and_records_nothing(api: Api) -> None:
    """The same receipt and the same command sent twice with a key are recorded once, and the
    repeat is answered as the first was."""
    body = {"agency": AGENCY, "content": COMPLAINT, "petitioners": [AN]}
    first = api.post("/api/petitions", RECEPTION, body, **{"Idempotency-Key": "receive-1"})
    assert first.status_code == 201
    position = api.app.max_notification_id()
    again = api.post("/api/petitions", RECEPTION, body, **{"Idempotency-Key": "receive-1"})
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json["receipt"] == first.json["receipt"]
    assert again.headers["etag"] == first.headers["etag"]
    assert api.app.max_notification_id() == position

    receipt = first.json["receipt"]
    classify = {"kind": "complaint", "field": "land", "competence": "ours"}
    key = {"Idempotency-Key": "classify-1"}
    once = run(api, receipt, "classify", RECEPTION, classify, **key)
    twice = run(api, receipt, "classify", RECEPTION, classify, **key)
    assert (once.status_code, twice.status_code) == (200, 200)
    assert twice.headers["idempotent-replayed"] == "true"
    assert twice.json == once.json
    assert case(api, receipt, RECEPTION).json["version"] == 2
    # The same key for another request is refused, not replayed.
    other = run(api, receipt, "classify", RECEPTION, {**classify, "field": "other"}, **key)
    assert other.status_code == 422
    assert other.json["type"] == "urn:thucthi:problem:idempotency-key-reused"


def test_if_match_runs_a_command_only_on_the_version_the_caller_saw(api: Api) -> None:
    """A command sent with the ETag of an earlier version is refused 412 and records nothing;
    with the current ETag it runs."""
    receipt = received(api)
    seen = case(api, receipt, HEAD).headers["etag"]
    classify = {"kind": "complaint", "field": "land", "competence": "ours"}
    assert (
        run(api, receipt, "classify", RECEPTION, classify, **{"If-Match": seen}).status_code == 200
    )
    before = api.app.max_notification_id()
    stale = run(api, receipt, "accept", HEAD, {"handler": HANDLER}, **{"If-Match": seen})
    assert stale.status_code == 412
    assert stale.json["type"] == "urn:thucthi:problem:version-mismatch"
    assert api.app.max_notification_id() == before
    fresh = case(api, receipt, HEAD).headers["etag"]
    assert fresh == '"2"'
    ok = run(api, receipt, "accept", HEAD, {"handler": HANDLER}, **{"If-Match": fresh})
    assert ok.status_code == 200
    bad = run(api, receipt, "verify", HANDLER, {"summary": "x"}, **{"If-Match": "seven"})
    assert bad.status_code == 412


def test_a_denouncers_identity_is_shown_to_those_handling_it_and_to_no_one_else(api: Api) -> None:
    """Of a denunciation, the reception, the head and the officer handling it see who filed it;
    the inspectorate, the Office, the leadership and a colleague of the same agency read the
    case without a trace of the person, and are told why."""
    receipt = accepted(api, kind="denunciation")
    for who in (RECEPTION, HEAD, HANDLER):
        shown = case(api, receipt, who)
        assert shown.json["petitioners"] == [AN], who
        assert shown.json["identity"] == {"shown": True}
    for who in (USERS[Role.INSPECTOR][0], USERS[Role.OFFICE][0], USERS[Role.LEADER][0], COLLEAGUE):
        hidden = case(api, receipt, who)
        assert hidden.status_code == 200, who
        assert "petitioners" not in hidden.json
        assert hidden.json["identity"]["shown"] is False
        assert "Luật Tố cáo 2018" in hidden.json["identity"]["vi"]
        for value in AN.values():
            assert value not in hidden.text, (who, value)
    # A complaint's petitioner is seen by the inspectorate, which oversees every agency.
    complaint = accepted(api)
    assert case(api, complaint, USERS[Role.INSPECTOR][0]).json["petitioners"] == [AN]
    assert "petitioners" not in case(api, complaint, COLLEAGUE).json


def test_a_petition_is_not_there_for_another_agencys_officers_nor_for_the_admin(api: Api) -> None:
    """What an officer may not see does not exist for them: 404, not 403."""
    receipt = received(api)
    assert case(api, receipt, OTHER_AGENCY_OFFICER).status_code == 404
    assert run(api, receipt, "verify", OTHER_AGENCY_OFFICER, {"summary": "x"}).status_code == 404
    assert case(api, receipt, USERS[Role.ADMIN][0]).status_code == 403
    assert case(api, "2024-NOSUCH00", RECEPTION).status_code == 404


def working_days_after(start: date, n: int) -> date:
    """The n-th Monday-to-Friday after ``start`` (March 2024 has no public holiday)."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def test_the_case_counts_the_term_of_its_step_in_working_days(api: Api) -> None:
    """A denunciation awaiting its decision has the law's working days from its arrival: the
    days left, then, once past, the working days overdue."""
    receipt = classified(api, kind="denunciation")
    term = TERMS[TermName.DENUNCIATION_ACCEPTANCE]
    assert term.working
    arrived = date(2024, 3, 4)
    due = working_days_after(arrived, term.days)
    deadline = case(api, receipt, HEAD).json["deadline"]
    assert (deadline["start"], deadline["due"], deadline["working_days"]) == (
        arrived.isoformat(),
        due.isoformat(),
        True,
    )
    assert (deadline["days_left"], deadline["days_overdue"]) == (term.days, 0)
    api.clock.advance(timedelta(days=(due - arrived).days + 3))  # due + 3 days: 1 working day
    api.sign_in_again()
    late = case(api, receipt, HEAD).json["deadline"]
    assert (late["days_left"], late["days_overdue"]) == (
        0,
        len([d for d in range(1, 4) if (due + timedelta(days=d)).weekday() < 5]),
    )


def test_every_command_of_a_petitions_life_is_posted_once() -> None:
    """A command added to the petition's life has its POST, its form and its CLI command: all
    three come from ``PETITION_POSTED``, which names each command of ``LIFECYCLE`` once."""
    assert sorted(p.command.__name__ for p in PETITION_POSTED) == sorted(
        c.__name__ for c in LIFECYCLE
    )
    assert len({p.name for p in PETITION_POSTED}) == len(PETITION_POSTED)


def test_the_openapi_document_describes_every_petition_command_from_its_dataclass() -> None:
    """Each command is posted where its name says, with the body its dataclass gives, the
    Idempotency-Key and If-Match headers, and problem+json's case and words."""
    paths = document()["paths"]
    receive_op = paths["/api/petitions"]["post"]
    assert receive_op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReceivePetition"
    }
    for posted in PETITION_POSTED:
        operation = paths[f"/api/petitions/{{receipt}}/{posted.name}"]["post"]
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert headers == {"Idempotency-Key", "If-Match"}, posted.name
        assert str(posted.status) in operation["responses"]
        schema = request_model(posted.command).model_json_schema()
        assert set(schema.get("properties", {})) == {
            f.name for f in dataclasses.fields(posted.command)
        }
    problem = document()["components"]["schemas"]["Problem"]["properties"]
    assert {"case", "vi", "en"} <= problem.keys()
