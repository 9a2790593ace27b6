"""Hypothesis strategies, all in one place."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from domain.dti.framework import (
    Component,
    Group,
    GroupKind,
    Indicator,
    Pillar,
    Rule,
    RuleKind,
    Step,
    default_bands,
)
from domain.dti.scoring import Value
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


# --- the digital-transformation index (domain.dti) ----------------------------------------------


def _points(low: str = "0.5", high: str = "50") -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=2)


@st.composite
def dti_rules(draw: st.DrawFn, most: Decimal) -> Rule:
    """A scoring rule of any kind for a component worth ``most`` points."""
    kind = draw(st.sampled_from(RuleKind))
    if kind is RuleKind.SCALE:
        ends = draw(
            st.lists(
                st.decimals(min_value=0, max_value=1000, places=2), min_size=2, max_size=2,
                unique=True,
            )
        )  # fmt: skip
        return Rule(kind, zero_at=ends[0], full_at=ends[1])
    if kind is RuleKind.SHARE:
        return Rule(kind, full_at=draw(st.decimals(min_value="0.01", max_value=1, places=2)))
    if kind is RuleKind.THRESHOLDS:
        counts = sorted(draw(st.sets(st.integers(0, 200), min_size=1, max_size=4)))
        points = sorted(
            draw(
                st.sets(
                    st.decimals(min_value=0, max_value=most, places=2),
                    min_size=len(counts),
                    max_size=len(counts),
                )
            )
        )
        return Rule(
            kind, steps=tuple(Step(Decimal(c), p) for c, p in zip(counts, points, strict=True))
        )
    return Rule(kind)


@st.composite
def dti_groups(draw: st.DrawFn) -> Group:
    """A group of an index: one to three pillars of one to three indicators of one to four
    components, each with a maximum and a rule; the 2023 department bands scaled to its
    maximum."""
    pillars = []
    serial = 0
    for p in range(draw(st.integers(1, 3))):
        indicators = []
        for i in range(draw(st.integers(1, 3))):
            components = []
            for _ in range(draw(st.integers(1, 4))):
                serial += 1
                most = draw(_points())
                components.append(
                    Component(f"{p}.{i}.{serial}", "x", "x", most, draw(dti_rules(most)))
                )
            indicators.append(Indicator(f"{p}.{i}", "x", "x", tuple(components)))
        pillars.append(Pillar(f"P{p}", "x", "x", tuple(indicators)))
    made = Group(GroupKind.DEPARTMENTS, "x", "x", tuple(pillars), ())
    return Group(made.kind, "x", "x", made.pillars, default_bands(made.max_points))


@st.composite
def dti_values(draw: st.DrawFn, group: Group) -> dict[str, Value]:
    """Values for some of a group's components, fitting their rule or not (a value kept from
    another version of the framework scores nothing)."""
    found: dict[str, Value] = {}
    numbers = st.decimals(min_value=0, max_value=2000, places=3)
    for component in group.components():
        if not draw(st.booleans()):
            continue
        if component.rule.kind is RuleKind.SHARE and draw(st.integers(0, 9)):
            whole = draw(st.decimals(min_value="0.001", max_value=2000, places=3))
            part = draw(st.decimals(min_value=0, max_value=whole, places=3))
            found[component.code] = Value(part, whole)
        elif component.rule.kind is RuleKind.YES_NO and draw(st.integers(0, 9)):
            found[component.code] = Value(Decimal(draw(st.integers(0, 1))))
        else:
            found[component.code] = Value(draw(numbers))
    return found
