"""Vietnam's working days, and the law's way of counting a term on them.

A working day of the state's agencies is Monday to Friday (Quyết định 188/1999/QĐ-TTg, Điều 1:
officials rest on Saturday and Sunday) that is not a public holiday of the Labour Code 2019
(Điều 112 khoản 1, with its compensatory days, Điều 111 khoản 3), as the ``holidays`` library
computes them, lunar ones included; the government's yearly swaps of working days (hoán đổi
ngày làm việc, làm bù) come on top, each entered as an event (``domain.calendar``). Which of the
library's days are taken, and why: docs/calendar.md.

A term in days is counted from the day after the one that starts it (Bộ luật Dân sự 2015,
Điều 147 khoản 2-3), and a term in calendar days whose last day is a day off ends on the next
working day (Điều 148 khoản 5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Final

import holidays

from domain.shared.errors import OutsideCalendarError

COUNTRY = "VN"
FIRST_YEAR: Final[int] = holidays.country_holidays(COUNTRY).start_year
LAST_YEAR: Final[int] = holidays.country_holidays(COUNTRY).end_year
FIRST_DAY: Final = date(FIRST_YEAR, 1, 1)
LAST_DAY: Final = date(LAST_YEAR, 12, 31)
SATURDAY = 5

LABOUR_CODE = "Bộ luật Lao động 2019"
# What each kind of day the library names is, by the law (its English name without a tag).
_TET = f"{LABOUR_CODE}, Điều 112 khoản 1 điểm b và khoản 3 (Tết Âm lịch, 05 ngày)"
STATUTORY: Final[dict[str, str]] = {
    "New Year's Day": f"{LABOUR_CODE}, Điều 112 khoản 1 điểm a (Tết Dương lịch)",
    "29 of Lunar New Year": _TET,
    "Lunar New Year's Eve": _TET,
    "Lunar New Year": _TET,
    "Second Day of Lunar New Year": _TET,
    "Third Day of Lunar New Year": _TET,
    "Fourth Day of Lunar New Year": _TET,
    "Fifth Day of Lunar New Year": _TET,
    "Sixth Day of Lunar New Year": _TET,
    "Liberation Day/Reunification Day": f"{LABOUR_CODE}, Điều 112 khoản 1 điểm c (30/4)",
    "International Labor Day": f"{LABOUR_CODE}, Điều 112 khoản 1 điểm d (1/5)",
    "National Day": f"{LABOUR_CODE}, Điều 112 khoản 1 điểm đ và khoản 3 (2/9 và 01 ngày liền kề)",
    "Hung Kings' Commemoration Day": f"{LABOUR_CODE}, Điều 112 khoản 1 điểm e (10/3 âm lịch)",
}
COMPENSATORY = f"{LABOUR_CODE}, Điều 111 khoản 3 (nghỉ bù)"
# Before 2021 the holidays were those of the code then in force, as the library computes them.
IN_FORCE_SINCE = 2021
EARLIER_CODES: Final = (
    (2013, "Bộ luật Lao động 2012, Điều 115"),
    (FIRST_YEAR, "Bộ luật Lao động 1994, Điều 73"),
)
# Days the library gives that are not statutory holidays in force (docs/calendar.md): the
# government's swaps it knows of, which are entered as events instead, with both of their days;
# and Vietnam Cultural Day (24/11), which Resolution 80-NQ/TW and Resolution 30/NQ-CP (2026) ask
# the Labour Code to add but which no law in force has added.
NOT_STATUTORY: Final = re.compile(
    r"^(Day off \(substituted from .*\)|Vietnam Cultural Day(?: \(observed\))?)$"
)
_TAGGED = re.compile(r"^(?P<name>.*?)(?: \((?P<tag>observed|estimated|observed, estimated)\))?$")


@dataclass(frozen=True, slots=True)
class Holiday:
    """A public holiday: its day, its names as the library gives them, and the law behind it."""

    day: date
    name_vi: str
    name_en: str
    basis: str


@dataclass(frozen=True, slots=True)
class Swap:
    """The government's swap of a working day (hoán đổi ngày làm việc): ``day_off`` becomes a
    day off and ``make_up_day``, if any, a working day (làm bù), per ``decision_reference``
    (the decision's number, e.g. 12729/VPCP-KGVX)."""

    day_off: date
    make_up_day: date | None
    decision_reference: str
    note: str = ""


def in_calendar(day: date) -> date:
    """``day`` if the calendar knows its year's holidays; else OutsideCalendarError."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OutsideCalendarError("outside", day=day, first=FIRST_DAY, last=LAST_DAY)
    return day


@cache
def statutory_holidays(year: int) -> tuple[Holiday, ...]:
    """The public holidays of ``year`` in force (``STATUTORY`` and their compensatory days), in
    order of their days; the library's other days left out (``NOT_STATUTORY``)."""
    in_calendar(date(year, 1, 1))
    english = holidays.country_holidays(COUNTRY, years=year, language="en_US")
    vietnamese = holidays.country_holidays(COUNTRY, years=year, language="vi")
    found = []
    for day in sorted(english):
        names_en = english[day].split("; ")
        names_vi = vietnamese[day].split("; ")
        if len(names_vi) != len(names_en):  # named otherwise in Vietnamese: say it whole
            names_vi = [vietnamese[day]] * len(names_en)
        for name_en, name_vi in zip(names_en, names_vi, strict=True):
            basis = basis_of(name_en, year)
            if basis is not None:
                found.append(Holiday(day, name_vi, name_en, basis))
                break
    return tuple(found)


def basis_of(name_en: str, year: int) -> str | None:
    """The law behind a day the library names so (in English) in ``year``, or None if it is not
    a statutory holiday in force. A name neither known nor refused is not taken: a test lists
    every name the library gives, so a new one is decided on, not slipped in."""
    tagged = _TAGGED.fullmatch(name_en)
    name = tagged["name"] if tagged else name_en
    basis = STATUTORY.get(name)
    if basis is None:
        return None
    observed = tagged is not None and (tagged["tag"] or "").startswith("observed")
    if year < IN_FORCE_SINCE:
        code = next(text for since, text in EARLIER_CODES if year >= since)
        return f"{code} (nghỉ bù)" if observed else code
    return f"{COMPENSATORY}; {basis}" if observed else basis


@cache
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(h.day for h in statutory_holidays(year))


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days: Monday to Friday less the statutory holidays, with ``swaps`` on top.
    Pure and immutable: a petition's deadline computed with one calendar stays what it was."""

    swaps: tuple[Swap, ...] = ()
    _days_off: frozenset[date] = field(init=False, repr=False, compare=False)
    _working: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.swaps, key=lambda s: s.day_off))
        days_off = [s.day_off for s in ordered]
        working = [s.make_up_day for s in ordered if s.make_up_day is not None]
        if len(set(days_off) | set(working)) != len(days_off) + len(working):
            msg = f"a day is in two swaps, or both off and made up: {ordered}"
            raise ValueError(msg)
        object.__setattr__(self, "swaps", ordered)
        object.__setattr__(self, "_days_off", frozenset(days_off))
        object.__setattr__(self, "_working", frozenset(working))

    @classmethod
    def from_swaps(cls, swaps: Iterable[Swap]) -> WorkingCalendar:
        return cls(tuple(swaps))

    # --- days ----------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Whether the agencies work on ``d``: a made-up day always, a swapped-off day never,
        else Monday to Friday that is no statutory holiday. OutsideCalendarError for a day of a
        year whose holidays the library does not know."""
        if d in self._working:
            return True
        if d in self._days_off or d.weekday() >= SATURDAY:
            in_calendar(d)
            return False
        return d not in _holidays_of(in_calendar(d).year)

    def holidays(self, year: int) -> tuple[Holiday, ...]:
        """The statutory holidays of ``year``, weekends included when a holiday falls on one."""
        return statutory_holidays(year)

    def swaps_in(self, year: int) -> tuple[Swap, ...]:
        """The swaps with a day in ``year``."""
        return tuple(
            s
            for s in self.swaps
            if s.day_off.year == year or (s.make_up_day is not None and s.make_up_day.year == year)
        )

    def next_working_day(self, day: date) -> date:
        """``day`` if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day = _next(day)
        return day

    # --- terms ---------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``: the day a term of ``n`` working days
        started by ``start`` ends (``start`` itself is not counted: Bộ luật Dân sự 2015,
        Điều 147 khoản 2-3). ``start`` itself for 0."""
        if n < 0:
            msg = f"a term is counted forward: {n} days"
            raise ValueError(msg)
        in_calendar(start)
        day = start
        for _ in range(n):
            day = self.next_working_day(_next(day))
        return day

    def add_days(self, start: date, n: int) -> date:
        """The day a term of ``n`` calendar days started by ``start`` ends: counted from the day
        after ``start`` (Điều 147), and moved to the next working day when its last day is a day
        off (Bộ luật Dân sự 2015, Điều 148 khoản 5; a swapped-off day is one, a made-up day is
        not)."""
        if n < 0:
            msg = f"a term is counted forward: {n} days"
            raise ValueError(msg)
        in_calendar(start)
        return self.next_working_day(in_calendar(start + timedelta(days=n)))

    def working_days_between(self, a: date, b: date) -> int:
        """The working days after ``a`` up to and including ``b`` (negative, counted the other
        way, when ``b`` is before ``a``): ``add_working_days`` undone, so that
        ``working_days_between(a, add_working_days(a, n)) == n``."""
        if b < a:
            return -self.working_days_between(b, a)
        in_calendar(a)
        in_calendar(b)
        count = 0
        day = a
        while day < b:
            day = _next(day)
            count += self.is_working_day(day)
        return count


def _next(day: date) -> date:
    after = day + timedelta(days=1)
    if after > LAST_DAY:
        raise OutsideCalendarError("outside", day=after, first=FIRST_DAY, last=LAST_DAY)
    return after
