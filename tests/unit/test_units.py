"""The unit registry: the default city, and adding, renaming and deactivating units as events."""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from domain.shared.actors import Actor
from domain.shared.errors import DomainError, InvalidTextError, NotPermittedError
from domain.units.errors import (
    DuplicateUnitError,
    InactiveUnitError,
    InvalidUnitError,
    UnknownUnitError,
)
from domain.units.hcmc import DEFAULT_UNITS
from domain.units.registry import UnitRegistry
from tests.builders import ADMIN, LEADER, OFFICE

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def registry() -> UnitRegistry:
    r = UnitRegistry.open(actor=ADMIN, request_id="r", at=T0)
    for unit in DEFAULT_UNITS:
        r.add_unit(
            code=unit.code,
            name_vi=unit.name_vi,
            name_en=unit.name_en,
            parent=unit.parent,
            actor=ADMIN,
            request_id="r",
            at=T0,
        )
    r.collect_events()
    return r


def assert_rejected(r: UnitRegistry, error: type[DomainError], command: Callable[[], None]) -> None:
    before = copy.deepcopy(vars(r))
    with pytest.raises(error):
        command()
    assert vars(r) == before
    assert r.collect_events() == []


def test_the_default_registry_is_the_city_of_2024() -> None:
    """More than 40 units, the article's departments and District 1 among them, codes unique."""
    codes = [u.code for u in DEFAULT_UNITS]
    assert len(codes) == len(set(codes)) >= 40
    assert {"SO-LDTBXH", "SO-TTTT", "SO-CT", "UBND-Q1", "UBND-TPTHUDUC", "VP-UBND"} <= set(codes)
    seen: set[str] = set()
    for unit in DEFAULT_UNITS:
        assert unit.parent is None or unit.parent in seen, f"{unit.code} before its parent"
        assert unicodedata.is_normalized("NFC", unit.name_vi)
        seen.add(unit.code)


def test_each_unit_added_is_an_event_carrying_the_actor() -> None:
    r = registry()
    r.add_unit(
        code="SO-MOI",
        name_vi="Sở Mới",
        name_en="New Department",
        parent="UBND-TP",
        actor=ADMIN,
        request_id="req-7",
        at=T0,
    )
    (event,) = r.collect_events()
    assert isinstance(event, UnitRegistry.UnitAdded)
    assert (event.code, event.actor, event.request_id) == ("SO-MOI", ADMIN, "req-7")
    assert r.get("SO-MOI").name_vi == "Sở Mới"


def test_renaming_keeps_the_code_and_records_the_new_names() -> None:
    r = registry()
    r.rename_unit(
        code="SO-CT",
        name_vi="Sở Công Thương TP.HCM",
        name_en="Department of Industry and Trade",
        actor=ADMIN,
        request_id="r",
        at=T0,
    )
    assert r.get("SO-CT").name_vi == "Sở Công Thương TP.HCM"
    assert isinstance(r.collect_events()[0], UnitRegistry.UnitRenamed)


def test_deactivated_units_stay_known_but_inactive() -> None:
    r = registry()
    r.deactivate_unit(code="UBND-Q1-BENNGHE", reason="Sáp nhập", actor=ADMIN, request_id="r", at=T0)
    assert r.get("UBND-Q1-BENNGHE").active is False
    with pytest.raises(InactiveUnitError):
        r.require_active("UBND-Q1-BENNGHE")


@pytest.mark.parametrize("actor", [LEADER, OFFICE])
def test_only_admins_manage_units(actor: Actor) -> None:
    r = registry()
    assert_rejected(
        r,
        NotPermittedError,
        lambda: r.deactivate_unit(code="SO-CT", reason="", actor=actor, request_id="r", at=T0),
    )


@pytest.mark.parametrize(
    ("code", "name_vi", "parent", "error"),
    [
        ("SO-CT", "Sở", "UBND-TP", DuplicateUnitError),
        ("so-moi", "Sở", "UBND-TP", InvalidUnitError),
        ("SO MOI", "Sở", "UBND-TP", InvalidUnitError),
        ("SO-MOI", "  ", "UBND-TP", InvalidTextError),
        ("SO\n-MOI", "Sở", "UBND-TP", InvalidTextError),
        ("SO-MOI", "Sở", "KHONG-CO", UnknownUnitError),
    ],
)
def test_bad_unit_additions_are_refused(
    code: str, name_vi: str, parent: str, error: type[DomainError]
) -> None:
    r = registry()
    assert_rejected(
        r,
        error,
        lambda: r.add_unit(
            code=code,
            name_vi=name_vi,
            name_en="x",
            parent=parent,
            actor=ADMIN,
            request_id="r",
            at=T0,
        ),
    )


def test_a_unit_with_active_sub_units_cannot_be_deactivated() -> None:
    r = registry()
    assert_rejected(
        r,
        InvalidUnitError,
        lambda: r.deactivate_unit(code="UBND-Q1", reason="", actor=ADMIN, request_id="r", at=T0),
    )


def test_renaming_to_the_same_names_or_an_unknown_code_is_refused() -> None:
    r = registry()
    same = r.get("SO-CT")
    assert_rejected(
        r,
        InvalidUnitError,
        lambda: r.rename_unit(
            code="SO-CT",
            name_vi=same.name_vi,
            name_en=same.name_en,
            actor=ADMIN,
            request_id="r",
            at=T0,
        ),
    )
    assert_rejected(
        r,
        UnknownUnitError,
        lambda: r.rename_unit(
            code="SO-XYZ", name_vi="a", name_en="b", actor=ADMIN, request_id="r", at=T0
        ),
    )
