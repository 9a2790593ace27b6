"""Recording a registry's data file of units and reorganisations (``domain.units.hcmc``) on the
registry, and handing a case's open work to the heirs of the units that ended: the one way both
are done, whether the application records a reorganisation as it happens (``Thucthi.reorganise``),
opens the city's registry, or the demo catches up on a past year that spans one."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from domain.directives.directive import Directive
from domain.petitions.petition import Petition
from domain.shared.commands import Origin
from domain.units.commands import command_for
from domain.units.hcmc import Change, UnitSeed
from domain.units.registry import UnitRegistry


def add_units(registry: UnitRegistry, seeds: Iterable[UnitSeed], origin: Origin) -> None:
    """Add each unit of ``seeds`` the registry does not hold yet, in their order."""
    for unit in seeds:
        if unit.code in registry.units:
            continue
        registry.add_unit(
            code=unit.code,
            name_vi=unit.name_vi,
            name_en=unit.name_en,
            parent=unit.parent,
            **origin.fields(),
        )


def record_changes(
    registry: UnitRegistry, changes: Iterable[Change], origin: Origin
) -> tuple[str, ...]:
    """Record each change in its order, but one already recorded (its predecessors all ended);
    the codes of the units ended."""
    ended: list[str] = []
    for change in changes:
        units = registry.units
        if all(c in units and not units[c].active for c in change.predecessors):
            continue
        command = command_for(change)
        command.apply(registry, origin)
        ended.extend(command.ending())
    return tuple(ended)


def hand_over(
    case: Directive | Petition,
    registry: UnitRegistry,
    ending: Collection[str],
    origin: Origin,
) -> bool:
    """Record on an open case the hand-over of each part a unit of ``ending`` holds to that
    unit's heir (``UnitRegistry.heir_of``), by the basis its end records: a petition's agency,
    a directive's lead and each of its coordinators. Whether anything was handed over; a closed
    case keeps its units."""
    if isinstance(case, Petition):
        if not case.is_open or case.agency not in ending:
            return False
        unit = registry.get(case.agency)
        case.hand_over(to_agency=registry.heir_of(unit.code), basis=unit.basis, **origin.fields())
        return True
    if case.is_closed:
        return False
    handed = False
    for code in (case.lead_unit, *case.coordinating_units):
        held = code == case.lead_unit or code in case.coordinating_units
        if code in ending and held:
            unit = registry.get(code)
            case.hand_over(
                from_unit=code,
                to_unit=registry.heir_of(code),
                basis=unit.basis,
                **origin.fields(),
            )
            handed = True
    return handed
