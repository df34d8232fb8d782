"""Reads of Article 7 reporting status, for the pages, the API, the State page and the worklist.

Every report a State owes (``ccm.treaty.reporting.expected_reports``) is one ``ReportLine``, whether or not
anything is on record about it: no record means unknown, never missing. Two queries whatever the number
of States: the States bound by the Convention, and the records (through the policy).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ccm.core import cache as aggregate_cache
from ccm.states.models import State, TreatyStatus
from ccm.transparency.models import SubmissionStatus, TransparencyReport
from ccm.transparency.policies import reports as report_policy
from ccm.treaty import reporting as rules


class ReportStanding(models.TextChoices):
    """Where a report stands (``ccm.treaty.reporting.ReportStatus``), with its label."""

    ON_TIME = rules.ReportStatus.ON_TIME.value, _("Submitted on time")
    LATE = rules.ReportStatus.LATE.value, _("Submitted late")
    OVERDUE = rules.ReportStatus.OVERDUE.value, _("Overdue")
    UNKNOWN = rules.ReportStatus.UNKNOWN.value, _("Unknown")
    NOT_YET_DUE = rules.ReportStatus.NOT_YET_DUE.value, _("Not yet due")


STATUS_LABELS: dict[str, Any] = dict(ReportStanding.choices)
KIND_LABELS: dict[str, Any] = {
    rules.ReportKind.INITIAL: _("Initial report"),
    rules.ReportKind.ANNUAL: _("Annual report"),
}


@dataclass(frozen=True)
class RecordFacts:
    """What is on record about one report: plain values (the lines are kept in the shared cache, and
    unpickling model instances cost most of the board's time at scale)."""

    pk: int
    status: str
    submitted_on: date | None
    checked_on: date | None
    source: str
    source_url: str
    illustrative: bool
    self_reported: bool

    @classmethod
    def of(cls, record: TransparencyReport | None) -> RecordFacts | None:
        if record is None:
            return None
        return cls(
            pk=record.pk,
            status=record.status,
            submitted_on=record.submitted_on,
            checked_on=record.checked_on,
            source=record.source,
            source_url=record.source_url,
            illustrative=record.illustrative,
            self_reported=record.self_reported,
        )


@dataclass(frozen=True)
class ReportLine:
    """One report a State owes, its due date, where it stands, and what is on record about it."""

    iso3: str
    state_name: str
    region: str
    kind: str
    year: int | None
    due: date
    status: str
    days_late: int | None = None
    days_overdue: int | None = None
    record: RecordFacts | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def report_label(self) -> str:
        return self.kind_label if self.year is None else f"{self.kind_label} {self.year}"

    @property
    def submitted_on(self) -> date | None:
        return self.record.submitted_on if self.record else None

    @property
    def checked_on(self) -> date | None:
        return self.record.checked_on if self.record else None

    @property
    def source(self) -> str:
        return self.record.source if self.record else ""

    @property
    def source_url(self) -> str:
        return self.record.source_url if self.record else ""

    @property
    def illustrative(self) -> bool:
        return bool(self.record and self.record.illustrative)

    @property
    def self_reported(self) -> bool:
        return bool(self.record and self.record.self_reported)

    @property
    def recorded_status(self) -> str:
        return self.record.status if self.record else ""


@dataclass(frozen=True)
class Filters:
    status: str = ""
    region: str = ""
    year: int | None = None  # the calendar year of the due date
    state: str = ""  # ISO3


def bound_states() -> Any:
    """The States bound by the Convention at some time: States Parties, and withdrawn States (for the
    reports due before their withdrawal took effect), with their entry into force."""
    return (
        State.objects.states()
        .filter(ccm_status__in=[TreatyStatus.STATE_PARTY, TreatyStatus.WITHDRAWN], entry_into_force__isnull=False)
        .only("iso3", "iso2", "name", "region", "entry_into_force", "withdrawal_effective")
        .order_by("name")
    )


def _lines_for(
    state: State, records: dict[tuple[str, int | None], TransparencyReport], today: date
) -> list[ReportLine]:
    lines = []
    for expected in rules.expected_reports(
        entry_into_force=state.entry_into_force, today=today, withdrawal_effective=state.withdrawal_effective
    ):
        record = records.get((expected.kind.value, expected.year))
        submitted = record.submitted_on if record and record.status == SubmissionStatus.SUBMITTED else None
        checked = record.checked_on if record and record.status == SubmissionStatus.NOT_RECEIVED else None
        standing = rules.report_status(
            due=expected.due, today=today, submitted_on=submitted, not_received_checked_on=checked
        )
        lines.append(
            ReportLine(
                iso3=state.iso3,
                state_name=state.display_name,
                region=state.region,
                kind=expected.kind.value,
                year=expected.year,
                due=expected.due,
                status=standing.status.value,
                days_late=standing.days_late,
                days_overdue=standing.days_overdue,
                record=RecordFacts.of(record),
            )
        )
    return lines


def _records(
    user: Any, states: Iterable[State] | None = None
) -> dict[int, dict[tuple[str, int | None], TransparencyReport]]:
    rows = report_policy.visible_to(user)
    if states is not None:
        rows = rows.filter(state__in=list(states))
    by_state: dict[int, dict[tuple[str, int | None], TransparencyReport]] = {}
    for record in rows.order_by():
        by_state.setdefault(record.state_id, {})[(record.kind, record.year)] = record
    return by_state


# Article 7 records are public (their policy shows every one to everyone): the lines are the same for every
# reader and are kept in the shared cache until a record or a State changes.
LINES_TOPICS = ("transparency", "states")


def report_lines(*, user: Any, today: date, filters: Filters | None = None) -> list[ReportLine]:
    """Every report every bound State owes up to ``today``'s year (two queries), filtered; by State, then
    oldest report first."""
    filters = filters or Filters()
    if report_policy.visible_to(user).query.where:  # a narrower policy would make the lines the reader's own
        return _report_lines(user=user, today=today, filters=filters)
    return aggregate_cache.cached(
        "transparency-lines",
        topics=LINES_TOPICS,
        parts=(today, dataclasses.astuple(filters)),
        build=lambda: _report_lines(user=user, today=today, filters=filters),
    )


def _report_lines(*, user: Any, today: date, filters: Filters) -> list[ReportLine]:
    states = bound_states()
    if filters.region:
        states = states.filter(region=filters.region)
    if filters.state:
        states = states.filter(iso3=filters.state)
    state_list = list(states)
    records = _records(user, state_list if (filters.region or filters.state) else None)
    lines: list[ReportLine] = []
    for state in state_list:
        lines.extend(_lines_for(state, records.get(state.pk, {}), today))
    if filters.status:
        lines = [line for line in lines if line.status == filters.status]
    if filters.year is not None:
        lines = [line for line in lines if line.due.year == filters.year]
    return lines


def overdue_lines(*, user: Any, today: date, region: str = "") -> list[ReportLine]:
    """The reports known not received and past due, the longest overdue first."""
    lines = report_lines(user=user, today=today, filters=Filters(status=rules.ReportStatus.OVERDUE, region=region))
    return sorted(lines, key=lambda line: (line.due, line.state_name))


def rates(*, user: Any, today: date, region: str = "", lines: list[ReportLine] | None = None) -> list[rules.YearRate]:
    """The on-time rate per calendar year of the due date across bound States (unknown counted apart).
    ``lines``: the board's lines when they are exactly those (filtered by region at most), read once."""
    if lines is None:
        lines = report_lines(user=user, today=today, filters=Filters(region=region))
    return rules.yearly_rates((line.due, rules.ReportStatus(line.status)) for line in lines)


def state_lines(*, user: Any, state: State, today: date) -> list[ReportLine]:
    """One State's reports, newest first (two queries)."""
    records = _records(user, [state])
    return list(reversed(_lines_for(state, records.get(state.pk, {}), today)))


@dataclass
class StateSummary:
    """A State's reporting status in a few numbers, for its page."""

    lines: list[ReportLine]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def latest_due(self) -> ReportLine | None:
        """The most recent report whose due date has passed."""
        return next((line for line in self.lines if line.status != rules.ReportStatus.NOT_YET_DUE), None)


def state_summary(*, user: Any, state: State, today: date) -> StateSummary | None:
    """None for a State that owes no report (not bound, or bound only from a later day)."""
    if state.entry_into_force is None or state.ccm_status not in (TreatyStatus.STATE_PARTY, TreatyStatus.WITHDRAWN):
        return None
    lines = state_lines(user=user, state=state, today=today)
    if not lines:
        return None
    counts = {status.value: 0 for status in rules.ReportStatus}
    for line in lines:
        counts[line.status] += 1
    return StateSummary(lines=lines, counts=counts)


def record_for(*, state: State, kind: str, year: int | None) -> TransparencyReport | None:
    """The record of one report, if any (reports are public: no policy narrows it)."""
    lookup = Q(state=state, kind=kind) & (Q(year=year) if year is not None else Q(year__isnull=True))
    return report_policy.visible_to(None).filter(lookup).first()


def state_for_reports(iso3: str) -> State | None:
    """A bound State by its ISO code (None when it owes no report)."""
    return bound_states().filter(iso3=iso3.upper()).first()
