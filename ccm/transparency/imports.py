"""Article 7 reporting status from a CSV (or XLSX) file, through the shared import pipeline: the whole file
checked first (every row, every rule of ``services.report_record``), previewed, then applied at once.

Columns (headings in any order): iso3, report (initial or annual), year (annual reports: the calendar year
covered), status (submitted or not_received), submitted_on, checked_on (YYYY-MM-DD), source, source_url.
A row identical to the record on file is unchanged, so uploading the same file twice changes nothing.
Coordinators import (the file covers every State).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.clock import today as clock_today
from ccm.core.imports import Column, ImportSpec, ProblemLog, Row, RowProblems, Sheet, apply_import, check_import
from ccm.core.models import SpreadsheetImport
from ccm.core.spreadsheets import CellProblem
from ccm.states.models import State
from ccm.transparency import services
from ccm.transparency.models import ReportKind, SubmissionStatus, TransparencyReport
from ccm.transparency.policies import IMPORT_KIND
from ccm.transparency.selectors import bound_states

COLUMNS = ("iso3", "report", "year", "status", "submitted_on", "checked_on", "source", "source_url")
REQUIRED = ("iso3", "report", "status", "source")
SHEET = "Reports"
# service field → column of the file
FIELD_COLUMN = {"state": "iso3", "kind": "report"}
COMPARED = ("status", "submitted_on", "checked_on", "source", "source_url")

TEMPLATE_ROWS = [
    COLUMNS,
    ("LBN", "initial", "", "submitted", "2011-07-28", "", "UN Article 7 database, consulted 2026-11-01", ""),
    ("LBN", "annual", "2024", "not_received", "", "2025-06-15", "UN Article 7 database, consulted 2025-06-15", ""),
]


@dataclass
class ReportsContext:
    states: dict[str, State]
    today: date
    seen: dict[tuple[str, str, int | None], int] = field(default_factory=dict)


def _date(value: Any, name: str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(_("'%(v)s' is not a date (YYYY-MM-DD)") % {"v": text[:40]}) from None


def _parse(name: str, value: Any, context: ReportsContext) -> Any:
    text = str(value).strip()
    if name == "iso3":
        code = text.upper()
        if code not in context.states:
            raise ValueError(_("'%(v)s' is not the ISO code of a State bound by the Convention") % {"v": text[:40]})
        return code
    if name == "report":
        if text.lower() not in ReportKind.values:
            raise ValueError(_("'%(v)s' is not one of: initial, annual") % {"v": text[:40]})
        return text.lower()
    if name == "status":
        if text.lower() not in SubmissionStatus.values:
            raise ValueError(_("'%(v)s' is not one of: submitted, not_received") % {"v": text[:40]})
        return text.lower()
    if name == "year":
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise ValueError(_("'%(v)s' is not a year (four digits)") % {"v": text[:40]})
        return int(text)
    if name in ("submitted_on", "checked_on"):
        return _date(value, name)
    if name == "source":
        if len(text) > services.MAX_SOURCE:
            raise ValueError(_("At most %(n)s characters.") % {"n": services.MAX_SOURCE})
        return text
    if name == "source_url":
        if len(text) > 500:
            raise ValueError(_("At most %(n)s characters.") % {"n": 500})
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValueError(_("'%(v)s' is not a web address (https://…)") % {"v": text[:40]}) from None
        return text
    return text


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


class ReportsImport(ImportSpec[ReportsContext]):
    kind = IMPORT_KIND
    formats = frozenset({"csv", "xlsx"})
    sheets = (Sheet(SHEET, tuple(Column(n, n, required=n in REQUIRED) for n in COLUMNS), headers="named", active=True),)
    check_action = "transparency_import.check"
    apply_action = "transparency_import.apply"
    field_labels = {
        "status": gettext_lazy("status"),
        "submitted_on": gettext_lazy("submitted on"),
        "checked_on": gettext_lazy("checked on"),
        "source": gettext_lazy("source"),
        "source_url": gettext_lazy("source link"),
    }
    value_labels = {"status": dict(SubmissionStatus.choices)}

    def context(self, *, state: Any, organisation: Any, actor: Any) -> ReportsContext:
        return ReportsContext(states={s.iso3: s for s in bound_states()}, today=clock_today())

    def parse_cell(self, column: Column, value: Any, context: ReportsContext) -> Any:
        return _parse(column.field, value, context)

    def check_row(self, sheet: Sheet, row: Row, context: ReportsContext, problems: RowProblems) -> None:
        if not row.ok:
            return
        v = row.values
        state = context.states[v["iso3"]]
        errors = services.record_problems(
            state=state,
            kind=v["report"],
            year=v.get("year"),
            status=v["status"],
            submitted_on=_day(v.get("submitted_on")),
            checked_on=_day(v.get("checked_on")),
            source=v.get("source") or "",
            day=context.today,
        )
        for name, messages in errors.items():
            for message in messages:
                problems.add(FIELD_COLUMN.get(name, name), message)
        key = (v["iso3"], v["report"], v.get("year"))
        if key in context.seen:
            problems.add(
                "iso3",
                _("the same report as row %(n)s: one row per State and report") % {"n": context.seen[key]},
            )
        else:
            context.seen[key] = row.number

    def finish(self, rows: dict[str, list[Row]], context: ReportsContext, problems: ProblemLog) -> dict[str, Any]:
        found = rows.get(SHEET, [])
        if not found:
            problems.add(CellProblem(SHEET, 0, "", "", _("The file has no rows.")))
        return {"rows": [{"_row": r.number, **r.values} for r in found]}

    def owner(self, payload: dict[str, Any], context: ReportsContext) -> dict[str, Any]:
        return {}

    def _on_record(self, rows: list[dict[str, Any]]) -> dict[tuple[str, str, int | None], TransparencyReport]:
        records = TransparencyReport.objects.filter(state__iso3__in={r["iso3"] for r in rows}).select_related("state")
        return {(r.state.iso3, r.kind, r.year): r for r in records}

    def preview(self, payload: dict[str, Any], context: ReportsContext) -> list[dict[str, Any]]:
        on_record = self._on_record(payload["rows"])
        changes = []
        for row in payload["rows"]:
            record = on_record.get((row["iso3"], row["report"], row.get("year")))
            new = _values(row)
            old = _record_values(record) if record is not None else {}
            fields = [[name, old.get(name), new[name]] for name in COMPARED if old.get(name) != new[name]]
            action = "create" if record is None else ("update" if fields else "unchanged")
            label = str(ReportKind(row["report"]).label)
            key = f"{row['iso3']} · {label}" + (f" {row['year']}" if row.get("year") else "")
            changes.append({"sheet": SHEET, "key": key, "action": action, "fields": fields})
        return changes

    def apply(self, record: SpreadsheetImport, actor: Any) -> dict[str, int]:
        rows = record.payload["rows"]
        states = {s.iso3: s for s in bound_states().filter(iso3__in={r["iso3"] for r in rows})}
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for row in rows:
            state = states.get(row["iso3"])
            if state is None:
                raise ValidationError(_("%(s)s is no longer bound by the Convention.") % {"s": row["iso3"]})
            try:
                done = services.report_record(
                    state=state,
                    kind=row["report"],
                    year=row.get("year"),
                    status=row["status"],
                    submitted_on=_day(row.get("submitted_on")),
                    checked_on=_day(row.get("checked_on")),
                    source=row.get("source") or "",
                    source_url=row.get("source_url") or "",
                    actor=actor,
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("Row %(n)s: %(m)s") % {"n": row.get("_row"), "m": " ".join(exc.messages)}
                ) from None
            counts["created" if done.created else "updated" if done.changed else "unchanged"] += 1
        return counts


def _values(row: dict[str, Any]) -> dict[str, Any]:
    submitted = row.get("submitted_on") if row["status"] == SubmissionStatus.SUBMITTED else None
    return {
        "status": row["status"],
        "submitted_on": submitted,
        "checked_on": row.get("checked_on"),
        "source": row.get("source") or "",
        "source_url": row.get("source_url") or "",
    }


def _record_values(record: TransparencyReport) -> dict[str, Any]:
    return {
        "status": record.status,
        "submitted_on": record.submitted_on.isoformat() if record.submitted_on else None,
        "checked_on": record.checked_on.isoformat() if record.checked_on else None,
        "source": record.source,
        "source_url": record.source_url,
    }


def reports_check(*, upload: Any, actor: Any) -> SpreadsheetImport:
    return check_import(IMPORT_KIND, upload=upload, actor=actor)


def reports_apply(*, sheet_import: SpreadsheetImport, actor: Any) -> dict[str, int]:
    return apply_import(import_id=sheet_import.pk, actor=actor)
