"""The digital-transformation index's pages: a unit opens its assessment, enters values with
evidence and submits through the forms; the appraising body adjusts with a reason and sends back
with a deadline; the unit answers; the appraisal completes and the Office publishes from the
ranking page, which shows the rank, the band chart and the position, and exports the ranking in
the city's shape, in the reader's language. A refused form is explained in Vietnamese beside
it; a unit cannot see another's scorecard."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from domain.dti.hcmc import SHIPPED
from tests.api.conftest import Api
from tests.api.test_dti_api import APPRAISER, KEY, ok, publish, sign_in_appraiser
from tests.api.test_pages import alert, visitor

PAGE = f"/dti/assessments/{KEY}"


def version_of(text: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', text)
    assert found, "the page's forms carry the assessment's version"
    return found[1]


def test_a_unit_submits_an_appraiser_adjusts_and_sends_back_and_the_office_publishes(
    api: Api,
) -> None:
    sign_in_appraiser(api)
    ok(publish(api, SHIPPED[0]), 201)
    unit = visitor(api, "so-ct.canbo")
    ranking = unit.get("/dti?period=2023")
    assert ranking.status_code == 200
    assert 'id="form-start"' in ranking.text
    started = unit.post("/dti/start", {"index": "hcm-dti", "version": "1", "period": "2023"})
    assert started.status_code == 303, started.text
    assert started.headers["location"].startswith(PAGE)
    card = unit.get(PAGE)
    assert "Phiếu đánh giá chuyển đổi số" in card.text
    entered = unit.post(
        PAGE + "/values",
        {
            "version": version_of(card.text),
            "component": "1.1",
            "number": "1",
            "evidence": "Quyết định thành lập Ban chỉ đạo",
            "links": "https://example.gov.vn/qd-15\nhttps://example.gov.vn/qd-16",
        },
    )
    assert entered.status_code == 303, entered.text
    card = unit.get(PAGE)
    row = card.text.split('id="c-1.1"')[1].split("</tr>")[0]
    assert "Quyết định thành lập Ban chỉ đạo" in row
    assert "qd-16" in row
    share = unit.post(
        PAGE + "/values",
        {"version": version_of(card.text), "component": "6.1", "number": "80", "of": "100"},
    )
    assert share.status_code == 303, share.text
    # A component that requires evidence, given a value without any: shown, and refused.
    bare = {"version": version_of(unit.get(PAGE).text), "component": "1.3", "number": "1"}
    assert unit.post(PAGE + "/values", bare).status_code == 303
    card = unit.get(PAGE)
    assert re.search(r'id="dti-missing".*1\.3', card.text)
    early = unit.post(PAGE + "/submission", {"version": version_of(card.text)})
    assert early.status_code == 409
    assert 'data-code="evidence-missing"' in early.text
    given = {**bare, "version": version_of(card.text), "evidence": "Kế hoạch số 12/KH-SCT"}
    assert unit.post(PAGE + "/values", given).status_code == 303
    submitted = unit.post(PAGE + "/submission", {"version": version_of(unit.get(PAGE).text)})
    assert submitted.status_code == 303, submitted.text
    # The appraising body finds it in its queue, adjusts, and sends it back.
    appraiser = visitor(api, APPRAISER)
    todo = appraiser.get("/todo")
    assert re.search(r'id="queue-dti"[^>]*data-count="1"', todo.text)
    assert 'href="/dti/queue"' in todo.text
    queue = appraiser.get("/dti/queue")
    assert f'data-key="{KEY}"' in queue.text
    card = appraiser.get(PAGE)
    assert 'id="form-return"' in card.text
    refused = appraiser.post(
        PAGE + "/adjustments",
        {"version": version_of(card.text), "component": "6.1", "number": "70", "of": "100",
         "reason": ""},
    )  # fmt: skip
    assert refused.status_code == 422
    assert alert(refused.text)
    not_a_number = appraiser.post(
        PAGE + "/adjustments",
        {"version": version_of(card.text), "component": "6.1", "number": "bảy mươi",
         "of": "100", "reason": "Theo Cổng dịch vụ công"},
    )  # fmt: skip
    assert not_a_number.status_code == 422
    assert "Số liệu" in alert(not_a_number.text)
    adjusted = appraiser.post(
        PAGE + "/adjustments",
        {"version": version_of(card.text), "component": "6.1", "number": "70", "of": "100",
         "reason": "Theo Cổng dịch vụ công"},
    )  # fmt: skip
    assert adjusted.status_code == 303, adjusted.text
    returned = appraiser.post(
        PAGE + "/return",
        {"version": version_of(appraiser.get(PAGE).text), "reason": "Bổ sung quyết định",
         "components": "1.1", "working_days": "5"},
    )  # fmt: skip
    assert returned.status_code == 303, returned.text
    # The unit answers the return.
    card = unit.get(PAGE)
    assert "Bổ sung quyết định" in card.text
    assert 'id="form-answer"' in card.text
    answered = unit.post(
        PAGE + "/answer", {"version": version_of(card.text), "answer": "Đã bổ sung QĐ 15"}
    )
    assert answered.status_code == 303, answered.text
    completed = appraiser.post(
        PAGE + "/appraisal", {"version": version_of(appraiser.get(PAGE).text)}
    )
    assert completed.status_code == 303, completed.text
    # The Office publishes from the ranking page.
    office = visitor(api, "office.vp")
    ranking = office.get("/dti?period=2023")
    assert 'id="form-publish-1"' in ranking.text
    published = office.post(
        "/dti/publish", {"index": "hcm-dti", "version": "1", "period": "2023", "reference": "15/TB"}
    )
    assert published.status_code == 303, published.text
    leader = visitor(api, "leader.chutich")
    shown = leader.get(published.headers["location"].replace("&done=publish", ""))
    row = shown.text.split('data-unit="SO-CT"')[1].split("</tr>")[0]
    # 1.1: 10; 1.3: 5; 6.1: 70% of 20 = 14.
    assert "29" in row
    assert "Khởi động" in row
    assert "Đã công bố" in row
    assert 'data-band="starting" data-count="1"' in shown.text
    exported = leader.get("/dti/export.xlsx?index=hcm-dti&period=2023")
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Hạng"
    assert rows[0][-2:] == ("Tổng điểm", "Mức")
    assert rows[1][0] == 1
    assert rows[1][-2:] == (29, "Khởi động")
    assert "log_position" in [r[0] for r in book.worksheets[-1].iter_rows(values_only=True)]
    english = leader.get("/dti/export.xlsx?index=hcm-dti&period=2023&lang=en")
    first = next(
        load_workbook(io.BytesIO(english.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert first[0] == "Rank"
    assert first[-1] == "Band"


def test_a_unit_does_not_see_another_units_scorecard(api: Api) -> None:
    ok(publish(api, SHIPPED[0]), 201)
    unit = visitor(api, "so-ct.canbo")
    assert (
        unit.post("/dti/start", {"index": "hcm-dti", "version": "1", "period": "2023"}).status_code
        == 303
    )
    other = visitor(api, "so-tc.canbo")
    assert other.get(PAGE).status_code == 404
