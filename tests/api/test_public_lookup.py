"""The public look-up through HTTP, on SQLite and PostgreSQL: no sign-in, the status for the right
code and digits, the same bytes for a wrong code and for wrong digits, 429 with Retry-After once a
flood passes the limits; and the receipt the reception prints, with its QR code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import falcon.testing
import pytest
import segno
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.http import problem_body
from api.resources.lookup import not_found
from api.web.pages.public import lookup_url
from bootstrap import PublicSettings
from domain.petitions.commands import PublishResult, Resolve, Suspend
from domain.petitions.lookup import lookup_pin
from domain.petitions.petition import Verdict
from tests.api.conftest import Api, api_on
from tests.api.petition_officers import sign_in_officers
from tests.petition_builders import (
    COLLEAGUE,
    HANDLER,
    HEAD,
    NGUYEN,
    OTHER_RECEPTION,
    RECEPTION,
    TRAN,
    accepted,
    received,
)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
LIMITS = PublicSettings()


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API on each backend, with the petitions' officers signed in."""
    for built in api_on(request.param, tmp_path):
        sign_in_officers(built)
        yield built


def look_up(
    api: Api, code: str, digits: str, address: str = "203.0.113.7"
) -> falcon.testing.Result:
    return api.client.simulate_post(
        "/api/lookup", json={"code": code, "digits": digits}, remote_addr=address
    )


def look_up_page(
    api: Api, code: str, digits: str, address: str = "203.0.113.7", lang: str = "vi"
) -> falcon.testing.Result:
    return api.client.simulate_post(
        "/tra-cuu",
        body=urlencode({"code": code, "digits": digits}),
        headers={**FORM, "Cookie": f"thucthi_lang={lang}"},
        remote_addr=address,
    )


def answered(result: falcon.testing.Result) -> tuple[int, list[tuple[str, str]], bytes]:
    """What an answer says, less its request id (new for every request)."""
    headers = sorted((k, v) for k, v in result.headers.items() if k.lower() != "x-request-id")
    return result.status_code, headers, result.content


def test_the_right_code_and_digits_show_the_status_in_words_without_a_sign_in(api: Api) -> None:
    """Nobody signed in: Nguyễn's code and 1234 give the status, the step and the deadline in
    Vietnamese and English, and no name, address, phone, content or handler."""
    receipt = accepted(api.app)
    result = look_up(api, receipt, "1234")
    assert result.status_code == 200, result.text
    document = result.json
    assert document["receipt"] == receipt
    assert document["status"] == "in_handling"
    assert document["status_words"] == {"vi": "Đang giải quyết", "en": "Being handled"}
    assert document["step"]["vi"].startswith("Đơn đã được thụ lý")
    assert document["agency"]["code"] == "SO-XD"
    assert document["deadline"] == "2024-04-03"  # 30 days from Monday 4 March 2024
    assert document["term"]["days"] == 30
    assert document["term"]["working"] is False
    assert "Luật Khiếu nại 2011" in document["term"]["citation"]
    assert document["result"] is None
    assert document["linked"] == []
    for secret in (NGUYEN.full_name, NGUYEN.id_number, NGUYEN.address, NGUYEN.phone):
        assert str(secret) not in result.text
    assert HANDLER.user_id not in result.text
    assert "thu hồi đất" not in result.text  # nothing of the content
    assert result.headers["Cache-Control"] == "no-store"


def test_the_published_result_is_shown_with_its_verdict_and_decision(api: Api) -> None:
    """Once the head publishes the result, the look-up shows its verdict in words, its summary
    and the decision's reference."""
    receipt = accepted(api.app)
    api.app.petitions.execute(
        Resolve(verdict=Verdict.RIGHT, summary="Khiếu nại đúng.", decision_reference="7/QĐ-SXD"),
        receipt,
        actor=HEAD,
        request_id="req-resolve",
    )
    api.app.petitions.execute(PublishResult(), receipt, actor=HEAD, request_id="req-publish")
    document = look_up(api, receipt, "1234").json
    assert document["status"] == "resolved"
    assert document["deadline"] is None
    assert document["result"]["verdict_words"] == {"vi": "Đúng", "en": "Right"}
    assert document["result"]["summary"] == "Khiếu nại đúng."
    assert document["result"]["decision_reference"] == "7/QĐ-SXD"


def test_a_wrong_code_and_wrong_digits_are_answered_with_the_same_bytes(api: Api) -> None:
    """A code never given, a malformed code, and the right code with digits that end no
    petitioner's number: the same status, headers and body, which say nothing of the code."""
    receipt = received(api.app)
    answers = [
        answered(look_up(api, receipt, "9999")),
        answered(look_up(api, "2024-ZZZZZZZZ", "1234")),
        answered(look_up(api, "hello", "1234")),
        answered(look_up(api, receipt.lower(), "4321")),
    ]
    assert answers[0][0] == 404
    assert all(a == answers[0] for a in answers)
    assert receipt.encode() not in answers[0][2]
    assert b"lookup-not-found" in answers[0][2]
    assert "Không tìm thấy đơn".encode() in answers[0][2]


def test_the_page_answers_a_wrong_code_and_wrong_digits_alike(api: Api) -> None:
    """On the page the two answers differ only by the code typed, which the form shows again."""
    receipt = received(api.app)
    wrong_digits = look_up_page(api, receipt, "9999")
    wrong_code = look_up_page(api, "2024-ZZZZZZZZ", "1234")
    assert wrong_digits.status_code == wrong_code.status_code == 404
    assert "Không tìm thấy đơn nào" in wrong_digits.text
    assert wrong_digits.text.replace(receipt, "CODE") == wrong_code.text.replace(
        "2024-ZZZZZZZZ", "CODE"
    )


def test_the_page_shows_the_status_in_vietnamese_and_in_english(api: Api) -> None:
    """The form's answer for the right digits is the status and step, in the reader's language,
    with the agency by its name and the deadline the reader's way."""
    receipt = accepted(api.app, petitioners=(NGUYEN, TRAN))
    vi = look_up_page(api, receipt, "4321")
    assert vi.status_code == 200, vi.text
    assert 'id="lookup-status"' in vi.text
    assert "Đang giải quyết" in vi.text
    assert "3/4/2024" in vi.text
    en = look_up_page(api, receipt, "4321", lang="en")
    assert "Being handled" in en.text
    assert "Apr\u00a03,\u00a02024" in en.text
    for page in (vi, en):
        for secret in (NGUYEN.full_name, TRAN.full_name, TRAN.address, TRAN.phone, TRAN.id_number):
            assert str(secret) not in page.text


def test_the_qr_codes_address_opens_the_form_with_its_code_and_looks_nothing_up(
    api: Api,
) -> None:
    """``/tra-cuu/{code}`` is public and shows the form with the code filled in, for a code
    that exists and for one that does not alike."""
    receipt = received(api.app)
    known = api.client.simulate_get(f"/tra-cuu/{receipt}")
    unknown = api.client.simulate_get("/tra-cuu/2024-ZZZZZZZZ")
    assert known.status_code == unknown.status_code == 200
    assert f'value="{receipt}"' in known.text
    assert known.text.replace(receipt, "CODE") == unknown.text.replace("2024-ZZZZZZZZ", "CODE")
    assert api.client.simulate_get("/tra-cuu").status_code == 200


def test_a_flood_from_one_address_gets_429_with_retry_after_in_both_languages(api: Api) -> None:
    """After 30 failed look-ups from one address in ten minutes, the next is refused with 429
    and Retry-After, even with the right digits; in Vietnamese and English; ten minutes later
    the address may look up again."""
    receipts = [received(api.app) for _ in range(4)]
    for n in range(LIMITS.per_address):
        assert look_up(api, receipts[n % 4], "0000").status_code == 404
    refused = look_up(api, receipts[0], "1234")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= LIMITS.address_window
    assert refused.json["type"] == "urn:thucthi:problem:too-many-lookups"
    assert refused.json["vi"].startswith("Quá nhiều lần tra cứu")
    assert refused.json["en"].startswith("Too many unsuccessful look-ups")
    page = look_up_page(api, receipts[0], "1234")
    assert page.status_code == 429
    assert "Retry-After" in page.headers
    assert "Quá nhiều lần tra cứu" in page.text
    english = look_up_page(api, receipts[0], "1234", lang="en")
    assert "Too many unsuccessful look-ups" in english.text
    elsewhere = look_up(api, receipts[0], "1234", address="198.51.100.9")
    assert elsewhere.status_code == 200
    api.clock.advance(timedelta(seconds=LIMITS.address_window + 1))
    api.sign_in_again()
    assert look_up(api, receipts[1], "1234").status_code == 200


def test_guessing_at_one_code_from_many_addresses_closes_that_code_for_a_day(api: Api) -> None:
    """Ten wrong guesses at Nguyễn's code from ten addresses close the code: the eleventh try,
    right or wrong, from anywhere, gets 429; another code is still open."""
    receipt = received(api.app)
    other = received(api.app)
    for n in range(LIMITS.per_code):
        assert look_up(api, receipt, f"{n:04d}", address=f"192.0.2.{n + 1}").status_code == 404
    refused = look_up(api, receipt, "1234", address="192.0.2.200")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > LIMITS.code_window - 60
    assert look_up(api, other, "1234", address="192.0.2.201").status_code == 200


def test_a_citizen_looking_up_again_and_again_is_never_refused(api: Api) -> None:
    """Look-ups that find their petition are taken back: fifty from one address all answer."""
    receipt = received(api.app)
    for _ in range(50):
        assert look_up(api, receipt, "1234").status_code == 200


def test_the_attempts_are_counted_without_the_code_in_clear(api: Api) -> None:
    """The attempt counts name the address and a keyed hash of the code, never the code."""
    receipt = received(api.app)
    look_up(api, receipt, "0000")
    keys = attempt_keys(api)
    assert any(k.startswith("lookup-code:") for k in keys)
    assert "lookup-address:203.0.113.7" in keys
    assert not any(receipt in k or receipt[5:] in k for k in keys)


def attempt_keys(api: Api) -> list[str]:
    datastore = api.app.factory.datastore  # type: ignore[attr-defined]
    schema = getattr(datastore, "schema", None)
    table = f'"{schema}".sign_in_attempts' if schema else "sign_in_attempts"
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT key FROM {table}")  # noqa: S608 - the test's own schema name
        return [row["key"] if isinstance(row, dict) else row[0] for row in cursor.fetchall()]


def test_malformed_digits_are_refused_before_anything_is_looked_up(api: Api) -> None:
    """Digits that are not four ASCII digits are a 422 of the request's form, whatever the
    code; the page says so in words."""
    for digits in ("123", "12345", "１２３４", "abcd"):
        assert look_up(api, "2024-ZZZZZZZZ", digits).status_code == 422
    page = look_up_page(api, "2024-ZZZZZZZZ", "12a4")
    assert page.status_code == 422
    assert "Vui lòng nhập đúng 4 chữ số" in page.text


# --- the receipt ----------------------------------------------------------------------------


def receipt_page(api: Api, receipt: str, who: str) -> falcon.testing.Result:
    return api.client.simulate_get(f"/petitions/{receipt}/receipt", headers=api.headers(who))


def test_the_reception_prints_a_receipt_with_its_qr_code(api: Api) -> None:
    """The receipt names the agency, the code, the day, the channel, the petitioners, the
    signers, what it is about and the documents, the law's term, and draws the QR code of the
    look-up's address with the code."""
    receipt = received(
        api.app,
        petitioners=(NGUYEN, TRAN),
        signers=7,
        subject="Quyết định 123/QĐ-UBND thu hồi đất",
        attachments=("sha256:" + "ab" * 32,),
    )
    page = receipt_page(api, receipt, RECEPTION.user_id)
    assert page.status_code == 200, page.text
    text = page.text
    assert receipt in text
    assert "Sở Xây dựng" in text
    assert "4/3/2024" in text
    assert "Trực tiếp tại nơi tiếp công dân" in text
    assert NGUYEN.full_name in text
    assert TRAN.full_name in text
    assert str(NGUYEN.id_number) not in text
    assert NGUYEN.phone not in text
    assert re.search(r'id="receipt-signers">7<', text)
    assert "Quyết định 123/QĐ-UBND thu hồi đất" in text
    assert "Đơn và 1 tài liệu, chứng cứ kèm theo" in text
    assert "13/3/2024" in text  # 7 working days from Monday 4 March 2024
    assert "7 ngày làm việc: thời hạn ngắn nhất luật định" in text
    assert "Luật Tố cáo 2018" not in text  # not the law of a complaint
    url = lookup_url(PublicSettings().url, receipt)
    assert url == f"http://127.0.0.1:8000/tra-cuu/{receipt}"
    expected = segno.make_qr(url, error="m")
    assert f'd="{path_of(expected)}"' in text
    assert 'id="receipt-pin"' not in text
    assert "4 chữ số cuối số định danh cá nhân" in text


def path_of(qr: segno.QRCode) -> str:
    """The drawing of a QR code's modules, as segno writes it into the SVG's path."""
    found = re.search(r' d="([^"]+)"', qr.svg_inline(scale=4, border=4, lineclass=None))
    assert found is not None
    return found[1]


def test_the_receipt_of_an_anonymous_petition_carries_its_pin(api: Api) -> None:
    """An anonymous petition's receipt says it is anonymous and prints the PIN that opens its
    look-up (and the PIN does open it)."""
    receipt = received(api.app, petitioners=(), anonymous=True)
    page = receipt_page(api, receipt, HEAD.user_id)
    assert page.status_code == 200, page.text
    assert "Đơn không ghi tên người gửi" in page.text
    pin = lookup_pin(api.services.lookup_key(), receipt)  # type: ignore[misc]
    assert f'id="receipt-pin">{pin}<' in page.text
    assert look_up(api, receipt, pin).status_code == 200


def test_the_receipt_is_in_english_too(api: Api) -> None:
    """With the English switch the receipt speaks English, the petitioner's name as given."""
    receipt = received(api.app)
    page = api.client.simulate_get(
        f"/petitions/{receipt}/receipt",
        headers={**api.headers(RECEPTION.user_id), "Cookie": "thucthi_lang=en"},
    )
    assert "RECEIPT" in page.text
    assert "In person, at the reception" in page.text
    assert NGUYEN.full_name in page.text


def test_only_the_holding_agencys_reception_and_head_print_the_receipt(api: Api) -> None:
    """The handler, a colleague, another agency's reception, the inspectorate and the public
    cannot open the receipt (which names the petitioners)."""
    receipt = accepted(api.app)
    assert receipt_page(api, receipt, HEAD.user_id).status_code == 200
    for who in (HANDLER.user_id, COLLEAGUE.user_id, "thanhtra", "office.vp", "leader.chutich"):
        assert receipt_page(api, receipt, who).status_code == 403, who
    assert receipt_page(api, receipt, OTHER_RECEPTION.user_id).status_code == 404
    anonymous = api.client.simulate_get(f"/petitions/{receipt}/receipt")
    assert anonymous.status_code == 303
    assert anonymous.headers["Location"].startswith("/sign-in")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.text(max_size=80),
    digits=st.text(alphabet=st.sampled_from("0123456789１a \x00"), max_size=6),
    address=st.ip_addresses(v=4).map(str),
)
def test_no_code_or_digits_give_a_server_error_or_tell_more_than_not_found(
    api: Api, code: str, digits: str, address: str
) -> None:
    """Any text for a code and for the digits, through the API and the page: a refusal of the
    form (422), not found (404) or a flood's 429, never a server error, and a code is never
    named back by the API."""
    answer = look_up(api, code, digits, address=address)
    assert answer.status_code in {404, 422, 429}, answer.text
    if answer.status_code == 404:
        assert answer.content == problem_body(not_found(), "/api/lookup")
    page = look_up_page(api, code, digits, address=address)
    assert page.status_code in {404, 422, 429}, page.text


def test_a_suspended_petition_is_said_to_be_suspended_without_a_deadline(api: Api) -> None:
    """The JSON and the page say the handling is suspended, with no deadline, and not why."""
    receipt = accepted(api.app)
    api.app.petitions.execute(
        Suspend(reason="Chờ kết quả giám định tư pháp."),
        receipt,
        actor=HEAD,
        request_id="req-suspend",
    )
    document = look_up(api, receipt, "1234").json
    assert document["suspended"] is True
    assert document["deadline"] is None
    assert "tạm đình chỉ" in document["step"]["vi"]
    page = look_up_page(api, receipt, "1234")
    assert "tạm đình chỉ" in page.text
    assert "giám định" not in page.text


def test_after_an_erasure_the_look_up_answers_as_a_wrong_guess_and_the_receipt_says_so(
    api: Api,
) -> None:
    """Once Nguyễn's data are erased by number, his digits get the same bytes as any wrong
    guess, Trần's still open the petition, and the receipt no longer names him."""
    receipt = received(api.app, petitioners=(NGUYEN, TRAN))
    wrong = answered(look_up(api, receipt, "9999"))
    api.app.erase_personal_data(
        reason="Yêu cầu xóa dữ liệu cá nhân của chủ thể dữ liệu",
        actor=api.app.get_user("admin").as_actor(),
        request_id="req-erase",
        id_number=str(NGUYEN.id_number),
    )
    assert answered(look_up(api, receipt, "1234")) == wrong
    assert look_up(api, receipt, "4321").status_code == 200
    page = receipt_page(api, receipt, RECEPTION.user_id)
    assert NGUYEN.full_name not in page.text
    assert TRAN.full_name in page.text
    assert "thông tin cá nhân đã được xóa theo yêu cầu" in page.text


def test_a_second_round_shows_the_published_result_of_the_first(api: Api) -> None:
    """Nguyễn's second-round complaint names his first, whose result was published: its look-up
    shows that result among the linked ones, and its own result is still to come."""
    first = accepted(api.app)
    api.app.petitions.execute(
        Resolve(verdict=Verdict.WRONG, summary="Khiếu nại sai.", decision_reference="3/QĐ-SXD"),
        first,
        actor=HEAD,
        request_id="req-resolve",
    )
    api.app.petitions.execute(PublishResult(), first, actor=HEAD, request_id="req-publish")
    second = received(api.app, previous_receipt=first)
    document = look_up(api, second, "1234").json
    assert document["result"] is None
    assert [r["receipt"] for r in document["linked"]] == [first]
    assert document["linked"][0]["decision_reference"] == "3/QĐ-SXD"
    page = look_up_page(api, second, "1234")
    assert 'id="lookup-linked-1"' in page.text
    assert "3/QĐ-SXD" in page.text
