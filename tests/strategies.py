"""Hypothesis strategies, all in one place."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from domain.shared.actors import Actor, Role
from domain.shared.calendar import Swap
from domain.shared.personal import Person

UNITS = ("SO-CT", "SO-TC", "SO-YT", "UBND-Q1")

moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3, minutes=-30))]
    ),
)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None)
text = st.text(max_size=40)


def finite_decimals() -> st.SearchStrategy[Decimal]:
    return st.decimals(allow_nan=False, allow_infinity=False)


actors = st.one_of(
    st.builds(Actor, st.just("leader.1"), st.just(Role.LEADER), st.none()),
    st.builds(Actor, st.just("office.1"), st.just(Role.OFFICE), st.none()),
    st.builds(Actor, st.just("inspector.1"), st.just(Role.INSPECTOR), st.none()),
    st.builds(Actor, st.just("admin.1"), st.just(Role.ADMIN), st.none()),
    st.sampled_from(UNITS).map(lambda u: Actor(f"{u.lower()}.canbo", Role.DEPARTMENT, u)),
)


# Who acts in a stateful test: mostly the person the command is for, so sequences get somewhere,
# sometimes anyone else, so refusals are exercised too.
_EVERYONE = ["lead", "coordinator", "other", "leader", "office", "inspector", "admin"]
unit_people = st.sampled_from(["lead"] * 8 + _EVERYONE)
coordinator_people = st.sampled_from(["coordinator"] * 6 + _EVERYONE)
leader_people = st.sampled_from(["leader"] * 8 + _EVERYONE)
committee_people = st.sampled_from(["leader"] * 4 + ["office"] * 4 + _EVERYONE)


# --- persons (domain.shared.personal): any text a form may carry, within each field's rule ---
_one_line = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
    blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x85",
)
person_names = st.text(_one_line, min_size=1, max_size=60).filter(lambda t: t.strip() != "")
id_numbers = st.from_regex(r"\A[0-9]{12}\Z")
phones = st.from_regex(r"\A\+?[0-9]{8,15}\Z")
persons = st.builds(
    Person,
    full_name=person_names,
    id_number=st.none() | id_numbers,
    address=st.text(_one_line, max_size=120),
    phone=st.just("") | phones,
)
# Days of the working-day calendar's tests: years whose Tết, Hùng Kings' day and swaps they know.
calendar_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def swap_lists(draw: st.DrawFn, max_size: int = 6) -> list[Swap]:
    """Swaps on distinct days (what the pure calendar takes; whether each day was a working day
    or a day off is the aggregate's rule, not the calendar's)."""
    swaps: list[Swap] = []
    used: set[date] = set()
    for _ in range(draw(st.integers(0, max_size))):
        day_off = draw(calendar_days)
        make_up = draw(st.none() | calendar_days)
        days = {day_off} if make_up is None else {day_off, make_up}
        if days & used or day_off == make_up:
            continue
        used |= days
        swaps.append(Swap(day_off, make_up, draw(st.sampled_from(["12729/VPCP-KGVX", "1/TB"]))))
    return swaps
