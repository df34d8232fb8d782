import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ccm.analytics.forecast import ForecastInput, forecast

STEADY = ((2022, 100.0, 0.0), (2023, 100.0, 0.0), (2024, 100.0, 0.0))


def one(item: ForecastInput, **options: int):
    return forecast([item], **{"draws": 500, **options})[0]


def steady(**changes: object) -> ForecastInput:
    item = ForecastInput(
        key="LBN-art4", kind="art4", remaining=1000.0, start_year=2025, deadline_year=2034, history=STEADY
    )
    return replace(item, **changes)


def test_a_steady_record_without_additions_gives_the_exact_year():
    # 1,000 m² at 100 m² a year: the tenth year, 2025 … 2034
    result = one(steady())
    assert (result.status, result.reason) == ("ok", "")
    assert (result.p10, result.p50, result.p90) == (2034, 2034, 2034)
    assert result.probability_on_time == 1.0 and result.beyond_horizon == 0.0
    assert result.extra_funding_for_80 == 0.0
    late = one(steady(deadline_year=2033))
    assert late.probability_on_time == 0.0
    assert late.extra_funding_for_80 is None  # no cost per unit: no amount can be given


def test_funding_caps_the_output_and_the_extra_funding_is_what_the_missing_units_cost():
    # 100,000 USD a year at 2,000 USD per unit pays for 50 units a year: 20 years, 2025 … 2044
    item = steady(cost_per_unit=2000.0, national_funding=60_000.0, international_funding=40_000.0)
    result = one(item)
    assert (result.p10, result.p50, result.p90) == (2044, 2044, 2044)
    assert result.probability_on_time == 0.0
    # 100 units a year are needed, which cost 200,000 USD: 100,000 more (to within 0.1 % of the total, rounded up)
    extra = result.extra_funding_for_80
    assert extra is not None and 100_000 <= extra <= 100_000 + 200 + 1
    funded = one(replace(item, international_funding=40_000.0 + extra))
    assert funded.probability_on_time == 1.0 and funded.p50 == 2034 and funded.extra_funding_for_80 == 0.0


def test_no_money_can_buy_more_than_the_capacity():
    # six years at most 100 m² a year cannot clear 1,000 m² by 2030, whatever the funding
    result = one(steady(deadline_year=2030, cost_per_unit=2.0, international_funding=1e9))
    assert result.probability_on_time == 0.0 and result.extra_funding_for_80 is None


def test_a_passed_deadline_is_missed_and_no_funding_helps():
    result = one(steady(deadline_year=2020))
    assert result.probability_on_time == 0.0 and result.extra_funding_for_80 is None and result.p50 == 2034


def test_nothing_remaining_was_finished_in_the_last_reported_year():
    result = one(steady(remaining=0.0, history=()))
    assert (result.status, result.p10, result.p50, result.p90) == ("ok", 2024, 2024, 2024)
    assert (result.probability_on_time, result.beyond_horizon, result.extra_funding_for_80) == (1.0, 0.0, 0.0)


def test_thin_data_gives_a_reason_and_no_numbers():
    cases = {
        "no reported year with output": steady(history=()),
        "only 2 reported years with output": steady(history=STEADY[:2] + ((2021, 0.0, 5.0),)),
        "remaining work is not known": steady(remaining=math.nan),
    }
    results = forecast(list(cases.values()), draws=200)
    for (phrase, _), result in zip(cases.items(), results, strict=True):
        assert result.status == "thin" and phrase in result.reason
        numbers = (result.p10, result.p50, result.p90, result.probability_on_time, result.beyond_horizon)
        assert numbers == (None,) * 5 and result.extra_funding_for_80 is None


def test_a_short_record_falls_back_on_the_plan():
    planned = tuple((year, 250.0) for year in range(2025, 2030))
    result = one(steady(history=STEADY[:1], planned=planned))
    assert result.status == "ok"
    # the plan's pace finishes in 2028 (4 × 250); the unknown share of it delivered spreads the years around that
    assert result.p10 is not None and result.p90 is not None and result.p10 <= 2028 <= result.p90
    assert result.p10 < result.p90


def test_results_keep_the_order_of_the_inputs_and_depend_only_on_the_seed():
    noisy = steady(key="a", history=((2021, 80.0, 0.0), (2022, 140.0, 30.0), (2023, 95.0, 0.0), (2024, 120.0, 0.0)))
    batch = [noisy, steady(key="thin", history=()), steady(key="c")]
    first = forecast(batch, draws=1000, seed=7)
    assert [r.key for r in first] == ["a", "thin", "c"] and first[1].status == "thin"
    assert forecast(batch, draws=1000, seed=7) == first
    other = forecast(batch, draws=1000, seed=8)[0]
    assert (other.seed, other.draws) == (8, 1000) and other.probability_on_time != first[0].probability_on_time


def test_the_horizon_bounds_the_years():
    result = one(steady(remaining=10_000.0), horizon=40)  # 100 years of work
    assert result.beyond_horizon == 1.0 and (result.p10, result.p50, result.p90) == (None, None, None)


def test_newly_found_work_delays_completion():
    found = ((2022, 100.0, 30.0), (2023, 100.0, 0.0), (2024, 100.0, 0.0))
    result = one(steady(history=found))
    assert result.p10 is not None and result.p10 >= 2034 and result.p90 is not None and result.p90 > 2034
    assert result.probability_on_time is not None and result.probability_on_time < 1.0


# property tests: forecasts move the right way

years = st.integers(min_value=0, max_value=10)
records = st.lists(
    st.tuples(
        st.just(0.0) | st.floats(min_value=1, max_value=500), st.just(0.0) | st.floats(min_value=1, max_value=300)
    ),
    min_size=3,
    max_size=10,
).filter(lambda rows: sum(output > 0 for output, _ in rows) >= 3)
cases = st.builds(
    lambda rows, remaining, deadline, cost, national, international: ForecastInput(
        key="X-art4",
        kind="art4",
        remaining=remaining,
        start_year=2025,
        deadline_year=2025 + deadline,
        history=tuple((2025 - len(rows) + i, output, added) for i, (output, added) in enumerate(rows)),
        cost_per_unit=cost,
        national_funding=national,
        international_funding=international,
    ),
    records,
    st.floats(min_value=1, max_value=5000),
    years,
    st.none() | st.floats(min_value=0.5, max_value=20),
    st.floats(min_value=0, max_value=3000),
    st.floats(min_value=0, max_value=3000),
)


def later(a: int | None, b: int | None) -> bool:
    """a is no earlier than b (None: beyond the horizon)."""
    return a is None or (b is not None and a >= b)


def runs(*items: ForecastInput):
    return forecast(list(items), draws=300, seed=11, horizon=30)


@settings(max_examples=30, deadline=None)
@given(cases, st.floats(min_value=0, max_value=5000))
def test_more_funding_never_lowers_the_chance_nor_delays_the_median(item, more):
    before, after = (runs(x)[0] for x in (item, replace(item, national_funding=item.national_funding + more)))
    assert after.probability_on_time >= before.probability_on_time
    assert later(before.p50, after.p50) and later(before.p90, after.p90)


@settings(max_examples=30, deadline=None)
@given(cases, st.floats(min_value=1, max_value=4))
def test_more_capacity_never_lowers_the_chance_nor_delays_the_median(item, factor):
    bigger = replace(item, history=tuple((y, output * factor, added) for y, output, added in item.history))
    before, after = runs(item)[0], runs(bigger)[0]
    assert after.probability_on_time >= before.probability_on_time
    assert later(before.p50, after.p50)


@settings(max_examples=30, deadline=None)
@given(cases, st.floats(min_value=1, max_value=4))
def test_more_newly_found_work_never_raises_the_chance(item, factor):
    more = replace(item, history=tuple((y, output, added * factor) for y, output, added in item.history))
    before, after = runs(item)[0], runs(more)[0]
    assert after.probability_on_time <= before.probability_on_time
    assert later(after.p50, before.p50)


@settings(max_examples=30, deadline=None)
@given(cases)
def test_the_extra_funding_reaches_eighty_percent_and_the_figures_are_consistent(item):
    result = runs(item)[0]
    assert result.status == "ok"
    assert result.p10 is None or result.p50 is None or result.p10 <= result.p50
    assert result.p50 is None or result.p90 is None or result.p50 <= result.p90
    assert 0 <= result.probability_on_time <= 1 and 0 <= result.beyond_horizon <= 1
    extra = result.extra_funding_for_80
    if item.cost_per_unit is None:
        assert extra is None or (extra == 0.0 and result.probability_on_time >= 0.8)
    if extra is not None and extra > 0:
        assert result.probability_on_time < 0.8
        funded = runs(replace(item, international_funding=item.international_funding + extra))[0]
        assert funded.probability_on_time >= 0.8
        # and it is the least such amount, to within 0.1 % of the total funding (and the dollar it is rounded up by)
        total = (item.national_funding + item.international_funding + extra - 1.01) * (1 - 1.001e-3)
        short = runs(replace(item, national_funding=0.0, international_funding=total))[0]
        assert short.probability_on_time < 0.8
