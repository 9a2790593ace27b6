"""The discussion of a directive in a browser (issue 27, item 5): an officer of the lead unit
comments, an officer of a coordinating unit replies to that comment, and both see the thread,
with the forms alone (no script)."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    city_today,
    issue_directive,
    unique_reference,
)


def test_a_comment_thread_runs_between_two_units(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """SO-CT leads and SO-XD coordinates; SO-CT's officer asks, SO-XD's officer answers that
    comment, chosen in the form's select; each page shows both, in order, the answer marked as
    the reply, and names the units in Vietnamese."""
    leader = new_page(user=server.leader)
    path = issue_directive(
        leader,
        reference=unique_reference("TL"),
        title="Phối hợp rà soát chợ truyền thống trên địa bàn",
        lead_unit="SO-CT",
        deadline=city_today() + timedelta(days=20),
        filled=lambda page: page.select_option("#coordinating_units", "SO-XD"),
    )
    question = "Đề nghị Sở Xây dựng gửi danh sách chợ xuống cấp trước thứ Sáu."
    answer = "Sở Xây dựng sẽ gửi danh sách 14 chợ vào sáng thứ Năm."

    lead = new_page(user=server.officer)
    lead.goto(path)
    expect(lead.locator("#discussion")).to_contain_text("Chưa có ý kiến nào.")
    post(lead, question)
    assert "done=comment" in lead.url, lead.url
    expect(lead.locator("#done")).to_contain_text("Gửi ý kiến")

    coordinator = new_page(user=server.users["so-xd.canbo"])
    coordinator.goto(path)
    first = coordinator.locator("#comment-1")
    expect(first).to_contain_text(question)
    expect(first.locator(".by")).to_contain_text("Sở Công Thương")
    coordinator.locator("#comment-reply_to").select_option("1")
    post(coordinator, answer)
    assert "done=comment" in coordinator.url, coordinator.url
    screenshot(coordinator, "discussion-01-the-coordinator-replies")

    lead.goto(path)
    for page in (lead, coordinator):
        comments = page.locator("#comments > li")
        expect(comments).to_have_count(2)
        expect(comments.nth(0)).to_contain_text(question)
        reply = comments.nth(1)
        expect(reply).to_contain_text(answer)
        expect(reply).to_have_attribute("data-reply-to", "1")
        expect(reply).to_contain_text("trả lời ý kiến số 1")
        expect(reply.locator(".by")).to_contain_text("Sở Xây dựng")
        expect(page.locator("#timeline")).to_contain_text("trả lời ý kiến số 1")
    screenshot(lead, "discussion-02-the-lead-unit-sees-the-thread")
    reply_link = lead.locator("#comment-2 a[href='#comment-1']")
    expect(reply_link).to_have_count(1)


def post(page: Page, text: str) -> None:
    form = page.locator("form[data-action=comment]")
    form.locator("[name=text]").fill(text)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    expect(page.locator("[role=alert]")).to_have_count(0)
