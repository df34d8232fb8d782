"""Article 7 due dates and where a report stands (ccm.treaty.reporting)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ccm.treaty.reporting import (
    ExpectedReport,
    ReportKind,
    ReportStatus,
    annual_due,
    earliest_submission,
    expected_reports,
    first_annual_year,
    initial_due,
    is_expected,
    report_status,
    yearly_rates,
)


def test_the_initial_report_is_due_180_days_after_entry_into_force():
    assert initial_due(date(2010, 8, 1)) == date(2011, 1, 28)
    assert initial_due(date(2011, 5, 1)) == date(2011, 10, 28)


def test_the_annual_report_for_a_year_is_due_30_april_of_the_next_year():
    assert annual_due(2023) == date(2024, 4, 30)


def test_a_state_bound_by_october_owes_an_annual_report_for_its_year_of_entry_into_force():
    # initial report due 28 January 2011: the 2010 update, due 30 April 2011, comes after it
    assert first_annual_year(date(2010, 8, 1)) == 2010


def test_a_state_bound_in_november_or_later_first_reports_on_the_next_year():
    # initial report due 30 April 2011 (1 November) or 30 May 2011 (1 December): no 2010 update
    assert first_annual_year(date(2010, 11, 1)) == 2011
    assert first_annual_year(date(2010, 12, 1)) == 2011


def test_expected_reports_run_from_the_initial_report_to_the_current_year():
    reports = expected_reports(entry_into_force=date(2023, 3, 1), today=date(2025, 2, 1))
    assert reports == [
        ExpectedReport(ReportKind.INITIAL, None, date(2023, 8, 28)),
        ExpectedReport(ReportKind.ANNUAL, 2023, date(2024, 4, 30)),
        ExpectedReport(ReportKind.ANNUAL, 2024, date(2025, 4, 30)),
        ExpectedReport(ReportKind.ANNUAL, 2025, date(2026, 4, 30)),
    ]


def test_nothing_is_owed_before_entry_into_force_or_without_it():
    assert expected_reports(entry_into_force=None, today=date(2025, 1, 1)) == []
    assert expected_reports(entry_into_force=date(2026, 3, 1), today=date(2025, 1, 1)) == []


def test_a_withdrawn_state_owes_nothing_due_after_its_withdrawal_took_effect():
    reports = expected_reports(
        entry_into_force=date(2011, 3, 1), today=date(2026, 6, 1), withdrawal_effective=date(2025, 3, 6)
    )
    assert reports[-1] == ExpectedReport(ReportKind.ANNUAL, 2023, date(2024, 4, 30))
    assert not is_expected("annual", 2024, entry_into_force=date(2011, 3, 1), withdrawal_effective=date(2025, 3, 6))
    assert is_expected("annual", 2023, entry_into_force=date(2011, 3, 1), withdrawal_effective=date(2025, 3, 6))


def test_an_annual_report_before_the_first_annual_year_is_not_expected():
    assert not is_expected("annual", 2010, entry_into_force=date(2010, 12, 1))
    assert not is_expected("annual", 2009, entry_into_force=date(2010, 8, 1))
    assert is_expected("initial", None, entry_into_force=date(2010, 12, 1))


def test_earliest_submission():
    assert earliest_submission("initial", entry_into_force=date(2011, 5, 1)) == date(2011, 5, 1)
    assert earliest_submission("annual", entry_into_force=date(2011, 5, 1), year=2020) == date(2021, 1, 1)


DUE = date(2024, 4, 30)


def test_submitted_on_the_due_date_is_on_time_and_the_day_after_is_one_day_late():
    assert report_status(due=DUE, today=date(2026, 1, 1), submitted_on=DUE).status is ReportStatus.ON_TIME
    late = report_status(due=DUE, today=date(2026, 1, 1), submitted_on=date(2024, 5, 1))
    assert (late.status, late.days_late) == (ReportStatus.LATE, 1)


def test_nothing_known_past_the_due_date_is_unknown_never_overdue():
    assert report_status(due=DUE, today=date(2025, 1, 1)).status is ReportStatus.UNKNOWN


def test_a_check_after_the_due_date_that_found_nothing_is_overdue():
    standing = report_status(due=DUE, today=date(2024, 6, 9), not_received_checked_on=date(2024, 5, 15))
    assert (standing.status, standing.days_overdue) == (ReportStatus.OVERDUE, 40)


def test_a_check_on_or_before_the_due_date_says_nothing_once_it_has_passed():
    assert report_status(due=DUE, today=date(2025, 1, 1), not_received_checked_on=DUE).status is ReportStatus.UNKNOWN


def test_before_the_due_date_a_report_not_submitted_is_not_yet_due():
    assert report_status(due=DUE, today=DUE).status is ReportStatus.NOT_YET_DUE
    assert (
        report_status(due=DUE, today=date(2024, 3, 1), not_received_checked_on=date(2024, 2, 1)).status
        is ReportStatus.NOT_YET_DUE
    )


def test_yearly_rates_count_unknown_apart():
    rates = yearly_rates(
        [
            (date(2024, 4, 30), ReportStatus.ON_TIME),
            (date(2024, 4, 30), ReportStatus.ON_TIME),
            (date(2024, 4, 30), ReportStatus.ON_TIME),
            (date(2024, 4, 30), ReportStatus.LATE),
            (date(2024, 4, 30), ReportStatus.UNKNOWN),
            (date(2024, 4, 30), ReportStatus.UNKNOWN),
            (date(2024, 4, 30), ReportStatus.UNKNOWN),
            (date(2024, 4, 30), ReportStatus.UNKNOWN),
            (date(2023, 4, 30), ReportStatus.UNKNOWN),
            (date(2027, 4, 30), ReportStatus.NOT_YET_DUE),
        ]
    )
    assert [r.year for r in rates] == [2024, 2023]
    year = rates[0]
    assert (year.due, year.known, year.unknown) == (8, 4, 4)
    assert year.rate == 0.75  # among the known reports, not 3/8
    assert year.known_share == 0.5
    assert rates[1].rate is None and rates[1].known_share == 0


@given(st.dates(min_value=date(2010, 8, 1), max_value=date(2040, 12, 31)), st.integers(0, 20))
def test_every_annual_report_expected_is_due_after_the_initial_report_and_covers_a_bound_year(eif, years):
    today = eif + timedelta(days=365 * years)
    reports = expected_reports(entry_into_force=eif, today=today)
    initial, annual = reports[0], reports[1:]
    assert initial.kind is ReportKind.INITIAL
    for report in annual:
        assert report.year is not None and report.year >= eif.year
        assert report.due > initial.due
    years_covered = [r.year for r in annual]
    assert years_covered == sorted(set(years_covered))
    # the first annual report is at most one year after entry into force
    assert first_annual_year(eif) in (eif.year, eif.year + 1)
