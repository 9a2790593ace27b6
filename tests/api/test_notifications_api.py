"""The notifications in the app (issue 27, item 3): ``GET /api/notifications`` and the
``/notifications`` page show the signed-in person what they were told, and only that, in both
languages, after the scheduler decided it from the events."""

from __future__ import annotations

from domain.shared.actors import Role
from projections.notifications import Scheduler
from tests.api.conftest import Api
from tests.api.test_pages import visitor

REF = "5/UBND-VX"


def told(api: Api) -> None:
    """A directive issued to SO-CT, coordinated by SO-TC, decided by a scheduler with no SMTP."""
    issued = api.post(
        "/api/directives",
        Role.LEADER,
        {
            "reference": REF,
            "title": "Rà soát chợ truyền thống",
            "lead_unit": "SO-CT",
            "coordinating_units": ["SO-TC"],
            "deadline": "2024-04-30",
        },
    )
    assert issued.status_code == 201, issued.text
    store = api.services.notifications
    assert store is not None
    done = Scheduler(api.app, store, sender=None, clock=api.clock).run_once()
    assert done.notices == 2


def test_the_api_lists_the_signed_in_persons_notifications_in_both_languages(api: Api) -> None:
    """The lead unit's officer is told of the issue, in Vietnamese and English; an officer of
    another unit and the leader were told nothing."""
    told(api)
    mine = api.get("/api/notifications", Role.DEPARTMENT)
    assert mine.status_code == 200, mine.text
    (notice,) = mine.json["notifications"]
    assert (notice["kind"], notice["reference"], notice["mailed"]) == ("issued", REF, False)
    assert notice["text"]["vi"] == "Văn bản mới giao đơn vị (hạn: 30/04/2024)"
    assert notice["text"]["en"] == "New directive for your unit (deadline: 2024-04-30)"
    assert len(api.get("/api/notifications", "so-tc.canbo").json["notifications"]) == 1
    assert api.get("/api/notifications", "ubnd-q1.canbo").json["notifications"] == []
    assert api.get("/api/notifications", Role.LEADER).json["notifications"] == []


def test_the_notifications_page_shows_them_in_the_readers_language(api: Api) -> None:
    """In Vietnamese by default, in English after the switch; the header links to it."""
    told(api)
    officer = visitor(api, "so-ct.canbo")
    page = officer.get("/notifications")
    assert page.status_code == 200, page.text
    assert 'id="nav-notifications"' in page.text
    assert "Thông báo của tôi" in page.text
    assert "Văn bản mới giao đơn vị (hạn: 30/04/2024)" in page.text
    assert "chỉ trên ứng dụng" in page.text
    assert "New directive" not in page.text
    officer.get("/language?to=en&back=/notifications")
    english = officer.get("/notifications")
    assert "My notifications" in english.text
    assert "New directive for your unit (deadline: 2024-04-30)" in english.text
    other = visitor(api, "ubnd-q1.canbo").get("/notifications")
    assert "Chưa có thông báo nào." in other.text
    assert REF not in other.text
