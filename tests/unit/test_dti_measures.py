"""The arithmetic of the index's measures (``domain.dti.measures``, ``readmodels.dti_measures``):
the working days between two days count as the calendar's terms do, and the median of days is
the middle one, or halfway between the middle two."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.dti.framework import MeasureName
from domain.dti.measures import Measurement, median_days
from domain.shared.calendar import WorkingCalendar
from readmodels.dti_measures import working_days_between

CALENDAR = WorkingCalendar()
DAYS = st.dates(date(2023, 1, 1), date(2026, 12, 1))


@given(DAYS, st.integers(0, 60))
def test_the_working_days_to_the_end_of_a_term_are_the_terms_length(start: date, n: int) -> None:
    """From a day to the n-th working day after it (the calendar's own count of a term, which
    skips weekends and the statutory holidays) are n working days."""
    assert working_days_between(CALENDAR, start, CALENDAR.add_working_days(start, n)) == n


@given(DAYS, st.integers(0, 40), st.integers(0, 40))
def test_working_days_add_up_over_consecutive_spans(start: date, one: int, two: int) -> None:
    """And none are counted backwards: a day before the start is no working day after it."""
    middle, end = start + timedelta(days=one), start + timedelta(days=one + two)
    assert working_days_between(CALENDAR, start, middle) + working_days_between(
        CALENDAR, middle, end
    ) == working_days_between(CALENDAR, start, end)
    assert working_days_between(CALENDAR, end, start) == 0


def test_the_working_days_of_a_week_with_a_holiday_are_counted_by_hand() -> None:
    """Thursday 25 April 2024 to Thursday 2 May 2024: Friday 26, Monday 29 and Thursday 2 May
    are working days; Tuesday 30 April and Wednesday 1 May are holidays."""
    assert working_days_between(CALENDAR, date(2024, 4, 25), date(2024, 5, 2)) == 3


@given(st.lists(st.integers(0, 400), min_size=1, max_size=30))
def test_the_median_of_days_is_the_middle_or_halfway_between_the_middle_two(
    days: list[int],
) -> None:
    ordered = sorted(days)
    half = len(ordered) // 2
    middle = (
        Decimal(ordered[half])
        if len(ordered) % 2
        else (Decimal(ordered[half - 1]) + Decimal(ordered[half])) / 2
    )
    assert median_days(days) == middle


def test_nothing_to_measure_has_no_value() -> None:
    assert median_days([]) is None
    share = Measurement(MeasureName.DIRECTIVES_ON_TIME, date(2024, 12, 31), 9, 0, 0)
    days = Measurement(MeasureName.ACKNOWLEDGE_DAYS, date(2024, 12, 31), 9, 0, 0)
    assert (share.value, days.value) == (None, None)
