"""The digital-transformation index as data: a framework names its period, the appraising body
and, for each group of units, a tree of pillars, indicators and components, each component with
its maximum, how it is scored and whether it needs evidence; and the grade bands of each group.

A framework is immutable. It is published as an event (``domain.dti.index``); a revision is a
new version of the same index, and the old version stays as it was published, so results can be
scored again under either. Frameworks are read from a documented JSON file
(``domain.dti.file``, docs/dti.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class GroupKind(StrEnum):
    """The groups of units an index scores apart, each ranked among itself."""

    DEPARTMENTS = "departments"  # sở, ban, ngành
    LOCALITIES = "localities"  # phường, xã, đặc khu (in 2023: quận, huyện, TP Thủ Đức)
    OTHERS = "others"  # đơn vị khác


class RuleKind(StrEnum):
    """How a component's value becomes points."""

    SCALE = "scale"  # a number on a scale: nothing at ``zero_at``, full points at ``full_at``
    YES_NO = "yes_no"  # 1 (yes): full points; 0 (no): none
    SHARE = "share"  # a part of a whole: full points from the share ``full_at``
    THRESHOLDS = "thresholds"  # a count: the points of the highest threshold reached


@dataclass(frozen=True, slots=True)
class Step:
    """A threshold of a count: from ``at_least`` on, ``points``."""

    at_least: Decimal
    points: Decimal


@dataclass(frozen=True, slots=True)
class Rule:
    """How a component is scored (``domain.dti.scoring.points``). ``zero_at`` and ``full_at``
    are a scale's ends (``zero_at`` above ``full_at``: the fewer the better, e.g. days to
    answer); a share's ``full_at`` is the share from which it earns full points (1: only all);
    a count's ``steps`` rise."""

    kind: RuleKind
    zero_at: Decimal | None = None
    full_at: Decimal | None = None
    steps: tuple[Step, ...] = ()


class MeasureName(StrEnum):
    """What Thucthi measures of a unit for a component (``domain.dti.measures``, docs/dti.md)."""

    DIRECTIVES_ON_TIME = "directives_on_time"  # share of directives due completed on time
    PETITIONS_ON_TIME = "petitions_on_time"  # share of petitions handled within the legal time
    DOCUMENTS_SIGNED = "documents_signed"  # share of directives filed as signed documents
    PETITIONS_ONLINE = "petitions_online"  # share of petitions received online
    ACKNOWLEDGE_DAYS = "acknowledge_days"  # median working days, directive to acknowledgement
    PETITION_ANSWER_DAYS = "petition_answer_days"  # median working days, petition to result


class Basis(StrEnum):
    """Which deadline a directive is judged on time against."""

    IN_FORCE = "in_force"  # the latest granted extension
    ORIGINAL = "original"  # the deadline it was issued with


@dataclass(frozen=True, slots=True)
class Measure:
    """A component's measure, and its parameter: the deadline directives are judged against."""

    name: MeasureName
    basis: Basis = Basis.IN_FORCE


@dataclass(frozen=True, slots=True)
class Component:
    """Chỉ số thành phần: what a unit reports, and what it is worth."""

    code: str
    name_vi: str
    name_en: str
    max_points: Decimal
    rule: Rule
    evidence: bool = False  # evidence (text, links or files) required to submit a value
    automatic: bool = False  # measured by Thucthi, not entered by the unit
    # What Thucthi measures for it (an automatic component without one is set by the appraisal).
    measure: Measure | None = None


@dataclass(frozen=True, slots=True)
class Indicator:
    """Chỉ số chính: its maximum is the sum of its components'."""

    code: str
    name_vi: str
    name_en: str
    components: tuple[Component, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.components), Decimal(0))


@dataclass(frozen=True, slots=True)
class Pillar:
    """Trụ cột (or a group of indicators): its maximum is the sum of its indicators'."""

    code: str
    name_vi: str
    name_en: str
    indicators: tuple[Indicator, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), Decimal(0))


@dataclass(frozen=True, slots=True)
class Band:
    """Mức xếp loại: from ``from_points`` up to the next band's start (excluded)."""

    code: str
    name_vi: str
    name_en: str
    from_points: Decimal


@dataclass(frozen=True, slots=True)
class Group:
    """The index of one group of units: its tree, its maximum and its grade bands (rising)."""

    kind: GroupKind
    name_vi: str
    name_en: str
    pillars: tuple[Pillar, ...]
    bands: tuple[Band, ...]
    # The component list is a labelled example, not the official one (which is not public).
    example: bool = False

    @property
    def max_points(self) -> Decimal:
        return sum((p.max_points for p in self.pillars), Decimal(0))

    def components(self) -> Iterator[Component]:
        for pillar in self.pillars:
            for indicator in pillar.indicators:
                yield from indicator.components

    def component(self, code: str) -> Component | None:
        return next((c for c in self.components() if c.code == code), None)


@dataclass(frozen=True, slots=True)
class Framework:
    """One version of an index (bộ chỉ số): the year it is first used for (``period``), the
    decision that issued it, the unit that appraises the self-assessments, its groups, and the
    public sources its structure is taken from."""

    index: str
    version: int
    period: int
    name_vi: str
    name_en: str
    decision: str
    appraiser: str
    groups: tuple[Group, ...]
    sources: tuple[str, ...] = ()
    note: str = ""

    def group(self, kind: GroupKind | str) -> Group | None:
        return next((g for g in self.groups if g.kind == kind), None)


# The city's 2023 department bands (out of 330: below 198 starting, 198 to below 264 forming,
# 264 and up advanced) are 60% and 80% of the maximum: a group whose file names no bands is
# graded so, whatever its maximum.
DEFAULT_BAND_SHARES: tuple[tuple[str, str, str, Decimal], ...] = (
    ("starting", "Khởi động", "Starting", Decimal(0)),
    ("forming", "Hình thành", "Forming", Decimal("0.6")),
    ("advanced", "Nâng cao", "Advanced", Decimal("0.8")),
)


def default_bands(max_points: Decimal) -> tuple[Band, ...]:
    """The 2023 department bands, scaled to a group's maximum (198 and 264 of 330)."""
    return tuple(
        Band(code, vi, en, (max_points * share).quantize(Decimal("0.01")))
        for code, vi, en, share in DEFAULT_BAND_SHARES
    )
