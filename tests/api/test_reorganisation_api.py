"""Units that reorganise, through the API and the pages (issue 27, docs/units.md): an
administrator merges a department into another, and the oversight as of the day before shows the
old unit, as of the day of the change the new one with the old one's record carried."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    IssueDirective,
    ReportCompletion,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE
from projections.oversight import OversightProjection, catch_up
from tests.api.conftest import Api
from tests.api.test_pages import visitor

OLD, NEW = "SO-TTTT", "SO-KHCN"
LEADER = Actor("leader.chutich", Role.LEADER)
OLD_OFFICER = Actor("so-tttt.canbo", Role.DEPARTMENT, OLD)
BEFORE, CHANGE = date(2024, 3, 19), date(2024, 3, 20)
MERGER = {"predecessors": [OLD], "successor": NEW, "basis": "Nghị quyết HĐND TP ngày 20/3/2024"}


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE).astimezone(UTC)


def two_directives_of_the_old_unit(api: Api) -> None:
    """One it finished on time, one it still works on."""
    for ref in ("1/TT", "2/TT"):
        command = IssueDirective(reference=ref, title=f"Nhiệm vụ {ref}", lead_unit=OLD)
        api.app.issue(command, actor=LEADER, request_id="r")
        api.app.execute(Acknowledge(), ref, actor=OLD_OFFICER, request_id="r")
    summary = ReportCompletion(summary="Đã hoàn thành")
    api.app.execute(summary, "1/TT", actor=OLD_OFFICER, request_id="r")
    api.app.execute(DecideCompletion(decision="accept"), "1/TT", actor=LEADER, request_id="r")


def project(api: Api) -> None:
    assert api.services.view is not None
    catch_up(api.app, OversightProjection(api.services.view))


def test_an_administrator_merges_units_and_the_oversight_shows_both_sides(api: Api) -> None:
    api.clock.set(at(BEFORE))
    api.sign_in_again()
    two_directives_of_the_old_unit(api)
    refused = api.post("/api/units/mergers", Role.OFFICE, MERGER)
    assert refused.status_code == 403, refused.text

    api.clock.set(at(CHANGE, 8))
    api.sign_in_again()
    merged = api.post("/api/units/mergers", Role.ADMIN, MERGER, **{"Idempotency-Key": "m-1"})
    assert merged.status_code == 201, merged.text
    (ended,) = merged.json["ended"]
    assert (ended["code"], ended["active"], ended["successors"]) == (OLD, False, [NEW])
    assert (ended["ended_on"], ended["basis"]) == ("2024-03-20", MERGER["basis"])
    assert merged.json["successors"][0]["predecessors"] == [OLD]
    again = api.post("/api/units/mergers", Role.ADMIN, MERGER, **{"Idempotency-Key": "m-1"})
    assert (again.status_code, again.json) == (201, merged.json)
    project(api)

    before = api.get("/api/oversight", Role.LEADER, as_of=BEFORE.isoformat()).json
    assert set(before["units"]) == {OLD}
    assert before["carried"] == {}
    after = api.get("/api/oversight", Role.LEADER, as_of=CHANGE.isoformat()).json
    assert set(after["units"]) == {NEW}
    assert after["units"][NEW]["completed_on_time"] == 0
    assert after["carried"][NEW][OLD]["completed_on_time"] == 1
    assert after["city"] == before["city"]
    directive = api.get("/api/directives/2~TT", Role.LEADER).json
    assert (directive["lead_unit"], directive["status"]) == (NEW, "in_progress")
    units = {u["code"]: u for u in api.get("/api/units", Role.LEADER).json["items"]}
    assert units[OLD]["successors"] == [NEW]

    leader = visitor(api, "leader.chutich")
    vi = leader.get(f"/dashboard?as_of={CHANGE.isoformat()}").text
    assert "chuyển từ Sở Thông tin và Truyền thông" in vi
    en = leader.get(f"/dashboard?as_of={CHANGE.isoformat()}&lang=en").text
    assert "carried from Department of Information and Communications" in en
    assert 'id="carried"' not in leader.get(f"/dashboard?as_of={BEFORE.isoformat()}").text


def test_a_reorganisation_that_breaks_a_rule_is_a_problem_naming_the_rule(api: Api) -> None:
    twice = api.post("/api/units/mergers", Role.ADMIN, MERGER)
    assert twice.status_code == 201, twice.text
    again = api.post("/api/units/mergers", Role.ADMIN, MERGER)
    assert (again.status_code, again.json["type"]) == (409, "urn:thucthi:problem:inactive-unit")
    future = {
        "predecessor": "SO-DL",
        "successor": "SO-VHTT",
        "basis": "x",
        "effective_on": "2030-01-01",
    }
    late = api.post("/api/units/successions", Role.ADMIN, future)
    assert (late.status_code, late.json["type"], late.json["case"]) == (
        422,
        "urn:thucthi:problem:invalid-unit",
        "in_future",
    )
    alone = {"predecessor": "SO-DL", "successors": ["SO-VHTT"], "basis": "x"}
    split = api.post("/api/units/splits", Role.ADMIN, alone)
    assert (split.status_code, split.json["case"]) == (422, "split_in_two")
    assert split.json["vi"] == "SO-DL chỉ chia tách thành hai đơn vị trở lên."
    assert split.json["en"] == "SO-DL splits into two or more units."
