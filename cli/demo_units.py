"""The units of the demo's period (``thucthi demo``): those its directives and petitions go to
before Ho Chi Minh City's reorganisation of 1 July 2025 and those after it, and the
reorganisation itself when the period includes that day.

The period ends on the end day and starts on the earlier of 365 days before it and 1 January
2025 (``period_start``), so that a demo ending after the reorganisation (the default end, today,
does) includes months of the city as it was before it. When it does, the demo records the change
at 07:00 on 1 July 2025 in the stream, as ``thucthi init`` records it for the city of 2026: the
units established in 2025 added, then ``REORGANISATION_2025`` (a registry that already holds it,
as init wrote it, is left as it is); and every directive and petition still open then passes
from a unit that ended to its heir, with the events the application's own hand-over records
(``domain.units.reorganising``). Before that moment work goes to the units of 2024, from it to
those of 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import cast

from domain.application import SYSTEM_ACTOR
from domain.directives.directive import Directive
from domain.petitions.petition import Petition
from domain.shared.clock import CITY_TIMEZONE
from domain.shared.commands import Origin
from domain.units.hcmc import (
    ESTABLISHED_2025,
    REORGANISATION_2025,
    REORGANISED_ON,
    UNITS_2024,
    UNITS_2025,
)
from domain.units.registry import Unit, UnitRegistry
from domain.units.reorganising import add_units, hand_over, record_changes

# A demo ending after the reorganisation starts no later than this: half a year before it.
SPANS_FROM = date(2025, 1, 1)
# When the change is recorded: before the working day's first step (``cli.demo._moment``).
_CHANGED_AT = time(7, 0)
REQUEST_ID = "demo"


def period_start(end: date) -> date:
    """The demo's first day: the earlier of 365 days before ``end`` and 1 January 2025."""
    return min(end - timedelta(days=365), SPANS_FROM)


def change_moment() -> datetime:
    """The moment the demo records the reorganisation: 07:00 on its day, city time."""
    return datetime.combine(REORGANISED_ON, _CHANGED_AT, tzinfo=CITY_TIMEZONE)


class DemoUnits:
    """The units of one demo period, read from (and, if the period spans the reorganisation,
    recorded on) ``registry``: the registry as stored, which this object goes on to hold."""

    def __init__(self, registry: UnitRegistry, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.registry = registry
        self.before = self._leads(lambda u: in_force(u, start) and u.code not in ESTABLISHED_2025)
        self.change_at: datetime | None = None
        self.events: list[UnitRegistry.Event] = []
        self.after: tuple[str, ...] = ()
        self.ending: frozenset[str] = frozenset()
        if start < REORGANISED_ON <= end:
            self.change_at = change_moment()
            origin = self.origin()
            add_units(registry, UNITS_2025, origin)
            record_changes(registry, REORGANISATION_2025, origin)
            self.events = cast("list[UnitRegistry.Event]", registry.collect_events())
            self.ending = frozenset(
                u.code for u in registry.units.values() if u.ended_on == REORGANISED_ON
            )
            self.after = self._leads(lambda u: u.active)

    @classmethod
    def of_city(cls, start: date, end: date) -> DemoUnits:
        """The units of a period for a demo with no store: a registry of the units of 2024
        opened in memory (the petitions' benchmark, ``bench.duplicates``)."""
        at = datetime.combine(start, time(0), tzinfo=CITY_TIMEZONE)
        registry = UnitRegistry.open(actor=SYSTEM_ACTOR, request_id=REQUEST_ID, at=at)
        add_units(registry, UNITS_2024, Origin(SYSTEM_ACTOR, REQUEST_ID, at))
        registry.collect_events()
        return cls(registry, start, end)

    @property
    def units(self) -> dict[str, Unit]:
        """Every unit of the registry, by code: those of 2024, and of 2026 if the period has
        them."""
        return self.registry.units

    def origin(self) -> Origin:
        """Who records the reorganisation and its hand-overs, and when."""
        moment = self.change_at or change_moment()
        return Origin(SYSTEM_ACTOR, REQUEST_ID, moment)

    def leads(self, day: date) -> tuple[str, ...]:
        """The units that may lead a directive issued on ``day``."""
        return self.after if self.change_at is not None and day >= REORGANISED_ON else self.before

    def all_leads(self) -> tuple[str, ...]:
        return (*self.before, *(c for c in self.after if c not in self.before))

    def current(self, code: str, at: datetime | date) -> str:
        """The unit that holds ``code``'s work at ``at`` (a moment, or a whole day): itself,
        or from the reorganisation on its heir if it ended then."""
        if self.change_at is None or code not in self.ending:
            return code
        after = at >= self.change_at if isinstance(at, datetime) else at >= REORGANISED_ON
        return self.registry.heir_of(code) if after else code

    def hand_over(self, case: Directive | Petition) -> bool:
        """Record, at the reorganisation's moment, the hand-over of the case's parts that ended
        units hold (the application's own hand-over); whether there were any."""
        if self.change_at is None:
            return False
        return hand_over(case, self.registry, self.ending, self.origin())

    def due_for_hand_over(self, last: datetime, at: datetime | None) -> bool:
        """Whether a case whose last step was at ``last`` is handed over before its next step
        at ``at`` (None: it has no next step in the period)."""
        if self.change_at is None or last >= self.change_at:
            return False
        return at is None or at >= self.change_at

    def _leads(self, wanted: Callable[[Unit], bool]) -> tuple[str, ...]:
        """The units directly under the committee that ``wanted`` keeps, in the registry's
        order: the committee's Office, departments, boards, and the districts or wards."""
        units = self.registry.units
        return tuple(
            u.code
            for u in units.values()
            if u.parent is not None and units[u.parent].parent is None and wanted(u)
        )


def in_force(unit: Unit, day: date) -> bool:
    """Whether the unit took work on ``day``: active, or ended by a reorganisation after it."""
    return unit.active or (unit.ended_on is not None and day < unit.ended_on)
