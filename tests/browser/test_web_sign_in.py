"""Signing in and out through the pages: every role lands on its own home page, a wrong password
stays on the form, and the form works from the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    User,
    path_of,
    path_of_url,
    sign_in,
)

# Each role's home, by the ServedApp shortcut naming a user of that role.
HOMES = {
    "leader": "/dashboard",
    "office": "/dashboard",
    "officer": "/units/SO-CT",
    "inspector": "/inspector",
    "admin": "/inspector",
}
FOCUSED = """() => {
  const e = document.activeElement;
  if (e === null || e === document.body) return "body";
  if (e.matches("#sign-in [type=submit]")) return "submit";
  return e.id || e.tagName.toLowerCase();
}"""


@pytest.mark.parametrize("who", list(HOMES))
def test_each_role_signs_in_to_its_own_home_page_and_signs_out(
    who: str, server: ServedApp, page: Page, screenshot: Screenshot
) -> None:
    """Signing in through the form lands a leader or the office on the dashboard, a department
    officer on the unit's inbox, an inspector or an administrator on the inspector's page; the
    header names the person ("Name — Title"), and signing out ends the session."""
    user: User = getattr(server, who)
    sign_in(page, user)
    assert path_of(page) == HOMES[who]
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("header .who")).to_contain_text(user.shown)
    screenshot(page, f"home-{user.role}-{path_of(page).strip('/').replace('/', '-')}")

    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    assert path_of(page) == "/sign-in"
    page.goto(HOMES[who])
    assert path_of(page) == "/sign-in", "the revoked session still opened a page"


def test_a_wrong_password_shows_an_alert_and_stays_on_the_sign_in_page(
    server: ServedApp, page: Page, screenshot: Screenshot
) -> None:
    """A wrong password answers 401 with an alert on the sign-in form and signs nobody in."""
    page.goto("/sign-in")
    screenshot(page, "sign-in-desktop")
    page.fill("#username", server.leader.username)
    page.fill("#password", "not-the-password")
    with page.expect_response(
        lambda r: r.request.method == "POST" and path_of_url(r.url) == "/sign-in"
    ) as answer:
        page.locator("#sign-in [type=submit]").click()
    assert answer.value.status == 401
    assert path_of(page) == "/sign-in"
    alert = page.locator("[role=alert]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")
    expect(page.locator("#sign-in")).to_be_visible()
    screenshot(page, "sign-in-wrong-password")
    page.goto("/dashboard")
    assert path_of(page) == "/sign-in"


def test_a_page_asked_for_before_signing_in_opens_once_signed_in(
    server: ServedApp, page: Page
) -> None:
    """Opening a page while signed out leads to the sign-in form, which then leads back there."""
    page.goto("/directives?q=giao+thong")
    assert path_of(page) == "/sign-in"
    page.fill("#username", server.inspector.username)
    page.fill("#password", server.inspector.password)
    with page.expect_navigation():
        page.locator("#sign-in [type=submit]").click()
    assert path_of(page) == "/directives"
    assert "q=giao" in page.url
    expect(page.locator("#result-count")).to_contain_text("giao thong")


def test_the_sign_in_form_works_from_the_keyboard_alone(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """From the top of the sign-in page, Tab reaches the user name, the password and the submit
    button in that order, the focused button shows a focus ring, and Enter signs in."""
    page = new_page()
    user = server.office
    page.goto("/sign-in")
    # Start from the top of the page, as a keyboard user arriving on it does.
    page.locator("a.skip").focus()
    page.evaluate("() => document.activeElement.blur()")
    visited: list[str] = []
    for _ in range(15):
        page.keyboard.press("Tab")
        focused: str = page.evaluate(FOCUSED)
        visited.append(focused)
        if focused == "username":
            page.keyboard.type(user.username)
        elif focused == "password":
            page.keyboard.type(user.password)
        elif focused == "submit":
            break
    assert "username" in visited, f"Tab never reached #username: {visited}"
    start = visited.index("username")
    assert visited[start:] == ["username", "password", "submit"], visited
    outline: str = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused submit button shows no focus ring"
    screenshot(page, "sign-in-keyboard-focus-on-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/dashboard"
    expect(page.locator("header .who")).to_contain_text(user.shown)
