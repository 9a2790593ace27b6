"""The registry of units (departments, districts, wards) that directives go to.

One aggregate holds the whole registry: a city has a few hundred units at most, codes stay unique
without a separate index, and every addition, rename and deactivation is an event of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.shared.actors import Actor, Command, require_permission
from domain.shared.ordering import natural_key
from domain.shared.text import checked
from domain.units.errors import (
    DuplicateUnitError,
    InactiveUnitError,
    InvalidUnitError,
    UnknownUnitError,
)

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

    def require_active(self, code: str) -> Unit:
        unit = self.get(code)
        if not unit.active:
            raise InactiveUnitError("inactive", code=code)
        return unit

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
