"""What Thucthi measures of a unit for the index, from what it already knows: the components a
framework maps to a measure (``Component.measure``, docs/dti.md, "Measured by Thucthi") are
computed, not typed, as of a city day and a log position.

The domain names the measures and the port (``Measures``) through which it asks for them; the
oversight read models answer it (``readmodels.dti_measures``), and the composition root wires
the two. A measurement is recorded in the assessment when the unit submits
(``Assessment.ValueMeasured``), with the day, the position and the figures it came from, so that
results published from it reproduce exactly whatever the read models hold later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Protocol

from domain.dti.framework import Group, Measure, MeasureName
from domain.dti.scoring import Value


@dataclass(frozen=True, slots=True)
class Measurement:
    """What was measured of a unit: the measure, the day and log position it was measured as
    of, the figures (``part`` of ``whole``: directives completed on time of those due,
    directives acknowledged of those issued…; for days, ``median`` too) and the value they give
    (None: nothing to measure, such as no directive due in the period)."""

    measure: MeasureName
    as_of: date
    position: int
    part: int
    whole: int
    median: Decimal | None = None

    @property
    def value(self) -> Value | None:
        if self.measure in DAY_MEASURES:
            return None if self.median is None else Value(self.median)
        return Value(Decimal(self.part), Decimal(self.whole)) if self.whole else None


DAY_MEASURES = frozenset({MeasureName.ACKNOWLEDGE_DAYS, MeasureName.PETITION_ANSWER_DAYS})


class Measures(Protocol):
    """The port: what Thucthi knows of a unit, as of a day and a log position."""

    def position(self) -> int:
        """The log position the measures now stand at (what they can answer for)."""
        ...

    def measure(
        self, measure: Measure, unit: str, period: tuple[date, date], as_of: date, position: int
    ) -> Measurement:
        """The measure of ``unit`` over ``period`` (first and last day), as the log up to
        ``position`` says about the end of ``as_of``."""
        ...


def measure_group(
    measures: Measures, group: Group, unit: str, period: int, today: date
) -> dict[str, Measurement]:
    """Each measured component of the group, for the unit's period: as of the period's last day
    or today if earlier, at the position the measures stand at now."""
    wanted = [(c.code, c.measure) for c in group.components() if c.measure is not None]
    if not wanted:
        return {}
    first, last = date(period, 1, 1), date(period, 12, 31)
    as_of, position = min(last, today), measures.position()
    return {
        code: measures.measure(measure, unit, (first, last), as_of, position)
        for code, measure in wanted
    }


def median_days(days: Iterable[int]) -> Decimal | None:
    """The median of whole numbers of days (halfway between the middle two of an even count);
    None of none."""
    found = sorted(days)
    return Decimal(str(median(found))) if found else None


NO_MEASUREMENTS: Mapping[str, Measurement] = {}
