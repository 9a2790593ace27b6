"""The browser tests' plumbing end to end: a served demo year opened in headless Chromium."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Screenshot


def test_the_landing_page_opens_in_chromium(page: Page, screenshot: Screenshot) -> None:
    """The served landing page renders in Chromium and names the directives, in Vietnamese."""
    page.goto("/")
    expect(page.get_by_text("Văn bản chỉ đạo").first).to_be_visible()
    assert screenshot(page, "landing-page").stat().st_size > 0
