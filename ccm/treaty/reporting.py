"""Article 7 transparency reports: which reports a State owes, when each is due, and where each stands.

- **Initial report** (Art 7(1)): "as soon as practicable, and in any event not later than 180 days after
  the entry into force of this Convention for that State Party" — due entry into force + 180 days.
- **Annual report** (Art 7(2)): the information is updated "annually, covering the last calendar year",
  and reported "not later than 30 April of each year" — the report covering calendar year Y is due on
  30 April of Y+1.

Which annual reports a State owes (the choice made here, and why). The initial report already gives
the status at entry into force, so the first annual report is the first one whose 30 April deadline
falls *after* the initial report's deadline: a State bound on 1 August 2010 (initial report due
28 January 2011) owes an annual report for 2010, due 30 April 2011 — as the first States Parties reported
in 2011; a State bound on 1 December 2010 (initial report due 30 May 2011) owes its first annual report
for 2011, due 30 April 2012, since a 2010 update due before its initial report would ask for the same
facts twice. This keeps the year of entry into force when the State's initial report is due before
30 April of the next year (entry into force up to the end of October), and drops it otherwise; it never
asks for a year before the State was bound.

A withdrawn State owes no report due on or after the day its withdrawal took effect. Reports are listed
up to the current calendar year (the current year's report is "not yet due").

Where a report stands (``report_status``): submitted on time (on or before the due date), submitted late
(with the days late), overdue (someone checked after the due date and found none), not yet due, or
unknown (nothing on record, or only a check made before the due date). Unknown is never counted as late
or as on time: the yearly rate (``yearly_rates``) is given among the reports whose outcome is known, with
the share of due reports that are known beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

INITIAL_REPORT_DAYS = 180
ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY = 4, 30


class ReportKind(StrEnum):
    INITIAL = "initial"
    ANNUAL = "annual"


class ReportStatus(StrEnum):
    ON_TIME = "on_time"  # submitted on or before the due date
    LATE = "late"  # submitted after the due date
    OVERDUE = "overdue"  # past due, and a check after the due date found none
    UNKNOWN = "unknown"  # past due, and nothing known (or only a check before the due date)
    NOT_YET_DUE = "not_yet_due"  # the due date has not passed (whatever is on record)


def initial_due(entry_into_force: date) -> date:
    """Art 7(1): 180 days after entry into force for the State."""
    return entry_into_force + timedelta(days=INITIAL_REPORT_DAYS)


def annual_due(year: int) -> date:
    """Art 7(2): the report covering calendar year ``year`` is due on 30 April of the next year."""
    return date(year + 1, ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY)


def earliest_submission(kind: ReportKind | str, *, entry_into_force: date, year: int | None = None) -> date:
    """The first day a report can be submitted: the initial report from entry into force, the annual
    report for ``year`` once the year is over (1 January of the next year)."""
    if ReportKind(kind) is ReportKind.INITIAL:
        return entry_into_force
    if year is None:
        raise ValueError("An annual report covers a calendar year.")
    return date(year + 1, 1, 1)


def first_annual_year(entry_into_force: date) -> int:
    """The first calendar year an annual report covers: the first whose 30 April deadline falls after
    the initial report's deadline (see the module's docstring)."""
    year = entry_into_force.year
    while annual_due(year) <= initial_due(entry_into_force):
        year += 1
    return year


@dataclass(frozen=True)
class ExpectedReport:
    kind: ReportKind
    year: int | None  # the calendar year covered (annual reports only)
    due: date


def expected_reports(
    *, entry_into_force: date | None, today: date, withdrawal_effective: date | None = None
) -> list[ExpectedReport]:
    """The reports a State owes from entry into force up to ``today``'s calendar year, oldest first: the
    initial report, then one annual report per year from ``first_annual_year``. Nothing before entry into
    force (or without it); nothing due on or after the day a withdrawal took effect."""
    if entry_into_force is None or entry_into_force > today:
        return []
    reports = [ExpectedReport(ReportKind.INITIAL, None, initial_due(entry_into_force))]
    for year in range(first_annual_year(entry_into_force), today.year + 1):
        reports.append(ExpectedReport(ReportKind.ANNUAL, year, annual_due(year)))
    if withdrawal_effective is not None:
        reports = [r for r in reports if r.due < withdrawal_effective]
    return reports


def is_expected(
    kind: ReportKind | str, year: int | None, *, entry_into_force: date, withdrawal_effective: date | None = None
) -> bool:
    """Whether a State bound on ``entry_into_force`` owes this report at all (whatever the day)."""
    kind = ReportKind(kind)
    if kind is ReportKind.INITIAL:
        due = initial_due(entry_into_force)
    else:
        if year is None or year < first_annual_year(entry_into_force):
            return False
        due = annual_due(year)
    return withdrawal_effective is None or due < withdrawal_effective


@dataclass(frozen=True)
class Standing:
    status: ReportStatus
    days_late: int | None = None  # submitted late: days after the due date
    days_overdue: int | None = None  # overdue: days from the due date to ``today``


def report_status(
    *,
    due: date,
    today: date,
    submitted_on: date | None = None,
    not_received_checked_on: date | None = None,
) -> Standing:
    """Where a report stands on ``today``.

    A submission wins: on time if on or before ``due`` (the due date itself is in time), else late by
    the days after it. Without one: not yet due until ``due`` has passed; then overdue if a check made
    after the due date found no report (``not_received_checked_on``), else unknown — a check made on or
    before the due date says nothing about what arrived by it.
    """
    if submitted_on is not None:
        if submitted_on <= due:
            return Standing(ReportStatus.ON_TIME)
        return Standing(ReportStatus.LATE, days_late=(submitted_on - due).days)
    if today <= due:
        return Standing(ReportStatus.NOT_YET_DUE)
    if not_received_checked_on is not None and not_received_checked_on > due:
        return Standing(ReportStatus.OVERDUE, days_overdue=(today - due).days)
    return Standing(ReportStatus.UNKNOWN)


@dataclass(frozen=True)
class YearRate:
    """The reports due in one calendar year across States, and how many were on time.

    ``due`` counts the reports whose due date fell in ``year`` and has passed; ``known`` those whose
    outcome is known (on time, late or overdue); ``rate`` is on time / known (None when none is known);
    ``known_share`` is known / due. Unknown reports are neither late nor on time.
    """

    year: int
    due: int
    on_time: int
    late: int
    overdue: int
    unknown: int

    @property
    def known(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        return self.on_time / self.known if self.known else None

    @property
    def known_share(self) -> float | None:
        return self.known / self.due if self.due else None


def yearly_rates(reports: Iterable[tuple[date, ReportStatus]]) -> list[YearRate]:
    """On-time rates by the calendar year of the due date, from ``(due date, status)`` pairs; reports
    not yet due are left out. Newest year first."""
    counts: dict[int, dict[ReportStatus, int]] = {}
    for due, status in reports:
        if status is ReportStatus.NOT_YET_DUE:
            continue
        by_status = counts.setdefault(due.year, dict.fromkeys(ReportStatus, 0))
        by_status[status] += 1
    return [
        YearRate(
            year=year,
            due=sum(c.values()),
            on_time=c[ReportStatus.ON_TIME],
            late=c[ReportStatus.LATE],
            overdue=c[ReportStatus.OVERDUE],
            unknown=c[ReportStatus.UNKNOWN],
        )
        for year, c in sorted(counts.items(), reverse=True)
    ]
