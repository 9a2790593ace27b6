"""The registry of units (departments, districts, wards) that directives go to.

One aggregate holds the whole registry: a city has a few hundred units at most, codes stay unique
without a separate index, and every addition, rename and deactivation is an event of its own.

Units reorganise (docs/units.md): several merge into one (hợp nhất, sáp nhập), one splits into
several (chia tách), or one is succeeded by another (kế thừa). Each is one event; the units that
end keep their code and names, say who succeeded them, and take no new work. The open work they
held passes to their heir, the first successor named (``Thucthi.reorganise``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.shared.actors import Actor, Command, require_permission
from domain.shared.clock import city_date
from domain.shared.ordering import natural_key
from domain.shared.text import checked
from domain.units.errors import (
    DuplicateUnitError,
    InactiveUnitError,
    InvalidUnitError,
    UnknownUnitError,
)
from domain.units.hcmc import LEADING_UNITS

UNIT_CODE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
REGISTRY_ID: UUID = uuid5(NAMESPACE_URL, "thucthi:unit-registry")


@dataclass(frozen=True, slots=True)
class Unit:
    """A department, district or ward, identified by its code."""

    code: str
    name_vi: str
    name_en: str
    parent: str | None
    active: bool = True
    # Set when a reorganisation ends the unit: the units that carry on its duties (the first
    # takes its open work), the day the change took effect and its legal basis; and, on a
    # successor, the units it carries on from.
    successors: tuple[str, ...] = ()
    ended_on: date | None = None
    basis: str = ""
    predecessors: tuple[str, ...] = ()

    @property
    def heir(self) -> str | None:
        """The unit its open work passed to: the first successor, if it has ended."""
        return self.successors[0] if self.successors else None


class Reorganisation(StrEnum):
    """The three ways units reorganise, as their events say."""

    MERGE = "merge"  # hợp nhất / sáp nhập: several into one
    SPLIT = "split"  # chia tách: one into several
    SUCCESSION = "succession"  # kế thừa: one carried on by another


class UnitRegistry(Aggregate):
    """All units of the city; there is exactly one registry per database."""

    TOPIC = "thucthi:UnitRegistry"

    units: dict[str, Unit]

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request. No TOPIC here on purpose:
        each concrete event names its own, and one that forgets fails at import."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:UnitRegistry.Created"

    class Opened(Event, Aggregate.Created):
        TOPIC = "thucthi:UnitRegistry.Opened"

    class UnitAdded(Event):
        TOPIC = "thucthi:UnitRegistry.UnitAdded"
        code: str
        name_vi: str
        name_en: str
        parent: str | None

    class UnitRenamed(Event):
        TOPIC = "thucthi:UnitRegistry.UnitRenamed"
        code: str
        name_vi: str
        name_en: str

    class UnitDeactivated(Event):
        TOPIC = "thucthi:UnitRegistry.UnitDeactivated"
        code: str
        reason: str

    class UnitsMerged(Event):
        """Hợp nhất: the predecessors end and ``successor`` carries on their duties."""

        TOPIC = "thucthi:UnitRegistry.UnitsMerged"
        predecessors: tuple[str, ...]
        successor: str
        effective_on: date
        basis: str

    class UnitSplit(Event):
        """Chia tách: the predecessor ends; its duties go to the successors, its open work to
        the first of them."""

        TOPIC = "thucthi:UnitRegistry.UnitSplit"
        predecessor: str
        successors: tuple[str, ...]
        effective_on: date
        basis: str

    class UnitSucceeded(Event):
        """Kế thừa: the predecessor ends and ``successor`` carries on all it did."""

        TOPIC = "thucthi:UnitRegistry.UnitSucceeded"
        predecessor: str
        successor: str
        effective_on: date
        basis: str

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:UnitRegistry.Snapshot"

    @classmethod
    def open(cls, *, actor: Actor, request_id: str, at: datetime) -> UnitRegistry:
        """Open the (empty) registry."""
        require_permission(actor, Command.MANAGE_UNITS)
        return cls._create(
            cls.Opened, id=REGISTRY_ID, actor=actor, request_id=request_id, timestamp=at
        )

    @event(Opened)
    def __init__(self, *, actor: Actor, request_id: str) -> None:
        self.units = {}

    # --- queries -----------------------------------------------------------------------------

    def get(self, code: str) -> Unit:
        try:
            return self.units[code]
        except KeyError:
            raise UnknownUnitError("unknown", code=code) from None

    def listed(self) -> list[Unit]:
        """Every unit in the order the registry is listed to people: each unit followed by its
        sub-units, the units under one parent in the natural order of their Vietnamese names
        (``domain.shared.ordering``: Quận 3 before Quận 10)."""
        children: dict[str | None, list[Unit]] = {}
        for unit in self.units.values():
            parent = unit.parent if unit.parent in self.units else None
            children.setdefault(parent, []).append(unit)
        listed: list[Unit] = []

        def walk(parent: str | None) -> None:
            for unit in sorted(children.get(parent, ()), key=lambda u: natural_key(u.name_vi)):
                listed.append(unit)
                walk(unit.code)

        walk(None)
        return listed

    def heir_of(self, code: str) -> str:
        """The unit that now holds what ``code`` held: itself while active, else its heir's
        heir, and so on, to the first unit still active (or the last one named)."""
        seen = {code}
        unit = self.get(code)
        while unit.heir is not None and unit.heir not in seen:
            seen.add(unit.heir)
            unit = self.get(unit.heir)
        return unit.code

    def require_active(self, code: str, on: date | None = None) -> Unit:
        """The unit, if it may be given work: active now, or, when ``on`` is given, on that day,
        before a reorganisation that ended it took effect (a day of the past the log is
        catching up on, such as the demo's year). A unit deactivated without a reorganisation
        has no day it ended, so it is refused on every day."""
        unit = self.get(code)
        if unit.active:
            return unit
        if on is not None and unit.ended_on is not None and on < unit.ended_on:
            return unit
        raise InactiveUnitError("inactive", code=code)

    # --- commands ----------------------------------------------------------------------------

    def add_unit(
        self,
        *,
        code: str,
        name_vi: str,
        name_en: str,
        parent: str | None,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        require_permission(actor, Command.MANAGE_UNITS)
        code = checked("code", code)
        if not UNIT_CODE.fullmatch(code):
            raise InvalidUnitError("code_form", code=code)
        if code in self.units:
            raise DuplicateUnitError("exists", code=code)
        name_vi, name_en = checked("name_vi", name_vi), checked("name_en", name_en)
        if parent is not None:
            self.require_active(checked("parent", parent))
        self._unit_added(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            parent=parent,
        )

    def rename_unit(
        self,
        *,
        code: str,
        name_vi: str,
        name_en: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        require_permission(actor, Command.MANAGE_UNITS)
        unit = self.require_active(code)
        name_vi, name_en = checked("name_vi", name_vi), checked("name_en", name_en)
        if (name_vi, name_en) == (unit.name_vi, unit.name_en):
            raise InvalidUnitError("same_names", code=code)
        self._unit_renamed(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            code=code,
            name_vi=name_vi,
            name_en=name_en,
        )

    def deactivate_unit(
        self, *, code: str, reason: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        require_permission(actor, Command.MANAGE_UNITS)
        self.require_active(code)
        children = sorted(u.code for u in self.units.values() if u.parent == code and u.active)
        if children:
            raise InvalidUnitError("active_children", code=code, children=", ".join(children))
        reason = checked("reason", reason)
        self._unit_deactivated(
            actor=actor, request_id=request_id, timestamp=at, code=code, reason=reason
        )

    def merge_units(
        self,
        *,
        predecessors: tuple[str, ...],
        successor: str,
        effective_on: date | None = None,
        basis: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Hợp nhất: the predecessors (one or more) end, and ``successor``, an active unit,
        carries on their duties from ``effective_on`` (by default the day it is recorded)."""
        require_permission(actor, Command.MANAGE_UNITS)
        ending = self._ending(predecessors)
        successor = self._successor(successor, ending)
        self._units_merged(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            predecessors=ending,
            successor=successor,
            effective_on=self._effective(effective_on, at),
            basis=checked("basis", basis),
        )

    def split_unit(
        self,
        *,
        predecessor: str,
        successors: tuple[str, ...],
        effective_on: date | None = None,
        basis: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Chia tách: ``predecessor`` ends and its duties go to two or more active units; its
        open work to the first of them, which the Office may hand on by reassigning."""
        require_permission(actor, Command.MANAGE_UNITS)
        (ending,) = self._ending((predecessor,))
        named = tuple(dict.fromkeys(checked("successors", s) for s in successors))
        if len(named) < 2:  # a split makes at least two
            raise InvalidUnitError("split_in_two", code=ending)
        for code in named:
            self._successor(code, (ending,))
        self._unit_split(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            predecessor=ending,
            successors=named,
            effective_on=self._effective(effective_on, at),
            basis=checked("basis", basis),
        )

    def succeed_unit(
        self,
        *,
        predecessor: str,
        successor: str,
        effective_on: date | None = None,
        basis: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Kế thừa: ``predecessor`` ends and ``successor``, an active unit, carries on all it
        did (a department re-established under another code, a board become a department)."""
        require_permission(actor, Command.MANAGE_UNITS)
        (ending,) = self._ending((predecessor,))
        successor = self._successor(successor, (ending,))
        self._unit_succeeded(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            predecessor=ending,
            successor=successor,
            effective_on=self._effective(effective_on, at),
            basis=checked("basis", basis),
        )

    def _ending(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        """The units a reorganisation ends: named once each, active, with no active sub-unit
        that does not end with them."""
        ending = tuple(dict.fromkeys(checked("predecessors", c) for c in codes))
        if not ending:
            raise InvalidUnitError("no_predecessor")
        for code in ending:
            self.require_active(code)
            if code in LEADING_UNITS:  # the committee itself never ends
                raise InvalidUnitError("committee", code=code)
        for code in ending:
            children = sorted(
                u.code
                for u in self.units.values()
                if u.parent == code and u.active and u.code not in ending
            )
            if children:
                raise InvalidUnitError("active_children", code=code, children=", ".join(children))
        return ending

    def _successor(self, code: str, ending: tuple[str, ...]) -> str:
        code = checked("successor", code)
        if code in ending:
            raise InvalidUnitError("own_successor", code=code)
        self.require_active(code)
        return code

    @staticmethod
    def _effective(effective_on: date | None, at: datetime) -> date:
        """The day the change took effect: not after the day it is recorded, since the open
        work passes at once."""
        today = city_date(at)
        if effective_on is None:
            return today
        if effective_on > today:
            raise InvalidUnitError("in_future", effective_on=effective_on, today=today)
        return effective_on

    # --- mutators: replay runs these, so they only change state ------------------------------

    @event(UnitAdded)
    def _unit_added(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        code: str,
        name_vi: str,
        name_en: str,
        parent: str | None,
    ) -> None:
        self.units[code] = Unit(code=code, name_vi=name_vi, name_en=name_en, parent=parent)

    @event(UnitRenamed)
    def _unit_renamed(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        code: str,
        name_vi: str,
        name_en: str,
    ) -> None:
        self.units[code] = replace(self.units[code], name_vi=name_vi, name_en=name_en)

    @event(UnitDeactivated)
    def _unit_deactivated(
        self, *, actor: Actor, request_id: str, timestamp: datetime, code: str, reason: str
    ) -> None:
        self.units[code] = replace(self.units[code], active=False)

    @event(UnitsMerged)
    def _units_merged(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        predecessors: tuple[str, ...],
        successor: str,
        effective_on: date,
        basis: str,
    ) -> None:
        self._end(predecessors, (successor,), effective_on, basis)

    @event(UnitSplit)
    def _unit_split(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        predecessor: str,
        successors: tuple[str, ...],
        effective_on: date,
        basis: str,
    ) -> None:
        self._end((predecessor,), successors, effective_on, basis)

    @event(UnitSucceeded)
    def _unit_succeeded(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        predecessor: str,
        successor: str,
        effective_on: date,
        basis: str,
    ) -> None:
        self._end((predecessor,), (successor,), effective_on, basis)

    def _end(
        self, ending: tuple[str, ...], successors: tuple[str, ...], on: date, basis: str
    ) -> None:
        for code in ending:
            self.units[code] = replace(
                self.units[code], active=False, successors=successors, ended_on=on, basis=basis
            )
        for code in successors:
            unit = self.units[code]
            added = tuple(c for c in ending if c not in unit.predecessors)
            self.units[code] = replace(unit, predecessors=(*unit.predecessors, *added))
