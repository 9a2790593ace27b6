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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cli.demo import _Simulation
from domain.shared.actors import Role
from domain.shared.clock import CITY_TIMEZONE, city_date
from domain.shared.notes import open_checkpoint, parse_verifier_key
from projections.audit import AuditProjection
from projections.oversight import OversightProjection, catch_up
from readmodels.open import open_trail, open_view
from tests.api.conftest import ORIGIN, PASSWORD, USERS, Api, make_api
from tests.conftest import START

SEED = 2024
DIRECTIVES = 240
FIRST_DAY = city_date(START) + timedelta(days=1)
WEEKS = 53  # the demo's year, and a little more for its last decisions
CAPTURE_WEEKS = (6, 14, 22, 30, 38, 46)  # six moments, two months apart
SIGNED_WEEK = 22  # an inspector signs the log once during the year
PATHS = ("/api/oversight", "/api/oversight/late", "/api/oversight/due-soon", "/api/oversight/index")
LEADER, INSPECTOR = USERS[Role.LEADER][0], USERS[Role.INSPECTOR][0]

Answers = dict[str, dict[str, Any]]


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
    return {
        path: {k: v for k, v in answer.items() if k != "checkpoint"}
        for path, answer in answers.items()
    }


def test_oversight_answers_asked_again_with_their_day_and_position_are_the_same(
    tmp_path: Path,
) -> None:
    api, app = make_api(f"sqlite:///{tmp_path / 'year.db'}")
    try:
        units = list(app.unit_registry().units.values())
        simulation = _Simulation(
            random.Random(SEED), units, FIRST_DAY, FIRST_DAY + timedelta(days=365)
        )
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
            # The same day seen from the end of the year: the position is what kept them equal.
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
