"""A point of view is settled to a position, and its rows selected by the cheapest condition that
selects the same rows as the whole one (``readmodels.queries.settle``)."""

from __future__ import annotations

from datetime import date

import pytest

from readmodels.model import AsOf
from readmodels.queries import settle

DAY = date(2024, 3, 6)


@pytest.mark.parametrize(
    ("asked", "tracked", "last_by_then", "first_after", "expected"),
    [
        # A day alone: the last position recorded by its end, selected by position when the
        # log recorded nothing after the day before it, as the application writes it.
        (None, 90, 40, 41, (40, "position")),
        # Nothing recorded after the day yet (today): the current versions, as they are.
        (None, 90, 40, None, (40, "current")),
        (None, 90, None, None, (0, "current")),  # nothing recorded at all
        (None, 90, None, 1, (0, "position")),  # a day before the first event
        (None, 30, 40, 41, (30, "position")),  # never past where the read models stand
        (None, 30, 40, None, (30, "position")),  # … nor where the board's versions reach
        # A position asked: past the day's end, by moment; else by position.
        (90, 95, 40, 41, (90, "moment")),
        (20, 95, 40, 41, (20, "position")),
        (120, 95, 40, None, (95, "current")),
        (20, 95, 40, None, (20, "position")),  # before the last version written
        # A log whose order disagrees with its moments: an event dated the day recorded at 60,
        # after one recorded later at 41.
        (None, 90, 60, 41, (60, "moment")),
        (50, 90, 60, 41, (50, "both")),
        (0, 90, 60, 41, (0, "position")),
    ],
)
def test_a_point_of_view_is_settled_to_a_position_and_a_selection(
    asked: int | None,
    tracked: int,
    last_by_then: int | None,
    first_after: int | None,
    expected: tuple[int, str],
) -> None:
    point = settle(AsOf(DAY, asked), tracked, last_by_then, first_after)
    assert (point.day, point.position, point.selection) == (DAY, *expected)
