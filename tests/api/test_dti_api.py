"""The digital-transformation index over HTTP: the city's framework file published and read back
in its form; a file that breaks the format refused as problem+json saying where, in Vietnamese
and English; a unit's self-assessment with its evidence file, the appraising body's adjustment
and return with a deadline, the unit's answer, the Office's publication; results named by their
day and position that reproduce after a correction; scoring again under the second version;
what waits for whom; and who may see what."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import falcon.testing
import pytest

from domain.application import SYSTEM_ACTOR
from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    IssueDirective,
    ReportCompletion,
)
from domain.dti.hcmc import SHIPPED
from domain.shared.actors import Role
from domain.shared.clock import city_date
from domain.shared.files import digest_of
from projections.oversight import OversightProjection, catch_up
from tests.api.conftest import PASSWORD, PASSWORD_HASH, Api, api_on
from tests.api.test_files import PDF, upload
from tests.api.test_pages import visitor
from tests.builders import LEADER
from tests.builders import officer as officer_of

KEY = "hcm-dti~1~2023~SO-CT"
A = f"/api/dti/assessments/{KEY}"
APPRAISER = "so-tttt.canbo"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def both(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    yield from api_on(request.param, tmp_path)


def sign_in_appraiser(api: Api) -> None:
    """An officer of the Department of Information and Communications, which appraises the
    2023 index."""
    api.app.create_user(
        username=APPRAISER,
        display_name="Cán bộ Sở TT&TT",
        role=Role.DEPARTMENT,
        unit="SO-TTTT",
        password_hash=PASSWORD_HASH,
        actor=SYSTEM_ACTOR,
        request_id="setup",
    )
    signed = api.client.simulate_post(
        "/api/session", json={"username": APPRAISER, "password": PASSWORD}
    )
    assert signed.status_code == 201, signed.text
    api.tokens[APPRAISER] = signed.json["token"]


def publish(api: Api, path: Path, who: str | Role = Role.OFFICE) -> falcon.testing.Result:
    return api.client.simulate_post(
        "/api/dti/frameworks",
        body=path.read_bytes(),
        headers=api.headers(who, **{"Content-Type": "application/json"}),
    )


def ok(result: falcon.testing.Result, status: int = 200) -> dict[str, Any]:
    assert result.status_code == status, result.text
    found: dict[str, Any] = result.json
    return found


def test_the_citys_framework_file_is_published_and_read_back_in_its_form(api: Api) -> None:
    made = ok(publish(api, SHIPPED[0]), 201)
    assert made["digest"] == digest_of(SHIPPED[0].read_bytes())
    assert made["framework"]["groups"][0]["max_points"] == 330
    assert made["position"] > 0
    read = ok(api.get("/api/dti/frameworks/hcm-dti/1", Role.DEPARTMENT))
    assert read["framework"]["decision"].startswith("Quyết định 79/QĐ-UBND")
    listed = ok(api.get("/api/dti/frameworks", Role.INSPECTOR))
    assert [(i["index"], i["latest"]) for i in listed["indices"]] == [("hcm-dti", 1)]
    again = publish(api, SHIPPED[0], Role.ADMIN)
    assert again.status_code == 409
    assert again.json["case"] == "not_next"
    assert "phiên bản 2" in again.json["vi"]
    missing = api.get("/api/dti/frameworks/hcm-dti/2", Role.LEADER)
    assert missing.status_code == 404
    assert missing.json["case"] == "no_version"


def test_a_file_that_breaks_the_format_is_a_problem_naming_where_in_both_languages(
    api: Api,
) -> None:
    text = SHIPPED[0].read_text(encoding="utf-8").replace('"max_points": 330', '"max_points": 300')
    refused = api.client.simulate_post(
        "/api/dti/frameworks",
        body=text.encode(),
        headers=api.headers(Role.OFFICE, **{"Content-Type": "application/json"}),
    )
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    problem = refused.json
    assert problem["type"] == "urn:thucthi:problem:invalid-framework"
    assert problem["case"] == "max_sum"
    assert problem["vi"] == (
        "groups[0].max_points: tổng điểm tối đa của các thành phần là 330, khác 300."
    )
    assert problem["en"] == "groups[0].max_points: its parts' maxima add up to 330, not 300."
    not_json = api.client.simulate_post(
        "/api/dti/frameworks",
        body=b"{,",
        headers=api.headers(Role.OFFICE, **{"Content-Type": "application/json"}),
    )
    assert (not_json.status_code, not_json.json["case"]) == (422, "not_json")
    plain = api.client.simulate_post(
        "/api/dti/frameworks", body=b"{}", headers=api.headers(Role.OFFICE)
    )
    assert plain.status_code == 415
    assert api.post("/api/dti/frameworks", Role.DEPARTMENT, {}).status_code == 403


def test_a_self_assessment_through_appraisal_return_answer_and_publication(both: Api) -> None:
    api = both
    sign_in_appraiser(api)
    ok(publish(api, SHIPPED[0]), 201)
    started = ok(
        api.post(
            "/api/dti/assessments",
            "so-ct.canbo",
            {"index": "hcm-dti", "version": 1, "period": 2023, "unit": "SO-CT"},
        ),
        201,
    )
    assert (started["key"], started["stage"], started["group"]) == (KEY, "draft", "departments")
    assert started["appraiser"] == "SO-TTTT"
    assert ok(upload(api, "so-ct.canbo", "quyet-dinh.pdf", PDF), 201)
    entered = ok(
        api.post(
            A + "/values",
            "so-ct.canbo",
            {
                "component": "1.1",
                "number": 1,
                "evidence": "Giám đốc Sở chủ trì Ban chỉ đạo chuyển đổi số",
                "files": [{"digest": digest_of(PDF), "name": "quyet-dinh.pdf"}],
            },
        )
    )
    (first,) = [c for c in entered["components"] if c["code"] == "1.1"]
    assert first["points"] == 10
    assert first["evidence"]["files"][0]["media_type"] == "application/pdf"
    ok(api.post(A + "/values", "so-ct.canbo", {"component": "6.1", "number": 80, "of": 100}))
    automatic = api.post(A + "/values", "so-ct.canbo", {"component": "6.4", "number": 1, "of": 2})
    assert (automatic.status_code, automatic.json["case"]) == (422, "automatic")
    assert "Thucthi" in automatic.json["vi"]
    submitted = ok(api.post(A + "/submission", "so-ct.canbo"))
    assert submitted["stage"] == "submitted"
    # The appraisal: 6.1 adjusted to 70%, 6.4 measured, sent back on 1.1 for 5 working days.
    stale = api.post(A + "/submission", "so-ct.canbo", **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert api.get(A, "so-tc.canbo").status_code == 404
    ok(
        api.post(
            A + "/adjustments",
            APPRAISER,
            {"component": "6.1", "number": 70, "of": 100, "reason": "Theo Cổng dịch vụ công"},
        )
    )
    ok(
        api.post(
            A + "/adjustments",
            APPRAISER,
            {"component": "6.4", "number": 9, "of": 10, "reason": "Số liệu hệ thống văn bản"},
        )
    )
    returned = ok(
        api.post(
            A + "/return",
            APPRAISER,
            {"reason": "Bổ sung quyết định thành lập", "components": ["1.1"], "working_days": 5},
        )
    )
    # Sent on Monday 4 March 2024: Tue 5 (1) … Fri 8 (4), Mon 11 March (5).
    assert returned["returns"][0]["due_on"] == "2024-03-11"
    queue = ok(api.get("/api/dti/queue", "so-ct.canbo"))
    assert [(i["key"], i["due_on"]) for i in queue["items"]] == [(KEY, "2024-03-11")]
    ok(api.post(A + "/answer", "so-ct.canbo", {"answer": "Đã bổ sung Quyết định 15/QĐ-SCT"}))
    assert [i["key"] for i in ok(api.get("/api/dti/queue", APPRAISER))["items"]] == [KEY]
    appraised = ok(api.post(A + "/appraisal", APPRAISER))
    # 1.1: 10; 6.1: 70% of 20 = 14; 6.4: 90% of 15 = 13.5.
    assert (appraised["stage"], appraised["score"]["total"]) == ("appraised", 37.5)
    published = ok(
        api.post(
            "/api/dti/publications",
            Role.OFFICE,
            {"index": "hcm-dti", "version": 1, "period": 2023, "reference": "15/TB-VP"},
        ),
        201,
    )
    assert published["published"] == [KEY]
    at = published["position"]
    asked = {"index": "hcm-dti", "period": "2023", "position": str(at)}
    before = ok(api.get("/api/dti/results", Role.LEADER, **asked))
    (group,) = before["groups"]
    assert [(u["unit"], u["rank"], u["total"], u["band"]) for u in group["units"]] == [
        ("SO-CT", 1, 37.5, "starting")
    ]
    assert group["distribution"] == {"starting": 1, "forming": 0, "advanced": 0}
    # Corrected the next day; the figures asked with the published day and position stay.
    api.clock.advance(timedelta(days=1))
    api.sign_in_again()
    corrected = api.post(
        A + "/corrections",
        Role.OFFICE,
        {"component": "6.1", "number": 90, "of": 100, "reason": "Đính chính số liệu"},
    )
    assert ok(corrected, 201)["score"]["total"] == 41.5
    now = ok(api.get("/api/dti/results", Role.LEADER, index="hcm-dti", period="2023"))
    assert now["groups"][0]["units"][0]["total"] == 41.5
    again = ok(api.get("/api/dti/results", Role.LEADER, **asked, as_of=before["as_of"]))
    assert again == before


def test_a_command_repeated_with_its_idempotency_key_is_answered_once(api: Api) -> None:
    ok(publish(api, SHIPPED[0]), 201)
    body = {"index": "hcm-dti", "version": 1, "period": 2023, "unit": "SO-CT"}
    first = api.post("/api/dti/assessments", "so-ct.canbo", body, **{"Idempotency-Key": "k1"})
    second = api.post("/api/dti/assessments", "so-ct.canbo", body, **{"Idempotency-Key": "k1"})
    assert ok(first, 201) == ok(second, 201)
    assert second.headers["Idempotent-Replayed"] == "true"
    other_unit = api.post(
        "/api/dti/assessments",
        "so-ct.canbo",
        {"index": "hcm-dti", "version": 1, "period": 2023, "unit": "SO-TC"},
    )
    assert (other_unit.status_code, other_unit.json["case"]) == (403, "own")
    bad_key = api.get("/api/dti/assessments/hcm-dti~x~2023~SO-CT", Role.OFFICE)
    assert (bad_key.status_code, bad_key.json["case"]) == (404, "key")


def test_the_second_version_scores_the_published_year_again_side_by_side(api: Api) -> None:
    sign_in_appraiser(api)
    ok(publish(api, SHIPPED[0]), 201)
    for unit, officer, share in (("SO-CT", "so-ct.canbo", 90), ("SO-TC", "so-tc.canbo", 30)):
        key = f"hcm-dti~1~2023~{unit}"
        ok(
            api.post(
                "/api/dti/assessments",
                officer,
                {"index": "hcm-dti", "version": 1, "period": 2023, "unit": unit},
            ),
            201,
        )
        path = f"/api/dti/assessments/{key}"
        ok(api.post(path + "/values", officer, {"component": "6.1", "number": share, "of": 100}))
        ok(api.post(path + "/values", officer, {"component": "1.4", "number": 50}))
        ok(api.post(path + "/submission", officer))
        ok(api.post(path + "/appraisal", APPRAISER))
    ok(
        api.post(
            "/api/dti/publications",
            Role.OFFICE,
            {"index": "hcm-dti", "version": 1, "period": 2023},
        ),
        201,
    )
    # Before version 2 is published, its file asked as a what-if: the same figures, and
    # nothing recorded.
    head = api.app.max_notification_id()
    what_if = ok(
        api.post(
            "/api/dti/results/what-if",
            Role.LEADER,
            {
                "index": "hcm-dti",
                "period": 2023,
                "framework": json.loads(SHIPPED[1].read_text(encoding="utf-8")),
            },
        )
    )
    assert api.app.max_notification_id() == head
    assert what_if["under"] is None
    assert [
        (u["unit"], u["was"]["total"], u["now"]["total"])
        for g in what_if["groups"]
        if g["group"] == "departments"
        for u in g["units"]
    ] == [("SO-CT", 28, 7), ("SO-TC", 16, 4)]
    broken = json.loads(SHIPPED[1].read_text(encoding="utf-8"))
    broken["groups"][0]["max_points"] = 99
    refused = api.post(
        "/api/dti/results/what-if",
        Role.LEADER,
        {"index": "hcm-dti", "period": 2023, "framework": broken},
    )
    assert (refused.status_code, refused.json["case"]) == (422, "max_sum")
    assert "tổng điểm tối đa" in refused.json["vi"]
    ok(publish(api, SHIPPED[1]), 201)
    side = ok(
        api.get(
            "/api/dti/results/rescored", Role.INSPECTOR, index="hcm-dti", period="2023", under="2"
        )
    )
    (departments,) = [g for g in side["groups"] if g["group"] == "departments"]
    # Under version 1: 6.1 is worth 20, 1.4 10 → SO-CT 18 + 10, SO-TC 6 + 10. Under version 2:
    # 6.1 is worth 5, 1.4 2.5 → SO-CT 4.5 + 2.5 = 7, SO-TC 1.5 + 2.5 = 4.
    assert [
        (
            u["unit"],
            u["was"]["total"],
            u["was"]["max_points"],
            u["now"]["total"],
            u["now"]["max_points"],
        )
        for u in departments["units"]
    ] == [("SO-CT", 28, 330, 7, 100), ("SO-TC", 16, 330, 4, 100)]
    assert side["under"] == 2
    missing = api.get("/api/dti/results/rescored", Role.OFFICE, index="hcm-dti", period="2023")
    assert missing.status_code == 422


def test_a_measured_component_is_shown_with_the_figures_thucthi_measured_it_from(
    both: Api,
) -> None:
    """SO-CT completes on time the one directive due by the day it submits its 2024
    assessment, with nothing typed (what is measured is enough to submit): the API and the
    scorecard say 6.5 was measured by Thucthi as 1 of 1, as of that day and the position the
    read models stood at (at least where they were brought to, before the submission), in
    Vietnamese and English."""
    api = both
    app = api.app
    app.issue(
        IssueDirective(
            reference="9/DL", title="Báo cáo số liệu", content="", lead_unit="SO-CT",
            deadline=city_date(api.clock.now()),
        ),
        actor=LEADER,
        request_id="r",
    )  # fmt: skip
    for command, actor in (
        (Acknowledge(), officer_of("SO-CT")),
        (ReportCompletion(summary="Xong"), officer_of("SO-CT")),
        (DecideCompletion(decision="accept"), LEADER),
    ):
        api.clock.advance(timedelta(hours=1))
        app.execute(command, "9/DL", actor=actor, request_id="r")
    view = api.services.view
    assert view is not None
    catch_up(app, OversightProjection(view))
    caught = view.position()
    ok(publish(api, SHIPPED[0]), 201)
    key = "hcm-dti~1~2024~SO-CT"
    ok(
        api.post(
            "/api/dti/assessments",
            "so-ct.canbo",
            {"index": "hcm-dti", "version": 1, "period": 2024, "unit": "SO-CT"},
        ),
        201,
    )
    submitted = ok(api.post(f"/api/dti/assessments/{key}/submission", "so-ct.canbo"))
    (on_time,) = [c for c in submitted["components"] if c["code"] == "6.5"]
    measured = on_time["measured"]
    day = city_date(api.clock.now())
    assert (measured["measure"], measured["part"], measured["whole"]) == (
        "directives_on_time",
        1,
        1,
    )
    assert measured["as_of"] == day.isoformat()
    assert caught <= measured["position"] < (app.max_notification_id() or 0)
    assert on_time["value"] == {"number": 1, "of": 1}
    assert on_time["points"] == 20
    assert measured["said"]["vi"].startswith(
        "Thucthi đo: 1/1 nhiệm vụ đến hạn trong kỳ hoàn thành đúng hạn"
    )
    assert measured["said"]["en"].startswith(
        "Measured by Thucthi: 1 of 1 directives due in the period completed on time"
    )
    page = visitor(api, "so-ct.canbo").get(f"/dti/assessments/{key}")
    row = page.text.split('id="c-6.5"')[1].split("</tr>")[0]
    assert "Thucthi đo: 1/1 nhiệm vụ" in row
