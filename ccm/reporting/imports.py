"""The progress-and-plan workbook as an import kind (``ccm.core.imports``): the sheets the template
(``ccm.reporting.spreadsheets``) writes, read back and checked whole, previewed, applied at once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ccm.core import audit
from ccm.core.imports import ImportSpec, ProblemLog, Row, Sheet
from ccm.core.models import SpreadsheetImport
from ccm.core.spreadsheets import CellProblem
from ccm.reporting.models import PROGRESS_FIGURES, CompletionPlan, ProgressReport
from ccm.reporting.selectors import figures_differ
from ccm.reporting.services import (
    context_without,
    plan_rows,
    plan_save,
    progress_figures,
    progress_save,
    stored_plan_rows,
)
from ccm.reporting.spreadsheets import ABOUT_LABEL, PLAN_COLUMNS, PLAN_LABEL, PROGRESS_COLUMNS, PROGRESS_LABEL
from ccm.reporting.validation import Problem, WorkContext, check_plan_year, check_progress
from ccm.states.models import ObligationKind, State
from ccm.states.selectors import government_organisation_id


@dataclass
class WorkbookContext:
    state: State


def _cell(sheet: Sheet, row: int, field_name: str, message: str) -> CellProblem:
    for index, column in enumerate(sheet.columns):
        if column.field == field_name:
            return CellProblem(sheet.title, row, get_column_letter(index + 1), column.heading, message)
    return CellProblem(sheet.title, row, "", "", message)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()}


ABOUT = Sheet("About", (), label=ABOUT_LABEL)
PROGRESS = Sheet("Progress", tuple(PROGRESS_COLUMNS), label=PROGRESS_LABEL)
PLAN = Sheet("Plan", tuple(PLAN_COLUMNS), label=PLAN_LABEL)


class ProgressWorkbookImport(ImportSpec[WorkbookContext]):
    kind = "progress"
    field_labels = {name: ProgressReport._meta.get_field(name).verbose_name for name in PROGRESS_FIGURES}  # type: ignore[union-attr]
    key_labels = dict(ObligationKind.choices)
    formats = frozenset({"xlsx"})
    sheets = (ABOUT, PROGRESS, PLAN)
    check_action = "progress_import.check"
    apply_action = "progress_import.apply"

    def not_ready_message(self) -> str:
        return _("Only a checked workbook without errors can be applied, once.")

    def context(self, *, state: Any, organisation: Any, actor: Any) -> WorkbookContext:
        return WorkbookContext(state=state)

    def check_workbook(self, book: Any, context: WorkbookContext, problems: ProblemLog) -> None:
        code = book[ABOUT.find(book.sheetnames) or ABOUT.name]["B1"].value
        iso3 = context.state.iso3
        if str(code or "").strip().upper() != iso3:
            problems.add(
                CellProblem(
                    ABOUT.title,
                    1,
                    "B",
                    _("State"),
                    _("this workbook is for %(code)s, not %(iso3)s")
                    % {"code": code or "?", "iso3": context.state.iso3},
                )
            )

    def finish(self, rows: dict[str, list[Row]], context: WorkbookContext, problems: ProblemLog) -> dict[str, Any]:
        state = context.state
        progress_rows = [(r.number, r.values) for r in rows.get("Progress", [])]
        plan_rows = [(r.number, r.values) for r in rows.get("Plan", [])]
        years: dict[int, int] = {}
        for row_number, row in progress_rows:
            if row["year"] in years:
                problems.add(
                    _cell(
                        PROGRESS,
                        row_number,
                        "year",
                        _("%(y)s appears twice (also row %(r)s)") % {"y": row["year"], "r": years[row["year"]]},
                    )
                )
            years[row["year"]] = row_number
        base = context_without(state, set(years))
        released = {
            r["year"]: sum(int(r.get(f) or 0) for f in ("cancelled_m2", "reduced_m2", "cleared_m2"))
            for _n, r in progress_rows
        }
        destroyed = {
            r["year"]: int(r.get("stockpile_submunitions_destroyed") or 0)
            or int(r.get("stockpile_munitions_destroyed") or 0)
            for _n, r in progress_rows
        }
        for row_number, row in progress_rows:
            year = row["year"]
            work = WorkContext(
                entry_into_force=base.entry_into_force,
                today=base.today,
                clearance_total=base.clearance_total,
                released_other_years=base.released_other_years + sum(v for y, v in released.items() if y != year),
                stockpile_total=base.stockpile_total,
                destroyed_other_years=base.destroyed_other_years + sum(v for y, v in destroyed.items() if y != year),
            )
            figures = {k: row.get(k) for k in PROGRESS_FIGURES}
            problems.extend(_cells(PROGRESS, row_number, check_progress(year, figures, work)))

        plans: dict[str, dict[str, Any]] = {}
        seen: dict[str, set[int]] = {}
        kinds = {o.kind for o in state.obligations.all()}
        for row_number, row in plan_rows:
            kind = row["obligation"]
            if kind not in ObligationKind.values:
                problems.add(
                    _cell(
                        PLAN,
                        row_number,
                        "obligation",
                        _("'%(v)s' is not clearance or stockpile_destruction") % {"v": kind},
                    )
                )
                continue
            if kind not in kinds:
                problems.add(
                    _cell(
                        PLAN,
                        row_number,
                        "obligation",
                        _("%(iso3)s has no %(kind)s obligation on record")
                        % {
                            "iso3": state.iso3,
                            "kind": ObligationKind(kind).label if kind in ObligationKind.values else kind,
                        },
                    )
                )
                continue
            plan = plans.setdefault(kind, {"currency": row["currency"].upper(), "years": []})
            if row["currency"].upper() != plan["currency"]:
                problems.add(
                    _cell(
                        PLAN,
                        row_number,
                        "currency",
                        _("one plan uses one currency (%(c)s above)") % {"c": plan["currency"]},
                    )
                )
            if row["year"] in seen.setdefault(kind, set()):
                problems.add(
                    _cell(PLAN, row_number, "year", _("%(y)s appears twice for this obligation") % {"y": row["year"]})
                )
            seen[kind].add(row["year"])
            problems.extend(_cells(PLAN, row_number, check_plan_year(row["year"], row, state.entry_into_force)))
            plan["years"].append(_plain({k: v for k, v in row.items() if k not in ("obligation", "currency")}))
        return {"progress": [_plain(row) for _n, row in progress_rows], "plans": plans}

    def owner(self, payload: dict[str, Any], context: WorkbookContext) -> dict[str, Any]:
        return {"state": context.state}

    def preview(self, payload: dict[str, Any], context: WorkbookContext) -> list[dict[str, Any]]:
        state = context.state
        changes: list[dict[str, Any]] = []
        existing = {r.year: r for r in ProgressReport.objects.filter(state=state)}
        for row in payload["progress"]:
            report = existing.get(row["year"])
            new = {k: row.get(k) for k in PROGRESS_FIGURES}
            if report is None:
                fields = [[k, None, v] for k, v in new.items() if v not in (None, "", 0)]
                changes.append({"sheet": "Progress", "key": str(row["year"]), "action": "create", "fields": fields})
                continue
            old = audit.snapshot(report, PROGRESS_FIGURES)
            candidate = _plain(progress_figures(new))
            fields = [
                [k, old.get(k), candidate[k]] for k in PROGRESS_FIGURES if figures_differ(old.get(k), candidate[k])
            ]
            changes.append(
                {
                    "sheet": "Progress",
                    "key": str(row["year"]),
                    "action": "update" if fields else "unchanged",
                    "fields": fields,
                    "published": report.published_version_id is not None,  # published, maybe under correction
                }
            )
        for kind, plan in payload["plans"].items():
            latest = (
                CompletionPlan.objects.filter(obligation__state=state, obligation__kind=kind)
                .order_by("-version")
                .first()
            )
            rows = plan_rows(plan["years"])
            same = latest is not None and latest.currency == plan["currency"] and stored_plan_rows(latest) == rows
            changes.append(
                {
                    "sheet": "Plan",
                    "key": kind,
                    "action": "unchanged" if same else "new_version",
                    "fields": [[str(r[0]), None, f"{r[1]:,} · {r[2]} {plan['currency']}"] for r in rows],
                }
            )
        return changes

    def apply(self, record: SpreadsheetImport, actor: Any) -> dict[str, int]:
        state = record.state
        assert state is not None  # noqa: S101 - a progress import always belongs to a State
        counts = {"created": 0, "updated": 0, "unchanged": 0, "plan_versions": 0}
        for row in record.payload.get("progress", []):
            figures = {k: row.get(k) for k in PROGRESS_FIGURES}
            result = progress_save(state=state, year=row["year"], figures=figures, actor=actor)
            counts["created" if result.created else "updated" if result.changed else "unchanged"] += 1
        for kind, plan in record.payload.get("plans", {}).items():
            obligation = state.obligations.get(kind=kind)
            _plan, created = plan_save(
                obligation=obligation, years=plan["years"], currency=plan["currency"], actor=actor
            )
            counts["plan_versions"] += int(created)
        return counts

    def audit_organisation_id(self, record: SpreadsheetImport) -> int | None:
        return government_organisation_id(record.state) if record.state is not None else None


def _cells(sheet: Sheet, row: int, problems: list[Problem]) -> list[CellProblem]:
    return [_cell(sheet, row, p.field, p.message) for p in problems]
