"""The execution index (chỉ số thực thi): one documented, configurable formula.

For each unit, as of a day D, four components between 0 (worst) and 1 (best):

- **timeliness** = on-time rate (completed on time ÷ (completed on time + late + overdue));
  1 when nothing was due yet;
- **overdue** = 1 − min(1, days overdue in total ÷ (directives × ``overdue_cap_days``)): a unit
  whose every directive is ``overdue_cap_days`` late scores 0;
- **acknowledgement** = 1 − min(1, mean hours from assignment to acknowledgement ÷
  ``acknowledge_cap_hours``), counting the hours so far for directives not yet acknowledged;
- **freshness** = 1 − min(1, mean days since the last progress report (or acknowledgement) on
  directives in progress ÷ ``freshness_cap_days``); 1 when none is in progress.

A fifth component comes from the petitions the unit handles as an agency
(``readmodels.petitions``), when given:

- **petitions** = the share of petitions handled within the legal time (resolved on time ÷
  (resolved on time + resolved late + in handling past the term)), as of the same point of view.
  It counts only for a unit that had a petition whose handling term came by D; for any other
  unit it is left out of the sum and of the weights, so that a unit without petitions is scored
  as it was. Its weight is ``petitions`` (0.25 by default: a fifth of the score of a unit that
  had petitions due; the directive weights sum to 1); 0 turns it off and every score is the
  directives' alone.

score = 100 × Σ weightᵢ × componentᵢ ÷ Σ weightᵢ, rounded to one decimal. Units are ranked by
score (ties by code) and graded by the first threshold they reach. Because the inputs come from
the temporal board, any day can be re-scored under other weights, and the past is replayed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readmodels.model import Responsiveness
from readmodels.petitions import PetitionFigures

DEFAULT_PETITION_WEIGHT = 0.25


@dataclass(frozen=True, slots=True)
class IndexWeights:
    """The weights, caps and grade thresholds of the execution index."""

    timeliness: float = 0.5
    overdue: float = 0.2
    acknowledgement: float = 0.15
    freshness: float = 0.15
    petitions: float = DEFAULT_PETITION_WEIGHT
    overdue_cap_days: float = 30.0
    acknowledge_cap_hours: float = 72.0
    freshness_cap_days: float = 30.0
    # (minimum score, Vietnamese grade, English grade), best first; the last catches the rest.
    grades: tuple[tuple[float, str, str], ...] = (
        (90.0, "Xuất sắc", "Excellent"),
        (80.0, "Tốt", "Good"),
        (65.0, "Khá", "Fair"),
        (50.0, "Trung bình", "Average"),
        (0.0, "Yếu", "Weak"),
    )

    def __post_init__(self) -> None:
        weights = (self.timeliness, self.overdue, self.acknowledgement, self.freshness)
        if min(weights) < 0 or sum(weights) <= 0 or self.petitions < 0:
            msg = "index weights are non-negative and not all zero"
            raise ValueError(msg)
        if min(self.overdue_cap_days, self.acknowledge_cap_hours, self.freshness_cap_days) <= 0:
            msg = "index caps are positive"
            raise ValueError(msg)


DEFAULT_WEIGHTS = IndexWeights()


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit: str
    score: float
    rank: int
    grade_vi: str
    grade_en: str
    timeliness: float
    overdue: float
    acknowledgement: float
    freshness: float
    on_time_rate: float | None
    directives: int
    # The petitions' component, None where it was left out (no petition due, or weight 0).
    petitions: float | None = None


def score_units(
    rows: list[Responsiveness],
    weights: IndexWeights = DEFAULT_WEIGHTS,
    petitions: Mapping[str, PetitionFigures] | None = None,
) -> list[UnitScore]:
    """Score, rank and grade every unit that had directives, best first; ``petitions``: each
    agency's petition figures as of the same point of view, for the petitions' component."""
    scored: list[
        tuple[str, float, tuple[float, float, float, float], float | None, Responsiveness]
    ] = []
    for row in rows:
        if row.directives == 0:
            continue
        parts = _components(row, weights)
        total = (
            weights.timeliness * parts[0]
            + weights.overdue * parts[1]
            + weights.acknowledgement * parts[2]
            + weights.freshness * parts[3]
        )
        weight = weights.timeliness + weights.overdue + weights.acknowledgement + weights.freshness
        figures = None if petitions is None else petitions.get(row.unit)
        share = None if figures is None or not weights.petitions else figures.share_on_time
        if share is not None:
            total += weights.petitions * share
            weight += weights.petitions
        scored.append((row.unit, round(100 * (total / weight), 1), parts, share, row))
    scored.sort(key=lambda s: (-s[1], s[0]))
    result = []
    for rank, (unit, score, parts, share, row) in enumerate(scored, start=1):
        grade_vi, grade_en = _grade(score, weights)
        result.append(
            UnitScore(
                unit=unit,
                score=score,
                rank=rank,
                grade_vi=grade_vi,
                grade_en=grade_en,
                timeliness=parts[0],
                overdue=parts[1],
                acknowledgement=parts[2],
                freshness=parts[3],
                on_time_rate=row.figures.on_time_rate,
                directives=row.directives,
                petitions=share,
            )
        )
    return result


def _components(row: Responsiveness, w: IndexWeights) -> tuple[float, float, float, float]:
    rate = row.figures.on_time_rate
    timeliness = 1.0 if rate is None else rate
    overdue = 1.0 - min(1.0, row.figures.days_overdue_total / (row.directives * w.overdue_cap_days))
    ack_mean = row.acknowledge_hours_total / row.acknowledge_count if row.acknowledge_count else 0.0
    acknowledgement = 1.0 - min(1.0, max(ack_mean, 0.0) / w.acknowledge_cap_hours)
    stale_mean = row.staleness_days_total / row.staleness_count if row.staleness_count else 0.0
    freshness = 1.0 - min(1.0, max(stale_mean, 0.0) / w.freshness_cap_days)
    return timeliness, overdue, acknowledgement, freshness


def _grade(score: float, w: IndexWeights) -> tuple[str, str]:
    for minimum, vi, en in w.grades:
        if score >= minimum:
            return vi, en
    return w.grades[-1][1], w.grades[-1][2]
