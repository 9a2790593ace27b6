"""The administrator's commands on the registry of units, as data: the API's request schemas, the
pages' forms and the command line are derived from them (``api.commands``). A unit added, renamed
or deactivated is one event of the registry (``Thucthi.administer_units``); a reorganisation
(``Thucthi.reorganise``) also hands the open work of every unit it ends to that unit's heir, in
one save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.shared.commands import Command
from domain.units.hcmc import Change


@dataclass(frozen=True, kw_only=True)
class AddUnit(Command):
    """Thêm đơn vị: a new unit under its code, named in both languages, under ``parent`` if it
    is a sub-unit."""

    method = "add_unit"
    code: str
    name_vi: str
    name_en: str
    parent: str | None = None


@dataclass(frozen=True, kw_only=True)
class RenameUnit(Command):
    """Đổi tên đơn vị: an active unit's names; its code, and its record, stay."""

    method = "rename_unit"
    code: str
    name_vi: str
    name_en: str


@dataclass(frozen=True, kw_only=True)
class DeactivateUnit(Command):
    """Ngừng hoạt động: the unit takes no new work (a unit whose duties pass to another is
    reorganised instead: ``MergeUnits``, ``SplitUnit``, ``SucceedUnit``)."""

    method = "deactivate_unit"
    code: str
    reason: str = ""


UnitCommand = AddUnit | RenameUnit | DeactivateUnit


@dataclass(frozen=True, kw_only=True)
class MergeUnits(Command):
    """Hợp nhất, sáp nhập: the ``predecessors`` end and ``successor`` carries on their duties
    and their open directives and petitions, from ``effective_on`` (by default today), by the
    decision ``basis``."""

    method = "merge_units"
    predecessors: tuple[str, ...]
    successor: str
    effective_on: date | None = None
    basis: str

    def ending(self) -> tuple[str, ...]:
        return self.predecessors


@dataclass(frozen=True, kw_only=True)
class SplitUnit(Command):
    """Chia tách: ``predecessor`` ends and its duties go to the ``successors``; its open
    directives and petitions to the first of them."""

    method = "split_unit"
    predecessor: str
    successors: tuple[str, ...]
    effective_on: date | None = None
    basis: str

    def ending(self) -> tuple[str, ...]:
        return (self.predecessor,)


@dataclass(frozen=True, kw_only=True)
class SucceedUnit(Command):
    """Kế thừa: ``predecessor`` ends and ``successor`` carries on all it did."""

    method = "succeed_unit"
    predecessor: str
    successor: str
    effective_on: date | None = None
    basis: str

    def ending(self) -> tuple[str, ...]:
        return (self.predecessor,)


UnitChange = MergeUnits | SplitUnit | SucceedUnit


def command_for(change: Change) -> UnitChange:
    """The command that records one change of a registry's data file (``domain.units.hcmc``)."""
    if change.kind == "merge":
        return MergeUnits(
            predecessors=change.predecessors,
            successor=change.successors[0],
            effective_on=change.effective_on,
            basis=change.basis,
        )
    if change.kind == "split":
        return SplitUnit(
            predecessor=change.predecessors[0],
            successors=change.successors,
            effective_on=change.effective_on,
            basis=change.basis,
        )
    return SucceedUnit(
        predecessor=change.predecessors[0],
        successor=change.successors[0],
        effective_on=change.effective_on,
        basis=change.basis,
    )
