"""The petitions' public face in Chromium: a citizen on a phone opens the look-up from the QR
code of a receipt, types the digits wrong and then right, and reads where the petition stands;
the reception prints the receipt on one A4 page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from api.auth import hash_password
from bootstrap import Services, Settings, open_services
from domain.application import SYSTEM_ACTOR
from domain.petitions.commands import PetitionerGiven, ReceivePetition
from domain.petitions.lookup import lookup_pin
from domain.shared.actors import Actor, Role
from tests.browser.conftest import NewPage, Screenshot, ServedApp, User
from tests.browser.test_web_phone import fits_the_width

AGENCY = "SO-XD"
ANONYMOUS_TEXT = (
    "Phản ánh công trình xây dựng không phép tại hẻm 12 đường Trần Quang Khải, thi công ban đêm "
    "gây tiếng ồn kéo dài."
)


@pytest.fixture(scope="module")
def desk(server: ServedApp) -> Iterator[Services]:
    """The served database, opened beside the server as another process of the city would."""
    services = open_services(Settings(database_url=server.db_url), signer="none")
    try:
        yield services
    finally:
        services.close()


@pytest.fixture(scope="module")
def reception(server: ServedApp, desk: Services) -> User:
    """A reception officer of the Department of Construction, with an account on the server."""
    username = f"so-xd.tiepdan{uuid.uuid4().hex[:4]}"
    password = uuid.uuid4().hex
    desk.app.create_user(
        username=username,
        display_name="Võ Thị Thu",
        title="Cán bộ tiếp công dân",
        role=Role.RECEPTION,
        unit=AGENCY,
        password_hash=hash_password(password),
        actor=SYSTEM_ACTOR,
        request_id="browser-setup",
    )
    return User(username, password, "reception", AGENCY)


def receive(desk: Services, reception: User, **fields: object) -> str:
    actor = Actor(reception.username, Role.RECEPTION, AGENCY)
    receipt, _ = desk.app.petitions.receive(
        ReceivePetition(agency=AGENCY, **fields),  # type: ignore[arg-type]
        actor=actor,
        request_id=f"browser-{uuid.uuid4().hex[:8]}",
    )
    return receipt


def test_a_citizen_looks_an_anonymous_petition_up_on_a_phone_from_its_qr_code(
    server: ServedApp,
    new_page: NewPage,
    desk: Services,
    reception: User,
    screenshot: Screenshot,
) -> None:
    """On a phone, the QR code's address opens the form with the code filled in; a wrong PIN
    says no petition matches, the right one shows the status and the step, in Vietnamese and,
    after the switch, in English; nothing scrolls sideways."""
    receipt = receive(desk, reception, anonymous=True, content=ANONYMOUS_TEXT)
    key = desk.lookup_key
    assert key is not None
    pin = lookup_pin(key(), receipt)
    wrong = f"{(int(pin) + 1) % 10_000:04d}"
    page = new_page(phone=True)
    answer = page.goto(f"/tra-cuu/{receipt}")
    assert answer is not None
    assert answer.status == 200
    expect(page.locator("#lookup-code")).to_have_value(receipt)
    fits_the_width(page)
    page.fill("#lookup-digits", wrong)
    with page.expect_navigation():
        page.locator("#lookup-form [type=submit]").click()
    expect(page.locator("#problem")).to_contain_text("Không tìm thấy đơn nào")
    expect(page.locator("#lookup-code")).to_have_value(receipt)
    screenshot(page, "lookup-wrong-phone")
    page.fill("#lookup-digits", pin)
    with page.expect_navigation():
        page.locator("#lookup-form [type=submit]").click()
    expect(page.locator("#lookup-status")).to_have_text("Đã tiếp nhận, chờ phân loại")
    expect(page.locator("#lookup-step")).to_contain_text("đang phân loại")
    expect(page.locator("#lookup-agency")).to_contain_text("Xây dựng")
    expect(page.locator("#lookup-deadline time")).to_be_visible()
    assert ANONYMOUS_TEXT[:30] not in page.content()
    fits_the_width(page)
    screenshot(page, "lookup-phone")
    with page.expect_navigation():
        page.locator("#lang-switch").click()
    expect(page.locator("h1")).to_have_text("Look up a petition")
    page.fill("#lookup-code", receipt.lower())
    page.fill("#lookup-digits", pin)
    with page.expect_navigation():
        page.locator("#lookup-form [type=submit]").click()
    expect(page.locator("#lookup-status")).to_have_text(re.compile("Received"))
    fits_the_width(page)
    screenshot(page, "lookup-phone-en")


def test_the_reception_prints_the_receipt_with_its_qr_code_on_one_a4_page(
    server: ServedApp,
    new_page: NewPage,
    desk: Services,
    reception: User,
    screenshot: Screenshot,
) -> None:
    """The receipt of an anonymous petition with two documents names the agency, the code and
    the documents, and gives the look-up with its QR code and its PIN; printed, it fits one A4
    page."""
    receipt = receive(
        desk,
        reception,
        anonymous=True,
        subject="Phản ánh công trình xây dựng không phép",
        content=ANONYMOUS_TEXT,
        attachments=("sha256:" + "ab" * 32, "sha256:" + "cd" * 32),
    )
    page = new_page(user=reception)
    answer = page.goto(f"/petitions/{receipt}/receipt")
    assert answer is not None
    assert answer.status == 200
    expect(page.locator("#receipt-code")).to_have_text(receipt)
    expect(page.locator("#receipt-petitioners")).to_contain_text("Đơn không ghi tên người gửi")
    expect(page.locator("#receipt-documents")).to_contain_text("2 tài liệu")
    key = desk.lookup_key
    assert key is not None
    expect(page.locator("#receipt-pin")).to_have_text(lookup_pin(key(), receipt))
    qr = page.locator(".qr-box svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 120  # large enough for a phone's camera at arm's length
    expect(page.locator("#receipt-qr-url")).to_have_text(re.compile(f"/tra-cuu/{receipt}$"))
    screenshot(page, "receipt-desktop")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    screenshot(page, "receipt-print")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def test_petitioners_look_up_with_their_numbers_last_digits_and_the_receipt_names_them(
    server: ServedApp,
    new_page: NewPage,
    desk: Services,
    reception: User,
    screenshot: Screenshot,
) -> None:
    """A petition signed by two, received by another process of the city: on a phone either's
    last four digits open the look-up, which names neither; the reception's receipt names both
    and asks for the digits, with no PIN."""
    receipt = receive(
        desk,
        reception,
        petitioners=(
            PetitionerGiven(full_name="Nguyễn Văn An", id_number="079085001234"),
            PetitionerGiven(full_name="Trần Thị Bình", id_number="079190004321"),
        ),
        signers=2,
        subject="Khiếu nại Quyết định 123/QĐ-UBND về thu hồi đất",
        content="Khiếu nại Quyết định số 123/QĐ-UBND về việc thu hồi đất tại thửa 45.",
    )
    page = new_page(phone=True)
    for digits in ("1234", "4321"):
        page.goto(f"/tra-cuu/{receipt}")
        page.fill("#lookup-digits", digits)
        with page.expect_navigation():
            page.locator("#lookup-form [type=submit]").click()
        expect(page.locator("#lookup-status")).to_have_text("Đã tiếp nhận, chờ phân loại")
        content = page.content()
        assert "Nguyễn Văn An" not in content
        assert "Trần Thị Bình" not in content
    officer = new_page(user=reception)
    officer.goto(f"/petitions/{receipt}/receipt")
    expect(officer.locator("#receipt-petitioners")).to_contain_text("Nguyễn Văn An")
    expect(officer.locator("#receipt-petitioners")).to_contain_text("Trần Thị Bình")
    expect(officer.locator("#receipt-signers")).to_have_text("2")
    expect(officer.locator("#receipt-pin")).to_have_count(0)
    screenshot(officer, "receipt-named-desktop")
