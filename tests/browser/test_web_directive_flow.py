"""A directive's life through the pages, each person in a browser of their own: the leader issues
it, the lead unit's officer acknowledges it, reports progress and completion, the leader accepts
it, and the dashboard counts it; a wrong form is refused where it was filled in."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from urllib.parse import quote

from playwright.sync_api import Page, expect

from cli.demo_users import DEMO_USERS
from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    city_today,
    issue_directive,
    path_of,
    path_of_url,
    shown_day,
    tile_count,
    unique_reference,
)


def act(page: Page, name: str, **fields: str) -> int:
    """Fills the directive page's form[data-action=name] and submits it; the POST's status."""
    form = page.locator(f"form[data-action={name}]")
    for field, value in fields.items():
        if field == "confirm":  # what cannot be undone is confirmed by a ticked box
            form.locator("[name=confirm]").check()
        else:
            form.locator(f"[name={field}]").fill(value)
    with (
        page.expect_response(
            lambda r: r.request.method == "POST" and path_of_url(r.url).endswith(f"/{name}")
        ) as answer,
        page.expect_navigation(),
    ):
        form.locator("[type=submit]").click()
    return answer.value.status


def done(page: Page, name: str) -> None:
    """The action went through: redirected to the directive with ?done=name and a notice."""
    assert f"done={name}" in page.url, page.url
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("[role=alert]")).to_have_count(0)


def test_a_directive_goes_from_issue_to_accepted_completion_and_the_dashboard_counts_it(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """The leader issues a directive to SO-CT; its officer finds it in the inbox, acknowledges,
    reports 40% then 100% and completion; the leader accepts; the directive is completed on time,
    its timeline lists every step with who took it, and the dashboard's completed-on-time and
    total tiles each rose by one."""
    leader = new_page(user=server.leader)
    leader.goto("/dashboard")
    on_time_before = tile_count(leader, "completed_on_time")
    total_before = tile_count(leader, "total")
    screenshot(leader, "flow-01-dashboard-before")

    reference = unique_reference("FLOW")
    deadline = city_today() + timedelta(days=30)
    title = "Kiểm tra an toàn thực phẩm tại các chợ đầu mối"
    path = issue_directive(
        leader,
        reference=reference,
        title=title,
        lead_unit="SO-CT",
        deadline=deadline,
        content="Báo cáo kết quả kiểm tra về UBND Thành phố.",
        filled=lambda page: screenshot(page, "flow-02-issue-form-filled"),
    )
    assert path.startswith("/directives/")
    assert "~" in path, path  # the reference's "/" is written "~"
    expect(leader.locator("#done")).to_be_visible()
    expect(leader.locator("h1")).to_contain_text(reference)
    expect(leader.locator("#status")).to_have_class(re.compile(r"\bstatus-issued\b"))
    expect(leader.locator("#lead-unit")).to_have_text("Sở Công Thương")
    expect(leader.locator("#original-deadline")).to_have_text(shown_day(deadline))
    expect(leader.locator("#deadline-in-force")).to_have_text(shown_day(deadline))
    screenshot(leader, "flow-03-directive-issued-leader")

    officer = new_page(user=server.officer)
    officer.goto("/units/SO-CT")
    row = officer.locator("#inbox tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    expect(row.locator("td.owes")).to_have_text("Tiếp nhận")
    screenshot(officer, "flow-04-inbox-so-ct-with-the-new-directive")
    with officer.expect_navigation():
        row.get_by_role("link", name=reference).click()
    assert path_of(officer) == path
    screenshot(officer, "flow-05-directive-officer-before-acknowledging")

    assert act(officer, "acknowledge") == 303
    done(officer, "acknowledge")
    expect(officer.locator("#status")).to_have_class(re.compile(r"\bstatus-in_progress\b"))
    expect(officer.locator("#progress-chart")).to_have_count(0)

    assert act(officer, "progress", percent="40", narrative="Đã kiểm tra 12/30 chợ.") == 303
    done(officer, "progress")
    expect(officer.locator("#percent")).to_have_text("40%")
    expect(officer.locator("svg#progress-chart")).to_be_visible()
    screenshot(officer, "flow-06-directive-progress-40")

    assert act(officer, "progress", percent="100", narrative="Đã kiểm tra đủ 30 chợ.") == 303
    done(officer, "progress")
    expect(officer.locator("#percent")).to_have_text("100%")

    assert (
        act(officer, "completion", summary="Hoàn thành kiểm tra, không phát hiện vi phạm.") == 303
    )
    done(officer, "completion")
    expect(officer.locator("#status")).to_have_class(re.compile(r"\bstatus-completion_reported\b"))
    screenshot(officer, "flow-07-directive-completion-reported")

    leader.goto(path)
    decide = leader.locator("form[data-action=decide_completion]")
    expect(decide).to_contain_text("Hoàn thành kiểm tra, không phát hiện vi phạm.")
    decide.locator("input[name=decision][value=accept]").check()
    assert act(leader, "decide_completion", note="Công nhận hoàn thành.", confirm="yes") == 303
    done(leader, "decide_completion")
    expect(leader.locator("#status")).to_have_class(re.compile(r"\bstatus-completed\b"))
    expect(leader.locator("#status")).to_have_text("Đã hoàn thành")
    expect(leader.locator("#category")).to_have_class(re.compile(r"category-completed_on_time"))
    expect(leader.locator("#percent")).to_have_text("100%")
    expect(leader.locator("#actions form")).to_have_count(0)

    steps = leader.locator("#timeline > li")
    expect(steps).to_have_count(6)
    versions = [steps.nth(i).get_attribute("data-version") for i in range(6)]
    assert versions == ["1", "2", "3", "4", "5", "6"]
    actors = [steps.nth(i).locator(".by").inner_text() for i in range(6)]
    officer_id, leader_id = server.officer.username, server.leader.username
    people = {u.username: f"{u.name} — {u.title}" for u in DEMO_USERS}  # who, not the login
    assert actors == [f"({people[who]})" for who in [leader_id, *[officer_id] * 4, leader_id]]
    for i in range(6):
        assert steps.nth(i).locator(".what").inner_text().strip(), f"step {i + 1} says nothing"
    expect(steps.nth(2)).to_contain_text("Đã kiểm tra 12/30 chợ.")
    screenshot(leader, "flow-08-directive-completed-timeline")

    leader.goto("/dashboard")
    assert tile_count(leader, "completed_on_time") == on_time_before + 1
    assert tile_count(leader, "total") == total_before + 1
    screenshot(leader, "flow-09-dashboard-after")

    officer.goto("/units/SO-CT")
    expect(officer.locator("#inbox tbody tr", has_text=reference)).to_have_count(0)


def test_a_progress_report_over_100_percent_is_refused_inside_its_form_and_not_recorded(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """Reporting 150% (and then no percent at all) answers 422 and re-shows the page with an
    alert inside the progress form, keeping what was typed; nothing is recorded until a valid
    percent is sent."""
    leader = new_page(user=server.leader)
    path = issue_directive(
        leader,
        reference=unique_reference("FORM"),
        title="Rà soát các dự án chậm tiến độ",
        lead_unit="SO-CT",
        deadline=city_today() + timedelta(days=20),
    )
    officer = new_page(user=server.officer)
    officer.goto(path)
    assert act(officer, "acknowledge") == 303
    steps = officer.locator("#timeline > li")
    expect(steps).to_have_count(2)

    assert act(officer, "progress", percent="150", narrative="Quá mức") == 422
    form = officer.locator("form[data-action=progress]")
    alert = form.locator("[role=alert]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Phần trăm")
    expect(officer.locator("[role=alert]")).to_have_count(1)
    expect(form.locator("[name=percent]")).to_have_value("150")
    expect(form.locator("[name=narrative]")).to_have_value("Quá mức")
    expect(officer.locator("#percent")).to_have_text("0%")
    expect(steps).to_have_count(2)
    screenshot(officer, "directive-progress-150-percent-refused")

    assert act(officer, "progress", percent="") == 422
    expect(form.locator("[role=alert]")).to_be_visible()
    expect(steps).to_have_count(2)

    assert act(officer, "progress", percent="30") == 303
    done(officer, "progress")
    expect(officer.locator("#percent")).to_have_text("30%")
    expect(steps).to_have_count(3)


def test_a_form_sent_from_a_page_the_directive_has_moved_past_is_refused_as_a_conflict(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """Two tabs on one directive: once a reminder is sent from the first, a reminder sent from
    the second (still showing the older version) answers 409 with the conflict explained inside
    its form and the latest state shown; it records nothing, and sending it again then works."""
    first = new_page(user=server.office)
    path = issue_directive(
        first,
        reference=unique_reference("STALE"),
        title="Đôn đốc giải ngân vốn đầu tư công",
        lead_unit="SO-CT",
        deadline=city_today() + timedelta(days=25),
        issuer="leader.chutich",  # the office issues on the chairman's behalf
    )
    second = first.context.new_page()
    second.goto(path)
    first.goto(path)
    steps = first.locator("#timeline > li")

    assert act(first, "remind", message="Đề nghị báo cáo tiến độ trước thứ Sáu.") == 303
    done(first, "remind")
    expect(steps).to_have_count(2)

    assert act(second, "remind", message="Nhắc lại lần hai.") == 409
    alert = second.locator("form[data-action=remind] [role=alert]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Văn bản đã thay đổi")
    expect(second.locator("#timeline > li")).to_have_count(2)
    screenshot(second, "directive-stale-form-conflict")

    assert act(second, "remind", message="Nhắc lại lần hai.") == 303
    done(second, "remind")
    expect(second.locator("#timeline > li")).to_have_count(3)


def test_a_withdrawn_directive_is_assessed_in_no_category_on_its_page_or_in_the_lists(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """Once the leader withdraws a directive, its page shows it withdrawn with no assessment
    (not "in progress", nor later "overdue"), the category lists leave it out and the dashboard
    no longer counts it, as the tiles' rule has it."""
    leader = new_page(user=server.leader)
    issuer = f"Tổ thu hồi {uuid.uuid4().hex[:8]}"
    reference = unique_reference("WD")
    path = issue_directive(
        leader,
        reference=reference,
        title="Tạm dừng thu phí tại các bãi giữ xe",
        lead_unit="SO-CT",
        deadline=city_today() + timedelta(days=10),
        issuer=issuer,
    )
    expect(leader.locator("#category")).to_have_class(re.compile(r"category-in_progress"))
    assert act(leader, "withdraw", reason="Đã có văn bản thay thế.", confirm="yes") == 303
    done(leader, "withdraw")
    expect(leader.locator("#status")).to_have_class(re.compile(r"\bstatus-withdrawn\b"))
    screenshot(leader, "directive-withdrawn")

    leader.goto(f"/dashboard?issuer={quote(issuer)}")
    assert tile_count(leader, "total") == 0
    leader.goto(path)
    expect(leader.locator("#category")).to_have_count(0, timeout=1_000)
    for category in ("in_progress", "overdue"):
        leader.goto(f"/directives?category={category}")
        expect(leader.locator("#directive-list", has_text=reference)).to_have_count(0)
