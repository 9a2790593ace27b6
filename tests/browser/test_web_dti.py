"""The digital-transformation index in Chromium (issue 29): a unit's officer opens its
assessment for this year, enters a value with its evidence and submits; the appraising body
finds it in its queue, adjusts a value with a reason and sends it back with a deadline; the unit
answers; the appraisal completes; and the Office publishes from the ranking, which then shows
the unit published with its rank, band and the log position."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, ServedApp, add_user

APPRAISER = (
    "so-khcn.canbo"  # the 2025 index is appraised by the Department of Science and Technology
)


def open_stage(page: Page) -> str:
    stage = page.locator("#dti-stage").get_attribute("data-stage")
    assert stage is not None
    return stage


def test_a_unit_submits_an_appraiser_adjusts_and_sends_back_the_unit_answers_the_office_publishes(
    server: ServedApp, new_page: NewPage
) -> None:
    year = "2026"
    unit = new_page(user=server.officer)
    unit.goto("/")
    unit.locator("#nav-dti").click()
    unit.goto(f"/dti?period={year}")
    start = unit.locator("#form-start")
    start.locator("select[name=version]").select_option("2")
    start.locator("input[name=period]").fill(year)
    start.locator("button[type=submit]").click()
    expect(unit.locator("#done")).to_be_visible()
    assert open_stage(unit) == "draft"
    scorecard = unit.url.split("?")[0]
    entry = unit.locator("#form-values-1\\.1")
    entry.locator("input[name=number]").fill("1")
    entry.locator("input[name=evidence]").fill("Quyết định thành lập Ban chỉ đạo chuyển đổi số")
    entry.locator("button[type=submit]").click()
    expect(unit.locator("#c-1\\.1 .dti-points")).to_have_text("2,5")
    share = unit.locator("#form-values-3\\.1")
    share.locator("input[name=number]").fill("80")
    share.locator("input[name=of]").fill("100")
    share.locator("button[type=submit]").click()
    expect(unit.locator("#done")).to_be_visible()
    unit.locator("#form-submission button").click()
    expect(unit.locator("#dti-stage")).to_have_attribute("data-stage", "submitted")

    appraiser_user = add_user(server, APPRAISER, "department", "SO-KHCN")
    appraiser = new_page(user=appraiser_user)
    appraiser.goto("/dti/queue")
    appraiser.locator("#dti-queue tr[data-key*='SO-CT'] a").first.click()
    assert appraiser.url == scorecard
    adjust = appraiser.locator("#form-adjustments-3\\.1")
    adjust.locator("input[name=number]").fill("60")
    adjust.locator("input[name=of]").fill("100")
    adjust.locator("input[name=reason]").fill("Theo số liệu Cổng dịch vụ công")
    adjust.locator("button[type=submit]").click()
    expect(appraiser.locator("#c-3\\.1")).to_contain_text("Theo số liệu Cổng dịch vụ công")
    appraiser.locator("#details-return summary").click()
    back = appraiser.locator("#form-return")
    back.locator("textarea[name=reason]").fill("Bổ sung kế hoạch chuyển đổi số năm")
    back.locator("input[name=working_days]").fill("5")
    back.locator("input[value='1.1']").check()
    back.locator("button[type=submit]").click()
    expect(appraiser.locator("#dti-stage")).to_have_attribute("data-stage", "returned")

    unit.goto(scorecard)
    expect(unit.locator(".dti-return")).to_contain_text("Bổ sung kế hoạch chuyển đổi số năm")
    unit.locator("#form-answer textarea[name=answer]").fill("Đã bổ sung Kế hoạch 12/KH-SCT")
    unit.locator("#form-answer button").click()
    expect(unit.locator("#dti-stage")).to_have_attribute("data-stage", "submitted")

    appraiser.goto(scorecard)
    appraiser.locator("#form-appraisal button").click()
    expect(appraiser.locator("#dti-stage")).to_have_attribute("data-stage", "appraised")

    office = new_page(user=server.office)
    office.goto(f"/dti?period={year}")
    publish = office.locator("#form-publish-2")
    publish.locator("input[name=reference]").fill("Thông báo 15/TB-VP")
    publish.locator("button[type=submit]").click()
    expect(office.locator("#done")).to_be_visible()
    row = office.locator("tr[data-unit='SO-CT']")
    expect(row).to_contain_text("Đã công bố")
    position = office.locator("#dti-position").inner_text()
    assert re.fullmatch(r"[\d.]+", position)
    assert f"position={position.replace('.', '')}" in office.url
