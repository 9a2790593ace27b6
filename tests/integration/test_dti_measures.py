"""The index's components measured by Thucthi, on SQLite and PostgreSQL: a small world of
directives, signed documents and petitions of one unit in 2024, each measure worked by hand; the
measurement recorded when the unit submits, with its day and log position, so that published
results reproduce at their (as_of, position) whatever is recorded later; and a measured
component the unit cannot type."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from domain.application import Thucthi
from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    DecideExtension,
    IssueDirective,
    ReportCompletion,
    RequestExtension,
    Withdraw,
)
from domain.dti.commands import (
    CompleteAppraisal,
    EnterValue,
    PublishResults,
    StartAssessment,
    Submit,
)
from domain.dti.errors import InvalidAssessmentError
from domain.dti.framework import Basis, Measure, MeasureName
from domain.dti.measures import Measurement
from domain.dti.scoring import Value
from domain.petitions.commands import Accept, Classify, ReceivePetition, Resolve
from domain.petitions.petition import Channel, Competence, Field, Kind, Verdict
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, SimulatedClock
from readmodels.dti_measures import ReadModelMeasures
from readmodels.open import OversightView, open_measures
from tests.builders import LEADER, OFFICE, officer
from tests.documents import minimal_pdf
from tests.integration.readmodels import backend, project
from tests.petition_builders import NGUYEN

D = Decimal
UNIT = "SO-CT"
OTHER = "SO-TC"
APPRAISER = officer("SO-KHCN")
PERIOD = 2024
YEAR = (date(2024, 1, 1), date(2024, 12, 31))
KEY = f"do-luong~1~{PERIOD}~{UNIT}"
RECEPTION = Actor("soct.tiepdan", Role.RECEPTION, UNIT)
HEAD = Actor("soct.giamdoc", Role.AGENCY_HEAD, UNIT)
HANDLER = Actor("soct.chuyenvien", Role.DEPARTMENT, UNIT)
TEXT = "Khiếu nại việc thu hồi đất tại thửa 45, tờ bản đồ 12, phường Bến Thành."


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE).astimezone(UTC)


def component(code: str, rule: dict[str, Any], measure: dict[str, str] | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "code": code,
        "name_vi": f"Chỉ số {code}",
        "name_en": f"Component {code}",
        "max_points": 10,
        "rule": rule,
    }
    if measure is not None:
        found["measure"] = measure
    return found


SHARE: dict[str, Any] = {"kind": "share"}
MEASURED: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "A": (SHARE, {"name": "directives_on_time"}),
    "A2": (SHARE, {"name": "directives_on_time", "basis": "original"}),
    "B": (SHARE, {"name": "petitions_on_time"}),
    "C": (SHARE, {"name": "documents_signed"}),
    "D": (SHARE, {"name": "petitions_online"}),
    "E": ({"kind": "scale", "zero_at": 10, "full_at": 0}, {"name": "acknowledge_days"}),
    "F": ({"kind": "scale", "zero_at": 60, "full_at": 0}, {"name": "petition_answer_days"}),
}


def framework() -> str:
    """Seven measured components and one the unit enters (a yes or no), 10 points each."""
    components = [component(code, rule, m) for code, (rule, m) in MEASURED.items()]
    components.append(component("G", {"kind": "yes_no"}, None))
    return json.dumps(
        {
            "format": "thucthi-dti/1",
            "index": "do-luong",
            "version": 1,
            "period": PERIOD,
            "name_vi": "Bộ chỉ số đo tự động",
            "name_en": "A measured index",
            "decision": "Quyết định 1/QĐ-UBND",
            "appraiser": "SO-KHCN",
            "groups": [
                {
                    "group": "departments",
                    "name_vi": "Sở, ban, ngành",
                    "name_en": "Departments",
                    "pillars": [
                        {
                            "code": "P",
                            "name_vi": "Chung",
                            "name_en": "All",
                            "indicators": [
                                {
                                    "code": "1",
                                    "name_vi": "Chỉ số",
                                    "name_en": "Indicator",
                                    "components": components,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )


class World:
    """The unit's 2024, issued on Monday 1 April 2024 unless said (no holiday from 1 to 8 April;
    none in June and July):

    - 1/DL due 10 April, acknowledged the same day, reported 5 April: on time.
    - 2/DL due 10 April, acknowledged Wednesday 3 April (2 working days), reported 15 April: late.
    - 3/DL due 10 May, acknowledged Monday 8 April (5 working days), never completed: overdue.
    - 4/DL due 20 January 2025 (outside the year), never acknowledged.
    - 5/DL without deadline, acknowledged Thursday 4 April (3 working days).
    - 6/DL due 10 April, withdrawn: counted nowhere.
    - 7/DL led by another unit: counted nowhere.
    - 8/DL due 10 April, extended to 30 April, acknowledged the same day, reported 20 April: on
      time against the deadline in force, late against the original.

    Signed documents: 1/DL and 2/DL signed, 3/DL filed unsigned, 7/DL signed (another unit's).

    Petitions at the unit, complaints accepted the day they arrive (30 days to decide):
    - online, 1 April, resolved Thursday 4 April (3 working days): on time;
    - in person, 3 June, resolved 31 July (42 working days, 58 days): late;
    - by post, 3 June, never resolved: past its term in handling;
    - online, 3 June, never classified: waiting for the decision to accept, not yet due to be
      handled.
    """

    def __init__(self, app: Thucthi, clock: SimulatedClock) -> None:
        self.app, self.clock = app, clock

    def issue(self, ref: str, deadline: date | None, unit: str = UNIT) -> None:
        self.clock.set(at(date(2024, 4, 1)))
        self.app.issue(
            IssueDirective(
                reference=ref,
                title=f"Nhiệm vụ {ref}",
                content="",
                lead_unit=unit,
                deadline=deadline,
            ),
            actor=LEADER,
            request_id="r",
        )

    def on(self, day: date, command: Any, ref: str, actor: Actor, hour: int = 9) -> None:
        self.clock.set(at(day, hour))
        self.app.execute(command, ref, actor=actor, request_id="r")

    def complete(self, ref: str, reported: date, unit: str = UNIT) -> None:
        self.on(reported, ReportCompletion(summary="Xong"), ref, officer(unit))
        self.on(reported, DecideCompletion(decision="accept"), ref, LEADER, hour=15)

    def file(self, ref: str, signer: str | None) -> int:
        """File the directive's document, signed or not, at the clock's moment."""
        directive = self.app.get_directive(ref)
        return self.app.documents.file(
            minimal_pdf(ref),
            name=f"{ref.replace('/', '-')}.pdf",
            kind="directive",
            subject=directive.id,
            reference=ref,
            title=directive.title,
            issuer=LEADER.user_id,
            public=True,
            signer=signer,
            actor=OFFICE,
            request_id="r",
        )

    def petition(self, day: date, channel: Channel, *, accept: bool = True) -> str:
        self.clock.set(at(day))
        receipt, _ = self.app.petitions.receive(
            ReceivePetition(agency=UNIT, channel=channel, petitioners=(NGUYEN,), content=TEXT),
            actor=RECEPTION,
            request_id="r",
        )
        if accept:
            classify = Classify(kind=Kind.COMPLAINT, field=Field.LAND, competence=Competence.OURS)
            self.app.petitions.execute(classify, receipt, actor=RECEPTION, request_id="r")
            accepting = Accept(handler=HANDLER.user_id)
            self.app.petitions.execute(accepting, receipt, actor=HEAD, request_id="r")
        return receipt

    def resolve(self, receipt: str, day: date) -> None:
        self.clock.set(at(day))
        resolved = Resolve(verdict=Verdict.WRONG, summary="Giữ nguyên quyết định")
        self.app.petitions.execute(resolved, receipt, actor=HEAD, request_id="r")

    def build(self) -> int:
        """The world, day by day; the position of the document filed last (2/DL's)."""
        deadline = date(2024, 4, 10)
        for ref, due in (
            ("1/DL", deadline),
            ("2/DL", deadline),
            ("3/DL", date(2024, 5, 10)),
            ("4/DL", date(2025, 1, 20)),
            ("5/DL", None),
            ("6/DL", deadline),
            ("8/DL", deadline),
        ):
            self.issue(ref, due)
        self.issue("7/DL", deadline, unit=OTHER)
        unit = officer(UNIT)
        self.on(date(2024, 4, 1), Acknowledge(), "1/DL", unit)
        self.on(date(2024, 4, 1), Acknowledge(), "8/DL", unit)
        on_time = self.petition(date(2024, 4, 1), Channel.ONLINE)
        self.on(date(2024, 4, 2), Acknowledge(), "7/DL", officer(OTHER))
        self.on(date(2024, 4, 2), Withdraw(reason="Không còn phù hợp"), "6/DL", LEADER)
        self.file("1/DL", LEADER.user_id)
        self.file("3/DL", None)
        self.file("7/DL", LEADER.user_id)
        last = self.file("2/DL", LEADER.user_id)
        self.on(date(2024, 4, 3), Acknowledge(), "2/DL", unit)
        self.on(date(2024, 4, 4), Acknowledge(), "5/DL", unit)
        self.resolve(on_time, date(2024, 4, 4))
        extension = RequestExtension(new_deadline=date(2024, 4, 30), reason="")
        self.on(date(2024, 4, 5), extension, "8/DL", unit)
        self.complete("1/DL", date(2024, 4, 5))
        self.complete("7/DL", date(2024, 4, 5), OTHER)
        self.on(date(2024, 4, 8), Acknowledge(), "3/DL", unit)
        self.on(date(2024, 4, 8), DecideExtension(decision="grant", number=1), "8/DL", LEADER)
        self.complete("2/DL", date(2024, 4, 15))
        self.complete("8/DL", date(2024, 4, 20))
        late = self.petition(date(2024, 6, 3), Channel.IN_PERSON)
        self.petition(date(2024, 6, 3), Channel.POST)
        self.petition(date(2024, 6, 3), Channel.ONLINE, accept=False)
        self.resolve(late, date(2024, 7, 31))
        return last


@pytest.fixture(params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Thucthi, OversightView, SimulatedClock, int]]:
    with backend(request.param, tmp_path) as (app, view, clock):
        last = World(app, clock).build()
        project(app, view)
        app.dti.measure_with(open_measures(app, view))
        yield app, view, clock, last


def measured(app: Thucthi, view: OversightView, name: MeasureName, **kw: Any) -> Measurement:
    measures = open_measures(app, view)
    assert isinstance(measures, ReadModelMeasures)
    position = kw.pop("position", view.position())
    return measures.measure(Measure(name, **kw), UNIT, YEAR, YEAR[1], position)


def figures(m: Measurement) -> tuple[int, int, Decimal | None, Value | None]:
    return m.part, m.whole, m.median, m.value


def test_each_measure_gives_the_figures_worked_by_hand(
    world: tuple[Thucthi, OversightView, SimulatedClock, int],
) -> None:
    """Due in 2024 by its last day (deadline in force): 1/DL, 2/DL, 3/DL, 8/DL, of which 1/DL
    and 8/DL on time, 2 of 4; against the original deadline 8/DL is late, 1 of 4. Issued in 2024
    and not withdrawn: 1, 2, 3, 4, 5, 8/DL, of which 1/DL and 2/DL filed signed, 2 of 6;
    working days to acknowledge 0, 2, 5, 3, 0, and 4/DL not acknowledged by 31 December (at least
    its working days to then), sorted 0, 0, 2, 3, 5, …: median 2.5, 5 of 6 acknowledged.
    Petitions: on time 1 of 3 (resolved on time, late, past its term); online 2 of 4; working
    days from arrival to result 3, 42 and the one still open counted to 31 December: median 42,
    2 of 3 answered."""
    app, view, _, _ = world
    assert figures(measured(app, view, MeasureName.DIRECTIVES_ON_TIME)) == (
        2, 4, None, Value(D(2), D(4)),
    )  # fmt: skip
    original = measured(app, view, MeasureName.DIRECTIVES_ON_TIME, basis=Basis.ORIGINAL)
    assert figures(original) == (1, 4, None, Value(D(1), D(4)))
    assert figures(measured(app, view, MeasureName.DOCUMENTS_SIGNED)) == (
        2, 6, None, Value(D(2), D(6)),
    )  # fmt: skip
    assert figures(measured(app, view, MeasureName.ACKNOWLEDGE_DAYS)) == (
        5, 6, D("2.5"), Value(D("2.5")),
    )  # fmt: skip
    assert figures(measured(app, view, MeasureName.PETITIONS_ON_TIME)) == (
        1, 3, None, Value(D(1), D(3)),
    )  # fmt: skip
    assert figures(measured(app, view, MeasureName.PETITIONS_ONLINE)) == (
        2, 4, None, Value(D(2), D(4)),
    )  # fmt: skip
    assert figures(measured(app, view, MeasureName.PETITION_ANSWER_DAYS)) == (
        2, 3, D(42), Value(D(42)),
    )  # fmt: skip


def test_a_measure_counts_only_what_the_log_held_at_its_position(
    world: tuple[Thucthi, OversightView, SimulatedClock, int],
) -> None:
    """At the position before 2/DL's signed document was filed, 1 of 6 directives was signed."""
    app, view, _, last = world
    before = measured(app, view, MeasureName.DOCUMENTS_SIGNED, position=last - 1)
    assert (before.part, before.whole, before.position) == (1, 6, last - 1)


def test_the_unit_submits_and_thucthi_records_what_it_measured_which_the_unit_cannot_type(
    world: tuple[Thucthi, OversightView, SimulatedClock, int],
) -> None:
    """Submitted in January 2025: each measured component holds the figures as of 31 December
    2024 at the position the view stood at, and scores by them (A 2/4 of 10 = 5, E 2.5 days on
    a 10-to-0 scale = 7.5, F 42 days on a 60-to-0 scale = 3)."""
    app, view, clock, _ = world
    clock.set(at(date(2025, 1, 15)))
    app.dti.publish_framework(framework(), actor=OFFICE, request_id="v1")
    unit = officer(UNIT)
    app.dti.start(
        StartAssessment(index="do-luong", version=1, period=PERIOD, unit=UNIT),
        actor=unit,
        request_id="r",
    )
    with pytest.raises(InvalidAssessmentError) as caught:
        app.dti.execute(
            EnterValue(component="A", number=D(4), of=D(4)), KEY, actor=unit, request_id="r"
        )
    assert caught.value.case == "automatic"
    app.dti.execute(EnterValue(component="G", number=D(1)), KEY, actor=unit, request_id="r")
    position = view.position()
    app.dti.execute(Submit(), KEY, actor=unit, request_id="r")
    assessment = app.dti.get(KEY)
    entries = assessment.entries
    assert set(entries) == {*MEASURED, "G"}
    a = entries["A"].measured
    assert a is not None
    assert (a.as_of, a.position, a.part, a.whole) == (YEAR[1], position, 2, 4)
    assert entries["A"].value == Value(D(2), D(4))
    assert entries["G"].measured is None
    card = (
        app.dti.results("do-luong", PERIOD, view=app.dti.point_of_view(None, None), actor=OFFICE)[0]
        .standings[0]
        .place.card
    )
    points = {c.code: c.points for c in card.components()}
    assert points == {
        "A": D(5), "A2": D("2.5"), "B": D("3.33"), "C": D("3.33"), "D": D(5),
        "E": D("7.5"), "F": D(3), "G": D(10),
    }  # fmt: skip


def test_published_measured_results_reproduce_after_more_is_recorded(
    world: tuple[Thucthi, OversightView, SimulatedClock, int],
) -> None:
    """Submitted, appraised and published on 20 December 2024, before the period ends; on the
    23rd 8/DL is filed signed and 3/DL reported complete, and the read models take it in. The
    measure taken again now counts 3 of 6 signed, but the results asked at the published
    (as_of, position), and those asked now, keep the 2 of 6 recorded at submission."""
    app, view, clock, _ = world
    clock.set(at(date(2024, 12, 20)))
    app.dti.publish_framework(framework(), actor=OFFICE, request_id="v1")
    unit = officer(UNIT)
    app.dti.start(
        StartAssessment(index="do-luong", version=1, period=PERIOD, unit=UNIT),
        actor=unit,
        request_id="r",
    )
    app.dti.execute(Submit(), KEY, actor=unit, request_id="r")
    c = app.dti.get(KEY).entries["C"].measured
    assert c is not None
    assert (c.as_of, c.part, c.whole) == (date(2024, 12, 20), 2, 6)
    app.dti.execute(CompleteAppraisal(), KEY, actor=APPRAISER, request_id="r")
    app.dti.publish_results(
        PublishResults(index="do-luong", version=1, period=PERIOD), actor=OFFICE, request_id="p"
    )
    asked = app.dti.point_of_view(None, None)
    (before,) = app.dti.results("do-luong", PERIOD, view=asked, actor=OFFICE)
    published = before.standings[0].place.card
    assert {c.code: c.points for c in published.components()}["C"] == D("3.33")
    clock.set(at(date(2024, 12, 23)))
    World(app, clock).file("8/DL", LEADER.user_id)
    app.execute(ReportCompletion(summary="Xong"), "3/DL", actor=unit, request_id="r")
    project(app, view)
    signed = measured(app, view, MeasureName.DOCUMENTS_SIGNED)
    assert (signed.part, signed.whole) == (3, 6)
    (again,) = app.dti.results("do-luong", PERIOD, view=asked, actor=OFFICE)
    now = app.dti.point_of_view(None, app.max_notification_id())
    assert now.position > asked.position
    (later,) = app.dti.results("do-luong", PERIOD, view=now, actor=OFFICE)
    assert again.standings[0].place.card == published
    assert later.standings[0].place.card == published
