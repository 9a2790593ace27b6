"""The pages on a phone (390x844): nothing makes the page itself scroll sideways; a wide table or
chart scrolls inside its own .scroll box instead."""

from __future__ import annotations

from playwright.sync_api import FloatRect, Page, expect

from api.web.pages.base import to_path
from tests.browser.conftest import NewPage, Screenshot, ServedApp, User

# The page's own width against the window's; one pixel of rounding allowed.
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# For an element: whether it sits in a .scroll box, and that box's widths.
SCROLL_BOX = """(e) => {
  const box = e.closest(".scroll");
  if (box === null) return null;
  return [box.scrollWidth, box.clientWidth, getComputedStyle(box).overflowX];
}"""


def fits_the_width(page: Page) -> None:
    page_width, window_width = page.evaluate(OVERFLOW)
    assert page_width <= window_width + 1, (
        f"{page.url} is {page_width}px wide in a {window_width}px window: it scrolls sideways"
    )


def scrolls_in_its_own_box(page: Page, selector: str, *, wider: bool) -> None:
    """The element sits in a .scroll box that scrolls sideways (and, when ``wider``, does:
    the element is wider than the phone)."""
    element = page.locator(selector).first
    expect(element).to_be_attached()
    box = element.evaluate(SCROLL_BOX)
    assert box is not None, f"{selector} is not inside a .scroll box"
    scroll_width, client_width, overflow = box
    assert overflow in {"auto", "scroll"}, f"{selector}'s box does not scroll: {overflow}"
    if wider:
        assert scroll_width > client_width, f"{selector} fits: {scroll_width} <= {client_width}"


def opened(new_page: NewPage, user: User | None, path: str) -> Page:
    page = new_page(phone=True, user=user)
    answer = page.goto(path)
    assert answer is not None
    assert answer.status == 200, f"{path}: {answer.status}"
    return page


def a_reference(new_page: NewPage, server: ServedApp, category: str) -> str:
    """The reference of the demo's first directive of a category, as the leader sees the list."""
    page = new_page(user=server.leader)
    page.goto(f"/directives?category={category}")
    return page.locator("#directive-list tbody tr a").first.inner_text().strip()


def test_the_dashboard_fits_a_phone_with_its_chart_and_tables_scrolling_in_their_boxes(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """On a phone the dashboard does not scroll sideways; the unit chart's rows fit the phone with
    their names in full, and the ranking and the overdue list each scroll in their own box."""
    page = opened(new_page, server.leader, "/dashboard")
    fits_the_width(page)
    bar = page.locator("#unit-chart li.bar").first
    label, track = bar.locator(".bar-label"), bar.locator(".bar-track")
    assert label.evaluate("(e) => e.scrollWidth <= e.clientWidth")  # the name is not cut
    assert (track.bounding_box() or {"width": 0})["width"] > 200  # the bar is not squeezed
    scrolls_in_its_own_box(page, "table#ranking", wider=False)
    scrolls_in_its_own_box(page, "table#late-list", wider=False)
    screenshot(page, "dashboard-phone")


def test_a_late_directives_page_fits_a_phone_with_its_progress_chart_in_a_box(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """On a phone a directive completed late (progress chart, why-late table, timeline) does not
    scroll sideways; its progress chart, wider than the phone, scrolls in its own box."""
    reference = a_reference(new_page, server, "completed_late")
    page = opened(new_page, server.leader, f"/directives/{to_path(reference)}")
    expect(page.locator("#why-late table")).to_be_visible()
    fits_the_width(page)
    scrolls_in_its_own_box(page, "svg#progress-chart", wider=True)
    scrolls_in_its_own_box(page, "#why-late table", wider=False)
    screenshot(page, "directive-phone-completed-late")


def test_a_units_inbox_fits_a_phone(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """The inbox of a unit with open work (a ward's, as a rule, in the year to today) fits a
    phone; its table scrolls in its own box; the same inbox on a desk is kept as a screenshot
    too."""
    unit = server.other_officer.unit
    page = opened(new_page, server.other_officer, f"/units/{unit}")
    rows = page.locator("#inbox tbody tr")
    expect(rows.first).to_be_visible()
    fits_the_width(page)
    scrolls_in_its_own_box(page, "table#inbox", wider=False)
    screenshot(page, "inbox-phone-other-unit")
    desk = new_page(user=server.other_officer)
    desk.goto(f"/units/{unit}")
    expect(desk.locator("#inbox tbody tr").first).to_be_visible()
    screenshot(desk, "inbox-desktop-other-unit")


def test_the_inspectors_page_and_a_directives_history_fit_a_phone(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """The inspector's page (checkpoint note, long hashes, audit trail) and a directive's history
    with its slider fit a phone; the audit trail scrolls in its own box."""
    page = opened(new_page, server.inspector, "/inspector")
    fits_the_width(page)
    scrolls_in_its_own_box(page, "table#audit-trail", wider=False)
    screenshot(page, "inspector-phone")

    reference = a_reference(new_page, server, "completed_late")
    page.goto(f"/inspector/directives/{to_path(reference)}")
    expect(page.locator("input#version")).to_be_visible()
    fits_the_width(page)
    screenshot(page, "history-phone")


def test_the_sign_in_page_fits_a_phone(
    new_page: NewPage, screenshot: Screenshot, server: ServedApp
) -> None:
    """The sign-in form fits a phone, its fields within the window."""
    page = opened(new_page, None, "/sign-in")
    fits_the_width(page)
    window_width: int = page.evaluate("() => window.innerWidth")
    for field in ("#username", "#password", "#sign-in [type=submit]"):
        box = page.locator(field).bounding_box()
        assert box is not None
        assert box["x"] >= 0, field
        assert box["x"] + box["width"] <= window_width, field
    screenshot(page, "sign-in-phone")


def test_the_petitions_pages_fit_a_phone_with_their_tables_scrolling_in_their_boxes(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """On a phone the petitions' dashboard, list and an officer's queue do not scroll sideways;
    the dashboard's table of agencies, wider than the phone, and the list scroll in their own
    boxes."""
    page = opened(new_page, server.leader, "/petitions/dashboard")
    expect(page.locator("#petition-tiles")).to_be_visible()
    fits_the_width(page)
    scrolls_in_its_own_box(page, "table#agency-figures", wider=True)
    screenshot(page, "petitions-dashboard-phone")
    page = opened(new_page, server.inspector, "/petitions")
    fits_the_width(page)
    scrolls_in_its_own_box(page, "table#petition-list", wider=False)
    screenshot(page, "petitions-list-phone")
    page = opened(new_page, server.officer, "/petitions/queue")
    expect(page.locator("h1")).to_contain_text("Việc cần làm — Đơn thư")
    fits_the_width(page)
    screenshot(page, "petitions-queue-phone")


def within_the_window(page: Page, selector: str) -> FloatRect:
    """The element is shown, whole, inside the phone's window (not off to the right)."""
    element = page.locator(selector).first
    expect(element).to_be_visible()
    box = element.bounding_box()
    assert box is not None, selector
    window_width: int = page.evaluate("() => window.innerWidth")
    assert box["x"] >= 0, f"{selector} starts at {box['x']}"
    assert box["x"] + box["width"] <= window_width + 1, f"{selector} ends off-screen: {box}"
    return box


def test_the_list_of_directives_on_a_phone_shows_each_title_and_next_step_first(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """At 390 px the list does not scroll sideways: each row is a card whose title, then its
    next step, come first and lie within the window; the pager is reachable too. A unit's
    inbox shows its titles and what it owes first in the same way."""
    page = opened(new_page, server.leader, "/directives?status=open")
    fits_the_width(page)
    title = within_the_window(page, "#directive-list tbody tr td.list-title .title")
    step = within_the_window(page, "#directive-list tbody tr td.next-step")
    unit = within_the_window(page, "#directive-list tbody tr td[data-label]")
    assert title["y"] < step["y"] < unit["y"], "the title, then the next step, come first"
    assert page.locator("#directive-list tbody tr td.next-step").first.inner_text().strip() != "—"
    screenshot(page, "directives-list-phone")

    inbox = opened(new_page, server.other_officer, f"/units/{server.other_officer.unit}")
    fits_the_width(inbox)
    first = "#inbox tbody tr:first-child"
    inbox_title = within_the_window(inbox, f"{first} td:nth-child(5)")
    owes = within_the_window(inbox, f"{first} td.owes")
    urgency = within_the_window(inbox, f"{first} td:nth-child(1)")
    assert inbox_title["y"] < owes["y"] < urgency["y"], "the title, then what is owed, first"
    screenshot(inbox, "inbox-phone-titles-first")
