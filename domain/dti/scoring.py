"""Scores, bands, ranks and trends of the index: pure functions of a framework and the values
units reported (and the appraising body accepted, adjusted or corrected).

- A component earns points by its rule, rounded half up to 0.01 and never more than its
  maximum; a component with no value earns nothing, and so does a value that does not fit the
  rule it is scored under (a value kept from another version of the framework).
- An indicator's points are the sum of its components', a pillar's the sum of its indicators',
  the total the sum of the pillars': each within its maximum, which is the sum of its parts'
  maxima (``domain.dti.framework``), so the total is the sum of the capped components.
- The band is the last whose start the total reaches.
- Ranks within a group are a permutation 1..n: the higher total first; equal totals by their
  pillars' points in the framework's order, the higher first; then by unit code. Units of
  equal total also share a rank (``shared_rank``: 1 plus how many scored strictly higher), the
  way a published table shows a tie.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.dti.framework import Band, Component, Group, RuleKind

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Value:
    """What a component reports: a number (1 or 0 for yes or no, a count, a figure on a scale)
    or, for a share, the part ``number`` of the whole ``of``."""

    number: Decimal
    of: Decimal | None = None


def rounded(points: Decimal) -> Decimal:
    return points.quantize(CENT, rounding=ROUND_HALF_UP)


def points(component: Component, value: Value | None) -> Decimal:  # noqa: PLR0911 - per rule
    """The points a value earns under the component's rule, within its maximum."""
    if value is None:
        return ZERO
    rule, most, number = component.rule, component.max_points, value.number
    if rule.kind is RuleKind.YES_NO:
        return most if number == 1 and value.of is None else ZERO
    if rule.kind is RuleKind.THRESHOLDS:
        if value.of is not None:
            return ZERO
        reached = [s.points for s in rule.steps if number >= s.at_least]
        return min(max(reached, default=ZERO), most)
    if rule.kind is RuleKind.SHARE:
        if value.of is None or value.of <= 0 or number < 0:
            return ZERO
        full = rule.full_at or Decimal(1)
        return _within(most * min(number / value.of / full, Decimal(1)), most)
    # a scale
    if value.of is not None or rule.zero_at is None or rule.full_at is None:
        return ZERO
    fraction = (number - rule.zero_at) / (rule.full_at - rule.zero_at)
    return _within(most * min(max(fraction, ZERO), Decimal(1)), most)


def _within(earned: Decimal, most: Decimal) -> Decimal:
    return min(max(rounded(earned), ZERO), most)


def band_of(bands: Sequence[Band], total: Decimal) -> Band:
    """The last band whose start the total reaches (bands rise; the first starts at 0)."""
    found = bands[0]
    for band in bands:
        if total >= band.from_points:
            found = band
    return found


@dataclass(frozen=True, slots=True)
class ComponentScore:
    code: str
    max_points: Decimal
    value: Value | None
    points: Decimal

    @property
    def lost(self) -> Decimal:
        """The points it falls short of its maximum: where the unit loses points."""
        return self.max_points - self.points


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    code: str
    max_points: Decimal
    points: Decimal
    components: tuple[ComponentScore, ...]


@dataclass(frozen=True, slots=True)
class PillarScore:
    code: str
    max_points: Decimal
    points: Decimal
    indicators: tuple[IndicatorScore, ...]


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A unit's scores under one group of one framework."""

    max_points: Decimal
    total: Decimal
    band: Band
    pillars: tuple[PillarScore, ...]

    def components(self) -> Iterable[ComponentScore]:
        for pillar in self.pillars:
            for indicator in pillar.indicators:
                yield from indicator.components


def scorecard(group: Group, values: Mapping[str, Value]) -> Scorecard:
    """Every component, indicator and pillar scored, the total and its band."""
    pillars = []
    for pillar in group.pillars:
        indicators = []
        for indicator in pillar.indicators:
            components = tuple(
                ComponentScore(
                    c.code, c.max_points, values.get(c.code), points(c, values.get(c.code))
                )
                for c in indicator.components
            )
            earned = sum((c.points for c in components), ZERO)
            indicators.append(
                IndicatorScore(
                    indicator.code,
                    indicator.max_points,
                    min(earned, indicator.max_points),
                    components,
                )
            )
        earned = sum((i.points for i in indicators), ZERO)
        pillars.append(
            PillarScore(
                pillar.code, pillar.max_points, min(earned, pillar.max_points), tuple(indicators)
            )
        )
    total = min(sum((p.points for p in pillars), ZERO), group.max_points)
    return Scorecard(group.max_points, total, band_of(group.bands, total), tuple(pillars))


@dataclass(frozen=True, slots=True)
class Ranked:
    """A unit's place in its group: ``rank`` a permutation of 1..n, ``shared_rank`` the place
    a tie shares."""

    unit: str
    rank: int
    shared_rank: int
    card: Scorecard


def ranked(cards: Mapping[str, Scorecard]) -> list[Ranked]:
    """The units of one group, best first (the tie rule: the module's docstring)."""
    order = sorted(
        cards.items(),
        key=lambda item: (-item[1].total, tuple(-p.points for p in item[1].pillars), item[0]),
    )
    totals = [card.total for _, card in order]
    return [
        Ranked(unit, place, 1 + sum(1 for t in totals if t > card.total), card)
        for place, (unit, card) in enumerate(order, start=1)
    ]


def distribution(bands: Sequence[Band], cards: Iterable[Scorecard]) -> dict[str, int]:
    """How many units are in each band, every band named (0 where none)."""
    counted = Counter(card.band.code for card in cards)
    return {band.code: counted.get(band.code, 0) for band in bands}


@dataclass(frozen=True, slots=True)
class Change:
    """A unit's total against the previous period's: ``points`` when both are out of the same
    maximum, else None; ``share_points`` the change of the total's share of its maximum, in
    percentage points, which compares any two scales."""

    points: Decimal | None
    share_points: Decimal
    band_before: str
    band_now: str


def change(now: Scorecard, before: Scorecard) -> Change:
    def share(card: Scorecard) -> Decimal:
        return card.total * 100 / card.max_points if card.max_points else ZERO

    same_scale = now.max_points == before.max_points
    return Change(
        points=now.total - before.total if same_scale else None,
        share_points=rounded(share(now) - share(before)),
        band_before=before.band.code,
        band_now=now.band.code,
    )
