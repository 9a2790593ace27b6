"""Administration in the pages (issue 27, item 6): the administrator creates an account through
the form, the person signs in with the password the page showed once, and the administrator
disables the account, which signs them out."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import NewPage, Screenshot, ServedApp, User, path_of, sign_in


def test_an_administrator_creates_an_account_the_person_signs_in_then_it_is_disabled(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """The account made on /admin/users signs in with the password shown once, lands on its
    unit's page, and is signed out from its next page once the administrator disables it; the
    account's page lists both changes with who made them."""
    username = f"so-yt.canbo{uuid.uuid4().hex[:6]}"
    admin = new_page(user=server.admin)
    admin.goto("/")
    admin.get_by_role("link", name="Quản trị").click()
    assert path_of(admin) == "/admin/users"
    form = admin.locator("#form-new")
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Họ và tên").fill("Phạm Thị Thu")
    form.get_by_label("Chức danh").fill("Chuyên viên Sở Y tế")
    form.get_by_label("Vai trò").select_option("department")
    form.get_by_label("Đơn vị").select_option("SO-YT")
    with admin.expect_navigation():
        form.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.locator("#done")).to_contain_text("Đã tạo tài khoản")
    password = admin.locator("#new-password").inner_text().strip()
    assert len(password) >= 12
    expect(admin.locator("#account-name")).to_have_text("Phạm Thị Thu")
    screenshot(admin, "admin-account-created")

    person = new_page()
    sign_in(person, User(username, password, "department", "SO-YT"))
    assert path_of(person) == "/units/SO-YT"
    expect(person.locator("header .who")).to_contain_text("Phạm Thị Thu — Chuyên viên Sở Y tế")

    admin.goto(f"/admin/users/{username}")
    expect(admin.locator("#new-password")).to_have_count(0)  # shown once
    disable = admin.locator("#form-disable")
    disable.get_by_label("Lý do").fill("Chuyển công tác")
    with admin.expect_navigation():
        disable.get_by_role("button", name="Khóa tài khoản").click()
    expect(admin.locator("#account-state")).to_have_text("Đã khóa")
    expect(admin.locator("#changes")).to_contain_text("Khóa tài khoản")
    expect(admin.locator("#changes")).to_contain_text("Tạo tài khoản " + username)
    screenshot(admin, "admin-account-disabled")

    person.goto("/units/SO-YT")
    assert path_of(person) == "/sign-in", "a disabled account still opened a page"
    person.fill("#username", username)
    person.fill("#password", password)
    with person.expect_navigation():
        person.locator("#sign-in [type=submit]").click()
    assert path_of(person) == "/sign-in"
    expect(person.locator("[role=alert]")).to_be_visible()
