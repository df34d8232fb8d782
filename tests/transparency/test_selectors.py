"""Every report owed, where it stands, and the yearly rates with unknown reports counted apart."""

from datetime import date

import pytest

from ccm.states.models import State
from ccm.transparency import selectors, services
from ccm.transparency.selectors import Filters

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)


def _submitted(state, year, on, kind="annual"):
    services.report_record(
        state=state, kind=kind, year=year, status="submitted", submitted_on=on, source="s", actor=None, today=TODAY
    )


def _not_received(state, year, checked):
    services.report_record(
        state=state,
        kind="annual",
        year=year,
        status="not_received",
        checked_on=checked,
        source="s",
        actor=None,
        today=TODAY,
    )


def test_each_report_lists_its_status_and_no_record_is_unknown(norway):
    _submitted(norway, 2023, date(2024, 4, 30))
    _submitted(norway, 2022, date(2023, 6, 1))
    _not_received(norway, 2021, date(2022, 9, 1))
    lines = {(line.kind, line.year): line for line in selectors.state_lines(user=None, state=norway, today=TODAY)}
    assert lines[("annual", 2023)].status == "on_time"
    assert (lines[("annual", 2022)].status, lines[("annual", 2022)].days_late) == ("late", 32)
    assert lines[("annual", 2021)].status == "overdue"
    assert lines[("annual", 2020)].status == "unknown" and lines[("annual", 2020)].record is None
    assert lines[("annual", 2026)].status == "not_yet_due"
    assert lines[("initial", None)].due == date(2011, 1, 28)
    assert ("annual", 2010) in lines  # bound on 1 August 2010: the 2010 update is owed


def test_the_board_filters_by_status_region_and_year(norway, lebanon):
    _submitted(norway, 2023, date(2024, 4, 1))
    _submitted(lebanon, 2023, date(2024, 8, 1))
    on_time = selectors.report_lines(user=None, today=TODAY, filters=Filters(status="on_time"))
    assert [(line.iso3, line.year) for line in on_time] == [("NOR", 2023)]
    asia_2024 = selectors.report_lines(user=None, today=TODAY, filters=Filters(region="asia", year=2024))
    assert {line.iso3 for line in asia_2024} >= {"LBN"} and "NOR" not in {line.iso3 for line in asia_2024}
    assert all(line.due.year == 2024 for line in asia_2024)


def test_withdrawn_and_unbound_states_owe_nothing_after_or_before():
    lines = selectors.report_lines(user=None, today=TODAY)
    bound = {s.iso3 for s in selectors.bound_states()}
    assert {line.iso3 for line in lines} <= bound
    signatory = State.objects.filter(entry_into_force__isnull=True).exclude(ccm_status="").first()
    if signatory is not None:
        assert signatory.iso3 not in bound


def test_the_rate_is_among_known_reports_and_unknown_is_shown(norway, lebanon):
    _submitted(norway, 2023, date(2024, 4, 1))  # on time
    _submitted(lebanon, 2023, date(2024, 5, 1))  # late
    rates = {r.year: r for r in selectors.rates(user=None, today=TODAY)}
    year = rates[2024]
    assert (year.on_time, year.late, year.known) == (1, 1, 2)
    assert year.rate == 0.5
    assert year.unknown == year.due - 2
    assert year.known_share == pytest.approx(2 / year.due)
    assert 2027 not in rates  # not yet due


def test_overdue_lists_only_reports_checked_and_not_received(norway, lebanon):
    _not_received(lebanon, 2022, date(2023, 6, 1))
    _not_received(norway, 2024, date(2025, 3, 1))  # checked before the due date: unknown
    overdue = selectors.overdue_lines(user=None, today=TODAY)
    assert [(line.iso3, line.year) for line in overdue] == [("LBN", 2022)]


def test_the_state_summary_counts_and_is_none_for_a_state_that_owes_nothing(lebanon):
    _submitted(lebanon, 2023, date(2024, 4, 1))
    summary = selectors.state_summary(user=None, state=lebanon, today=TODAY)
    assert summary is not None and summary.counts["on_time"] == 1
    assert summary.latest_due.year == 2025
    assert selectors.state_summary(user=None, state=State.objects.get(iso3="USA"), today=TODAY) is None


def test_the_board_reads_in_two_queries_whatever_the_number_of_states(norway, django_assert_max_num_queries):
    _submitted(norway, 2023, date(2024, 4, 1))
    with django_assert_max_num_queries(2):
        lines = selectors._report_lines(user=None, today=TODAY, filters=selectors.Filters())
    assert len(lines) > 1000
    selectors.report_lines(user=None, today=TODAY)
    with django_assert_max_num_queries(2):  # then from the shared cache: the versions, the lines
        assert len(selectors.report_lines(user=None, today=TODAY)) == len(lines)
