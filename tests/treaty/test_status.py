from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ccm.treaty import ObligationStatus, obligation_status

DEADLINE = date(2026, 5, 1)


def test_more_than_a_year_ahead_is_on_track():
    assert obligation_status(today=date(2025, 4, 30), deadline=DEADLINE) is ObligationStatus.ON_TRACK


def test_within_twelve_months_is_due_soon():
    assert obligation_status(today=date(2025, 5, 1), deadline=DEADLINE) is ObligationStatus.DUE_SOON
    assert obligation_status(today=DEADLINE, deadline=DEADLINE) is ObligationStatus.DUE_SOON


def test_the_day_after_the_deadline_is_overdue():
    assert obligation_status(today=date(2026, 5, 2), deadline=DEADLINE) is ObligationStatus.OVERDUE


def test_an_open_request_shows_extension_pending_even_past_the_deadline():
    assert (
        obligation_status(today=date(2026, 11, 28), deadline=DEADLINE, extension_pending=True)
        is ObligationStatus.EXTENSION_PENDING
    )


def test_completion_wins_but_not_before_it_happens():
    assert (
        obligation_status(today=date(2026, 1, 1), deadline=DEADLINE, completed=True, completed_on=date(2025, 1, 1))
        is ObligationStatus.COMPLETED
    )
    assert (
        obligation_status(today=date(2024, 1, 1), deadline=DEADLINE, completed=True, completed_on=date(2025, 1, 1))
        is ObligationStatus.ON_TRACK
    )
    assert obligation_status(today=date(2030, 1, 1), deadline=DEADLINE, completed=True) is ObligationStatus.COMPLETED


def test_an_unknown_deadline_gives_unknown():
    assert obligation_status(today=date(2026, 1, 1), deadline=None) is ObligationStatus.UNKNOWN


ORDER = [ObligationStatus.ON_TRACK, ObligationStatus.DUE_SOON, ObligationStatus.OVERDUE]


@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 1, 1)),
    st.dates(min_value=date(2010, 1, 1), max_value=date(2045, 1, 1)),
    st.dates(min_value=date(2010, 1, 1), max_value=date(2045, 1, 1)),
)
def test_without_completion_or_request_status_only_worsens_with_time(deadline, a, b):
    earlier, later = sorted([a, b])
    first = obligation_status(today=earlier, deadline=deadline)
    second = obligation_status(today=later, deadline=deadline)
    assert ORDER.index(first) <= ORDER.index(second)
