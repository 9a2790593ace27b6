"""The index's results at a point of view: the indices and assessments as they stood at a city
day and a log position, folded from their events, then scored, graded and ranked
(``domain.dti.scoring``), each unit beside its previous period; and the same assessments scored
again under another version of the framework, side by side.

A point of view is the house's: a day D and a log position P. An aggregate counts each of its
events up to the first one recorded after P or after the end of D in the city, so asked again
with the same D and P the answer is the same, whatever was recorded since (a correction after
publication included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.dti.assessment import Assessment, Stage
from domain.dti.framework import Band, Framework, Group, GroupKind
from domain.dti.index import DtiIndex
from domain.dti.scoring import Change, Ranked, Scorecard, change, distribution, ranked, scorecard


@dataclass(frozen=True, slots=True)
class Folded:
    """The indices and assessments as they stood at a point of view."""

    indices: dict[str, DtiIndex]
    assessments: dict[UUID, Assessment]

    def framework(self, index: str, version: int) -> Framework | None:
        found = self.indices.get(index)
        if found is None or not 1 <= version <= found.latest:
            return None
        return found.versions[version - 1].framework


def fold(events: Iterable[tuple[int, Any]], *, until: datetime, position: int) -> Folded:
    """Each aggregate replayed up to its first event after ``position`` or ``until``."""
    states: dict[UUID, Any] = {}
    stopped: set[UUID] = set()
    for at, recorded in events:
        originator = recorded.originator_id
        if originator in stopped:
            continue
        if at > position or recorded.timestamp > until:
            stopped.add(originator)
            continue
        states[originator] = recorded.mutate(states.get(originator))
    indices = {s.key: s for s in states.values() if isinstance(s, DtiIndex)}
    assessments = {i: s for i, s in states.items() if isinstance(s, Assessment)}
    return Folded(indices, assessments)


@dataclass(frozen=True, slots=True)
class Previous:
    """A unit's result of the period before, under its own framework."""

    period: int
    version: int
    card: Scorecard
    change: Change


@dataclass(frozen=True, slots=True)
class Standing:
    """A unit's place in its group: its assessment, its scores and where they stand."""

    assessment: Assessment
    place: Ranked
    previous: Previous | None


@dataclass(frozen=True, slots=True)
class GroupResults:
    """One group of one version of an index for a period: its units, best first, and how many
    fall in each band."""

    framework: Framework
    group: Group
    period: int
    standings: tuple[Standing, ...]
    distribution: dict[str, int]


def counted(assessment: Assessment, published_only: bool) -> bool:
    return not published_only or assessment.stage is Stage.PUBLISHED


def results(
    folded: Folded,
    index: str,
    period: int,
    *,
    version: int | None = None,
    group: GroupKind | None = None,
    published_only: bool = False,
) -> list[GroupResults]:
    """Every group of every version the period was assessed under (or those asked)."""
    chosen = [
        a
        for a in folded.assessments.values()
        if a.index == index
        and a.period == period
        and (version is None or a.framework_version == version)
        and (group is None or a.group == group)
        and counted(a, published_only)
    ]
    found: list[GroupResults] = []
    for (number, kind), members in sorted(_by_group(chosen).items()):
        framework = folded.framework(index, number)
        scored = None if framework is None else framework.group(kind)
        if framework is None or scored is None:
            continue
        cards = {a.unit: scorecard(scored, a.values()) for a in members}
        by_unit = {a.unit: a for a in members}
        standings = tuple(
            Standing(
                by_unit[place.unit],
                place,
                _previous(folded, by_unit[place.unit], place.card, published_only),
            )
            for place in ranked(cards)
        )
        found.append(
            GroupResults(
                framework, scored, period, standings, distribution(scored.bands, cards.values())
            )
        )
    return found


def _by_group(assessments: Iterable[Assessment]) -> dict[tuple[int, str], list[Assessment]]:
    grouped: dict[tuple[int, str], list[Assessment]] = {}
    for a in assessments:
        grouped.setdefault((a.framework_version, a.group.value), []).append(a)
    return grouped


def _previous(
    folded: Folded, now: Assessment, card: Scorecard, published_only: bool
) -> Previous | None:
    """The unit's result for the period before, under the latest version it was assessed in."""
    before = [
        a
        for a in folded.assessments.values()
        if a.index == now.index
        and a.unit == now.unit
        and a.period == now.period - 1
        and counted(a, published_only)
    ]
    if not before:
        return None
    last = max(before, key=lambda a: a.framework_version)
    framework = folded.framework(last.index, last.framework_version)
    group = None if framework is None else framework.group(last.group)
    if group is None:
        return None
    earlier = scorecard(group, last.values())
    return Previous(last.period, last.framework_version, earlier, change(card, earlier))


@dataclass(frozen=True, slots=True)
class Rescored:
    """A unit's result as it was scored and as it scores under another framework."""

    unit: str
    assessment: Assessment
    was: Ranked
    now: Ranked
    # Components the unit reported that the other framework does not have, and components of
    # the other framework the unit has no value for: what the comparison leaves out.
    dropped: tuple[str, ...]
    unanswered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupRescored:
    group: Group
    under: Framework
    period: int
    rows: tuple[Rescored, ...]  # in the order of the new ranks
    distribution_was: dict[str, int]
    distribution_now: dict[str, int]


def rescored(
    folded: Folded,
    index: str,
    period: int,
    under: Framework,
    *,
    group: GroupKind | None = None,
    published_only: bool = False,
) -> list[GroupRescored]:
    """Each group's assessments of the period scored under their own framework and again under
    ``under``, by their components' codes: last year's ranking under this year's rules."""
    latest: dict[str, Assessment] = {}
    for a in folded.assessments.values():
        if a.index != index or a.period != period or not counted(a, published_only):
            continue
        if group is not None and a.group != group:
            continue
        kept = latest.get(a.unit)
        if kept is None or a.framework_version > kept.framework_version:
            latest[a.unit] = a
    found = []
    for target in under.groups:
        members = {a.unit: a for a in latest.values() if a.group == target.kind}
        original: dict[str, Scorecard] = {}
        bands: dict[str, Band] = {}  # the bands of the units' own frameworks, rising
        for a in members.values():
            framework = folded.framework(a.index, a.framework_version)
            own = None if framework is None else framework.group(a.group)
            if own is not None:
                original[a.unit] = scorecard(own, a.values())
                bands.update((b.code, b) for b in own.bands)
        if not original:
            continue
        again = {unit: scorecard(target, members[unit].values()) for unit in original}
        was = {r.unit: r for r in ranked(original)}
        codes = {c.code for c in target.components()}
        rows = []
        for place in ranked(again):
            values = members[place.unit].values()
            rows.append(
                Rescored(
                    place.unit,
                    members[place.unit],
                    was[place.unit],
                    place,
                    tuple(sorted(c for c in values if c not in codes)),
                    tuple(sorted(c for c in codes if c not in values)),
                )
            )
        found.append(
            GroupRescored(
                target,
                under,
                period,
                tuple(rows),
                distribution(tuple(bands.values()), original.values()),
                distribution(target.bands, again.values()),
            )
        )
    return found
