"""Reports are reproducible: every oversight answer names the day it is about and the log position
it was made from, and asking again with both, a year of work later, gives the same answer. Once
the log is signed, the answer also names the checkpoint that covers it.

The year is the demo's own simulation (``cli.demo``), recorded week by week as the simulated
clock reaches each event's moment instead of all at once, so the questions are asked while the
year is still under way, as a leader would ask them.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from cli.demo import _Simulation
from cli.demo_units import DemoUnits
from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    IssueDirective,
    ReportCompletion,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, city_date
from domain.shared.notes import open_checkpoint, parse_verifier_key
from domain.units.registry import REGISTRY_ID, UnitRegistry
from projections.audit import AuditProjection
from projections.oversight import OversightProjection, catch_up
from readmodels.model import AsOf
from readmodels.open import OversightView, open_trail, open_view
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView
from tests.api.conftest import ORIGIN, PASSWORD, USERS, Api, make_api
from tests.conftest import START
from tests.integration.readmodels import backend, project, table_rows
from tests.postgres import fresh_schema, require_server

SEED = 2024
DIRECTIVES = 240
FIRST_DAY = city_date(START) + timedelta(days=1)
WEEKS = 53  # the demo's year, and a little more for its last decisions
CAPTURE_WEEKS = (6, 14, 22, 30, 38, 46)  # six moments, two months apart
SIGNED_WEEK = 22  # an inspector signs the log once during the year
PATHS = ("/api/oversight", "/api/oversight/late", "/api/oversight/due-soon", "/api/oversight/index")
LEADER, INSPECTOR = USERS[Role.LEADER][0], USERS[Role.INSPECTOR][0]

Answers = dict[str, dict[str, Any]]
LEADER_ACTOR = Actor("leader.chutich", Role.LEADER)
SO_CT = Actor("so-ct.canbo", Role.DEPARTMENT, "SO-CT")


def evening(day: date) -> datetime:
    """18:00 in the city: after the day's simulated office hours."""
    return datetime(day.year, day.month, day.day, 18, tzinfo=CITY_TIMEZONE).astimezone(UTC)


def sign_in(api: Api, *usernames: str) -> None:
    """Fresh tokens (they last 12 hours on the simulated clock)."""
    for username in usernames:
        signed = api.client.simulate_post(
            "/api/session", json={"username": username, "password": PASSWORD}
        )
        assert signed.status_code == 201, signed.text
        api.tokens[username] = signed.json["token"]


def ask(api: Api, **params: str) -> Answers:
    answers: Answers = {}
    for path in PATHS:
        response = api.get(path, LEADER, **params)
        assert response.status_code == 200, (path, response.text)
        answers[path] = response.json
    return answers


def without_checkpoint(answers: Answers) -> Answers:
    """The answers without what says when they were asked: whether a checkpoint covered them
    yet, and whether their day was still to come."""
    return {
        path: {k: v for k, v in answer.items() if k not in {"checkpoint", "forecast"}}
        for path, answer in answers.items()
    }


def test_oversight_answers_asked_again_with_their_day_and_position_are_the_same(
    tmp_path: Path,
) -> None:
    api, app = make_api(f"sqlite:///{tmp_path / 'year.db'}")
    try:
        registry: UnitRegistry = app.repository.get(REGISTRY_ID)
        units = DemoUnits(registry, FIRST_DAY, FIRST_DAY + timedelta(days=365))
        simulation = _Simulation(random.Random(SEED), units)
        year = simulation.run(DIRECTIVES)  # in the order of their moments
        moments = [e.timestamp for e in year]
        assert moments == sorted(moments)
        assert moments[0] > START
        projection = OversightProjection(open_view(app, create=False))
        store = open_trail(app, create=False)
        audit = AuditProjection(app, store, signer=None)
        key = parse_verifier_key(api.client.simulate_get("/api/audit/public-key").json["vkey"])[1]

        def leaves_up_to(position: int) -> int:
            found = store.leaf_at(position)
            assert found is not None
            return found[0] + 1

        def covers(checkpoint: dict[str, Any], position: int) -> bool:
            opened = open_checkpoint(checkpoint["note"], ORIGIN, key)
            return bool(
                opened.size == checkpoint["tree_size"] >= leaves_up_to(position)
                and checkpoint["position"] >= position
            )

        captured: list[Answers] = []
        mid_year: dict[str, Any] | None = None
        recorded = 0
        for week in range(1, WEEKS + 1):
            api.clock.set(evening(FIRST_DAY + timedelta(weeks=week)))
            if week in CAPTURE_WEEKS:
                sign_in(api, LEADER, INSPECTOR)
            upto = bisect.bisect_right(moments, api.clock.now())
            if upto > recorded:
                app.save(*year[recorded:upto])
                recorded = upto
            catch_up(app, projection)
            audit.catch_up()  # as the follower process does
            if week == SIGNED_WEEK:
                signed = api.post("/api/audit/checkpoint", INSPECTOR)
                assert signed.status_code == 201, signed.text
                mid_year = signed.json
            if week in CAPTURE_WEEKS:
                answers = ask(api)
                head = app.max_notification_id()
                for answer in answers.values():
                    assert answer["as_of"] == city_date(api.clock.now()).isoformat()
                    assert answer["position"] == head
                    checkpoint = answer["checkpoint"]
                    assert checkpoint is None or covers(checkpoint, head)
                captured.append(answers)
        assert recorded == len(year), "the whole year is in the log"
        assert mid_year is not None

        # The captures are worth comparing: the city had late and nearly due work at the time.
        assert any(a["/api/oversight"]["city"]["overdue"] > 0 for a in captured)
        assert all(a["/api/oversight/late"]["items"] for a in captured[1:])
        assert any(a["/api/oversight/due-soon"]["items"] for a in captured)
        assert all(a["/api/oversight/index"]["units"] for a in captured)
        assert [a["/api/oversight"]["checkpoint"] is None for a in captured] == [
            True,
            True,
            False,
            True,
            True,
            True,
        ]
        assert captured[2]["/api/oversight"]["checkpoint"] == mid_year

        api.clock.set(evening(FIRST_DAY + timedelta(weeks=WEEKS, days=1)))
        sign_in(api, LEADER, INSPECTOR)
        head = app.max_notification_id()
        again: list[Answers] = []
        moved_on = 0
        for answers in captured:
            point = answers["/api/oversight"]
            day, position = point["as_of"], str(point["position"])
            asked = ask(api, as_of=day, position=position)
            assert without_checkpoint(asked) == without_checkpoint(answers)
            for path, answer in asked.items():
                if answers[path]["checkpoint"] is not None:
                    assert answer["checkpoint"] == answers[path]["checkpoint"]
            again.append(asked)
            # The same day seen from the end of the year: what was recorded later that evening
            # counts too, so the position is what kept them equal.
            later = ask(api, as_of=day, position=str(head))
            moved_on += without_checkpoint(later) != without_checkpoint(answers)
        assert moved_on == len(captured)

        final = api.post("/api/audit/checkpoint", INSPECTOR)
        assert final.status_code == 201, final.text
        assert final.json["tree_size"] == head
        for answers, before in zip(captured, again, strict=True):
            point = answers["/api/oversight"]
            position = point["position"]
            signed_now = ask(api, as_of=point["as_of"], position=str(position))
            assert without_checkpoint(signed_now) == without_checkpoint(answers)
            first_covering = mid_year if position <= mid_year["position"] else final.json
            for path, answer in signed_now.items():
                checkpoint = answer["checkpoint"]
                assert checkpoint is not None, (path, position)
                assert covers(checkpoint, position)
                assert checkpoint == first_covering
                if before[path]["checkpoint"] is not None:
                    assert checkpoint == before[path]["checkpoint"]
    finally:
        app.close()


KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
LATE, SOON = "7/UBND-KT", "8/UBND-KT"


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'days.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@pytest.mark.parametrize("kind", KINDS)
def test_a_past_day_asked_alone_names_the_position_that_gives_its_answer_again(
    kind: str, tmp_path: Path
) -> None:
    """The issue's case. SO-CT's 7/UBND-KT was due on 5 March and still open on the 6th; its
    8/UBND-KT was due on the 8th. Both were reported and accepted on the 7th. Asked on the 7th
    about the 6th, the answer must name a position that gives the same figures when asked
    again, and must be what was seen on the evening of the 6th."""
    with database(kind, tmp_path) as url:
        api, app = make_api(url)
        try:
            for ref, deadline in ((LATE, "2024-03-05"), (SOON, "2024-03-08")):
                issued = api.post(
                    "/api/directives",
                    Role.LEADER,
                    {"reference": ref, "title": "Báo cáo", "lead_unit": "SO-CT",
                     "deadline": deadline},
                )  # fmt: skip
                assert issued.status_code == 201, issued.text
                path = "/api/directives/" + ref.replace("/", "~")
                acknowledged = api.post(path + "/acknowledgement", Role.DEPARTMENT)
                assert acknowledged.status_code == 200, acknowledged.text
            api.clock.set(evening(date(2024, 3, 6)))
            api.sign_in_again()
            that_evening = ask(api)
            assert that_evening["/api/oversight"]["as_of"] == "2024-03-06"

            api.clock.set(evening(date(2024, 3, 7)))
            api.sign_in_again()
            for ref in (LATE, SOON):
                path = "/api/directives/" + ref.replace("/", "~")
                reported = api.post(
                    path + "/completion-report", Role.DEPARTMENT, {"summary": "Xong"}
                )
                assert reported.status_code == 201, reported.text
                accepted = api.post(
                    path + "/completion-report/decision", Role.LEADER, {"decision": "accept"}
                )
                assert accepted.status_code == 200, accepted.text
            head = app.max_notification_id()

            asked = ask(api, as_of="2024-03-06")
            point = asked["/api/oversight"]
            assert point["units"]["SO-CT"]["overdue"] == 1  # 7/UBND-KT, by one day
            assert point["units"]["SO-CT"]["due_soon"] == 1  # 8/UBND-KT, due in two days
            assert [i["reference"] for i in asked["/api/oversight/late"]["items"]] == [LATE]
            assert [i["reference"] for i in asked["/api/oversight/due-soon"]["items"]] == [SOON]
            again = ask(api, as_of="2024-03-06", position=str(point["position"]))
            assert without_checkpoint(again) == without_checkpoint(asked)
            assert {a["position"] for a in asked.values()} == {point["position"]}
            assert point["position"] < head
            assert not any(a["forecast"] for a in asked.values())
            # What the evening of the 6th saw, position included.
            assert without_checkpoint(asked) == without_checkpoint(that_evening)

            # The why-late of the unit names its point of view too.
            why = api.get("/api/units/SO-CT/why-late", Role.LEADER, as_of="2024-03-06").json
            assert (why["position"], why["directives"]) == (point["position"], 1)
            assert why == api.get(
                "/api/units/SO-CT/why-late", Role.LEADER, as_of="2024-03-06",
                position=str(why["position"]),
            ).json  # fmt: skip

            # A day still to come is a forecast, at the log as it stands, and says so.
            ahead = ask(api, as_of="2024-03-20")
            assert all(a["forecast"] and a["position"] == head for a in ahead.values())
            assert without_checkpoint(ahead) == without_checkpoint(
                ask(api, as_of="2024-03-20", position=str(head))
            )
        finally:
            app.close()


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE).astimezone(UTC)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_an_event_dated_a_day_but_recorded_later_counts_on_its_day_from_its_own_position(
    kind: str, tmp_path: Path
) -> None:
    """Only a log written beneath the application holds one (an import, the tests' own
    builders): 7/BD's completion is dated 6 March but recorded after a directive issued on the
    10th. Asked alone, the 7th counts it and names its position; asked at the position before
    it, the log did not know it yet."""
    with backend(kind, tmp_path) as (app, view, clock):
        clock.set(at(date(2024, 3, 4)))
        app.issue(
            IssueDirective(reference="7/BD", title="Báo cáo", lead_unit="SO-CT",
                           deadline=date(2024, 3, 5)),
            actor=LEADER_ACTOR, request_id="r",
        )  # fmt: skip
        app.execute(Acknowledge(), "7/BD", actor=SO_CT, request_id="r")
        clock.set(at(date(2024, 3, 10)))
        issued_later = app.issue(
            IssueDirective(reference="8/BD", title="Kế hoạch", lead_unit="SO-TC"),
            actor=LEADER_ACTOR, request_id="r",
        )  # fmt: skip
        clock.set(at(date(2024, 3, 6)))
        app.execute(ReportCompletion(summary="Xong"), "7/BD", actor=SO_CT, request_id="r")
        accepted = app.execute(
            DecideCompletion(decision="accept"), "7/BD", actor=LEADER_ACTOR, request_id="r"
        )
        project(app, view)

        day = date(2024, 3, 7)
        alone = view.summary(AsOf(day))
        assert alone.position == accepted
        assert (alone.city.completed_late, alone.city.total) == (1, 1)  # 8/BD: not yet issued
        assert view.summary(AsOf(day, alone.position)) == alone
        before = view.summary(AsOf(day, issued_later))
        assert (before.city.overdue, before.city.total) == (1, 1)
        assert [i.reference for i in view.late(AsOf(day, issued_later))] == ["7/BD"]
        assert view.late(AsOf(day)) == []


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_board_written_before_the_days_table_fills_it_when_opened(
    kind: str, tmp_path: Path
) -> None:
    """A database whose read models an earlier version wrote: its board has every version, but
    no table of days to find a day's position in. Opening the view fills it from the board."""
    with backend(kind, tmp_path) as (app, view, _):
        registry: UnitRegistry = app.repository.get(REGISTRY_ID)
        units = DemoUnits(registry, FIRST_DAY, FIRST_DAY + timedelta(days=120))
        simulation = _Simulation(random.Random(7), units)
        app.save(*simulation.run(30))
        project(app, view)
        days = [FIRST_DAY + timedelta(days=n) for n in range(-1, 130, 9)]
        answers = [view.summary(AsOf(day)) for day in days]
        assert len({a.position for a in answers}) > 5
        kept = table_rows(view)["days"]
        drop_days(view)
        reopened = open_view(app)
        assert table_rows(reopened)["days"] == kept
        assert [reopened.summary(AsOf(day)) for day in days] == answers


def drop_days(view: OversightView) -> None:
    """The read models as an earlier version left them: no table of days."""
    if isinstance(view, PostgresOversightView):
        with view.datastore.transaction(commit=True) as c:
            c.execute(sql.SQL("DROP TABLE {}").format(view.table("days")))
    else:
        assert isinstance(view, SQLiteOversightView)
        with view.datastore.transaction(commit=True) as s:
            s.execute(f"DROP TABLE {view.table('days')}")
