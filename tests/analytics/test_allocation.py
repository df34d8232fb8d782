import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from ccm.analytics.allocation import (
    PREFERENCE,
    STAGE_TOLERANCE,
    AllocDonor,
    AllocNeed,
    Outcome,
    allocate,
    baseline,
    gini,
    scenario,
)


def need(id_, iso3, gap, urgency=1.0, pillar="clearance", modality="financial"):
    return AllocNeed(id_, iso3, pillar, modality, float(gap), float(urgency))


def amounts(outcome: Outcome) -> dict[tuple[int, int], float]:
    return {(line.donor_id, line.need_id): line.amount for line in outcome.lines}


def eligible(donor: AllocDonor, n: AllocNeed) -> bool:
    return (
        (not donor.countries or n.iso3 in donor.countries)
        and (not donor.pillars or n.pillar in donor.pillars)
        and (not donor.modalities or n.modality in donor.modalities)
    )


# hand-checked cases


def test_one_donor_raises_both_states_to_the_same_coverage_where_the_baseline_favours_its_preferred_state():
    needs = [need(1, "AAA", 300), need(2, "BBB", 100)]
    donors = [AllocDonor(7, 200, preferred=frozenset({"AAA"}))]
    result = allocate(needs, donors)
    assert result.status == "optimal" and result.eligible_pairs == 2
    assert result.coordinated is not None and result.baseline is not None
    assert amounts(result.coordinated) == pytest.approx({(7, 1): 150, (7, 2): 50})
    assert result.coordinated.coverage == pytest.approx({"AAA": 0.5, "BBB": 0.5})
    assert result.coordinated.lowest_coverage == pytest.approx(0.5)
    assert result.coordinated.gini == pytest.approx(0.0, abs=1e-6)  # stage 2 may trade 1e-7 of coverage
    assert result.coordinated.states_with_nothing == 0
    assert result.coordinated.total_placed == pytest.approx(200)
    # uncoordinated, the donor fills its preferred State first: BBB gets nothing
    assert amounts(result.baseline) == {(7, 1): 200}
    assert result.baseline.coverage == pytest.approx({"AAA": 2 / 3, "BBB": 0.0})
    assert (result.baseline.states_with_nothing, result.baseline.lowest_coverage) == (1, 0.0)
    assert result.baseline.gini == pytest.approx(0.5)  # two States, one with everything
    assert "1 fewer" in result.message


def test_amounts_of_one_hundred_thousand_to_a_billion_dollars_give_the_right_lowest_coverage():
    # one donor with 40% of the total gap and nothing else to choose: every State ends at exactly 0.4
    needs = [need(1, "AAA", 1e9), need(2, "BBB", 2.5e8), need(3, "CCC", 1e5)]
    donors = [AllocDonor(1, 0.4 * (1e9 + 2.5e8 + 1e5))]
    result = allocate(needs, donors)
    assert result.status == "optimal" and result.coordinated is not None
    assert result.coordinated.lowest_coverage == pytest.approx(0.4, abs=1e-9)
    assert result.coordinated.coverage == pytest.approx({"AAA": 0.4, "BBB": 0.4, "CCC": 0.4}, abs=1e-9)
    assert amounts(result.coordinated) == pytest.approx({(1, 1): 4e8, (1, 2): 1e8, (1, 3): 4e4})


def test_a_restricted_donor_funds_its_country_and_the_free_donor_the_other():
    needs = [need(1, "AAA", 100), need(2, "BBB", 100)]
    donors = [AllocDonor(2, 100), AllocDonor(1, 100, countries=frozenset({"AAA"}))]
    result = allocate(needs, donors)
    assert result.coordinated is not None
    assert amounts(result.coordinated) == pytest.approx({(1, 1): 100, (2, 2): 100})
    assert result.coordinated.lowest_coverage == pytest.approx(1.0)
    # the baseline lets the free donor go first and take AAA, leaving the restricted donor nothing to fund
    assert result.baseline is not None and amounts(result.baseline) == {(2, 1): 100}


def test_within_a_state_the_urgent_need_is_covered_first():
    needs = [need(1, "AAA", 100, urgency=1), need(2, "AAA", 100, urgency=3)]
    result = allocate(needs, [AllocDonor(1, 100)])
    assert result.coordinated is not None
    assert amounts(result.coordinated) == pytest.approx({(1, 2): 100})
    assert result.coordinated.weighted_coverage["AAA"] == pytest.approx(0.75)  # 3 × 100 / (3 × 100 + 1 × 100)
    assert result.coordinated.coverage["AAA"] == pytest.approx(0.5)


def test_each_donor_goes_to_its_preferred_state_when_the_proposal_is_otherwise_the_same():
    needs = [need(1, "AAA", 100), need(2, "BBB", 100)]
    donors = [AllocDonor(1, 100, preferred=frozenset({"BBB"})), AllocDonor(2, 100, preferred=frozenset({"AAA"}))]
    result = allocate(needs, donors)
    assert result.coordinated is not None
    assert amounts(result.coordinated) == pytest.approx({(1, 2): 100, (2, 1): 100})


def test_needs_in_one_class_share_the_amount_in_proportion_to_their_gaps():
    needs = [need(1, "AAA", 300), need(2, "AAA", 100), need(3, "AAA", 600, pillar="survey")]
    result = allocate(needs, [AllocDonor(1, 500)])
    assert result.coordinated is not None
    assert amounts(result.coordinated) == pytest.approx({(1, 1): 150, (1, 2): 50, (1, 3): 300})


def test_a_state_no_donor_can_reach_is_named_and_does_not_hold_the_others_down():
    needs = [need(1, "AAA", 100), need(2, "BBB", 100), need(3, "CCC", 100, pillar="survey")]
    donors = [AllocDonor(1, 100, pillars=frozenset({"clearance"}))]
    result = allocate(needs, donors)
    assert result.status == "optimal" and result.coordinated is not None
    assert result.coordinated.coverage == pytest.approx({"AAA": 0.5, "BBB": 0.5, "CCC": 0.0})
    assert result.coordinated.states_with_nothing == 1 and result.coordinated.lowest_coverage == 0.0
    assert "No donor can fund the needs of CCC" in result.message


def test_gini_by_hand():
    assert gini([0.5, 0.5, 0.5]) == 0.0
    assert gini([0.0, 0.0, 1.0]) == pytest.approx(2 / 3)
    assert gini([]) == 0.0 and gini([0.0, 0.0]) == 0.0


# nothing to allocate, or unusable input: a status and a message, never an exception


@pytest.mark.parametrize(
    ("needs", "donors", "status", "words"),
    [
        ([], [AllocDonor(1, 100)], "empty", "no open need"),
        ([need(1, "AAA", 0)], [AllocDonor(1, 100)], "empty", "no open need"),
        ([need(1, "AAA", 100)], [], "empty", "no donor has money"),
        ([need(1, "AAA", 100)], [AllocDonor(1, 0), AllocDonor(2, 0)], "empty", "no donor has money"),
        ([need(1, "AAA", 100)], [AllocDonor(1, 50, countries=frozenset({"BBB"}))], "infeasible", "No donor can fund"),
        ([need(1, "AAA", math.nan)], [AllocDonor(1, 50)], "error", "Need 1 has a gap of nan"),
        ([need(1, "AAA", -5)], [AllocDonor(1, 50)], "error", "Need 1 has a gap of -5"),
        ([need(1, "AAA", 5, urgency=0)], [AllocDonor(1, 50)], "error", "urgency must be a positive number"),
        ([need(1, "AAA", 5), need(1, "BBB", 5)], [AllocDonor(1, 50)], "error", "Need 1 appears more than once"),
        ([need(1, "AAA", 5)], [AllocDonor(1, math.inf)], "error", "Donor 1 has an envelope of inf"),
        ([need(1, "AAA", 5)], [AllocDonor(1, 5), AllocDonor(1, 6)], "error", "Donor 1 appears more than once"),
    ],
)
def test_empty_or_unusable_input_gives_a_status_and_a_plain_message(needs, donors, status, words):
    result = allocate(needs, donors)
    assert result.status == status
    assert words in result.message
    assert result.coordinated is None and result.baseline is None


# properties on random small problems

STATES, PILLARS, MODALITIES = ("AAA", "BBB", "CCC", "DDD"), ("clearance", "survey"), ("financial", "equipment")
subsets = st.frozensets(st.sampled_from(STATES), max_size=3)
needs_strategy = st.lists(
    st.builds(
        lambda iso3, pillar, modality, gap, urgency: (iso3, pillar, modality, gap, urgency),
        st.sampled_from(STATES),
        st.sampled_from(PILLARS),
        st.sampled_from(MODALITIES),
        st.sampled_from([1e3, 2.5e4, 1e5, 3e6, 1e8, 7e8]),
        st.sampled_from([1.0, 2.0, 3.0]),
    ),
    min_size=1,
    max_size=12,
).map(lambda rows: [AllocNeed(i + 1, *row) for i, row in enumerate(rows)])
donors_strategy = st.lists(
    st.builds(
        lambda envelope, countries, pillars, modalities, preferred: (
            envelope,
            countries,
            pillars,
            modalities,
            preferred,
        ),
        st.sampled_from([0.0, 5e3, 2e5, 4e6, 5e8]),
        subsets,
        st.frozensets(st.sampled_from(PILLARS), max_size=1),
        st.frozensets(st.sampled_from(MODALITIES), max_size=1),
        subsets,
    ),
    min_size=1,
    max_size=4,
).map(lambda rows: [AllocDonor(d + 1, *row) for d, row in enumerate(rows)])


def assert_within_limits(outcome: Outcome, needs: list[AllocNeed], donors: list[AllocDonor]) -> None:
    by_id = {n.id: n for n in needs}
    donor_by_id = {d.id: d for d in donors}
    given: dict[int, float] = defaultdict(float)
    placed: dict[int, float] = defaultdict(float)
    for line in outcome.lines:
        assert line.amount > 0
        assert eligible(donor_by_id[line.donor_id], by_id[line.need_id])
        given[line.donor_id] += line.amount
        placed[line.need_id] += line.amount
    for donor_id, amount in given.items():
        assert amount <= donor_by_id[donor_id].envelope * (1 + 1e-12)
    for need_id, amount in placed.items():
        assert amount <= by_id[need_id].gap * (1 + 1e-12)
    assert outcome.total_placed == pytest.approx(sum(given.values()))


@settings(max_examples=30, deadline=None)
@given(needs_strategy, donors_strategy)
def test_proposals_stay_within_envelopes_gaps_and_eligibility_and_never_leave_the_lowest_state_lower(needs, donors):
    result = allocate(needs, donors)
    assert result.status in {"optimal", "empty", "infeasible"}, result.message
    base = baseline(needs, donors)
    assert_within_limits(base, needs, donors)
    if result.status != "optimal":
        assert not base.lines
        return
    assert result.coordinated is not None
    assert_within_limits(result.coordinated, needs, donors)
    assert result.coordinated.lowest_weighted_coverage >= base.lowest_weighted_coverage - 1e-6
    assert result.coordinated.states_with_nothing <= base.states_with_nothing


@settings(max_examples=20, deadline=None)
@given(needs_strategy, donors_strategy)
def test_with_one_urgency_per_state_the_plain_lowest_coverage_never_falls_below_the_baselines(needs, donors):
    urgency = {"AAA": 1.0, "BBB": 2.0, "CCC": 1.0, "DDD": 3.0}
    needs = [AllocNeed(n.id, n.iso3, n.pillar, n.modality, n.gap, urgency[n.iso3]) for n in needs]
    result = allocate(needs, donors)
    if result.status == "optimal":
        assert result.coordinated is not None and result.baseline is not None
        assert result.coordinated.lowest_coverage >= result.baseline.lowest_coverage - 1e-6
        assert result.coordinated.coverage == pytest.approx(result.coordinated.weighted_coverage)


# the aggregated model reaches the optimum of the per-pair programme


def per_pair_optimum(needs: list[AllocNeed], donors: list[AllocDonor]) -> tuple[float, float]:
    """Both stages with one variable per eligible donor–need pair (scipy's HiGHS, in millions):
    (lowest weighted coverage among reachable States, the second stage's objective)."""
    pairs = [(d, i) for d, donor in enumerate(donors) for i, n in enumerate(needs) if eligible(donor, n) and n.gap > 0]
    states = sorted({needs[i].iso3 for _, i in pairs})
    weighted_gap = {s: sum(n.urgency * n.gap / 1e6 for n in needs if n.iso3 == s) for s in states}
    rows, cols, values = [], [], []
    for col, (d, i) in enumerate(pairs):
        rows += [d, len(donors) + i, len(donors) + len(needs) + states.index(needs[i].iso3)]
        cols += [col] * 3
        values += [1.0, 1.0, -needs[i].urgency / weighted_gap[needs[i].iso3]]
    t_col = len(pairs)
    for s in range(len(states)):
        rows.append(len(donors) + len(needs) + s)
        cols.append(t_col)
        values.append(1.0)
    matrix = coo_matrix((values, (rows, cols)), shape=(len(donors) + len(needs) + len(states), t_col + 1)).tocsr()
    limits = [d.envelope / 1e6 for d in donors] + [n.gap / 1e6 for n in needs] + [0.0] * len(states)
    first = linprog(np.r_[np.zeros(t_col), -1.0], A_ub=matrix, b_ub=limits, bounds=(0, None), method="highs")
    assert first.status == 0
    lowest = -first.fun
    bonus = PREFERENCE * min(n.urgency for n in needs)
    cost = [-(needs[i].urgency + bonus * (needs[i].iso3 in donors[d].preferred)) for d, i in pairs]
    bounds = [(0, None)] * t_col + [(max(0.0, lowest - STAGE_TOLERANCE), None)]
    second = linprog(np.r_[cost, 0.0], A_ub=matrix, b_ub=limits, bounds=bounds, method="highs")
    assert second.status == 0
    return lowest, -second.fun


def objective(outcome: Outcome, needs: list[AllocNeed], donors: list[AllocDonor]) -> float:
    by_id = {n.id: n for n in needs}
    donor_by_id = {d.id: d for d in donors}
    bonus = PREFERENCE * min(n.urgency for n in needs)
    return sum(
        line.amount
        / 1e6
        * (by_id[line.need_id].urgency + bonus * (by_id[line.need_id].iso3 in donor_by_id[line.donor_id].preferred))
        for line in outcome.lines
    )


@pytest.mark.parametrize("seed", range(12))
def test_the_aggregated_model_reaches_the_per_pair_optimum(seed):
    rng = np.random.default_rng(seed)
    needs, donors = scenario(int(rng.integers(20, 121)), n_donors=int(rng.integers(2, 9)), seed=seed)
    result = allocate(needs, donors)
    assert result.status == "optimal" and result.coordinated is not None
    lowest, value = per_pair_optimum(needs, donors)
    reachable = {n.iso3 for n in needs if any(eligible(d, n) for d in donors)}
    ours = min(result.coordinated.weighted_coverage[s] for s in reachable)
    assert ours == pytest.approx(lowest, abs=1e-6)
    assert objective(result.coordinated, needs, donors) == pytest.approx(value, rel=1e-6)
    assert_within_limits(result.coordinated, needs, donors)


# the scenario


def test_the_scenario_is_skewed_towards_a_few_states_and_about_four_fifths_of_pairs_are_eligible():
    needs, donors = scenario(600, seed=3)
    assert (needs, donors) == scenario(600, seed=3)
    assert len({n.iso3 for n in needs}) == 30 and len(donors) == 40
    pairs = sum(eligible(d, n) for d in donors for n in needs)
    assert 0.7 < pairs / (600 * 40) < 0.9
    preferred = [s for d in donors for s in d.preferred]
    top_four = sum(count for count, _ in sorted(((preferred.count(s), s) for s in set(preferred)), reverse=True)[:4])
    assert top_four / len(preferred) > 0.75
    result = allocate(needs, donors)
    assert result.status == "optimal" and "No donor can fund" not in result.message
    assert result.coordinated is not None and result.baseline is not None
    assert result.coordinated.lowest_coverage > result.baseline.lowest_coverage


@settings(max_examples=20, deadline=None)
@given(needs_strategy, donors_strategy)
def test_the_aggregated_model_reaches_the_per_pair_optimum_on_random_restrictions(needs, donors):
    result = allocate(needs, donors)
    if result.status != "optimal":
        return
    assert result.coordinated is not None
    open_donors = [d for d in donors if d.envelope > 0]
    lowest, value = per_pair_optimum(needs, open_donors)
    reachable = {n.iso3 for n in needs if any(eligible(d, n) for d in open_donors)}
    assert min(result.coordinated.weighted_coverage[s] for s in reachable) == pytest.approx(lowest, abs=1e-6)
    assert objective(result.coordinated, needs, donors) == pytest.approx(value, rel=1e-6)
