"""The working-day calendar of Vietnam and the law's way of counting a term on it: deadlines
computed by hand across Tết 2025, 2026 and 2027, Hùng Kings' day, the National Day's adjacent
day and a swap of working days; which of the library's days are taken; and properties of the
counting that hold for any calendar."""

from __future__ import annotations

import re
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.petitions.law import TermName
from domain.petitions.petition import Calendar, Deadline
from domain.shared.calendar import (
    FIRST_DAY,
    LAST_DAY,
    NOT_STATUTORY,
    STATUTORY,
    Swap,
    WorkingCalendar,
    basis_of,
    statutory_holidays,
)
from domain.shared.errors import OutsideCalendarError
from tests.strategies import calendar_days, swap_lists

LAW = WorkingCalendar()  # the statutory holidays alone, no swap declared
NEW_YEAR_2026 = Swap(date(2026, 1, 2), date(2026, 1, 10), "12729/VPCP-KGVX")


def test_ten_working_days_across_tet_2025() -> None:
    """Received Wednesday 22/1/2025; Tết At Ty is 29/1, the five days off Monday 27/1 to
    Friday 31/1 (Saturday 1/2, the fourth day, falls on the weekend):
    Thu 23/1 (1), Fri 24/1 (2), [Sat 25 - Sun 2/2 off], Mon 3/2 (3), Tue 4 (4), Wed 5 (5),
    Thu 6 (6), Fri 7 (7), Mon 10 (8), Tue 11 (9), Wed 12/2 (10)."""
    assert LAW.add_working_days(date(2025, 1, 22), 10) == date(2025, 2, 12)


def test_ten_working_days_across_tet_2026() -> None:
    """Received Wednesday 11/2/2026; Tết Bính Ngọ is 17/2, the five days off Monday 16/2 (the
    eve) to Friday 20/2, nine days with the weekends (14/2-22/2, as the government announced):
    Thu 12/2 (1), Fri 13/2 (2), [Sat 14 - Sun 22 off], Mon 23 (3), Tue 24 (4), Wed 25 (5),
    Thu 26 (6), Fri 27 (7), Mon 2/3 (8), Tue 3/3 (9), Wed 4/3 (10)."""
    assert LAW.add_working_days(date(2026, 2, 11), 10) == date(2026, 3, 4)


def test_ten_working_days_across_tet_2027() -> None:
    """Received Monday 1/2/2027; Tết Đinh Mùi is Saturday 6/2, so the library moves its days
    off the weekend as the Prime Minister has done since 2014: Thu 4/2 (29 Tết), Fri 5/2 (the
    eve), Mon 8/2, Tue 9/2, Wed 10/2 (a different decision is entered as a swap):
    Tue 2/2 (1), Wed 3/2 (2), [Thu 4 - Wed 10 off], Thu 11 (3), Fri 12 (4), Mon 15 (5),
    Tue 16 (6), Wed 17 (7), Thu 18 (8), Fri 19 (9), Mon 22/2 (10)."""
    off = [d for d in _days(date(2027, 2, 4), date(2027, 2, 10)) if not LAW.is_working_day(d)]
    assert off == [date(2027, 2, d) for d in (4, 5, 6, 7, 8, 9, 10)]
    assert LAW.add_working_days(date(2027, 2, 1), 10) == date(2027, 2, 22)


def test_a_swap_of_working_days_moves_a_deadline_onto_its_make_up_saturday() -> None:
    """New Year 2026: Friday 2/1 off, Saturday 10/1 worked instead (Công văn 12729/VPCP-KGVX,
    25/12/2025). Received Wednesday 31/12/2025, 6 working days:
    by the law alone: [Thu 1/1 off], Fri 2/1 (1), Mon 5 (2), Tue 6 (3), Wed 7 (4), Thu 8 (5),
    Fri 9/1 (6);
    with the swap: [Thu 1/1, Fri 2/1 off], Mon 5 (1), Tue 6 (2), Wed 7 (3), Thu 8 (4),
    Fri 9 (5), Sat 10/1 (6), the make-up day. Seven days end on Monday 12/1 either way: a swap
    keeps the number of working days."""
    swapped = WorkingCalendar.from_swaps([NEW_YEAR_2026])
    assert LAW.add_working_days(date(2025, 12, 31), 6) == date(2026, 1, 9)
    assert swapped.add_working_days(date(2025, 12, 31), 6) == date(2026, 1, 10)
    assert LAW.add_working_days(date(2025, 12, 31), 7) == date(2026, 1, 12)
    assert swapped.add_working_days(date(2025, 12, 31), 7) == date(2026, 1, 12)
    assert not swapped.is_working_day(date(2026, 1, 2))
    assert swapped.is_working_day(date(2026, 1, 10))


def test_hung_kings_day_and_its_compensatory_day() -> None:
    """2025: Hùng Kings' day (10/3 lunar) is Monday 7/4. Received Thu 3/4/2025, 3 working days:
    Fri 4/4 (1), [Sat 5, Sun 6, Mon 7 off], Tue 8 (2), Wed 9/4 (3).
    2026: it is Sunday 26/4, so Monday 27/4 is its compensatory day off (Điều 111 khoản 3);
    then 30/4 (Thu) and 1/5 (Fri). Received Fri 24/4/2026: [Sat 25 - Mon 27 off], Tue 28 (1),
    Wed 29 (2), [Thu 30/4 - Sun 3/5 off], Mon 4/5 (3)."""
    assert LAW.add_working_days(date(2025, 4, 3), 3) == date(2025, 4, 9)
    assert LAW.add_working_days(date(2026, 4, 24), 2) == date(2026, 4, 29)
    assert LAW.add_working_days(date(2026, 4, 24), 3) == date(2026, 5, 4)


def test_the_national_day_and_its_adjacent_day() -> None:
    """2025: 2/9 is a Tuesday, the adjacent day Monday 1/9. Received Fri 29/8/2025, 1 working
    day: [Sat 30, Sun 31, Mon 1/9, Tue 2/9 off], Wed 3/9.
    2027: 2/9 is a Thursday, the adjacent day Friday 3/9. Received Wed 1/9/2027, 2 working
    days: [Thu 2 - Sun 5 off], Mon 6 (1), Tue 7/9 (2)."""
    assert LAW.add_working_days(date(2025, 8, 29), 1) == date(2025, 9, 3)
    assert LAW.add_working_days(date(2027, 9, 1), 2) == date(2027, 9, 7)


def test_a_term_in_calendar_days_ending_on_a_day_off_ends_on_the_next_working_day() -> None:
    """Bộ luật Dân sự 2015, Điều 148 khoản 5. 30 days from Thu 2/1/2025 end on Sat 1/2/2025, a
    weekend and Tết: the term ends Mon 3/2. 45 days from Sat 3/1/2026 end on Tue 17/2/2026, the
    first day of Tết: it ends Mon 23/2. 30 days from Mon 1/6/2026 end Wed 1/7/2026, a working
    day: it ends there."""
    assert LAW.add_days(date(2025, 1, 2), 30) == date(2025, 2, 3)
    assert LAW.add_days(date(2026, 1, 3), 45) == date(2026, 2, 23)
    assert LAW.add_days(date(2026, 6, 1), 30) == date(2026, 7, 1)


def test_the_first_day_of_a_term_is_not_counted() -> None:
    """Bộ luật Dân sự 2015, Điều 147 khoản 2: one working day from Monday 2/3/2026 is Tuesday;
    zero is the day itself."""
    assert LAW.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert LAW.add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert LAW.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_a_year_has_its_weekdays_less_its_weekday_holidays() -> None:
    """2026 has 261 weekdays; its holidays on weekdays are 1/1, 16-20/2, 27/4 (compensatory),
    30/4, 1/5, 1/9 and 2/9 (Hùng Kings' day itself is a Sunday): 261 - 11 = 250."""
    assert LAW.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 250


def test_only_the_statutory_holidays_of_the_library_are_taken() -> None:
    """The library's swaps (2/5/2025, 31/8/2026) are working days until one is declared, and
    Vietnam Cultural Day (24/11), which no law in force has made a holiday, is one too."""
    for day in (date(2025, 5, 2), date(2026, 8, 31), date(2026, 11, 24), date(2027, 11, 24)):
        assert day in holidays.country_holidays("VN", years=day.year)
        assert LAW.is_working_day(day), day
    assert [h.day for h in statutory_holidays(2025)] == [
        date(2025, 1, 1),
        *(date(2025, 1, d) for d in (27, 28, 29, 30, 31)),
        date(2025, 2, 1),
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 9, 1),
        date(2025, 9, 2),
    ]


def test_every_name_the_library_gives_is_decided_on() -> None:
    """Every kind of day the library names from 1901 to 2100 is either a statutory holiday with
    its article or refused for a reason: a library that adds one fails here, not silently."""
    undecided = set()
    for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
        for name in holidays.country_holidays("VN", years=year, language="en_US").values():
            for part in name.split("; "):
                if basis_of(part, year) is None and not NOT_STATUTORY.fullmatch(part):
                    undecided.add(part)
    assert undecided == set()


def test_each_holiday_says_the_law_it_comes_from() -> None:
    """The article of the Labour Code 2019 for each day of 2026, the compensatory day's too."""
    said = {h.day: h.basis for h in statutory_holidays(2026)}
    assert "Điều 112 khoản 1 điểm a" in said[date(2026, 1, 1)]
    assert "điểm b" in said[date(2026, 2, 17)]
    assert "Điều 111 khoản 3" in said[date(2026, 4, 27)]
    assert "điểm đ" in said[date(2026, 9, 1)]
    assert set(STATUTORY) >= {re.sub(r" \(observed\)$", "", h.name_en) for h in LAW.holidays(2026)}
    assert "Bộ luật Lao động 2012" in statutory_holidays(2019)[0].basis


def test_a_day_outside_the_years_the_library_knows_is_refused() -> None:
    """1901 to 2100: beyond them the library knows no Tết, so no deadline is guessed."""
    with pytest.raises(OutsideCalendarError):
        LAW.is_working_day(date(2101, 1, 3))
    with pytest.raises(OutsideCalendarError):
        LAW.add_working_days(date(2100, 12, 29), 5)
    with pytest.raises(OutsideCalendarError):
        LAW.add_days(date(2100, 12, 1), 60)
    with pytest.raises(OutsideCalendarError):
        LAW.working_days_between(date(1900, 12, 1), date(1901, 1, 5))


def test_a_petitions_legal_term_is_counted_by_the_calendar() -> None:
    """The petitions' ``Deadline`` takes this calendar as its ``Calendar``: acceptance of a
    complaint received Wed 22/1/2025, 10 working days (Luật Khiếu nại, Điều 27), ends Wed
    12/2/2025 after Tết; its first round, 30 days from Wed 12/2/2025, ends Fri 14/3/2025."""
    calendar: Calendar = LAW
    acceptance = Deadline(date(2025, 1, 22), 10, True, (TermName.COMPLAINT_ACCEPTANCE,))
    first_round = Deadline(date(2025, 2, 12), 30, False, (TermName.COMPLAINT_FIRST_ROUND,))
    assert acceptance.due(calendar) == date(2025, 2, 12)
    assert first_round.due(calendar) == date(2025, 3, 14)


def test_a_day_cannot_be_in_two_swaps() -> None:
    """A calendar whose swaps contradict each other is refused when made."""
    with pytest.raises(ValueError, match="two swaps"):
        WorkingCalendar.from_swaps([NEW_YEAR_2026, Swap(date(2026, 1, 10), None, "x")])
    with pytest.raises(ValueError, match="forward"):
        LAW.add_working_days(date(2026, 1, 5), -1)


@given(swap_lists(), calendar_days, st.integers(0, 40))
def test_the_nth_working_day_is_a_working_day_n_working_days_away(
    swaps: list[Swap], start: date, n: int
) -> None:
    """``add_working_days`` lands on a working day (for n > 0) and ``working_days_between``
    undoes it, whatever the swaps."""
    calendar = WorkingCalendar.from_swaps(swaps)
    end = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, end) == n
    assert calendar.working_days_between(end, start) == -n
    if n > 0:
        assert calendar.is_working_day(end)
        assert end > start


@given(swap_lists(), calendar_days, st.integers(0, 30), st.integers(1, 30))
def test_more_working_days_end_later(swaps: list[Swap], start: date, n: int, more: int) -> None:
    """Counting is monotone in the number of days."""
    calendar = WorkingCalendar.from_swaps(swaps)
    assert calendar.add_working_days(start, n) < calendar.add_working_days(start, n + more)


@given(swap_lists(), calendar_days, calendar_days, calendar_days)
def test_working_days_between_adds_up(swaps: list[Swap], a: date, b: date, c: date) -> None:
    """The working days from a to c are those from a to b and from b to c."""
    calendar = WorkingCalendar.from_swaps(swaps)
    assert calendar.working_days_between(a, b) + calendar.working_days_between(
        b, c
    ) == calendar.working_days_between(a, c)


@given(swap_lists(), calendar_days, st.integers(0, 120))
def test_a_term_in_calendar_days_ends_on_the_first_working_day_on_or_after_its_last_day(
    swaps: list[Swap], start: date, n: int
) -> None:
    """``add_days`` is the last day itself when it is a working day, else the first working day
    after it, with no working day skipped in between."""
    calendar = WorkingCalendar.from_swaps(swaps)
    last = start + timedelta(days=n)
    end = calendar.add_days(start, n)
    assert end >= last
    assert calendar.is_working_day(end)
    assert not any(calendar.is_working_day(d) for d in _days(last, end - timedelta(days=1)))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
