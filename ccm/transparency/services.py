"""Writes of Article 7 reporting status: record (create or change) and remove one report's record.

Every write is checked whole first, atomic, and audited. What is refused, with the reason:

- a State not bound by the Convention (no entry into force on record), or a report it does not owe (an
  annual report for a year before its first annual report, or due after its withdrawal took effect);
- a year in the future, or an initial report given a year;
- a submission dated in the future, before entry into force (initial report), or before 1 January of
  the year after the one covered (annual report);
- "not received" without the date of the check, or with a submission date; a check dated in the future;
- a record without a source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.clock import today as clock_today
from ccm.states.models import State
from ccm.transparency.models import ReportKind, SubmissionStatus, TransparencyReport
from ccm.transparency.policies import records_for_others
from ccm.treaty import reporting as rules

FIELDS = ["status", "submitted_on", "checked_on", "source", "source_url", "illustrative", "self_reported"]
MAX_SOURCE = 300


@dataclass(frozen=True)
class Recorded:
    report: TransparencyReport
    created: bool
    changed: bool


def record_problems(
    *,
    state: State,
    kind: str,
    year: int | None,
    status: str,
    submitted_on: date | None,
    checked_on: date | None,
    source: str,
    day: date,
) -> dict[str, list[str]]:
    """Every problem of one record, by field (empty when it may be written)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if kind not in ReportKind.values:
        add("kind", _("Choose the initial report or an annual report."))
        return errors
    if status not in SubmissionStatus.values:
        add("status", _("Choose submitted or not received."))
    eif = state.entry_into_force
    if eif is None:
        add(
            "state",
            _("%(s)s is not bound by the Convention: no entry into force is on record.") % {"s": state.display_name},
        )
        return errors
    if kind == ReportKind.INITIAL:
        if year is not None:
            add("year", _("The initial report covers no calendar year: leave the year empty."))
    elif year is None:
        add("year", _("Give the calendar year the annual report covers."))
    elif year > day.year:
        add("year", _("%(y)s is in the future.") % {"y": year})
    elif year < eif.year:
        add(
            "year",
            _("%(s)s was bound from %(d)s: it owes no annual report for %(y)s.")
            % {"s": state.display_name, "d": date_format(eif), "y": year},
        )
    if "year" not in errors and not rules.is_expected(
        kind, year, entry_into_force=eif, withdrawal_effective=state.withdrawal_effective
    ):
        if kind == ReportKind.ANNUAL and year is not None and year < rules.first_annual_year(eif):
            add(
                "year",
                _(
                    "The first annual report of %(s)s covers %(first)s: "
                    "its initial report covers the status at entry into force."
                )
                % {"s": state.display_name, "first": rules.first_annual_year(eif)},
            )
        else:
            add("year", _("No report is due from %(s)s after its withdrawal took effect.") % {"s": state.display_name})
    if status == SubmissionStatus.SUBMITTED:
        if submitted_on is None:
            add("submitted_on", _("Give the date the report was submitted."))
        elif submitted_on > day:
            add("submitted_on", _("The submission date is in the future."))
        elif kind == ReportKind.INITIAL and submitted_on < eif:
            add(
                "submitted_on",
                _("The initial report cannot be submitted before entry into force (%(d)s).") % {"d": date_format(eif)},
            )
        elif kind == ReportKind.ANNUAL and year is not None and submitted_on < date(year + 1, 1, 1):
            add(
                "submitted_on",
                _("The annual report for %(y)s cannot be submitted before the year is over (1 January %(n)s).")
                % {"y": year, "n": year + 1},
            )
    elif status == SubmissionStatus.NOT_RECEIVED:
        if submitted_on is not None:
            add("submitted_on", _("A report not received has no submission date."))
        if checked_on is None:
            add("checked_on", _("Give the date someone checked and found no report."))
    if checked_on is not None and checked_on > day:
        add("checked_on", _("The date of the check is in the future."))
    if not source.strip():
        add("source", _("Say where this comes from (e.g. the UN Article 7 database, consulted on a date)."))
    elif len(source) > MAX_SOURCE:
        add("source", _("At most %(n)s characters.") % {"n": MAX_SOURCE})
    return errors


@transaction.atomic
def report_record(
    *,
    state: State,
    kind: str,
    year: int | None,
    status: str,
    submitted_on: date | None = None,
    checked_on: date | None = None,
    source: str,
    source_url: str = "",
    illustrative: bool = False,
    actor: Any,
    today: date | None = None,
) -> Recorded:
    """Record what is known about one report of ``state`` (create it, or change the record on file).

    The caller checks ``policies.may_record``. A record by anyone but a coordinator is marked as reported
    by the State. Raises ``ValidationError`` (by field) and writes nothing when anything is wrong."""
    day = today or clock_today()
    source = (source or "").strip()
    source_url = (source_url or "").strip()
    errors = record_problems(
        state=state,
        kind=kind,
        year=year,
        status=status,
        submitted_on=submitted_on,
        checked_on=checked_on,
        source=source,
        day=day,
    )
    if errors:
        raise ValidationError(errors)
    lookup: dict[str, Any] = {"state": state, "kind": kind}
    if kind == ReportKind.ANNUAL:
        lookup["year"] = year
    report = TransparencyReport.objects.select_for_update().filter(**lookup).first()
    created = report is None
    if report is None:
        report = TransparencyReport(state=state, kind=kind, year=year if kind == ReportKind.ANNUAL else None)
    old = {} if created else audit.snapshot(report, FIELDS)
    report.status = status
    report.submitted_on = submitted_on if status == SubmissionStatus.SUBMITTED else None
    report.checked_on = checked_on
    report.source = source
    report.source_url = source_url
    report.illustrative = illustrative
    report.self_reported = getattr(actor, "pk", None) is not None and not records_for_others(actor)
    new = audit.snapshot(report, FIELDS)
    if not created and old == new:
        return Recorded(report, created=False, changed=False)
    report.updated_by = actor if getattr(actor, "pk", None) else None
    report.full_clean()
    report.save()
    old_values, new_values = audit.changes(old, new)
    audit.record(actor=actor, action="transparency_report.record", obj=report, old=old_values, new=new_values)
    return Recorded(report, created=created, changed=True)


@transaction.atomic
def report_delete(*, report: TransparencyReport, actor: Any) -> None:
    """Remove a record: the report is unknown again (the audit trail keeps what it said)."""
    label = str(report)
    old = audit.snapshot(report, FIELDS)
    audit.record(actor=actor, action="transparency_report.delete", obj=report, label=label, old=old)
    report.delete()
