"""For random histories, on SQLite and PostgreSQL: an oversight answer about any day, past,
present or to come, asked at any moment (the read models caught up or lagging), names a log
position; asked again with its day and that position once the whole history is recorded, it is
the same answer, and it is the plain fold (tests/reference.py) of the events at or before the
position that were recorded by the end of the day. A day asked alone names the last position of
a directive event recorded by its end."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.directives.directive import Directive
from domain.shared.clock import city_date, end_of_city_day
from readmodels.model import AsOf
from readmodels.open import OversightView
from tests import reference
from tests.hypothesis_profiles import examples
from tests.integration.readmodels import all_events, backend, project
from tests.integration.test_oversight_properties import as_dict, record_history

WINDOW = 5  # days of the due-soon list


@dataclass(frozen=True)
class Answer:
    """What the read models said about a day, and where they stood when asked."""

    day: date
    position: int  # the position the answer names
    tracked: int  # the read models' position when it was asked
    units: dict[str, dict[str, int]]
    city: dict[str, int]
    skipped: int
    late: list[tuple[str, int, int]]
    due_soon: list[tuple[str, int, int]]
    index: list[tuple[str, int, float, float, int]]


def ask(view: OversightView, day: date, position: int | None = None) -> Answer:
    """The summary, the late and due-soon lists and the index's inputs, each asked on its own
    about the same point of view, as the API and the pages ask them."""
    as_of = AsOf(day, position)
    tracked = view.position()
    summary = view.summary(as_of)
    assert view.position_of(as_of) == summary.position
    return Answer(
        day=day,
        position=summary.position,
        tracked=tracked,
        units={unit: as_dict(f) for unit, f in summary.units.items()},
        city=as_dict(summary.city),
        skipped=summary.skipped,
        late=[(i.reference, i.days, i.percent) for i in view.late(as_of)],
        due_soon=[(i.reference, i.days, i.percent) for i in view.due_soon(as_of, WINDOW)],
        # Sums of moments as floats: equal to the microsecond, whatever order they were added in.
        index=[
            (
                r.unit,
                r.directives,
                round(r.acknowledge_hours_total, 6),
                round(r.staleness_days_total, 6),
                r.staleness_count,
            )
            for r in view.responsiveness(as_of)
        ],
    )


def last_recorded(events: list[tuple[int, Any]], day: date, tracked: int) -> int:
    """The last position, among those projected, of a directive event recorded by the day's end."""
    end = end_of_city_day(day)
    return max(
        (
            p
            for p, e in events
            if isinstance(e, Directive.Event) and p <= tracked and e.timestamp <= end
        ),
        default=0,
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_every_answer_asked_again_with_the_day_and_position_it_names_is_the_same(
    kind: str, tmp_path: Path
) -> None:
    """Each example gets its own empty store, so what hypothesis draws depends on nothing else."""
    numbers = iter(range(10**6))

    @settings(
        max_examples=examples(10, thorough=100),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        folder = tmp_path / str(next(numbers))
        folder.mkdir()
        with backend(kind, folder) as (app, view, clock):
            answers: list[Answer] = []

            def meanwhile() -> None:
                if data.draw(st.integers(0, 2), label="ask now?"):
                    return
                if data.draw(st.booleans(), label="read models caught up?"):
                    project(app, view, batch_size=data.draw(st.integers(1, 20), label="batch"))
                today = city_date(clock.now())
                day = today + timedelta(days=data.draw(st.integers(-12, 6), label="day"))
                answers.append(ask(view, day))

            steps = data.draw(st.integers(3, 30), label="steps")
            record_history(app, clock, data, steps, before_each=meanwhile)
            meanwhile()
            project(app, view)
            clock.advance(timedelta(days=data.draw(st.integers(0, 20), label="days later")))
            events = all_events(app)
            for answer in answers:
                assert answer.position == last_recorded(events, answer.day, answer.tracked)
                again = ask(view, answer.day, answer.position)
                assert again == replace(answer, tracked=again.tracked)
                state = reference.fold(
                    events, until=end_of_city_day(answer.day), upto=answer.position
                )
                assert answer.units == reference.figures(state, answer.day)
                assert [(r, d) for r, d, _ in answer.late] == reference.late(state, answer.day)
                assert [(r, d) for r, d, _ in answer.due_soon] == reference.due_soon(
                    state, answer.day, WINDOW
                )
                # The same day from any other position: the plain fold at that position.
                other = data.draw(st.sampled_from([0, *(p for p, _ in events)]), label="other")
                seen = ask(view, answer.day, other)
                state = reference.fold(events, until=end_of_city_day(answer.day), upto=other)
                assert (seen.position, seen.units) == (
                    other,
                    reference.figures(state, answer.day),
                )
                assert [(r, d) for r, d, _ in seen.late] == reference.late(state, answer.day)

    check()
