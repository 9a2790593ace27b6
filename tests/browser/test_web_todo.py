"""A leader clears their queue ("Việc cần làm") in a browser on a phone: two completion reports
and an extension request wait for them; the header of every page counts them; from the queue's
page they accept the reports and grant the extension, one tap each, until the count is 0."""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    User,
    add_user,
    city_today,
    unique_reference,
)


def call(server: ServedApp, user: User, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """A POST to the served API as ``user`` (signed in for a token), answered 200 or 201."""

    def post(url: str, document: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(  # noqa: S310 - our own local server
            server.url(url), json.dumps(document).encode(), headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read())
            return answer

    token = post("/api/session", {"username": user.username, "password": user.password})
    return post(path, body, token["token"])


def api_path(reference: str) -> str:
    return "/api/directives/" + quote(reference.replace("/", "~"), safe="~")


def count_in_header(page: Page) -> int:
    return int(page.locator("#todo-count").inner_text())


def test_a_leader_clears_their_queue_on_a_phone(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    leader = add_user(server, f"leader.hangdoi{uuid.uuid4().hex[:4]}", "leader")
    deadline = city_today() + timedelta(days=30)
    references = [unique_reference("HD") for _ in range(3)]
    for reference in references:
        call(server, leader, "/api/directives", {
            "reference": reference, "title": f"Kiểm tra an toàn thực phẩm đợt {reference[:4]}",
            "lead_unit": "SO-CT", "deadline": deadline.isoformat(),
        })  # fmt: skip
        call(server, server.officer, api_path(reference) + "/acknowledgement", {})
    first, second, extended = (api_path(r) for r in references)
    call(server, server.officer, first + "/completion-report", {"summary": "Đã kiểm tra 40 chợ"})
    call(server, server.officer, extended + "/extension-requests", {
        "new_deadline": (deadline + timedelta(days=30)).isoformat(), "reason": "Chờ kết quả mẫu",
    })  # fmt: skip
    call(server, server.officer, second + "/completion-report", {"summary": "Đã kiểm tra 25 bếp"})

    page = new_page(phone=True, user=leader)
    page.goto("/dashboard")
    expect(page.locator("#nav-todo")).to_have_text("Việc cần làm (3)")
    page.locator("#nav-todo").click()
    page.wait_for_url("**/todo")
    expect(page.locator("#queue-decide_completion .todo-item")).to_have_count(2)
    expect(page.locator("#queue-decide_extension .todo-item")).to_have_count(1)
    # Oldest first; on a phone the title and the next step come first, and nothing runs off
    # the side of the screen.
    oldest = page.locator("#queue-decide_completion .todo-item").first
    expect(oldest).to_have_attribute("data-reference", references[0])
    title, button = oldest.locator(".todo-title"), oldest.locator("button[type=submit]")
    title_box, button_box = title.bounding_box(), button.bounding_box()
    assert title_box is not None
    assert button_box is not None
    assert title_box["y"] < button_box["y"]
    assert button_box["x"] + button_box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "todo-01-leader-queue-phone")

    for left, (queue, reference) in enumerate(
        [
            ("decide_completion", references[0]),
            ("decide_extension", references[2]),
            ("decide_completion", references[1]),
        ]
    ):
        item = page.locator(f'#queue-{queue} .todo-item[data-reference="{reference}"]')
        if queue == "decide_completion":
            item.locator("input[name=confirm]").check()
        with page.expect_navigation():
            item.locator("button[type=submit]").click()
        expect(page.locator("#done")).to_be_visible()
        assert count_in_header(page) == 2 - left
        expect(page.locator(f'.todo-item[data-reference="{reference}"]')).to_have_count(0)
    expect(page.locator("#todo-empty")).to_have_text("Không còn việc nào chờ xử lý.")
    screenshot(page, "todo-02-leader-queue-cleared-phone")

    page.goto(extended.removeprefix("/api"))
    expect(page.locator("#nav-todo")).to_have_text("Việc cần làm (0)")
