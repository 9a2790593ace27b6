"""The documents' PDFs through the API and the pages (issue 28, item 1; docs/documents.md): a
directive as issued, a petition's receipt and result, the periodic report; each read back with
poppler part by part in the form's order, in both languages, and seen by whoever sees its page.
"""

from __future__ import annotations

from typing import Any

import pytest

from domain.shared.actors import Role
from tests.api.conftest import OUTSIDER, USERS, Api
from tests.api.test_api import issue
from tests.api.test_audit_api import audit_up
from tests.api.test_pages import visitor
from tests.api.test_petitions_api import AN, HANDLER, HEAD, RECEPTION, accepted, done, received
from tests.pdf_reading import A4_POINTS, in_order, nfc, read

REF = "1234/UBND-VX"
PATH = "/api/directives/1234~UBND-VX/document.pdf"
CONTENT = (
    "Thực hiện Kế hoạch số 123/KH-UBND ngày 15/01/2024 của Ủy ban nhân dân Thành phố, "
    "Chủ tịch chỉ đạo như sau:\n"
    "1. Sở Công Thương rà soát hệ thống chợ truyền thống, đề xuất phương án cải tạo.\n"
    "2. Sở Tài chính bảo đảm kinh phí thực hiện."
)


@pytest.fixture
def signed(api: Api) -> Api:
    """The leader has a name and a title, as the demo's: a vice-chairman of the committee; the
    head of SO-CT is its director."""
    for who, name, title in (
        (USERS[Role.LEADER][0], "Nguyễn Hoàng Long", "Phó Chủ tịch UBND Thành phố"),
        (HEAD, "Trần Thị Ánh Tuyết", "Giám đốc Sở Công Thương"),
    ):
        answer = api.post(
            f"/api/users/{who}/profile", Role.ADMIN, {"display_name": name, "title": title}
        )
        assert answer.status_code == 200, answer.text
    return api


def issued(api: Api, reference: str = REF, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {"content": CONTENT, "title": "Rà soát chợ truyền thống"}
    return issue(api, reference, **{**body, **changes})


def pdf_of(api: Api, path: str, who: str | Role, **params: str) -> bytes:
    answer = api.get(path, who, **params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    return answer.content


def test_a_directives_pdf_holds_every_part_of_the_form_in_order(signed: Api) -> None:
    """Issuing body, number, the letter's abstract, urgency, national title, motto, place and
    date, addressees, content, whom it assigns and by when, recipients, the signer's authority,
    position and name: in that order, in NFC, on A4, every font embedded."""
    issued(signed)
    read_back = read(pdf_of(signed, PATH, Role.LEADER))
    assert read_back.page_size == A4_POINTS
    assert read_back.embedded
    assert nfc(read_back.text)
    parts = [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HỒ CHÍ MINH",
        "Số: 1234/UBND-VX",
        "V/v Rà soát chợ truyền thống",
        "KHẨN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thành phố Hồ Chí Minh, ngày 04 tháng 3 năm 2024",
        "Kính gửi:",
        "- Sở Công Thương;",
        "- Sở Tài chính.",
        *CONTENT.split("\n"),
        "Giao Sở Công Thương chủ trì, phối hợp với Sở Tài chính thực hiện.",
        "Thời hạn hoàn thành: ngày 20/3/2024.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Hoàng Long",
    ]
    assert in_order(read_back.text, parts) == []


def test_a_directive_whose_symbol_names_its_kind_is_set_under_that_kind(signed: Api) -> None:
    """A Chỉ thị (CT) has its kind's name and its abstract under it, no "Kính gửi", and lists
    its units among the recipients."""
    issued(signed, "15/2024/CT-UBND", urgency="normal", deadline=None)
    text = read(pdf_of(signed, "/api/directives/15~2024~CT-UBND/document.pdf", Role.OFFICE)).text
    assert (
        in_order(
            text,
            [
                "Số: 15/2024/CT-UBND",
                "CHỈ THỊ",
                "Rà soát chợ truyền thống",
                CONTENT.split("\n", maxsplit=1)[0],
                "Văn bản không quy định thời hạn hoàn thành.",
                "- Sở Công Thương;",
                "- Sở Tài chính;",
            ],
        )
        == []
    )
    assert "Kính gửi" not in text
    assert "V/v" not in text
    assert "KHẨN" not in text


def test_the_pdf_is_the_directive_as_issued_the_same_file_however_it_moved_on(signed: Api) -> None:
    """Acknowledged, reassigned and extended since, the directive's document is byte for byte
    the one its issue gave."""
    issued(signed)
    first = pdf_of(signed, PATH, Role.LEADER)
    directive = PATH.removesuffix("/document.pdf")
    acknowledged = signed.post(directive + "/acknowledgement", Role.DEPARTMENT, {})
    assert acknowledged.status_code == 200, acknowledged.text
    reassigned = signed.post(
        directive + "/reassignment",
        Role.OFFICE,
        {"to_unit": "SO-XD", "reason": "Đúng chức năng"},
    )
    assert reassigned.status_code == 200, reassigned.text
    assert pdf_of(signed, PATH, Role.INSPECTOR) == first


def test_the_pdf_is_seen_by_whoever_sees_the_directive(signed: Api) -> None:
    """Every role that may open the directive gets its PDF; an officer of a unit that neither
    leads nor coordinates it gets 404, the answer a reference that does not exist gets."""
    issued(signed)
    for who in (*(USERS[r][0] for r in Role), "so-tc.canbo"):
        page = signed.get("/api/directives/1234~UBND-VX", who)
        document = signed.get(PATH, who)
        assert document.status_code == page.status_code == 200, who
    outsider = signed.get(PATH, OUTSIDER[0])
    assert outsider.status_code == 404
    assert (
        outsider.json["type"]
        == signed.get("/api/directives/9999~UBND-VX/document.pdf", OUTSIDER[0]).json["type"]
    )
    assert signed.client.simulate_get(PATH).status_code == 401


def test_the_pdf_speaks_english_when_asked(signed: Api) -> None:
    """``lang=en``: the form's words in English, the directive's own text as written."""
    issued(signed)
    text = read(pdf_of(signed, PATH, Role.LEADER, lang="en")).text
    assert (
        in_order(
            text,
            [
                "HO CHI MINH CITY",
                "No.: 1234/UBND-VX",
                "Re: Rà soát chợ truyền thống",
                "URGENT",
                "SOCIALIST REPUBLIC OF VIET NAM",
                "Independence - Freedom - Happiness",
                "Ho Chi Minh City, March 4, 2024",
                "To:",
                "- Department of Industry and Trade;",
                "Department of Industry and Trade leads the work, with Department of Finance.",
                "To be completed by Mar 20, 2024.",
                "Recipients:",
                "ON BEHALF OF THE PEOPLE'S COMMITTEE",
                "FOR THE CHAIRMAN",
                "VICE-CHAIRMAN",
                "Nguyễn Hoàng Long",
            ],
        )
        == []
    )
    for vietnamese in ("Kính gửi", "Nơi nhận", "Số:", "CỘNG HÒA"):
        assert vietnamese not in text


def test_the_directives_page_links_its_pdf_in_the_readers_language(signed: Api) -> None:
    """ "Tải văn bản PDF" on the page; the link, with the page's cookie, gives the PDF; an English
    reader gets "Download PDF" and the English form."""
    issued(signed)
    officer = visitor(signed, USERS[Role.DEPARTMENT][0])
    page = officer.get("/directives/1234~UBND-VX")
    assert 'href="/directives/1234~UBND-VX/document.pdf"' in page.text
    assert "Tải văn bản PDF" in page.text
    document = officer.get("/directives/1234~UBND-VX/document.pdf")
    assert document.status_code == 200
    assert "Kính gửi:" in read(document.content).text
    assert officer.get("/language?to=en&back=/directives").status_code == 303
    assert "Download PDF" in officer.get("/directives/1234~UBND-VX").text
    english = officer.get("/directives/1234~UBND-VX/document.pdf")
    assert "SOCIALIST REPUBLIC OF VIET NAM" in read(english.content).text
    outsider = visitor(signed, OUTSIDER[0])
    assert outsider.get("/directives/1234~UBND-VX/document.pdf").status_code == 404


# --- a petition's receipt and result -------------------------------------------------------------


def resolved(api: Api, kind: str, **result: Any) -> str:
    receipt = accepted(api, kind, subject="Quyết định số 123/QĐ-UBND")
    body = {"verdict": "partly_right", "summary": "Khiếu nại đúng một phần.", **result}
    done(api, receipt, "resolve", HEAD, body)
    return receipt


def test_a_receipts_pdf_carries_what_the_printed_receipt_does(signed: Api) -> None:
    """The agency under the city's committee, the code, the day, the petitioner's name (never
    their number, address or phone), the subject, the term, the look-up and its QR code, and
    the two signatures."""
    receipt = received(signed, subject="Quyết định số 123/QĐ-UBND về thu hồi đất")
    path = f"/api/petitions/{receipt}/receipt.pdf"
    text = read(pdf_of(signed, path, RECEPTION)).text
    assert (
        in_order(
            text,
            [
                "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
                "SỞ CÔNG THƯƠNG",
                f"Số: {receipt}",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "GIẤY BIÊN NHẬN",
                "Người gửi đơn",
                AN["full_name"],
                "Quyết định số 123/QĐ-UBND về thu hồi đất",
                "Tra cứu tình trạng đơn",
                "NGƯỜI GỬI ĐƠN",
                "(Ký, ghi rõ họ tên)",
                "NGƯỜI TIẾP NHẬN",
                f"/tra-cuu/{receipt}",
            ],
        )
        == []
    )
    for private in (AN["id_number"], AN["address"], AN["phone"]):
        assert private not in text


def test_a_receipts_pdf_is_seen_by_whoever_may_print_its_receipt(signed: Api) -> None:
    """As the receipt's page: the holding agency's reception and head; every other role is
    refused with the page's status."""
    receipt = received(signed)
    for role in Role:
        who = USERS[role][0]
        page = visitor(signed, who).get(f"/petitions/{receipt}/receipt")
        document = signed.get(f"/api/petitions/{receipt}/receipt.pdf", who)
        pdf_page = visitor(signed, who).get(f"/petitions/{receipt}/receipt.pdf")
        assert document.status_code == page.status_code == pdf_page.status_code, role
    assert signed.get(f"/api/petitions/{receipt}/receipt.pdf", HEAD).status_code == 200


def test_a_complaints_decision_is_a_decision_signed_by_the_head_naming_no_one(signed: Api) -> None:
    """QUYẾT ĐỊNH on the complaint, its number, the finding and the result, signed by the
    agency's director; the complainant is named by the receipt code only."""
    receipt = resolved(signed, "complaint", decision_reference="45/QĐ-SCT")
    path = f"/api/petitions/{receipt}/result.pdf"
    text = read(pdf_of(signed, path, HEAD)).text
    assert (
        in_order(
            text,
            [
                "SỞ CÔNG THƯƠNG",
                "Số: 45/QĐ-SCT",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "QUYẾT ĐỊNH",
                f"Về việc giải quyết khiếu nại (đơn {receipt})",
                "Đúng một phần",
                "Khiếu nại đúng một phần.",
                "Nơi nhận:",
                "- Người khiếu nại;",
                "GIÁM ĐỐC",
                "Trần Thị Ánh Tuyết",
            ],
        )
        == []
    )
    for private in AN.values():
        assert private not in text


def test_a_denunciations_conclusion_never_names_the_denouncer(signed: Api) -> None:
    """KẾT LUẬN, for every role that may open the petition: no name, number, address or phone
    of the denouncer (Luật Tố cáo 2018, Điều 47)."""
    receipt = resolved(signed, "denunciation", verdict="right", summary="Tố cáo đúng.")
    for role in (Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.AGENCY_HEAD, Role.DEPARTMENT):
        text = read(pdf_of(signed, f"/api/petitions/{receipt}/result.pdf", role)).text
        parts = ["KẾT LUẬN", f"Nội dung tố cáo (đơn {receipt})", "Tố cáo đúng."]
        assert in_order(text, parts) == []
        for private in AN.values():
            assert private not in text


def test_a_proposals_answer_is_a_letter(signed: Api) -> None:
    """A proposal is answered by a letter: "V/v trả lời đơn …" under its number, no kind."""
    receipt = resolved(signed, "proposal", verdict="answered", summary="Đã tiếp thu ý kiến.")
    text = read(pdf_of(signed, f"/api/petitions/{receipt}/result.pdf", HANDLER)).text
    parts = [f"V/v trả lời đơn {receipt}", "Đã tiếp thu ý kiến.", "- Người gửi đơn;"]
    assert in_order(text, parts) == []
    assert "QUYẾT ĐỊNH" not in text


def test_there_is_no_result_pdf_before_the_result_in_either_language(signed: Api) -> None:
    """409, saying so in Vietnamese and English; the page answers the same in the reader's."""
    receipt = accepted(signed)
    answer = signed.get(f"/api/petitions/{receipt}/result.pdf", HEAD)
    assert answer.status_code == 409
    said = f"Đơn {receipt} chưa có kết quả giải quyết: chưa có văn bản kết quả."
    assert answer.json["vi"] == said
    assert answer.json["en"] == f"{receipt} has no result yet: there is no document of it."
    page = visitor(signed, HEAD).get(f"/petitions/{receipt}/result.pdf")
    assert page.status_code == 409
    assert "chưa có kết quả giải quyết" in page.text


def test_the_result_pdf_is_seen_by_whoever_may_open_the_petition(signed: Api) -> None:
    """Same status as the petition's own page for every role, and the link on the page."""
    receipt = resolved(signed, "complaint")
    for role in Role:
        who = USERS[role][0]
        page = visitor(signed, who).get(f"/petitions/{receipt}")
        pdf_page = visitor(signed, who).get(f"/petitions/{receipt}/result.pdf")
        document = signed.get(f"/api/petitions/{receipt}/result.pdf", who)
        assert pdf_page.status_code == page.status_code, role
        assert document.status_code == signed.get(f"/api/petitions/{receipt}", who).status_code
        if page.status_code == 200:
            assert f'href="/petitions/{receipt}/result.pdf"' in page.text
    holder = visitor(signed, RECEPTION).get(f"/petitions/{receipt}")
    assert f'href="/petitions/{receipt}/receipt.pdf"' in holder.text
    assert "Tải giấy biên nhận PDF" in holder.text


def test_the_periodic_report_has_its_pdf_with_the_same_figures(signed: Api) -> None:
    """The report's page links its PDF; the PDF has the form's parts, the figures' table, the
    number asked for, and the signed checkpoint covering its figures."""
    issued(signed)
    audit_up(signed)
    assert visitor(signed, "thanhtra").post("/inspector/checkpoint", {}).status_code == 303
    office = visitor(signed, USERS[Role.OFFICE][0])
    page = office.get("/reports/periodic?period=2024-Q1&number=12/BC-VP")
    assert page.status_code == 200
    assert 'id="report-pdf"' in page.text
    answer = office.get("/reports/periodic.pdf?period=2024-Q1&number=12/BC-VP")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    text = read(answer.content).text
    assert (
        in_order(
            text,
            [
                "ỦY BAN NHÂN DÂN",
                "VĂN PHÒNG",
                "Số: 12/BC-VP",
                "BÁO CÁO",
                "quý 1 năm 2024",
                "I. Số liệu theo đơn vị chủ trì",
                "Sở Công Thương",
                "Toàn Thành phố",
                "II. Nhiệm vụ quá hạn",
                "Nơi nhận:",
                "CHÁNH VĂN PHÒNG",
            ],
        )
        == []
    )
    assert "Điểm kiểm tra đã ký:" in text
    officer = visitor(signed, USERS[Role.DEPARTMENT][0])
    assert officer.get("/reports/periodic.pdf").status_code == 403
