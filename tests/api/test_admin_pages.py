"""The administrator's pages (issue 27, item 6): accounts and units managed through forms without
script, each change an event in the audit trail with the administrator as its actor, a password
shown once on the page that answers the form, refusals said in the reader's language; on SQLite
and PostgreSQL."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import falcon.testing
import pytest

from api.routes import PAGES
from domain.shared.actors import Role
from tests.api.conftest import USERS, Api, api_on
from tests.api.test_audit_api import audit_up, walk
from tests.api.test_pages import FORM, Visitor, alert, visitor
from tests.refusals import english_words


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    yield from api_on(request.param, tmp_path)


def shown_password(page: falcon.testing.Result) -> str:
    found = re.search(r'<code id="new-password">([^<]+)</code>', page.text)
    assert found is not None, "the page shows the new password"
    return html.unescape(found[1])


def text_of(page: falcon.testing.Result, element: str) -> str:
    found = re.search(rf'id="{element}"[^>]*>(.*?)</', page.text, re.S)
    assert found is not None, element
    return html.unescape(found[1]).strip()


def post_lists(who: Visitor, path: str, form: dict[str, str | list[str]]) -> falcon.testing.Result:
    """A form with a field chosen several times (a multiple select), as a browser sends it."""
    body = urlencode({**form, "csrf": who.csrf}, doseq=True)
    return who._keep(who.client.simulate_post(path, body=body, headers=who._headers(FORM)))


def test_an_administrator_creates_an_account_whose_password_is_shown_once(api: Api) -> None:
    admin = visitor(api, "admin")
    listed = admin.get("/admin/users")
    assert listed.status_code == 200
    assert 'href="/admin/users/so-ct.canbo"' in listed.text
    assert 'id="nav-admin"' in listed.text
    created = admin.post(
        "/admin/users",
        {
            "username": "so-yt.canbo",
            "display_name": "Trần Văn Minh",
            "title": "Chuyên viên",
            "role": "department",
            "unit": "SO-YT",
        },
    )
    assert created.status_code == 200, created.text
    password = shown_password(created)
    assert text_of(created, "account-name") == "Trần Văn Minh"
    # Shown once: the account's page, opened again, has no password on it.
    again = admin.get("/admin/users/so-yt.canbo")
    assert password not in again.text
    assert 'id="new-password"' not in again.text

    person = Visitor(api.client)
    assert person.sign_in("so-yt.canbo", password).headers["location"] == "/units/SO-YT"
    assert person.get("/admin/users").status_code == 403

    stored = b"".join(n.state for n in api.app.recorder.select_notifications(1, 10_000))
    assert password.encode() not in stored


def test_each_form_of_an_account_records_an_event_the_trail_shows_with_its_actor(
    api: Api,
) -> None:
    admin = visitor(api, "admin")
    admin.post("/admin/users", {"username": "ca.nhan", "role": "inspector"})
    page = "/admin/users/ca.nhan"
    profile = admin.post(page + "/profile", {"display_name": "Lê Thị Hoa", "title": "Thanh tra"})
    assert profile.headers["location"] == page + "?done=profile"
    moved = admin.post(page + "/role", {"role": "department", "unit": "SO-TC"})
    assert moved.status_code == 303, moved.text
    reset = admin.post(page + "/password", {})
    assert reset.status_code == 200
    password = shown_password(reset)
    assert Visitor(api.client).sign_in("ca.nhan", password).status_code == 303
    assert admin.post(page + "/disable", {"reason": "Chuyển công tác"}).status_code == 303
    assert Visitor(api.client).sign_in("ca.nhan", password).status_code != 303
    shown = admin.get(page)
    assert text_of(shown, "account-state") == "Đã khóa"
    assert 'data-action="enable"' in shown.text
    assert 'data-action="disable"' not in shown.text
    assert admin.post(page + "/enable", {}).status_code == 303
    assert Visitor(api.client).sign_in("ca.nhan", password).status_code == 303

    shown = admin.get(page)
    assert (text_of(shown, "account-name"), text_of(shown, "account-title")) == (
        "Lê Thị Hoa",
        "Thanh tra",
    )
    assert "Đổi họ tên, chức danh thành Lê Thị Hoa — Thanh tra" in shown.text
    assert "Đổi vai trò thành cán bộ đơn vị, Sở Tài chính" in shown.text

    audit_up(api)
    entries, _ = walk(api, Role.INSPECTOR, actor="admin", limit="500")
    actions = [e["action"] for e in entries if e["action"] != "SignedIn"]
    assert actions == [
        "Created",
        "ProfileChanged",
        "RoleChanged",
        "PasswordChanged",
        "Disabled",
        "Enabled",
    ]
    assert {e["actor"]["role"] for e in entries} == {"admin"}
    assert password not in str(entries)


def test_the_units_forms_add_rename_deactivate_and_merge_as_events(api: Api) -> None:
    admin = visitor(api, "admin")
    assert admin.get("/admin/units").status_code == 200
    added = admin.post(
        "/admin/units/add",
        {"code": "BAN-THU", "name_vi": "Ban Thử nghiệm", "name_en": "Test Board", "parent": ""},
    )
    assert added.headers["location"] == "/admin/units?done=add"
    chosen = admin.get("/admin/units?unit=BAN-THU")
    assert 'value="Ban Thử nghiệm"' in chosen.text  # the rename form starts from its names
    renamed = admin.post(
        "/admin/units/rename",
        {"code": "BAN-THU", "name_vi": "Ban Thử nghiệm mới", "name_en": "New Test Board"},
    )
    assert renamed.status_code == 303, renamed.text
    unconfirmed = admin.post("/admin/units/deactivate", {"code": "BAN-THU", "reason": "Xong"})
    assert unconfirmed.status_code == 422
    assert api.app.unit_registry().get("BAN-THU").active
    ended = admin.post(
        "/admin/units/deactivate", {"code": "BAN-THU", "reason": "Xong", "confirm": "yes"}
    )
    assert ended.status_code == 303, ended.text
    merged = post_lists(
        admin,
        "/admin/units/merge",
        {
            "predecessors": ["SO-TTTT", "SO-KHCN"],
            "successor": "SO-CT",
            "basis": "Nghị quyết số 1/NQ-HĐND",
            "effective_on": "",
            "confirm": "yes",
        },
    )
    assert merged.headers["location"] == "/admin/units?done=merge", merged.text
    registry = api.app.unit_registry()
    assert registry.get("BAN-THU").name_vi == "Ban Thử nghiệm mới"
    assert not registry.get("BAN-THU").active
    assert registry.get("SO-TTTT").successors == ("SO-CT",)
    assert registry.get("SO-KHCN").successors == ("SO-CT",)
    listed = admin.get("/admin/units")
    assert "Đã sắp xếp từ 4/3/2024: Sở Công Thương" in listed.text

    audit_up(api)
    entries, _ = walk(api, Role.INSPECTOR, actor="admin", limit="500")
    assert [e["action"] for e in entries if e["action"] != "SignedIn"] == [
        "UnitAdded",
        "UnitRenamed",
        "UnitDeactivated",
        "UnitsMerged",
    ]


def test_a_refused_form_is_explained_beside_it_in_the_readers_language(api: Api) -> None:
    admin = visitor(api, "admin")
    refused = admin.post("/admin/users", {"username": "x", "role": "department"})
    assert refused.status_code == 422
    assert "Tên đăng nhập" in alert(refused.text)
    assert english_words(alert(refused.text)) == []
    no_unit = admin.post("/admin/users", {"username": "khong.donvi", "role": "department"})
    assert 'data-case="unit_needed"' in no_unit.text
    assert english_words(alert(no_unit.text)) == []
    same = admin.post("/admin/users/thanhtra/profile", {"display_name": "thanhtra", "title": ""})
    assert 'data-case="same_profile"' in same.text
    assert "đã có họ tên và chức danh này" in alert(same.text)
    admin.get("/language?to=en&back=/")
    english = admin.post("/admin/users/thanhtra/profile", {"display_name": "thanhtra"})
    assert "already has this name and title" in alert(english.text)
    units = admin.get("/admin/units")
    assert "Merge units" in units.text
    assert "Hợp nhất" not in units.text


def test_every_field_of_the_administrators_pages_has_its_own_label(api: Api) -> None:
    """No id is used twice, so each label names its own field."""
    admin = visitor(api, "admin")
    for path in ("/admin/users", "/admin/users/thanhtra", "/admin/units"):
        ids = re.findall(r' id="([^"]+)"', admin.get(path).text)
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))
        page = admin.get(path).text
        for target in re.findall(r'<label for="([^"]+)"', page):
            assert f'id="{target}"' in page, (path, target)


def test_only_the_administrator_opens_the_administration_pages(api: Api) -> None:
    paths = [p.path for p in PAGES if p.path.startswith("/admin")]
    assert len(paths) == 6
    for role, (username, _) in USERS.items():
        who = visitor(api, username)
        for path in ("/admin/users", "/admin/users/thanhtra", "/admin/units"):
            status = who.get(path).status_code
            assert status == (200 if role is Role.ADMIN else 403), (role, path, status)
        crafted = who.post("/admin/users/thanhtra/disable", {"reason": "x"})
        assert crafted.status_code == (303 if role is Role.ADMIN else 403), role
    assert visitor(api).get("/admin/users").status_code == 303  # sent to sign in
    assert visitor(api, "admin").post("/admin/users/thanhtra/nothing", {}).status_code == 404
