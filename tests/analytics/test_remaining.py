from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ccm.analytics.remaining import planned_remaining, remaining_by_year, remaining_work


def test_remaining_work_by_hand():
    # 10 km² baseline, 1 km² found in 2022, 6 km² released over 2021-2023
    work = remaining_work(
        baseline=10_000_000,
        additions=[(date(2022, 5, 1), 1_000_000)],
        releases={2021: 2_000_000, 2022: 1_500_000, 2023: 2_500_000},
        deadline=date(2026, 5, 1),
        as_of=date(2024, 1, 1),
    )
    assert work.remaining == 5_000_000
    assert round(work.years_to_deadline, 4) == round(851 / 365.25, 4)  # 2.3299
    assert round(work.rate_needed) == round(5_000_000 / (851 / 365.25))  # 2,146,063 m² a year
    assert work.recent_rate == 2_000_000 and work.recent_years == (2021, 2022, 2023)
    assert work.years_left_at_recent_rate == 2.5
    assert work.on_course is False  # 2.5 years of work, 2.33 years left


def test_additions_and_releases_after_the_day_are_not_counted():
    work = remaining_work(
        baseline=100,
        additions=[(date(2025, 1, 1), 50)],
        releases={2024: 10, 2025: 20},
        deadline=None,
        as_of=date(2024, 12, 31),
    )
    assert (work.additions, work.released, work.remaining) == (0, 10, 90)
    assert work.rate_needed is None and work.on_course is None


def test_without_a_baseline_nothing_is_guessed():
    work = remaining_work(
        baseline=None, additions=[], releases={2023: 5}, deadline=date(2030, 1, 1), as_of=date(2024, 1, 1)
    )
    assert work.remaining is None and work.rate_needed is None and work.years_left_at_recent_rate is None


def test_a_passed_deadline_needs_no_rate_and_years_without_reports_are_not_zero():
    work = remaining_work(
        baseline=100,
        additions=[],
        releases={2015: 10, 2019: 30},
        deadline=date(2020, 1, 1),
        as_of=date(2021, 1, 1),
        recent_window=3,
    )
    assert work.years_to_deadline == 0 and work.rate_needed is None
    assert work.recent_rate == 20  # the mean of the two reported years, not of 2015-2020 with zeros


def test_series_by_year_and_planned():
    series = remaining_by_year(
        baseline=100,
        baseline_year=2020,
        additions=[(date(2021, 3, 1), 20)],
        releases={2021: 30, 2022: 200},
        last_year=2023,
    )
    assert series == [(2020, 100), (2021, 90), (2022, 0), (2023, 0)]
    assert planned_remaining(start=90, start_year=2021, targets={2022: 40, 2023: 60}) == [
        (2021, 90),
        (2022, 50),
        (2023, 0),
    ]


@given(
    st.integers(min_value=0, max_value=10**9),
    st.dictionaries(
        st.integers(min_value=2010, max_value=2030), st.integers(min_value=0, max_value=10**8), max_size=10
    ),
)
def test_remaining_never_negative_and_never_more_than_baseline_without_additions(baseline, releases):
    work = remaining_work(
        baseline=baseline, additions=[], releases=releases, deadline=date(2031, 1, 1), as_of=date(2030, 12, 31)
    )
    assert 0 <= work.remaining <= baseline
