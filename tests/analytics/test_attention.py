import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm.analytics.attention import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    AttentionScore,
    StateFacts,
    attention_gap,
    herfindahl,
    validate_weights,
)


def facts(iso3: str = "LBN", **changes: object) -> StateFacts:
    base = StateFacts(
        iso3=iso3,
        requirement=1000.0,
        received=250.0,
        donors=1,
        donor_shares=(1.0,),
        open_needs=4,
        unanswered_needs=2,
        unanswered_age_days=73.0,
        probability_on_time=0.6,
        remaining_km2=10.0,
        funding_last_years=1000.0,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def normalised(score: AttentionScore) -> dict[str, float | None]:
    return {c.name: c.normalised for c in score.components}


def test_default_weights_name_every_component_and_sum_to_one():
    assert set(DEFAULT_WEIGHTS) == set(COMPONENTS)
    assert math.isclose(sum(DEFAULT_WEIGHTS.values()), 1.0)


def test_two_states_by_hand():
    a = facts("LBN")
    b = facts(
        "IRQ",
        received=1000.0,
        donors=3,
        donor_shares=(0.5, 0.25, 0.25),
        open_needs=2,
        unanswered_needs=0,
        unanswered_age_days=0.0,
        probability_on_time=None,
        remaining_km2=5.0,
        funding_last_years=1500.0,
    )
    first, second = attention_gap([b, a])
    assert (first.iso3, first.rank, second.iso3, second.rank) == ("LBN", 1, "IRQ", 2)
    # LBN: coverage gap 1 − 250/1000 = 0.75; one donor 1/(1+1) = 0.5; HHI 1; 2 of 4 unanswered 0.5;
    # age 73/365 = 0.2; risk 1 − 0.6 = 0.4; 100 USD/km² against the median of (100, 300) = 200:
    # 1/(1 + 0.5) = 2/3.
    assert normalised(first) == pytest.approx(
        {
            "coverage_gap": 0.75,
            "donor_count": 0.5,
            "concentration": 1.0,
            "unanswered_share": 0.5,
            "unanswered_age": 0.2,
            "deadline_risk": 0.4,
            "funding_per_km2": 2 / 3,
        }
    )
    # 0.25·0.75 + 0.10·0.5 + 0.10·1 + 0.15·0.5 + 0.10·0.2 + 0.20·0.4 + 0.10·2/3 = 0.579166…
    assert first.score == pytest.approx(0.1875 + 0.05 + 0.1 + 0.075 + 0.02 + 0.08 + 0.1 * 2 / 3)
    assert first.missing == ()
    # IRQ: fully covered 0; three donors 0.25; HHI 0.25 + 0.0625 + 0.0625 = 0.375; nothing unanswered 0
    # and age 0; no forecast (missing); 300/200 = 1.5 → 1/2.5 = 0.4. Weights present sum to 0.8:
    # (0.10·0.25 + 0.10·0.375 + 0.10·0.4) / 0.8 = 0.1025 / 0.8 = 0.128125.
    assert second.missing == ("deadline_risk",)
    assert normalised(second)["deadline_risk"] is None
    assert normalised(second)["concentration"] == pytest.approx(0.375)
    assert second.score == pytest.approx(0.128125)
    raw = {c.name: c.raw for c in second.components}
    assert raw["funding_per_km2"] == 300.0 and raw["donor_count"] == 3.0


def test_a_single_state_does_not_divide_by_zero():
    [only] = attention_gap([facts(funding_last_years=0.0)])
    assert normalised(only)["funding_per_km2"] == 0.5  # nothing, and the median is nothing: at the median
    [only] = attention_gap([facts()])
    assert normalised(only)["funding_per_km2"] == 0.5 and only.rank == 1


def test_components_without_facts_are_missing():
    [score] = attention_gap(
        [
            facts(
                requirement=0.0,
                donors=0,
                donor_shares=(),
                open_needs=0,
                unanswered_needs=0,
                probability_on_time=None,
                remaining_km2=None,
            )
        ]
    )
    assert score.missing == (
        "coverage_gap",
        "concentration",
        "unanswered_share",
        "unanswered_age",
        "deadline_risk",
        "funding_per_km2",
    )
    assert score.score == 1.0  # only the donor count is left: no donor at all


def test_herfindahl_rescales_amounts_and_ignores_empty_shares():
    assert herfindahl([3.0, 1.0]) == pytest.approx(0.75**2 + 0.25**2)
    assert herfindahl([0.0, 0.0]) is None and herfindahl([]) is None


def test_ties_are_broken_by_iso3_and_ranks_are_distinct():
    ranked = attention_gap([facts("ZMB"), facts("AFG"), facts("LAO")])
    assert [(s.iso3, s.rank) for s in ranked] == [("AFG", 1), ("LAO", 2), ("ZMB", 3)]
    assert len({s.score for s in ranked}) == 1


def test_given_weights_are_the_whole_weighting():
    [score] = attention_gap([facts()], {"coverage_gap": 1.0})
    assert score.score == 0.75
    # a State with nothing for the only weighted component scores 0 and comes after one that scores 0
    ranked = attention_gap(
        [facts("AFG", probability_on_time=None), facts("ZMB", probability_on_time=1.0)], {"deadline_risk": 1.0}
    )
    assert [(s.iso3, s.score) for s in ranked] == [("ZMB", 0.0), ("AFG", 0.0)]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"coverage": 1.0}, "Unknown component(s): coverage"),
        ({"coverage_gap": -0.1, "donor_count": 1.0}, "must not be negative"),
        ({"coverage_gap": 0.0}, "At least one weight"),
        (dict.fromkeys(COMPONENTS, 0.0), "At least one weight"),
        ({"coverage_gap": float("nan")}, "must be a number"),
        ({"coverage_gap": "heavy"}, "must be a number"),
    ],
)
def test_bad_weights_are_refused_with_a_message(weights, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        attention_gap([facts()], weights)


def test_a_state_given_twice_is_refused():
    with pytest.raises(ValueError, match="only once"):
        attention_gap([facts("LBN"), facts("LBN")])


# --- properties -------------------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=1e9, allow_nan=False)
fraction = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def state_facts(draw: st.DrawFn, iso3: str) -> StateFacts:
    donors = draw(st.integers(min_value=0, max_value=12))
    open_needs = draw(st.integers(min_value=0, max_value=30))
    return StateFacts(
        iso3=iso3,
        requirement=draw(money),
        received=draw(money),
        donors=donors,
        donor_shares=tuple(draw(st.lists(fraction, min_size=donors, max_size=donors))),
        open_needs=open_needs,
        unanswered_needs=draw(st.integers(min_value=0, max_value=open_needs)),
        unanswered_age_days=draw(st.floats(min_value=0, max_value=2000)),
        probability_on_time=draw(st.none() | fraction),
        remaining_km2=draw(st.none() | st.floats(min_value=0, max_value=1e5)),
        funding_last_years=draw(money),
    )


@st.composite
def state_lists(draw: st.DrawFn) -> list[StateFacts]:
    codes = draw(st.lists(st.sampled_from(["AFG", "IRQ", "LAO", "LBN", "SOM", "TCD", "VNM"]), min_size=1, unique=True))
    return [draw(state_facts(code)) for code in codes]


weights_strategy = st.dictionaries(st.sampled_from(COMPONENTS), st.floats(min_value=0, max_value=10)).filter(
    lambda w: any(v > 0 for v in w.values())
)


@settings(max_examples=60, deadline=None)
@given(state_lists(), st.none() | weights_strategy)
def test_scores_and_components_lie_in_zero_to_one_and_ranks_run_from_one(states, weights):
    ranked = attention_gap(states, weights)
    assert [s.rank for s in ranked] == list(range(1, len(states) + 1))
    assert {s.iso3 for s in ranked} == {s.iso3 for s in states}
    for score in ranked:
        assert 0.0 <= score.score <= 1.0
        assert [c.name for c in score.components] == list(COMPONENTS)
        for component in score.components:
            assert component.normalised is None or 0.0 <= component.normalised <= 1.0
            assert (component.normalised is None) == (component.name in score.missing)
    scores = [s.score for s in ranked if any(validate_weights(weights)[c] for c in COMPONENTS if c not in s.missing)]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=60, deadline=None)
@given(state_lists(), st.data())
def test_the_gap_never_falls_as_coverage_falls_with_everything_else_fixed(states, data):
    target = data.draw(st.sampled_from(states))
    lower = data.draw(st.floats(min_value=0, max_value=1)) * target.received
    changed = [dataclasses.replace(s, received=lower) if s is target else s for s in states]
    before = {s.iso3: s for s in attention_gap(states)}
    after = {s.iso3: s for s in attention_gap(changed)}
    assert after[target.iso3].score >= before[target.iso3].score - 1e-12
    for iso3 in before.keys() - {target.iso3}:
        assert after[iso3].score == before[iso3].score
    # with the others unchanged, the State can only move up the ranking (a lower rank number)
    assert after[target.iso3].rank <= before[target.iso3].rank


@settings(max_examples=60, deadline=None)
@given(state_facts("LBN"), weights_strategy)
def test_weights_renormalise_over_the_components_present(state, weights):
    [score] = attention_gap([state], weights)
    weighted = validate_weights(weights)
    present = {c.name: c.normalised for c in score.components if c.normalised is not None}
    # only the ratios of the weights present count: scaled by the largest of them, as a reader would, so that
    # a tiny weight (5e-324) does not underflow to zero in this reference sum while the score keeps its share
    largest = max((weighted[name] for name in present), default=0.0)
    used = {name: weighted[name] / largest for name in present} if largest else dict.fromkeys(present, 0.0)
    total = sum(used.values())
    expected = sum(used[name] * value for name, value in present.items()) / total if total else 0.0
    assert score.score == pytest.approx(expected)
    # the weight of a missing component makes no difference at all, however large
    for name in score.missing:
        other = dict(weighted, **{name: weighted[name] + 5.0})
        assert attention_gap([state], other)[0].score == pytest.approx(score.score)


def test_huge_weights_give_the_same_ranking_as_their_ratios():
    from ccm.analytics import attention as a

    facts = [
        a.StateFacts(
            iso3=iso3,
            requirement=100,
            received=received,
            donors=1,
            donor_shares=(1.0,),
            open_needs=2,
            unanswered_needs=1,
            unanswered_age_days=30,
            probability_on_time=0.2,
            remaining_km2=5,
            funding_last_years=received,
        )
        for iso3, received in (("LBN", 10.0), ("TCD", 60.0))
    ]
    small = a.attention_gap(facts, dict.fromkeys(a.COMPONENTS, 1.0))
    huge = a.attention_gap(facts, dict.fromkeys(a.COMPONENTS, 1e308))
    assert [s.iso3 for s in huge] == [s.iso3 for s in small] == ["LBN", "TCD"]
    for h, s in zip(huge, small, strict=True):
        assert h.score == s.score and h.score == h.score  # the same, and not NaN


def test_a_subnormal_weight_still_counts_in_full_beside_a_larger_weight_of_a_missing_component():
    """5e-324 is the smallest positive float: as the only weight it is the whole weighting, not zero."""
    from ccm.analytics import attention as a

    facts = a.StateFacts(
        iso3="LBN",
        requirement=100,
        received=25.0,
        donors=1,
        donor_shares=(1.0,),
        open_needs=0,
        unanswered_needs=0,
        unanswered_age_days=0,
        probability_on_time=None,
        remaining_km2=None,
        funding_last_years=25.0,
    )
    [score] = a.attention_gap([facts], {"donor_count": 5e-324})
    assert score.score == pytest.approx(0.5)  # one donor → 1 ÷ (1 + 1)
    # coverage is present here (25 of 100 received): give the missing deadline risk a large weight instead
    [alone] = a.attention_gap([facts], {"donor_count": 5e-324, "deadline_risk": 6.0})
    assert alone.score == pytest.approx(0.5) and "deadline_risk" in alone.missing
