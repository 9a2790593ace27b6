"""The petitions' component of the execution index: off at weight 0 (every score the directives'
alone), left out for a unit with no petition due, and weighted in for one that had; and the
settings that set it and the due-soon window."""

from __future__ import annotations

import pytest

from adapters.settings import SettingsError
from bootstrap import Settings
from readmodels.index import DEFAULT_PETITION_WEIGHT, IndexWeights, score_units
from readmodels.model import Figures, Responsiveness
from readmodels.petitions import PetitionFigures


def rows() -> list[Responsiveness]:
    """Two units with directives: A half on time, B all on time."""
    return [
        Responsiveness("A", Figures(completed_on_time=1, completed_late=1), 2, 48.0, 2, 10.0, 1),
        Responsiveness("B", Figures(completed_on_time=3), 3, 12.0, 3, 0.0, 0),
    ]


def petitions() -> dict[str, PetitionFigures]:
    """A handled one of four petitions on time; B had petitions, none due yet."""
    return {
        "A": PetitionFigures(received=4, resolved_on_time=1, resolved_late=1, overdue=2),
        "B": PetitionFigures(received=2, within_deadline=2),
    }


def test_with_the_petitions_weight_at_zero_every_score_is_the_directives_alone() -> None:
    off = IndexWeights(petitions=0)
    assert score_units(rows(), off, petitions()) == score_units(rows(), off)
    assert score_units(rows(), off, petitions()) == score_units(rows(), IndexWeights(), None)
    assert all(s.petitions is None for s in score_units(rows(), off, petitions()))


def test_a_unit_with_no_petition_due_is_scored_as_if_the_component_did_not_exist() -> None:
    alone = {s.unit: s for s in score_units(rows())}
    weighted = {s.unit: s for s in score_units(rows(), IndexWeights(), petitions())}
    assert weighted["B"].score == alone["B"].score
    assert weighted["B"].petitions is None


def test_a_unit_that_had_petitions_due_is_scored_with_their_share_on_time() -> None:
    weights = IndexWeights()
    alone = {s.unit: s for s in score_units(rows(), weights)}["A"]
    scored = {s.unit: s for s in score_units(rows(), weights, petitions())}["A"]
    share = 1 / 4  # on time ÷ (on time + late + in handling past the term)
    assert scored.petitions == share
    directives = alone.score / 100  # the four components' weighted mean, weights summing to 1
    expected = (directives + DEFAULT_PETITION_WEIGHT * share) / (1 + DEFAULT_PETITION_WEIGHT)
    assert scored.score == pytest.approx(100 * expected, abs=0.06)
    assert scored.score < alone.score


def test_the_petitions_weight_and_due_soon_window_are_settings() -> None:
    assert Settings.from_env({}).index_petition_weight == DEFAULT_PETITION_WEIGHT
    assert Settings.from_env({}).petition_due_soon_days == 3
    given = Settings.from_env(
        {"THUCTHI_INDEX_PETITION_WEIGHT": "0", "THUCTHI_PETITION_DUE_SOON_DAYS": "5"}
    )
    assert (given.index_petition_weight, given.petition_due_soon_days) == (0.0, 5)
    for variable, text in (
        ("THUCTHI_INDEX_PETITION_WEIGHT", "-1"),
        ("THUCTHI_INDEX_PETITION_WEIGHT", "nhiều"),
        ("THUCTHI_PETITION_DUE_SOON_DAYS", "2.5"),
        ("THUCTHI_PETITION_DUE_SOON_DAYS", "400"),
    ):
        with pytest.raises(SettingsError):
            Settings.from_env({variable: text})
    with pytest.raises(ValueError, match="non-negative"):
        IndexWeights(petitions=-0.5)
