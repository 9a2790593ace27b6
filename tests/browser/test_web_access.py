"""What a department officer may not do through the pages: see another unit's directive, open
another unit's inbox, or act on another unit's directive by a crafted form post."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    city_today,
    issue_directive,
    path_of,
    unique_reference,
)


def test_a_department_officer_cannot_see_or_act_on_another_units_directive(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """Another unit's officer gets a 404 page for an SO-CT directive (never its title), a 403 page
    for SO-CT's inbox and for the inspector's page, their own inbox for the dashboard, no hit
    when searching the directive's reference, and a refusal for a form post to it, with or
    without a valid form token; the directive records nothing."""
    leader = new_page(user=server.leader)
    reference = unique_reference("ACL")
    title = "Báo cáo tình hình cung ứng xăng dầu trên địa bàn"
    path = issue_directive(
        leader,
        reference=reference,
        title=title,
        lead_unit="SO-CT",
        deadline=city_today() + timedelta(days=15),
    )
    steps = leader.locator("#timeline > li")
    expect(steps).to_have_count(1)

    other = new_page(user=server.other_officer)
    answer = other.goto(path)
    assert answer is not None
    assert answer.status == 404
    expect(other.locator("h1")).to_have_text("Không tìm thấy")
    expect(other.locator("body")).not_to_contain_text(title)
    expect(other.locator("#actions")).to_have_count(0)
    screenshot(other, "access-404-another-units-directive")

    answer = other.goto("/units/SO-CT")
    assert answer is not None
    assert answer.status == 403
    expect(other.locator("h1")).to_have_text("Không có quyền")
    expect(other.locator("[role=alert]")).to_be_visible()
    expect(other.locator("#inbox")).to_have_count(0)
    screenshot(other, "access-403-another-units-inbox")

    answer = other.goto("/inspector")
    assert answer is not None
    assert answer.status == 403
    other.goto("/dashboard")
    assert path_of(other) == f"/units/{server.other_officer.unit}"

    other.goto(f"/directives?q={reference}")
    expect(other.locator("#directive-list")).to_have_count(0)
    expect(other.locator("body")).not_to_contain_text(title)

    other.goto(f"/units/{server.other_officer.unit}")
    token = other.locator("input[name=csrf]").first.input_value()
    assert re.fullmatch(r"[0-9a-f]{16,}", token), token
    # A department's own actions on a directive it cannot see: 404, as for reading it; an action
    # of the committee's: 403 for the role, before the directive is even looked up.
    crafted: list[tuple[str, dict[str, str | float | bool], int]] = [
        ("acknowledge", {}, 404),
        ("progress", {"percent": "50", "narrative": "x"}, 404),
        ("completion", {"summary": "x"}, 404),
        ("withdraw", {"reason": "x"}, 403),
    ]
    for action, fields, status in crafted:
        form: dict[str, str | float | bool] = {"csrf": token, "version": "1", **fields}
        refused = other.request.post(f"{path}/{action}", form=form, max_redirects=0)
        assert refused.status == status, (action, refused.status)
    tokenless = other.request.post(f"{path}/acknowledge", form={"version": "1"}, max_redirects=0)
    assert tokenless.status == 403

    leader.reload()
    expect(steps).to_have_count(1)
    expect(leader.locator("#status")).to_have_class(re.compile(r"\bstatus-issued\b"))
    officer = new_page(user=server.officer)
    officer.goto("/units/SO-CT")
    row = officer.locator("#inbox tbody tr", has_text=reference)
    expect(row.locator("td.owes")).to_have_text("Tiếp nhận")


def test_another_units_inbox_is_refused_with_the_reason_a_unit_sees_its_own_work_only(
    server: ServedApp, new_page: NewPage
) -> None:
    """The 403 page for another unit's inbox says why (a unit sees its own work only), in the
    reader's language, rather than that the officer's role may not do this: the role may, for
    its own unit."""
    other = new_page(user=server.other_officer)
    answer = other.goto("/units/SO-CT")
    assert answer is not None
    assert answer.status == 403
    alert = other.locator("[role=alert]")
    expect(alert).to_be_visible()
    assert "Đơn vị chỉ xem được việc của chính mình." in alert.inner_text()
    assert "Vai trò của bạn không được làm việc này" not in alert.inner_text()
