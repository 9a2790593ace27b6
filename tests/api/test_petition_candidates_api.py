"""``GET /api/petitions/{receipt}/candidates`` on SQLite and PostgreSQL (issue 26, item 4): the
likely earlier filings of the same matter, with no petitioner and no text; refusals as
problem+json in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.web.i18n import refusal
from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Role
from projections.oversight import OversightProjection, catch_up
from tests.api.conftest import COORDINATOR, PASSWORD, PASSWORD_HASH, USERS, Api, api_on

RECEPTION = USERS[Role.RECEPTION][0]
HEAD = USERS[Role.AGENCY_HEAD][0]
AGENCY = USERS[Role.RECEPTION][1]
COLLEAGUE = "so-ct.canbo2"
OUTSIDER = COORDINATOR[0]  # an officer of another agency
AN = {"full_name": "Nguyễn Văn An", "id_number": "079085001234", "address": "12 Lê Lợi, Quận 1"}
BINH = {"full_name": "Trần Thị Bình", "address": "45 Nguyễn Trãi, Quận 5"}
LAND = (
    "Tôi khiếu nại Quyết định số 1234/QĐ-UBND ngày 12/3/2024 của Chủ tịch Ủy ban nhân dân "
    "Quận 5 về việc buộc tháo dỡ phần nhà trên thửa đất số 45, tờ bản đồ số 12, phường 7."
)
LAND_AGAIN = (
    "Toi khieu nai QD 1234/QD-UBND ngay 12/3/2024 cua Chu tich UBND Q.5 ve viec buoc thao do "
    "phan nha tren thua 45 to 12, P.7."
)
OTHERS = (
    "Phản ánh quán karaoke tại số 21 đường Phạm Thế Hiển, Phường 4, Quận 8 mở loa đến 1 giờ.",
    "Đề nghị xem xét trợ cấp xã hội hằng tháng cho người cao tuổi không có lương hưu.",
    "Phản ánh công trình số 9 Quang Trung, quận Gò Vấp xây vượt phép lên 5 tầng.",
)
FIELDS = {"receipt", "agency", "received_on", "status", "kind", "result", "score", "reasons"}


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    for built in api_on(request.param, tmp_path):
        built.app.create_user(
            username=COLLEAGUE,
            display_name=COLLEAGUE,
            role=Role.DEPARTMENT,
            unit=AGENCY,
            password_hash=PASSWORD_HASH,
            actor=SYSTEM_ACTOR,
            request_id="setup",
        )
        signed = built.client.simulate_post(
            "/api/session", json={"username": COLLEAGUE, "password": PASSWORD}
        )
        built.tokens[COLLEAGUE] = signed.json["token"]
        yield built


def project(api: Api) -> None:
    view = api.services.view
    assert view is not None
    catch_up(api.app, OversightProjection(view))


def received(api: Api, content: str, petitioner: dict[str, Any]) -> str:
    answer = api.post(
        "/api/petitions",
        RECEPTION,
        {"agency": AGENCY, "content": content, "petitioners": [petitioner]},
    )
    assert answer.status_code == 201, answer.text
    receipt: str = answer.json["receipt"]
    return receipt


def test_the_candidates_of_a_petition_name_no_one_and_say_why(api: Api) -> None:
    """The earlier filing of the same matter comes first, with its receipt, agency, day,
    status, score and reasons, and nothing of who filed it or what it says."""
    earlier = received(api, LAND, AN)
    for n, text in enumerate(OTHERS):
        received(api, text, {"full_name": f"Võ Thị Mai {n}"})
    later = received(api, LAND_AGAIN, BINH)
    project(api)
    for who in (RECEPTION, HEAD, USERS[Role.INSPECTOR][0], USERS[Role.OFFICE][0]):
        answer = api.get(f"/api/petitions/{later}/candidates", who)
        assert answer.status_code == 200, answer.text
        found = answer.json["candidates"]
        assert found[0]["receipt"] == earlier
        assert set(found[0]) == FIELDS
        assert (found[0]["agency"], found[0]["status"]) == (AGENCY, "received")
        keys = {r["key"] for r in found[0]["reasons"]}
        assert {"match.subject.document", "match.content.similar"} <= keys
        assert later not in {c["receipt"] for c in found}
        assert "Nguyễn" not in answer.text
        assert "079085001234" not in answer.text
        assert "Lê Lợi" not in answer.text


def test_who_may_not_see_a_petitions_candidates_is_told_why_in_both_languages(api: Api) -> None:
    """Another officer of the agency, not handling it: 403 ``not-handler``; an officer of
    another agency: 404, the petition is not there for them."""
    receipt = received(api, LAND, AN)
    project(api)
    refused = api.get(f"/api/petitions/{receipt}/candidates", COLLEAGUE)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    values = {"receipt": receipt, "handler": "—", "user": COLLEAGUE}
    assert refused.json["type"] == "urn:thucthi:problem:not-handler"
    assert refused.json["vi"] == refusal("vi", "not-handler", "handler", values)
    assert refused.json["en"] == refusal("en", "not-handler", "handler", values)
    assert refused.json["vi"].startswith(f"Đơn {receipt}")
    unseen = api.get(f"/api/petitions/{receipt}/candidates", OUTSIDER)
    assert unseen.status_code == 404
    assert unseen.json["type"] == "urn:thucthi:problem:petition-not-found"
