"""The oversight of petitions through the API: each officer's queue, most urgent first; what each
role sees; the list in keyset pages; the dashboard's figures, reproducible and answered 304 when
unchanged; and nothing personal anywhere."""

from __future__ import annotations

from datetime import timedelta

import falcon.testing
import orjson

from api.app import AppConfig, create_app
from domain.directives.commands import IssueDirective
from domain.petitions.commands import (
    Accept,
    Classify,
    ReceivePetition,
    Transfer,
)
from domain.petitions.petition import Competence, Field, Kind
from domain.shared.actors import Actor, Role
from projections.oversight import OversightProjection, catch_up
from readmodels.index import IndexWeights
from tests.api.conftest import USERS, Api
from tests.petition_builders import COMPLAINT_TEXT, NGUYEN, TRAN

AGENCY = "SO-CT"
OTHER = "UBND-Q1"
RECEPTION = Actor(USERS[Role.RECEPTION][0], Role.RECEPTION, AGENCY)
HEAD = Actor(USERS[Role.AGENCY_HEAD][0], Role.AGENCY_HEAD, AGENCY)
HANDLER = USERS[Role.DEPARTMENT][0]  # so-ct.canbo, the department officer signed in
OTHER_RECEPTION = Actor("ubnd-q1.tiepdan", Role.RECEPTION, OTHER)
PERSONAL = (
    NGUYEN.full_name,
    str(NGUYEN.id_number),
    NGUYEN.phone,
    NGUYEN.address,
    TRAN.full_name,
    str(TRAN.id_number),
    COMPLAINT_TEXT,
    "Nguyễn",
)


def receive(api: Api, *, reception: Actor = RECEPTION, signers: int | None = None) -> str:
    receipt, _ = api.app.petitions.receive(
        ReceivePetition(
            agency=str(reception.unit),
            petitioners=(NGUYEN, TRAN),
            signers=signers,
            content=COMPLAINT_TEXT,
            subject="Ông Trần Văn Cán, cán bộ địa chính",
        ),
        actor=reception,
        request_id="r",
    )
    return receipt


def classify(
    api: Api, receipt: str, kind: Kind = Kind.COMPLAINT, competence: Competence = Competence.OURS
) -> None:
    api.app.petitions.execute(
        Classify(kind=kind, field=Field.LAND, competence=competence),
        receipt,
        actor=RECEPTION,
        request_id="r",
    )


def accept(api: Api, receipt: str, handler: str = HANDLER) -> None:
    api.app.petitions.execute(Accept(handler=handler), receipt, actor=HEAD, request_id="r")


def project(api: Api) -> None:
    assert api.services.view is not None
    catch_up(api.app, OversightProjection(api.services.view))


def cases(api: Api) -> dict[str, str]:
    """Petitions at SO-CT a day apart (so their terms end on different days), one at UBND-Q1,
    and one SO-CT transferred to UBND-Q1."""
    made: dict[str, str] = {}
    made["handled"] = receive(api)  # a complaint accepted, the signed-in officer handling it
    classify(api, made["handled"])
    accept(api, made["handled"])
    api.clock.advance(timedelta(days=1))
    made["denunciation"] = receive(api, signers=6)  # classified: awaiting the head's decision
    classify(api, made["denunciation"], Kind.DENUNCIATION)
    api.clock.advance(timedelta(days=1))
    made["colleague"] = receive(api)  # accepted for another officer of the agency
    classify(api, made["colleague"])
    accept(api, made["colleague"], "so-ct.chuyenvien")
    made["new"] = receive(api)  # just received
    made["elsewhere"] = receive(api, reception=OTHER_RECEPTION)
    made["moved"] = receive(api)
    classify(api, made["moved"], competence=Competence.CITY_AGENCY)
    api.app.petitions.execute(Transfer(to_agency=OTHER), made["moved"], actor=HEAD, request_id="r")
    project(api)
    api.sign_in_again()  # two days on: the morning's tokens have expired
    return made


def test_a_reception_officers_queue_is_the_agencys_open_cases_most_urgent_first(api: Api) -> None:
    made = cases(api)
    queue = api.get("/api/petitions/queue", Role.RECEPTION)
    assert queue.status_code == 200, queue.text
    items = queue.json["items"]
    assert {i["receipt"] for i in items} == {
        made["handled"],
        made["denunciation"],
        made["colleague"],
        made["new"],
    }
    dues = [(i["due"], i["receipt"]) for i in items]
    assert dues == sorted(dues)  # the last day of the term in force, earliest first
    assert queue.json["agency"] == AGENCY
    steps = {i["receipt"]: i["step"] for i in items}
    assert steps[made["new"]] == "classify"
    assert steps[made["denunciation"]] == "decide"
    assert steps[made["handled"]] == "handle"


def test_a_handling_officers_queue_holds_only_the_cases_assigned_to_them(api: Api) -> None:
    made = cases(api)
    queue = api.get("/api/petitions/queue", Role.DEPARTMENT)
    assert queue.status_code == 200, queue.text
    assert [i["receipt"] for i in queue.json["items"]] == [made["handled"]]
    assert queue.json["handler"] == HANDLER


def test_the_leadership_has_no_queue_of_petitions(api: Api) -> None:
    for role in (Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.ADMIN):
        assert api.get("/api/petitions/queue", role).status_code == 403


def test_an_agencys_officers_see_its_cases_only_and_overseers_every_agency(api: Api) -> None:
    made = cases(api)
    for role in (Role.RECEPTION, Role.AGENCY_HEAD, Role.DEPARTMENT):
        listed = api.get("/api/petitions", role)
        assert listed.status_code == 200, listed.text
        assert {i["agency"] for i in listed.json["items"]} == {AGENCY}
        # The case it transferred stays in its list, as transferred, with where it went.
        moved = [i for i in listed.json["items"] if i["receipt"] == made["moved"]]
        assert [(i["status"], i["transferred_to"]) for i in moved] == [("transferred", OTHER)]
        dashboard = api.get("/api/petitions/dashboard", role)
        assert set(dashboard.json["agencies"]) == {AGENCY}
        for path in ("/api/petitions", "/api/petitions/dashboard"):
            refused = api.get(path, role, agency=OTHER)
            assert refused.status_code == 403, (path, role)
            assert refused.json["type"].endswith("not-your-unit")
    for role in (Role.LEADER, Role.OFFICE, Role.INSPECTOR):
        listed = api.get("/api/petitions", role)
        assert {i["agency"] for i in listed.json["items"]} == {AGENCY, OTHER}
        # The city's list has each petition once, where it is now.
        receipts = [i["receipt"] for i in listed.json["items"]]
        assert len(receipts) == len(set(receipts)) == 6
        figures = api.get("/api/petitions/dashboard", role).json
        assert set(figures["agencies"]) == {AGENCY, OTHER}
        assert figures["city"]["received"] == 6
        assert figures["agencies"][AGENCY]["transferred_within"] == 1
        assert figures["agencies"][OTHER]["by_channel"]["transferred"] == 1
        assert figures["city"]["many_signers"] == 1
        assert api.get("/api/petitions", role, agency=OTHER).status_code == 200


def test_the_list_comes_in_keyset_pages_that_cover_it_once(api: Api) -> None:
    made = cases(api)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = api.get("/api/petitions", Role.OFFICE, **params)
        assert page.status_code == 200, page.text
        assert len(page.json["items"]) <= 2
        seen += [i["receipt"] for i in page.json["items"]]
        cursor = page.json["next"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(set(made.values()))
    whole = api.get("/api/petitions", Role.OFFICE).json["items"]
    keys = [(i["arrived_on"], i["receipt"]) for i in whole]
    assert keys == sorted(keys, reverse=True)
    assert len(seen) == len(keys)
    bad = api.get("/api/petitions", Role.OFFICE, cursor="OFFSET 10")
    assert bad.status_code == 422
    assert bad.json["type"].endswith("invalid-cursor")


def test_the_list_filters_by_kind_status_and_overdue(api: Api) -> None:
    made = cases(api)
    api.clock.advance(timedelta(days=20))  # the terms of the cases awaiting a decision pass
    api.sign_in_again()
    complaints = api.get("/api/petitions", Role.INSPECTOR, kind="complaint").json["items"]
    assert {i["receipt"] for i in complaints} == {made["handled"], made["colleague"]}
    unclassified = api.get("/api/petitions", Role.INSPECTOR, kind="unclassified").json["items"]
    assert {i["receipt"] for i in unclassified} == {made["new"], made["elsewhere"], made["moved"]}
    handling = api.get("/api/petitions", Role.INSPECTOR, status="in_handling").json["items"]
    assert {i["receipt"] for i in handling} == {made["handled"], made["colleague"]}
    overdue = api.get("/api/petitions", Role.INSPECTOR, overdue="true").json["items"]
    assert {i["receipt"] for i in overdue} == {
        made["denunciation"],
        made["new"],
        made["elsewhere"],
        made["moved"],
    }
    assert all(i["overdue"] and i["days_left"] < 0 for i in overdue)
    on_time = api.get("/api/petitions", Role.INSPECTOR, overdue="false").json["items"]
    assert {i["receipt"] for i in on_time} == {made["handled"], made["colleague"]}


def test_the_dashboard_names_its_point_of_view_and_answers_304_while_unchanged(api: Api) -> None:
    cases(api)
    first = api.get("/api/petitions/dashboard", Role.LEADER)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = api.client.simulate_get(
        "/api/petitions/dashboard", headers=api.headers(Role.LEADER, **{"If-None-Match": etag})
    )
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    # Asked again with the day and position it named, later: the same figures.
    named = first.json
    receive(api)
    project(api)
    moved = api.get("/api/petitions/dashboard", Role.LEADER)
    assert moved.headers["ETag"] != etag
    assert moved.json["city"]["received"] == named["city"]["received"] + 1
    same = api.get(
        "/api/petitions/dashboard",
        Role.LEADER,
        as_of=named["as_of"],
        position=str(named["position"]),
    )
    assert {k: v for k, v in same.json.items() if k != "checkpoint"} == {
        k: v for k, v in named.items() if k != "checkpoint"
    }


def test_no_answer_about_petitions_holds_anything_personal(api: Api) -> None:
    cases(api)
    for role in (Role.LEADER, Role.INSPECTOR, Role.RECEPTION, Role.DEPARTMENT):
        for path in ("/api/petitions", "/api/petitions/dashboard"):
            body = api.get(path, role).text
            assert not [p for p in PERSONAL if p in body], (path, role)
    for role in (Role.RECEPTION, Role.AGENCY_HEAD, Role.DEPARTMENT):
        body = api.get("/api/petitions/queue", role).text
        assert not [p for p in PERSONAL if p in body], role
    assert orjson.loads(api.get("/api/petitions", Role.LEADER).text)["items"]


def test_the_execution_index_weighs_an_agencys_petitions_unless_turned_off(api: Api) -> None:
    """Past the handling term of its two accepted complaints, SO-CT has handled none of its
    petitions within the legal time: the index's petitions component is 0 and lowers its score;
    an index whose petitions weight is 0 leaves it out and scores the directives alone."""
    api.app.issue(
        IssueDirective(reference="1/PET", title="Rà soát", content="", lead_unit=AGENCY),
        actor=api.app.get_user(USERS[Role.LEADER][0]).as_actor(),
        request_id="r",
    )
    cases(api)
    api.clock.advance(timedelta(days=40))
    api.sign_in_again()
    project(api)
    weighted = api.get("/api/oversight/index", Role.LEADER).json["units"]
    (unit,) = [u for u in weighted if u["unit"] == AGENCY]
    assert unit["components"]["petitions"] == 0.0
    off = falcon.testing.TestClient(
        create_app(AppConfig(services=api.services, index_weights=IndexWeights(petitions=0)))
    )
    alone = off.simulate_get("/api/oversight/index", headers=api.headers(Role.LEADER)).json
    (same,) = [u for u in alone["units"] if u["unit"] == AGENCY]
    assert same["components"]["petitions"] is None
    assert same["score"] > unit["score"]
