"""The administrator's accounts and units through the API (issue 27, item 6): every change is an
event of the account or of the registry, found in the audit trail with the administrator as its
actor; a password is made by the server, answered once, and kept in clear nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.shared.actors import Role
from tests.api.conftest import Api, api_on
from tests.api.test_audit_api import audit_up, walk

ADMIN_ACTOR = {"user": "admin", "role": "admin", "unit": None}


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    yield from api_on(request.param, tmp_path)


def sign_in(api: Api, username: str, password: str) -> int:
    answer = api.client.simulate_post(
        "/api/session", json={"username": username, "password": password}
    )
    return answer.status_code


def test_an_administrator_manages_an_account_and_each_change_is_in_the_trail(api: Api) -> None:
    created = api.post(
        "/api/users",
        Role.ADMIN,
        {"username": "so-yt.canbo", "role": "department", "unit": "SO-YT"},
        **{"X-Request-Id": "req-create"},
    )
    assert created.status_code == 201, created.text
    first = created.json["password"]
    assert sign_in(api, "so-yt.canbo", first) == 201

    profile = api.post(
        "/api/users/so-yt.canbo/profile",
        Role.ADMIN,
        {"display_name": "Nguyễn Thị Lan", "title": "Chuyên viên Sở Y tế"},
        **{"X-Request-Id": "req-profile"},
    )
    assert profile.status_code == 200, profile.text
    assert (profile.json["display_name"], profile.json["title"]) == (
        "Nguyễn Thị Lan",
        "Chuyên viên Sở Y tế",
    )
    same = api.post(
        "/api/users/so-yt.canbo/profile",
        Role.ADMIN,
        {"display_name": "Nguyễn Thị Lan", "title": "Chuyên viên Sở Y tế"},
    )
    assert (same.status_code, same.json["type"]) == (422, "urn:thucthi:problem:invalid-user")

    role = {"role": "reception", "unit": "SO-TC"}
    moved = api.post("/api/users/so-yt.canbo/role", Role.ADMIN, role)
    assert (moved.json["role"], moved.json["unit"]) == ("reception", "SO-TC")

    reset = api.post(
        "/api/users/so-yt.canbo/password-reset",
        Role.ADMIN,
        None,
        **{"X-Request-Id": "req-reset", "Idempotency-Key": "reset-1"},
    )
    assert reset.status_code == 200, reset.text
    second = reset.json["password"]
    assert second != first
    assert sign_in(api, "so-yt.canbo", first) == 401
    assert sign_in(api, "so-yt.canbo", second) == 201
    repeated = api.post(
        "/api/users/so-yt.canbo/password-reset",
        Role.ADMIN,
        None,
        **{"Idempotency-Key": "reset-1"},
    )
    assert "password" not in repeated.json
    assert sign_in(api, "so-yt.canbo", second) == 201  # the repeat made no other password

    disabled = api.post("/api/users/so-yt.canbo/disabling", Role.ADMIN, {"reason": "Nghỉ hưu"})
    assert disabled.json["active"] is False
    assert sign_in(api, "so-yt.canbo", second) == 401
    enabled = api.post("/api/users/so-yt.canbo/enabling", Role.ADMIN, {})
    assert (enabled.status_code, enabled.json["active"]) == (200, True)
    assert sign_in(api, "so-yt.canbo", second) == 201
    again = api.post("/api/users/so-yt.canbo/enabling", Role.ADMIN, {})
    assert (again.status_code, again.json["type"]) == (422, "urn:thucthi:problem:invalid-user")

    one = api.get("/api/users/so-yt.canbo", Role.ADMIN).json
    assert one == {
        "username": "so-yt.canbo",
        "display_name": "Nguyễn Thị Lan",
        "title": "Chuyên viên Sở Y tế",
        "role": "reception",
        "unit": "SO-TC",
        "active": True,
    }
    listed = api.get("/api/users", Role.ADMIN).json["items"]
    assert one in listed
    assert [u["username"] for u in listed] == sorted(u["username"] for u in listed)

    audit_up(api)
    entries, _ = walk(api, Role.INSPECTOR, actor="admin", limit="500")
    done = [(e["action"], e["request_id"]) for e in entries if e["action"] != "SignedIn"]
    assert [a for a, _ in done] == [
        "Created",
        "ProfileChanged",
        "RoleChanged",
        "PasswordChanged",
        "Disabled",
        "Enabled",
    ]
    assert ("ProfileChanged", "req-profile") in done
    assert ("PasswordChanged", "req-reset") in done
    for entry in entries:
        assert entry["actor"] == ADMIN_ACTOR
    changed = next(e for e in entries if e["action"] == "ProfileChanged")
    assert changed["vi"] == (
        "Quản trị hệ thống đổi họ tên, chức danh thành Nguyễn Thị Lan — Chuyên viên Sở Y tế"
    )
    assert {"field": "title", "before": "", "after": "Chuyên viên Sở Y tế"} in changed["changes"]


def test_no_password_is_in_the_log_the_trail_or_the_idempotency_record(api: Api) -> None:
    created = api.post(
        "/api/users", Role.ADMIN, {"username": "x.user", "role": "inspector"},
        **{"Idempotency-Key": "create-1"},
    )  # fmt: skip
    reset = api.post("/api/users/x.user/password-reset", Role.ADMIN, None)
    passwords = [created.json["password"], reset.json["password"]]
    stored = b"".join(n.state for n in api.app.recorder.select_notifications(start=1, limit=10_000))
    audit_up(api)
    entries, _ = walk(api, Role.INSPECTOR, limit="500")
    for password in passwords:
        assert password.encode() not in stored
        assert password not in str(entries)
    replayed = api.post(
        "/api/users", Role.ADMIN, {"username": "x.user", "role": "inspector"},
        **{"Idempotency-Key": "create-1"},
    )  # fmt: skip
    assert passwords[0] not in replayed.text


def test_an_administrator_adds_renames_and_deactivates_a_unit_as_events(api: Api) -> None:
    added = api.post(
        "/api/units/additions",
        Role.ADMIN,
        {"code": "SO-NV-TEST", "name_vi": "Sở Thử nghiệm", "name_en": "Test Department"},
        **{"X-Request-Id": "req-add"},
    )
    assert added.status_code == 201, added.text
    assert (added.json["code"], added.json["active"]) == ("SO-NV-TEST", True)
    renamed = api.post(
        "/api/units/renamings",
        Role.ADMIN,
        {"code": "SO-NV-TEST", "name_vi": "Sở Đổi tên", "name_en": "Renamed Department"},
    )
    assert (renamed.status_code, renamed.json["name_vi"]) == (200, "Sở Đổi tên")
    twice = api.post(
        "/api/units/additions",
        Role.ADMIN,
        {"code": "SO-NV-TEST", "name_vi": "Sở khác", "name_en": "Another"},
    )
    assert (twice.status_code, twice.json["type"]) == (409, "urn:thucthi:problem:duplicate-unit")
    ended = api.post(
        "/api/units/deactivations", Role.ADMIN, {"code": "SO-NV-TEST", "reason": "Thử xong"}
    )
    assert (ended.status_code, ended.json["active"]) == (200, False)
    gone = api.post(
        "/api/units/renamings",
        Role.ADMIN,
        {"code": "SO-NV-TEST", "name_vi": "Sở Muộn", "name_en": "Late"},
    )
    assert (gone.status_code, gone.json["type"]) == (409, "urn:thucthi:problem:inactive-unit")
    refused = api.post(
        "/api/units/additions",
        Role.OFFICE,
        {"code": "SO-X", "name_vi": "Sở X", "name_en": "X"},
    )
    assert refused.status_code == 403
    units = {u["code"]: u for u in api.get("/api/units", Role.LEADER).json["items"]}
    assert units["SO-NV-TEST"]["name_en"] == "Renamed Department"

    audit_up(api)
    entries, _ = walk(api, Role.INSPECTOR, actor="admin", limit="500")
    registry = [e for e in entries if e["action"].startswith("Unit")]
    assert [e["action"] for e in registry] == ["UnitAdded", "UnitRenamed", "UnitDeactivated"]
    assert registry[0]["request_id"] == "req-add"
    assert registry[1]["vi"].startswith("Quản trị hệ thống ")
    assert all(e["actor"] == ADMIN_ACTOR for e in registry)
