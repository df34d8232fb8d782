from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm.treaty import (
    FIRST_ENTRY_INTO_FORCE,
    THIRTIETH_DEPOSIT,
    ObligationKind,
    add_years,
    entry_into_force,
    original_deadline,
)
from ccm.treaty.deadlines import add_months

deposits = st.dates(min_value=date(2008, 12, 3), max_value=date(2100, 12, 31))


def test_instruments_up_to_the_thirtieth_enter_into_force_on_1_august_2010():
    assert entry_into_force(date(2009, 3, 18)) == FIRST_ENTRY_INTO_FORCE
    assert entry_into_force(THIRTIETH_DEPOSIT) == date(2010, 8, 1)


def test_after_the_thirtieth_it_is_the_first_day_of_the_sixth_month_after_deposit():
    assert entry_into_force(THIRTIETH_DEPOSIT + timedelta(days=1)) == date(2010, 8, 1)
    assert entry_into_force(date(2010, 3, 1)) == date(2010, 9, 1)
    assert entry_into_force(date(2011, 9, 8)) == date(2012, 3, 1)  # Afghanistan
    assert entry_into_force(date(2013, 5, 14)) == date(2013, 11, 1)  # Iraq
    assert entry_into_force(date(2015, 7, 31)) == date(2016, 1, 1)  # across a year end


@given(deposits)
def test_entry_into_force_is_a_first_of_month_within_six_months_of_deposit(deposit):
    eif = entry_into_force(deposit)
    assert eif.day == 1
    if deposit > THIRTIETH_DEPOSIT:
        assert 5 * 28 < (eif - deposit).days <= 6 * 31
        assert (eif.year * 12 + eif.month) - (deposit.year * 12 + deposit.month) == 6


@given(deposits, deposits)
def test_entry_into_force_never_goes_backwards(a, b):
    first, second = sorted([a, b])
    assert entry_into_force(first) <= entry_into_force(second)


def test_original_deadlines_are_8_and_10_years_after_entry_into_force():
    eif = date(2011, 5, 1)
    assert original_deadline(ObligationKind.STOCKPILE_DESTRUCTION, eif) == date(2019, 5, 1)
    assert original_deadline("clearance", eif) == date(2021, 5, 1)  # Lebanon


def test_new_contamination_runs_ten_years_from_the_end_of_hostilities():
    assert original_deadline("clearance", date(2011, 5, 1), hostilities_ended=date(2014, 6, 30)) == date(2024, 6, 30)


def test_hostilities_before_entry_into_force_are_refused():
    with pytest.raises(ValueError, match="cannot precede"):
        original_deadline("clearance", date(2011, 5, 1), hostilities_ended=date(2010, 1, 1))


def test_only_clearance_runs_from_hostilities():
    with pytest.raises(ValueError, match="Article 4"):
        original_deadline("stockpile_destruction", date(2011, 5, 1), hostilities_ended=date(2012, 1, 1))


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        original_deadline("victim_assistance", date(2011, 5, 1))


def test_29_february_becomes_28_february_in_a_common_year():
    assert add_years(date(2012, 2, 29), 1) == date(2013, 2, 28)
    assert add_years(date(2012, 2, 29), 4) == date(2016, 2, 29)


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(date(2025, 8, 31), -6) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)


@given(st.dates(min_value=date(2010, 8, 1), max_value=date(2090, 1, 1)))
def test_clearance_deadline_is_two_years_after_stockpile_deadline(eif):
    art3 = original_deadline("stockpile_destruction", eif)
    art4 = original_deadline("clearance", eif)
    assert art3 > eif
    assert add_years(art3, 2) == art4 or (eif.month, eif.day) == (2, 29)
