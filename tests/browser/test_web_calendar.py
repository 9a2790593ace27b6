"""The issue form's deadline in working days, in a browser on a phone: the leader gives a number
of working days instead of a date, and the directive is due on that many-th working day after
today by the calendar in force; giving both is refused on the form, in Vietnamese."""

from __future__ import annotations

from playwright.sync_api import expect

from domain.shared.calendar import WorkingCalendar
from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    city_today,
    shown_day,
    unique_reference,
)


def test_a_leader_on_a_phone_issues_a_directive_due_in_ten_working_days(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """The demo has no swap declared, so the deadline is the law's tenth working day."""
    leader = new_page(phone=True, user=server.leader)
    leader.goto("/directives/new")
    field = leader.locator("#deadline_in_working_days")
    expect(leader.locator("label[for=deadline_in_working_days]")).to_have_text(
        "Hoặc thời hạn tính bằng số ngày làm việc"
    )
    reference = unique_reference("LV")
    leader.fill("#reference", reference)
    leader.fill("#title", "Trả lời kiến nghị của cử tri về ngập nước")
    leader.select_option("#lead_unit", "SO-XD")
    leader.fill("#deadline", "2099-01-01")
    field.fill("10")
    with leader.expect_navigation():
        leader.locator("#issue [type=submit]").click()
    expect(leader.locator("[role=alert]")).to_contain_text("không ghi cả hai")
    screenshot(leader, "calendar-01-issue-form-both-refused-phone")
    leader.fill("#deadline", "")
    with leader.expect_navigation():
        leader.locator("#issue [type=submit]").click()
    assert "done=issue" in leader.url, leader.url
    due = WorkingCalendar().add_working_days(city_today(), 10)
    expect(leader.locator("#original-deadline")).to_have_text(shown_day(due))
    screenshot(leader, "calendar-02-issued-in-working-days-phone")
