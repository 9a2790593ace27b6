"""The working-day calendar through the API and the pages: a year's holidays and swaps with their
sources, now and as at a log position; an administrator's swaps, once per Idempotency-Key,
refused as problem+json; and directives issued with a deadline in working days, through the API
and the issue form."""

from __future__ import annotations

from datetime import UTC, datetime

from api.web.i18n import message
from domain.shared.actors import Role
from tests.api.conftest import Api
from tests.api.test_pages import issue, page_of, visitor

SWAP = {
    "day_off": "2026-01-02",
    "make_up_day": "2026-01-10",
    "decision_reference": "12729/VPCP-KGVX",
    "note": "Tết Dương lịch 2026: nghỉ từ 1/1 đến hết 4/1",
}


def on_new_years_eve(api: Api) -> None:
    """The clock on Wednesday 31/12/2025 in the city, everyone signed in again."""
    api.clock.set(datetime(2025, 12, 31, 2, 0, tzinfo=UTC))
    api.sign_in_again()


def test_a_year_of_the_calendar_says_where_each_day_comes_from(api: Api) -> None:
    """Every role may read it: each holiday names its article of the Labour Code and the library
    that computed it; 2026 has 250 working days."""
    year = api.get("/api/calendar", Role.DEPARTMENT, year="2026").json
    assert year["year"] == 2026
    assert year["working_days"] == 250
    assert year["swaps"] == []
    days = {h["day"]: h for h in year["holidays"]}
    assert days["2026-02-17"]["source"].startswith("Bộ luật Lao động 2019, Điều 112 khoản 1 điểm b")
    assert days["2026-04-27"]["name_vi"] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert days["2026-04-27"]["computed_by"].startswith("holidays ")
    assert "2026-11-24" not in days  # Vietnam Cultural Day: no law in force makes it a holiday
    assert api.get("/api/calendar", Role.LEADER, year="2101").status_code == 422


def test_an_administrator_declares_a_swap_once_per_idempotency_key(api: Api) -> None:
    """201 with the year as it now stands; the same key again gets the same answer and records
    nothing more; the year as at the position before shows no swap."""
    before = api.app.max_notification_id()
    first = api.post("/api/calendar/swaps", Role.ADMIN, SWAP, **{"Idempotency-Key": "swap-2026"})
    assert first.status_code == 201, first.text
    assert first.headers["location"] == "/api/calendar?year=2026"
    (swap,) = first.json["swaps"]
    assert (swap["day_off"], swap["make_up_day"], swap["declared_by"]) == (
        "2026-01-02",
        "2026-01-10",
        "admin",
    )
    assert swap["source"].startswith("12729/VPCP-KGVX")
    assert first.json["working_days"] == 250  # a swap keeps the number of working days
    after = api.app.max_notification_id()
    again = api.post("/api/calendar/swaps", Role.ADMIN, SWAP, **{"Idempotency-Key": "swap-2026"})
    assert (again.status_code, again.json) == (201, first.json)
    assert again.headers["idempotent-replayed"] == "true"
    assert api.app.max_notification_id() == after
    then = api.get("/api/calendar", Role.INSPECTOR, year="2026", position=str(before)).json
    assert (then["swaps"], then["position"]) == ([], before)
    now = api.get("/api/calendar", Role.INSPECTOR, year="2026", position=str(after)).json
    assert [s["day_off"] for s in now["swaps"]] == ["2026-01-02"]


def test_swaps_that_break_a_rule_are_problems_naming_the_rule(api: Api) -> None:
    """403 for anyone but an administrator; a Saturday swapped off is 422 invalid-swap; an
    unknown swap withdrawn is 404; the problem names the case in English, the pages in both."""
    refused = api.post("/api/calendar/swaps", Role.OFFICE, SWAP)
    assert refused.status_code == 403
    saturday = api.post("/api/calendar/swaps", Role.ADMIN, {**SWAP, "day_off": "2026-01-03"})
    assert (saturday.status_code, saturday.headers["content-type"]) == (
        422,
        "application/problem+json",
    )
    assert saturday.json["type"] == "urn:thucthi:problem:invalid-swap"
    assert "2026-01-03 is already a day off" in saturday.json["detail"]
    gone = api.post(
        "/api/calendar/withdrawals", Role.ADMIN, {"day_off": "2026-01-05", "reason": "sai"}
    )
    assert (gone.status_code, gone.json["type"]) == (404, "urn:thucthi:problem:swap-not-found")
    unnamed = api.post("/api/calendar/swaps", Role.ADMIN, {"day_off": "2026-01-02"})
    assert unnamed.status_code == 422
    assert message("vi", "rule.invalid-swap") != message("en", "rule.invalid-swap")


def test_a_withdrawn_swap_leaves_the_year(api: Api) -> None:
    assert api.post("/api/calendar/swaps", Role.ADMIN, SWAP).status_code == 201
    withdrawn = api.post(
        "/api/calendar/withdrawals", Role.ADMIN, {"day_off": "2026-01-02", "reason": "nhập nhầm"}
    )
    assert (withdrawn.status_code, withdrawn.json["swaps"]) == (200, [])


def test_a_directive_issued_through_the_api_is_due_in_working_days(api: Api) -> None:
    """Issued Wed 31/12/2025 with 6 working days once the New Year swap is in force: Mon 5/1
    (1) ... Fri 9/1 (5), Sat 10/1/2026 (6), the make-up day; a date too is refused."""
    on_new_years_eve(api)
    assert api.post("/api/calendar/swaps", Role.ADMIN, SWAP).status_code == 201
    body = {"reference": "7/UBND-VX", "title": "Báo cáo", "lead_unit": "SO-CT"}
    issued = api.post("/api/directives", Role.LEADER, {**body, "deadline_in_working_days": 6})
    assert issued.status_code == 201, issued.text
    assert issued.json["deadline"] == "2026-01-10"
    both = {**body, "reference": "8/UBND-VX", "deadline": "2026-02-01"}
    refused = api.post("/api/directives", Role.LEADER, {**both, "deadline_in_working_days": 6})
    assert (refused.status_code, refused.json["type"]) == (
        422,
        "urn:thucthi:problem:invalid-directive",
    )
    none = api.post("/api/directives", Role.LEADER, {**body, "deadline_in_working_days": 0})
    assert none.status_code == 422


def test_the_issue_form_takes_a_deadline_in_working_days(api: Api) -> None:
    """The form has the field with its label in the reader's language; ten working days from
    Wed 31/12/2025 by the law alone: Fri 2/1 (1), Mon 5 - Fri 9 (2-6), Mon 12 - Thu 15/1 (7-10);
    with both a date and a number the form comes back saying so in Vietnamese."""
    on_new_years_eve(api)
    leader = visitor(api, "leader.chutich")
    form = leader.get("/directives/new").text
    assert 'name="deadline_in_working_days" type="number" min="1" max="2500"' in form
    assert message("vi", "field.deadline_in_working_days") in form
    issued = issue(leader, "9/UBND-VX", deadline="", deadline_in_working_days="10")
    assert issued.status_code == 303, issued.text
    assert api.app.get_directive("9/UBND-VX").deadline.isoformat() == "2026-01-15"  # type: ignore[union-attr]
    twice = issue(leader, "10/UBND-VX", deadline_in_working_days="3")
    assert twice.status_code == 422
    assert "Chỉ ghi thời hạn" in twice.text
    assert leader.get(page_of("9/UBND-VX")).status_code == 200


def test_the_openapi_document_describes_the_calendar(api: Api) -> None:
    spec = api.client.simulate_get("/api/openapi.json").json
    get = spec["paths"]["/api/calendar"]["get"]
    assert {p["name"] for p in get["parameters"]} == {"year", "position"}
    post = spec["paths"]["/api/calendar/swaps"]["post"]
    assert post["x-roles"] == ["admin"]
    schema = spec["components"]["schemas"]["DeclareSwap"]
    assert set(schema["required"]) == {"day_off", "decision_reference"}
    issue_schema = spec["components"]["schemas"]["IssueDirective"]
    assert "deadline_in_working_days" in issue_schema["properties"]
