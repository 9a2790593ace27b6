"""The one place where the signals that find earlier petitions of the same matter are weighed:
each signal's weight, the ramps that turn a raw similarity into a score, and the thresholds.

Changed here and nowhere else; ``bench/duplicates.py`` measures a change against the labelled
filings (docs/petitions-matching.md gives the figures each choice was made on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Ramp:
    """A raw similarity ``s`` as a score: 0 up to ``low``, 1 from ``high``, linear between."""

    low: float
    high: float

    def __call__(self, s: float) -> float:
        if s <= self.low:
            return 0.0
        if s >= self.high:
            return 1.0
        return (s - self.low) / (self.high - self.low)


@dataclass(frozen=True, slots=True)
class MatchingConfig:
    """Weights of the signals (summing to 1), what each score means, and when a filing is shown
    as a candidate.

    The rule of issue 26 is in the weights: the person's signals together (``id``, ``name``,
    ``address``) weigh less than ``threshold``, so one person's (or one family's) two different
    matters are never shown as one by the ID number, the name and the home alone; what the
    petition is about (``content``, ``subject``) has to agree as well."""

    weights: MappingProxyType[str, float]
    threshold: float
    # An identification number one typo away (one digit, or two adjacent swapped) from the
    # other: a real other person is that close often enough (docs) that it counts only as far
    # as the names agree.
    id_one_typo: float
    # Raw similarities (in [0, 1]) turned into scores.
    name: Ramp
    address: Ramp
    content: Ramp
    # Subject: the same document complained of, both with its symbol; only its number the same
    # (one wording gives no symbol); the same parcel; the same house and street.
    subject_decision: float
    subject_decision_number: float
    subject_parcel: float
    subject_site: float
    # The subjects the reception registered (trích yếu), alike at least this much (token sets).
    subject_registered: float
    subject_registered_alike: float
    # Taken off when both name documents, or both parcels, and none is the same: two matters.
    subject_differs: float
    # A reason is shown for a signal whose score reaches this.
    reason_floor: float
    limit: int = 5
    signals: tuple[str, ...] = field(default=("id", "name", "address", "content", "subject"))

    def __post_init__(self) -> None:
        if set(self.weights) != set(self.signals):
            msg = f"weights for {sorted(self.weights)}, not for the signals {self.signals}"
            raise ValueError(msg)
        if abs(sum(self.weights.values()) - 1.0) > 1e-9:
            msg = f"the weights sum to {sum(self.weights.values())}, not 1"
            raise ValueError(msg)
        person = self.weights["id"] + self.weights["name"] + self.weights["address"]
        if person >= self.threshold:
            msg = (
                f"the person's signals weigh {person:.2f}, not below the threshold "
                f"{self.threshold:.2f}: one family's two matters would be linked by them alone"
            )
            raise ValueError(msg)


DEFAULT: Final = MatchingConfig(
    weights=MappingProxyType(
        {"id": 0.1, "name": 0.1, "address": 0.1, "content": 0.45, "subject": 0.25}
    ),
    threshold=0.5,
    id_one_typo=0.8,
    name=Ramp(0.75, 0.95),
    address=Ramp(0.6, 0.95),
    content=Ramp(0.3, 0.9),
    subject_decision=1.0,
    subject_decision_number=0.7,
    subject_parcel=1.0,
    subject_site=0.8,
    subject_registered=0.7,
    subject_registered_alike=0.9,
    subject_differs=0.2,
    reason_floor=0.5,
)
