"""The index's scoring rules against components worked by hand, the band edges of the city's 2023
department index (197.9, 198, 263.9, 264), the tie rule of the ranks, the change against the
previous period, and a property: a unit's total is the sum of its capped components, the ranks
are a permutation and the bands follow the thresholds."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.dti.framework import (
    Band,
    Component,
    Group,
    GroupKind,
    Indicator,
    Pillar,
    Rule,
    RuleKind,
    Step,
    default_bands,
)
from domain.dti.scoring import (
    Value,
    band_of,
    change,
    distribution,
    points,
    ranked,
    scorecard,
)
from tests.strategies import dti_groups, dti_values

D = Decimal
BANDS_2023 = (
    Band("starting", "Khởi động", "Starting", D(0)),
    Band("forming", "Hình thành", "Forming", D(198)),
    Band("advanced", "Nâng cao", "Advanced", D(264)),
)


def component(most: str, rule: Rule, code: str = "c") -> Component:
    return Component(code, "x", "x", D(most), rule)


def value(number: str, of: str | None = None) -> Value:
    return Value(D(number), None if of is None else D(of))


def test_a_yes_is_worth_the_whole_maximum_and_a_no_nothing() -> None:
    said = component("10", Rule(RuleKind.YES_NO))
    assert points(said, value("1")) == D(10)
    assert points(said, value("0")) == D(0)
    assert points(said, None) == D(0)


def test_a_number_on_a_scale_earns_its_share_of_the_way_between_the_ends() -> None:
    """0 to 10, worth 5: 4 earns 4/10 × 5 = 2; past the full end, the whole 5; 0, nothing."""
    scale = component("5", Rule(RuleKind.SCALE, zero_at=D(0), full_at=D(10)))
    assert points(scale, value("4")) == D("2.00")
    assert points(scale, value("12")) == D(5)
    assert points(scale, value("0")) == D(0)


def test_a_scale_that_runs_down_rewards_the_fewer() -> None:
    """Days to answer, nothing at 15, everything at 3, worth 10: 9 days is halfway, 5.00; 4 days
    is 11/12 of the way, 9.1666… → 9.17; 2 days, 10; 20 days, 0."""
    days = component("10", Rule(RuleKind.SCALE, zero_at=D(15), full_at=D(3)))
    assert points(days, value("9")) == D("5.00")
    assert points(days, value("4")) == D("9.17")
    assert points(days, value("2")) == D(10)
    assert points(days, value("20")) == D(0)


def test_a_share_earns_its_part_of_the_maximum_rounded_half_up_to_the_hundredth() -> None:
    """Worth 20: 80 of 100 earns 16; 1 of 3 earns 6.666… → 6.67; all of it, 20."""
    share = component("20", Rule(RuleKind.SHARE, full_at=D(1)))
    assert points(share, value("80", "100")) == D("16.00")
    assert points(share, value("1", "3")) == D("6.67")
    assert points(share, value("7", "7")) == D(20)


def test_a_share_earns_full_points_from_its_full_at_and_its_half_cent_rounds_up() -> None:
    """Worth 15, full from 80%: 70% is 0.875 of the way, 13.125 → 13.13; 90% is capped at 15."""
    share = component("15", Rule(RuleKind.SHARE, full_at=D("0.8")))
    assert points(share, value("70", "100")) == D("13.13")
    assert points(share, value("90", "100")) == D(15)
    assert points(share, value("80", "100")) == D(15)


def test_a_count_earns_the_points_of_the_highest_threshold_it_reaches() -> None:
    """News items in a year, worth 10: 12 → 4, 24 → 7, 48 → 10."""
    count = component(
        "10",
        Rule(RuleKind.THRESHOLDS, steps=(Step(D(12), D(4)), Step(D(24), D(7)), Step(D(48), D(10)))),
    )
    assert points(count, value("11")) == D(0)
    assert points(count, value("12")) == D(4)
    assert points(count, value("30")) == D(7)
    assert points(count, value("48")) == D(10)
    assert points(count, value("1000")) == D(10)


def test_a_value_that_does_not_fit_the_rule_scores_nothing() -> None:
    """A value kept from another version of the framework, scored under this one's rule."""
    assert points(component("10", Rule(RuleKind.YES_NO)), value("2")) == D(0)
    assert points(component("10", Rule(RuleKind.SHARE, full_at=D(1))), value("5")) == D(0)
    assert points(
        component("10", Rule(RuleKind.THRESHOLDS, steps=(Step(D(1), D(5)),))), value("1", "2")
    ) == D(0)
    assert points(
        component("10", Rule(RuleKind.SCALE, zero_at=D(0), full_at=D(1))), value("1", "1")
    ) == D(0)


def one_scale_group(most: str, bands: tuple[Band, ...]) -> Group:
    """A group of one component on a scale from 0 to ten times its maximum: a value of n is
    worth n/10 points, so any total can be reached exactly."""
    scale = component(most, Rule(RuleKind.SCALE, zero_at=D(0), full_at=D(most) * 10))
    pillar = Pillar("P", "x", "x", (Indicator("1", "x", "x", (scale,)),))
    return Group(GroupKind.DEPARTMENTS, "x", "x", (pillar,), bands)


def test_the_2023_department_bands_at_their_edges() -> None:
    """Out of 330: 197.9 starting, 198 forming, 263.9 forming, 264 advanced."""
    group = one_scale_group("330", BANDS_2023)
    for reported, total, band in (
        ("1979", "197.90", "starting"),
        ("1980", "198.00", "forming"),
        ("2639", "263.90", "forming"),
        ("2640", "264.00", "advanced"),
    ):
        card = scorecard(group, {"c": value(reported)})
        assert card.total == D(total)
        assert card.band.code == band
    assert band_of(BANDS_2023, D("197.99")).code == "starting"
    assert band_of(BANDS_2023, D(0)).code == "starting"
    assert band_of(BANDS_2023, D(330)).code == "advanced"


def test_the_default_bands_are_the_2023_departments_scaled_to_any_maximum() -> None:
    """198 and 264 of 330 are 60% and 80%: out of 100, 60 and 80."""
    assert [b.from_points for b in default_bands(D(330))] == [D(0), D(198), D(264)]
    assert [b.from_points for b in default_bands(D(100))] == [D(0), D(60), D(80)]
    assert [b.code for b in default_bands(D(100))] == ["starting", "forming", "advanced"]


def two_pillar_group() -> Group:
    yes = Rule(RuleKind.YES_NO)
    first = Pillar("A", "x", "x", (Indicator("1", "x", "x", (component("10", yes, "a"),)),))
    second = Pillar("B", "x", "x", (Indicator("2", "x", "x", (component("10", yes, "b"),)),))
    return Group(GroupKind.DEPARTMENTS, "x", "x", (first, second), default_bands(D(20)))


def test_equal_totals_are_ranked_by_the_first_pillar_then_by_code_and_share_a_rank() -> None:
    """Three units of 10 points: the two that earned it in the first pillar come first, between
    them the one whose code sorts first; all three share rank 1; the unit with 20 leads."""
    group = two_pillar_group()
    cards = {
        "SO-YT": scorecard(group, {"b": value("1")}),
        "SO-TC": scorecard(group, {"a": value("1")}),
        "SO-CT": scorecard(group, {"a": value("1")}),
        "SO-NV": scorecard(group, {"a": value("1"), "b": value("1")}),
    }
    places = ranked(cards)
    assert [(p.unit, p.rank, p.shared_rank) for p in places] == [
        ("SO-NV", 1, 1),
        ("SO-CT", 2, 2),
        ("SO-TC", 3, 2),
        ("SO-YT", 4, 2),
    ]
    assert distribution(group.bands, cards.values()) == {"starting": 3, "forming": 0, "advanced": 1}


def test_the_change_against_last_year_in_points_and_in_share_of_the_maximum() -> None:
    """198 of 330 (60%) last year, 264 of 330 (80%) now: +66 points, +20 percentage points,
    from forming to advanced; against 50 of 100 the points are not comparable, the shares are
    (80% − 50% = +30)."""
    group = one_scale_group("330", BANDS_2023)
    before = scorecard(group, {"c": value("1980")})
    now = scorecard(group, {"c": value("2640")})
    moved = change(now, before)
    assert (moved.points, moved.share_points) == (D(66), D("20.00"))
    assert (moved.band_before, moved.band_now) == ("forming", "advanced")
    other = scorecard(one_scale_group("100", default_bands(D(100))), {"c": value("500")})
    assert change(now, other).points is None
    assert change(now, other).share_points == D("30.00")


@given(st.data())
def test_totals_are_the_sums_of_capped_components_ranks_a_permutation_bands_by_threshold(
    data: st.DataObject,
) -> None:
    """For random groups and random assessments of several units."""
    group = data.draw(dti_groups())
    units = data.draw(
        st.lists(
            st.sampled_from(["SO-CT", "SO-TC", "SO-YT", "SO-NV", "SO-TP", "SO-XD"]),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    cards = {unit: scorecard(group, data.draw(dti_values(group))) for unit in units}
    for card in cards.values():
        components = list(card.components())
        for scored, defined in zip(components, group.components(), strict=True):
            assert D(0) <= scored.points <= defined.max_points
            assert scored.points == scored.points.quantize(D("0.01"))
        assert card.total == sum((c.points for c in components), D(0))
        assert card.total <= group.max_points
        for pillar in card.pillars:
            assert pillar.points == sum((i.points for i in pillar.indicators), D(0))
        later = [b for b in group.bands if b.from_points > card.band.from_points]
        assert card.total >= card.band.from_points
        assert all(card.total < b.from_points for b in later)
    places = ranked(cards)
    assert sorted(p.rank for p in places) == list(range(1, len(units) + 1))
    assert [p.rank for p in places] == list(range(1, len(units) + 1))
    for better, worse in itertools.pairwise(places):
        assert better.card.total >= worse.card.total
        assert better.shared_rank <= worse.shared_rank
        assert (better.shared_rank == worse.shared_rank) == (better.card.total == worse.card.total)
    assert sum(distribution(group.bands, cards.values()).values()) == len(units)
