"""The same matter filed twice, in the browser, on a desktop and on a phone (issue 26): District
1's reception registers and classifies a matter; Sở Xây dựng's reception, typing it again, looks
for the same matter before saving, registers it, and on the page the registration leads to and
before classifying sees the earlier filing proposed with its reasons and score; marks it as the
same matter with a reason, sees it linked and told in the timeline; undoes the mark with a
reason and sees it proposed again. On the phone nothing of the panel is wider than the
screen."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from api.web.i18n import MATCH_REASONS
from tests.browser.conftest import NewPage, Screenshot, ServedApp, path_of
from tests.browser.test_web_petition_flow import act


def identity_number() -> str:
    """A 12-digit identification number of the city no other test or demo petition gives."""
    return "079" + f"{uuid.uuid4().int % 10**9:09d}"


def content(place: int) -> str:
    return (
        f"Kiến nghị sửa chữa cống thoát nước bị vỡ trước nhà số {place} đường Đồng Khởi, "
        "phường Sài Gòn, gây ngập nước mỗi khi mưa lớn, đề nghị xử lý dứt điểm."
    )


def register(
    page: Page, *, id_number: str, text: str, subject: str, expected: str | None = None
) -> str:
    """Registers a petition through the intake form; the receipt code it was given. With
    ``expected``, first looks for the same matter and finds that receipt among the candidates."""
    page.goto("/petitions/new")
    page.fill("#petitioners-0-full_name", "Lê Thị Hồng")
    page.fill("#petitioners-0-id_number", id_number)
    page.fill("#petitioners-0-address", "7 Đồng Khởi, phường Sài Gòn")
    page.fill("#content", text)
    page.fill("#subject", subject)
    if expected is not None:
        with page.expect_navigation():
            page.locator("#check").click()
        expect(page.locator(f"#candidates li[data-receipt='{expected}']")).to_be_visible()
        expect(page.locator("#content")).to_have_value(text)
    with page.expect_navigation():
        page.locator("#save").click()
    expect(page.locator("#saved-receipt")).to_be_visible()
    return page.locator("#saved-receipt").inner_text().strip()


def send(form_of: Locator, page: Page, reason: str) -> None:
    """Opens a folded form of the panel, types the reason and sends it."""
    details = form_of.locator("details.link-form")
    if details.get_attribute("open") is None:  # a refused form comes back open
        details.locator("summary").click()
    details.locator("textarea[name=reason]").fill(reason)
    with page.expect_navigation():
        details.locator("[type=submit]").click()


def no_wider_than_the_screen(page: Page) -> None:
    viewport = page.viewport_size
    assert viewport is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    box = page.locator("#same-matter").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport["width"]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_repeat_shows_its_earlier_filing_which_is_marked_and_unmarked_with_reasons(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot, phone: bool
) -> None:
    """The candidate with its agency, its reasons in words and its score; a mark without a
    reason refused in its own form; marked, it is linked and told in the timeline; unmarked,
    it is proposed again."""
    shot = "phone" if phone else "desktop"
    number = identity_number()
    place = 100 + uuid.uuid4().int % 800
    ward = new_page(phone=phone, user=server.users["ubnd-p-saigon.tiepdan"])
    earlier = register(
        ward, id_number=number, text=content(place), subject=f"Cống trước số {place}"
    )
    act(ward, "classify", kind="proposal", field="other", competence="ours")

    reception = new_page(phone=phone, user=server.users["so-xd.tiepdan"])
    receipt = register(
        reception,
        id_number=number,
        text=content(place) + " Đã gửi phường Sài Gòn nhưng chưa thấy sửa.",
        subject=f"Cống trước số {place} Đồng Khởi",
        expected=earlier,
    )
    case = f"/petitions/{receipt}"
    assert path_of(reception) == case
    panel = reception.locator("#same-matter")
    expect(panel).to_be_visible()
    # Seen before the classification form, on the page the registration leads to.
    assert panel.evaluate(
        "(p) => !!(p.compareDocumentPosition(document.getElementById('form-classify')) & 4)"
    )
    candidate = reception.locator(f"#candidates li[data-receipt='{earlier}']")
    expect(candidate).to_be_visible()
    expect(candidate.locator(".filing-agency")).to_have_text("Ủy ban nhân dân phường Sài Gòn")
    expect(candidate.locator(".filing-status")).to_have_text("Đã phân loại, chờ xử lý")
    expect(candidate.locator("ul.reasons")).to_contain_text(MATCH_REASONS["match.id.exact"][0])
    expect(candidate.locator(".score-value")).to_contain_text("%")
    expect(candidate).not_to_contain_text(number)
    expect(candidate).not_to_contain_text("Lê Thị Hồng")
    screenshot(reception, f"same-matter-01-candidate-{shot}")
    if phone:
        no_wider_than_the_screen(reception)

    send(candidate, reception, "")
    expect(reception.locator(f"#candidates li[data-receipt='{earlier}'] #problem")).to_be_visible()
    expect(reception.locator("#problem")).to_contain_text("Không được để trống")

    reason = f"Cùng người gửi, cùng cống trước số {place}."
    send(reception.locator(f"#candidates li[data-receipt='{earlier}']"), reception, reason)
    assert "done=same-matter" in reception.url
    linked = reception.locator(f"#linked li[data-receipt='{earlier}']")
    expect(linked).to_be_visible()
    expect(reception.locator(f"#candidates li[data-receipt='{earlier}']")).to_have_count(0)
    expect(reception.locator("#timeline > li").last).to_contain_text(
        f"Đánh dấu cùng vụ việc với hồ sơ {earlier}: {reason}"
    )
    screenshot(reception, f"same-matter-02-linked-{shot}")
    if phone:
        no_wider_than_the_screen(reception)

    undo = "Người gửi cho biết là cống khác."
    send(linked, reception, undo)
    assert "done=same-matter-undo" in reception.url
    expect(reception.locator("#linked-none")).to_be_visible()
    expect(reception.locator(f"#candidates li[data-receipt='{earlier}']")).to_be_visible()
    expect(reception.locator("#timeline > li").last).to_contain_text(
        f"Bỏ đánh dấu cùng vụ việc với hồ sơ {earlier}: {undo}"
    )
    screenshot(reception, f"same-matter-03-unlinked-{shot}")
    if phone:
        no_wider_than_the_screen(reception)
