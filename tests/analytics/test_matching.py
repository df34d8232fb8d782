import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm.analytics.matching import MatchDonor, MatchNeed, donors_for_need, fits, needs_for_donor, score
from ccm.analytics.needs import DonorFacts, NeedFacts, matches


def need(**changes: object) -> MatchNeed:
    base = MatchNeed(
        id=1, iso3="LBN", pillar="clearance", modality="financial", gap=100_000.0, created_days_ago=30, urgency=1.0
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def donor(**changes: object) -> MatchDonor:
    base = MatchDonor(
        id=1,
        name="Norway",
        countries=frozenset(),
        pillars=frozenset(),
        modalities=frozenset(),
        envelope_left=None,
        funded_states={},
        response_rate=None,
        cycle_month=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def points(match) -> dict[str, float]:
    return {r.factor: r.points for r in match.reasons}


def test_one_pair_by_hand():
    d = donor(
        countries=frozenset({"LBN"}),
        pillars=frozenset({"clearance"}),
        envelope_left=40_000.0,
        funded_states={"LBN": 50_000.0, "IRQ": 1e6},
        response_rate=0.5,
        cycle_month=3,
    )
    match = score(need(), d, month=1)
    # country named 25, pillar named 20, any modality 6; history 7.5 + 7.5·(50,000/100,000) = 11.25;
    # envelope 15·(40,000/100,000) = 6; cycle opens in 2 months: 5·10/12 = 4.1667; answered half: 5.
    assert points(match) == pytest.approx(
        {
            "country": 25,
            "pillar": 20,
            "modality": 6,
            "history": 11.25,
            "envelope": 6,
            "timing": 50 / 12,
            "response": 5,
        }
    )
    assert match.score == pytest.approx(77.4167, abs=1e-4)
    texts = [r.text for r in match.reasons]
    assert texts[:3] == ["Lists LBN among its priority countries", "Funds clearance", "Open to any modality"]
    assert texts[3] == "Has funded LBN before (USD 50,000)"
    assert texts[4] == "Envelope left (USD 40,000) covers 40% of the gap"
    assert texts[5] == "Its funding cycle opens in 2 month(s)"
    assert texts[6] == "Answered 50% of the needs that matched it"


def test_unknowns_count_as_half_and_a_need_outside_a_list_costs_100():
    match = score(need(), donor(modalities=frozenset({"equipment"})), month=6)
    # any country 15, any pillar 12, modality outside −100, no history 0, unknown envelope 7.5,
    # unknown cycle 2.5, no response record 5
    assert points(match) == {
        "country": 15,
        "pillar": 12,
        "modality": -100,
        "history": 0,
        "envelope": 7.5,
        "timing": 2.5,
        "response": 5,
    }
    assert match.score == -58
    assert "Does not offer the modality asked for (financial)" in [r.text for r in match.reasons]


def test_a_gap_below_the_smallest_grant_costs_100():
    match = score(need(gap=50_000.0), donor(grant_min=100_000.0), month=1)
    grant = match.reasons[3]  # after the three fit factors
    assert grant.factor == "grant_size" and grant.points == -100
    assert grant.text == "The gap (USD 50,000) is below its smallest grant (USD 100,000)"
    assert match.score == 15 + 12 + 6 + 7.5 + 2.5 + 5 - 100
    assert not fits(need(gap=50_000.0), donor(grant_min=100_000.0))
    assert fits(need(gap=100_000.0), donor(grant_min=100_000.0))


def test_the_cycle_that_opens_this_month_scores_full_and_the_one_that_just_opened_least():
    assert points(score(need(), donor(cycle_month=4), month=4))["timing"] == 5
    assert points(score(need(), donor(cycle_month=3), month=4))["timing"] == pytest.approx(5 / 12)
    assert points(score(need(), donor(cycle_month=1), month=12))["timing"] == pytest.approx(5 * 11 / 12)


def test_an_envelope_or_history_at_least_the_gap_scores_full_and_an_empty_envelope_nothing():
    full = score(need(), donor(envelope_left=2e6, funded_states={"LBN": 3e6}), month=1)
    assert points(full)["envelope"] == 15 and points(full)["history"] == 15
    assert "USD 2.0 million" in full.reasons[4].text
    assert points(score(need(), donor(envelope_left=0.0), month=1))["envelope"] == 0
    assert points(score(need(gap=0.0), donor(envelope_left=1.0), month=1))["envelope"] == 15
    assert score(need(), donor(envelope_left=99_600.0), month=1).reasons[4].text.endswith("covers 99% of the gap")


def test_donors_are_ranked_fitting_first_and_ties_by_id():
    fitting = donor(id=7, countries=frozenset({"LBN"}), pillars=frozenset({"clearance"}))
    open_to_all = donor(id=3)
    same_as_open = donor(id=2)
    elsewhere = donor(id=1, countries=frozenset({"IRQ"}), envelope_left=1e9, response_rate=1.0, cycle_month=1)
    ranked = donors_for_need(need(), [elsewhere, open_to_all, fitting, same_as_open], month=1)
    assert [m.donor_id for m in ranked] == [7, 2, 3, 1]
    assert ranked[-1].score < 0 <= ranked[-2].score
    assert len(donors_for_need(need(), [elsewhere, fitting], month=1, limit=1)) == 1


def test_needs_for_donor_uses_the_same_score_and_prefers_the_urgent_then_the_older():
    d = donor(countries=frozenset({"LBN", "IRQ"}), pillars=frozenset({"clearance"}))
    needs = [
        need(id=1, iso3="IRQ"),
        need(id=2, iso3="LBN", urgency=3.0),
        need(id=3, iso3="LBN", urgency=3.0, created_days_ago=90),
        need(id=4, iso3="TCD"),
        need(id=5, pillar="survey"),
    ]
    ranked = needs_for_donor(d, needs, month=5)
    # 3, 2 and 1 score 25 + 20 + 6 + 15 = 66 (the urgent first, the older of those first); 5 is outside
    # the pillars (25 − 100 + 6 + 15 = −54) and 4 outside the countries (−100 + 20 + 6 + 15 = −59)
    assert [(m.need_id, m.score) for m in ranked] == [(3, 66), (2, 66), (1, 66), (5, -54), (4, -59)]
    for m in ranked:
        assert donors_for_need(needs[m.need_id - 1], [d], month=5) == [m]


def test_the_month_must_be_a_month():
    with pytest.raises(ValueError, match="month"):
        donors_for_need(need(), [donor()], month=13)


# --- properties -------------------------------------------------------------------------------------

STATES = ["LBN", "IRQ", "LAO"]
PILLARS = ["clearance", "survey", "risk_education"]
MODALITIES = ["financial", "equipment"]


def subsets(values: list[str]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(values))


needs_strategy = st.builds(
    MatchNeed,
    id=st.integers(1, 50),
    iso3=st.sampled_from(STATES),
    pillar=st.sampled_from(PILLARS),
    modality=st.sampled_from(MODALITIES),
    gap=st.floats(0, 1e8),
    created_days_ago=st.floats(0, 1000),
    urgency=st.floats(0, 5),
)
soft = {
    "envelope_left": st.none() | st.floats(-1e3, 1e9),
    "funded_states": st.dictionaries(st.sampled_from(STATES), st.floats(0, 1e8)),
    "response_rate": st.none() | st.floats(0, 1),
    "cycle_month": st.none() | st.integers(1, 12),
    "grant_min": st.none() | st.floats(0, 1e8),
}
donors_strategy = st.builds(
    MatchDonor,
    id=st.integers(1, 50),
    name=st.just("Donor"),
    countries=subsets(STATES),
    pillars=subsets(PILLARS),
    modalities=subsets(MODALITIES),
    **soft,
)
months = st.integers(1, 12)


@settings(max_examples=100, deadline=None)
@given(needs_strategy, donors_strategy, months)
def test_the_reasons_sum_to_the_score_and_a_fitting_pair_scores_between_33_and_100(n, d, month):
    match = score(n, d, month=month)
    assert match.score == pytest.approx(sum(r.points for r in match.reasons))
    factors = ["country", "pillar", "modality", "history", "envelope", "timing", "response"]
    assert [r.factor for r in match.reasons if r.factor != "grant_size"] == factors
    assert all(r.text for r in match.reasons)
    if fits(n, d):
        assert 33 <= match.score <= 100
    else:
        assert match.score <= 0


def _facts(n: MatchNeed, d: MatchDonor) -> tuple[NeedFacts, DonorFacts]:
    # the simpler matching compares the need's amount with the smallest grant; here the amount is the gap
    grant_min = None if d.grant_min is None else Decimal(d.grant_min)
    need_facts = NeedFacts(n.id, n.iso3, "", n.pillar, n.modality, Decimal(n.gap), "USD")
    donor_facts = DonorFacts(d.id, d.countries, frozenset(), d.pillars, d.modalities, grant_min, None, "USD")
    return need_facts, donor_facts


@settings(max_examples=100, deadline=None)
@given(needs_strategy, st.lists(donors_strategy, min_size=2, max_size=6, unique_by=lambda d: d.id), months)
def test_a_donor_that_the_simpler_matching_accepts_ranks_above_every_one_it_refuses(n, donors, month):
    ranked = donors_for_need(n, donors, month=month, limit=len(donors))
    by_id = {d.id: d for d in donors}
    accepted = [matches(*_facts(n, by_id[m.donor_id])) for m in ranked]
    assert accepted == sorted(accepted, reverse=True)  # every accepted donor before every refused one
    for m, ok in zip(ranked, accepted, strict=True):
        assert fits(n, by_id[m.donor_id]) == ok


@settings(max_examples=100, deadline=None)
@given(needs_strategy, st.data(), months)
def test_a_donor_with_the_state_and_pillar_ranks_above_one_without(n, data, month):
    other_state = next(s for s in STATES if s != n.iso3)
    other_pillar = next(p for p in PILLARS if p != n.pillar)
    with_both = data.draw(
        st.builds(
            MatchDonor,
            id=st.just(1),
            name=st.just("A"),
            countries=st.just(frozenset({n.iso3})),
            pillars=st.just(frozenset({n.pillar})),
            modalities=st.just(frozenset()),
            **soft,
        )  # fmt: skip
    )
    without = data.draw(
        st.builds(
            MatchDonor,
            id=st.just(2),
            name=st.just("B"),
            countries=st.just(frozenset({other_state})),
            pillars=st.just(frozenset({other_pillar})),
            modalities=st.just(frozenset()),
            **soft,
        )  # fmt: skip
    )
    assert [m.donor_id for m in donors_for_need(n, [without, with_both], month=month)] == [1, 2]
    # and, other things equal, naming the State and pillar beats being open to any
    open_to_all = dataclasses.replace(with_both, id=0, countries=frozenset(), pillars=frozenset())
    assert score(n, with_both, month=month).score > score(n, open_to_all, month=month).score
