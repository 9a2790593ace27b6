"""Names listed as a person counts and reads them (issue 24, item 7): one key, ``natural_key``."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from domain.shared.ordering import natural_key
from domain.units.hcmc import DEFAULT_UNITS
from domain.units.registry import UnitRegistry
from tests.builders import ADMIN
from tests.unit.test_units import T0, registry

names = st.text(st.sampled_from("Quậnhuyệ 0123456789ĐđDdEeƯưUu-"), max_size=12)


@given(st.integers(0, 10**6), st.integers(0, 10**6), names)
def test_numbers_in_names_are_ordered_as_numbers(a: int, b: int, prefix: str) -> None:
    """ "Quận 3" before "Quận 10": a run of digits counts as the number it writes."""
    first, second = natural_key(f"{prefix}Quận {a}"), natural_key(f"{prefix}Quận {b}")
    assert (first < second) == (a < b)


@given(st.lists(names, max_size=12), st.randoms())
def test_the_order_is_total_whatever_order_the_names_come_in(
    listed: list[str], shuffled: random.Random
) -> None:
    """Two lists of the same names sort alike, however they were shuffled: names differing
    only by accent or case still have one order."""
    again = list(listed)
    shuffled.shuffle(again)
    assert sorted(listed, key=natural_key) == sorted(again, key=natural_key)


def test_letters_are_ordered_as_the_vietnamese_alphabet_has_them() -> None:
    """Accents come second to the letter ("Ủy ban" after "Thanh tra", before "Văn phòng"; code
    points would put it after every unaccented name), and "Đ" comes with "D"."""
    listed = ["Văn phòng", "Ủy ban nhân dân Quận 10", "Thanh tra", "Ủy ban nhân dân Quận 3", "Sở"]
    assert sorted(listed, key=natural_key) == [
        "Sở",
        "Thanh tra",
        "Ủy ban nhân dân Quận 3",
        "Ủy ban nhân dân Quận 10",
        "Văn phòng",
    ]
    assert sorted(["Ea", "Đa", "Da", "Db"], key=natural_key) == ["Da", "Đa", "Db", "Ea"]


def test_the_registry_lists_each_unit_before_its_own_in_natural_order() -> None:
    """The committee, then its units in natural order, each followed by its sub-units: Quận 1
    and its wards, then Quận 2 (added last), Quận 3, ..., Quận 10."""
    r: UnitRegistry = registry()
    r.add_unit(
        code="UBND-Q2",
        name_vi="Ủy ban nhân dân Quận 2",
        name_en="District 2 People's Committee",
        parent="UBND-TP",
        actor=ADMIN,
        request_id="r",
        at=T0,
    )
    listed = [u.code for u in r.listed()]
    assert sorted(listed) == sorted([*(u.code for u in DEFAULT_UNITS), "UBND-Q2"])
    assert listed[0] == "UBND-TP"
    districts = [c for c in listed if c.startswith("UBND-Q") and c.count("-") == 1]
    assert districts == [f"UBND-Q{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12)]
    q1 = listed.index("UBND-Q1")
    wards = [u.code for u in DEFAULT_UNITS if u.parent == "UBND-Q1"]
    assert set(listed[q1 + 1 : q1 + 1 + len(wards)]) == set(wards)
    assert listed[q1 + 1 + len(wards)] == "UBND-Q2"
