"""The progress-and-plan workbook: a template pre-filled with the State's data, and the reader that
checks an uploaded copy whole (every error with its sheet, row and column) before anything is written.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ccm.reporting.models import PROGRESS_FIGURES, ProgressReport
from ccm.reporting.validation import Problem, WorkContext, check_plan_year, check_progress
from ccm.states.models import ObligationKind, State

MAX_ROWS = 500


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u202f", "").replace(" ", "")
        if text.lstrip("-").isdigit():
            return int(text)
    raise ValueError


def _money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    try:
        if isinstance(value, int | float):
            number = Decimal(str(value))
        elif isinstance(value, str):
            number = Decimal(value.strip().replace(",", ""))
        else:
            raise ValueError
        if not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise ValueError
        return number.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError from None


def _text(value: Any) -> str:
    return str(value).strip()


@dataclass(frozen=True)
class Col:
    field: str
    header: str
    parse: Callable[[Any], Any]
    kind_label: str
    required: bool = False


PROGRESS_COLUMNS = [
    Col("year", "Year", _whole, "a year", required=True),
    Col("cancelled_m2", "Cancelled (m²)", _whole, "a whole number"),
    Col("reduced_m2", "Reduced (m²)", _whole, "a whole number"),
    Col("cleared_m2", "Cleared (m²)", _whole, "a whole number"),
    Col("submunitions_destroyed", "Submunitions destroyed", _whole, "a whole number"),
    Col("other_remnants_destroyed", "Other remnants destroyed", _whole, "a whole number"),
    Col("stockpile_munitions_destroyed", "Stockpiled munitions destroyed", _whole, "a whole number"),
    Col("stockpile_submunitions_destroyed", "Stockpiled submunitions destroyed", _whole, "a whole number"),
    Col("national_resources", "National resources", _money, "an amount"),
    Col("national_resources_currency", "Currency", _text, "a currency code"),
    Col("risk_education_beneficiaries", "Risk education (people)", _whole, "a whole number"),
    Col("victim_assistance_beneficiaries", "Victim assistance (people)", _whole, "a whole number"),
    Col("obstacles", "Obstacles", _text, "text"),
    Col("source", "Source", _text, "text"),
]
PLAN_COLUMNS = [
    Col("obligation", "Obligation", _text, "clearance or stockpile_destruction", required=True),
    Col("year", "Year", _whole, "a year", required=True),
    Col("target_output", "Target (m² or items)", _whole, "a whole number", required=True),
    Col("cost", "Cost", _money, "an amount", required=True),
    Col("national_funding", "National funding", _money, "an amount"),
    Col("international_funding", "Expected international funding", _money, "an amount"),
    Col("currency", "Currency", _text, "a currency code", required=True),
]
SHEETS = {"About": None, "Progress": PROGRESS_COLUMNS, "Plan": PLAN_COLUMNS}


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int
    column: str  # letter, e.g. "D"
    header: str
    message: str

    def __str__(self) -> str:
        where = f"Sheet '{self.sheet}'"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
            if self.header:
                where += f" ({self.header})"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
            "text": str(self),
        }


def _header_row(sheet: Worksheet, columns: list[Col]) -> None:
    sheet.append([c.header for c in columns])
    for index in range(1, len(columns) + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(columns[index - 1].header) + 2)
    sheet.freeze_panes = "A2"


def build_template(*, state: State, reports: list[ProgressReport], plans: dict[str, Any]) -> bytes:
    """The workbook, pre-filled with the reports and latest plans the requesting user may see."""
    book = Workbook()
    about = book.active
    about.title = "About"
    about.append(["State", state.iso3])
    about.append(["Name", state.name])
    about.append([])
    about.append(
        [
            _(
                "Fill in the 'Progress' sheet (one row per calendar year) and the 'Plan' sheet (one row per "
                "obligation and year). Keep the sheet names, the column headings and cell B1."
            )
        ]
    )
    about.append([_("Areas are in square metres; amounts in the currency given on each row.")])
    about.column_dimensions["A"].width = 18
    progress = book.create_sheet("Progress")
    _header_row(progress, PROGRESS_COLUMNS)
    for report in reports:
        progress.append([report.year, *[getattr(report, c.field) for c in PROGRESS_COLUMNS[1:]]])
    plan_sheet = book.create_sheet("Plan")
    _header_row(plan_sheet, PLAN_COLUMNS)
    for kind, plan in plans.items():
        for year in plan.years.all():
            plan_sheet.append(
                [
                    kind,
                    year.year,
                    year.target_output,
                    year.cost,
                    year.national_funding,
                    year.international_funding,
                    plan.currency,
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class ParsedWorkbook:
    progress: list[dict[str, Any]]
    plans: dict[str, dict[str, Any]]  # obligation kind → {"currency": …, "years": [...]}
    problems: list[CellProblem]


def _rows(sheet: Worksheet, columns: list[Col], problems: list[CellProblem]) -> list[tuple[int, dict[str, Any]]]:
    name = sheet.title
    header = [
        (_text(v) if v is not None else "") for v in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    ]
    expected = [c.header for c in columns]
    if header[: len(expected)] != expected:
        for index, col in enumerate(columns):
            found = header[index] if index < len(header) else ""
            if found != col.header:
                problems.append(
                    CellProblem(
                        name,
                        1,
                        get_column_letter(index + 1),
                        col.header,
                        _("expected the heading '%(h)s', found '%(f)s'") % {"h": col.header, "f": found},
                    )
                )
        return []
    rows = []
    for row_number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if row_number > MAX_ROWS + 1:
            problems.append(CellProblem(name, row_number, "", "", _("more than %(n)s rows") % {"n": MAX_ROWS}))
            break
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        row: dict[str, Any] = {}
        ok = True
        for index, col in enumerate(columns):
            value = values[index] if index < len(values) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                row[col.field] = None
                if col.required:
                    problems.append(
                        CellProblem(
                            name, row_number, get_column_letter(index + 1), col.header, _("a value is required")
                        )
                    )
                    ok = False
                continue
            try:
                row[col.field] = col.parse(value)
            except ValueError:
                problems.append(
                    CellProblem(
                        name,
                        row_number,
                        get_column_letter(index + 1),
                        col.header,
                        _("'%(v)s' is not %(kind)s") % {"v": value, "kind": col.kind_label},
                    )
                )
                ok = False
        if ok:
            rows.append((row_number, row))
    return rows


def _cell(sheet: str, row: int, columns: list[Col], field_name: str, message: str) -> CellProblem:
    for index, col in enumerate(columns):
        if col.field == field_name:
            return CellProblem(sheet, row, get_column_letter(index + 1), col.header, message)
    return CellProblem(sheet, row, "", "", message)


def parse_workbook(file: Any, *, state: State, context_for: Callable[[set[int]], WorkContext]) -> ParsedWorkbook:
    """Read and check the whole workbook. ``context_for(years)`` gives the registry's totals leaving out
    the years the file brings (the file's own rows are counted here instead)."""
    problems: list[CellProblem] = []
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same message
        return ParsedWorkbook([], {}, [CellProblem("", 0, "", "", _("This file is not a readable XLSX workbook."))])
    missing = [name for name in SHEETS if name not in book.sheetnames]
    for name in missing:
        problems.append(
            CellProblem(
                name, 0, "", "", _("the sheet is missing (was it renamed?); keep the names About, Progress and Plan")
            )
        )
    if missing:
        return ParsedWorkbook([], {}, problems)
    code = book["About"]["B1"].value
    if _text(code or "").upper() != state.iso3:
        problems.append(
            CellProblem(
                "About",
                1,
                "B",
                "State",
                _("this workbook is for %(code)s, not %(iso3)s") % {"code": code or "?", "iso3": state.iso3},
            )
        )
    progress_rows = _rows(book["Progress"], PROGRESS_COLUMNS, problems)
    plan_rows = _rows(book["Plan"], PLAN_COLUMNS, problems)
    book.close()

    years: dict[int, int] = {}
    for row_number, row in progress_rows:
        if row["year"] in years:
            problems.append(
                _cell(
                    "Progress",
                    row_number,
                    PROGRESS_COLUMNS,
                    "year",
                    _("%(y)s appears twice (also row %(r)s)") % {"y": row["year"], "r": years[row["year"]]},
                )
            )
        years[row["year"]] = row_number
    base = context_for(set(years))
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
        context = WorkContext(
            entry_into_force=base.entry_into_force,
            today=base.today,
            clearance_total=base.clearance_total,
            released_other_years=base.released_other_years + sum(v for y, v in released.items() if y != year),
            stockpile_total=base.stockpile_total,
            destroyed_other_years=base.destroyed_other_years + sum(v for y, v in destroyed.items() if y != year),
        )
        figures = {k: row.get(k) for k in PROGRESS_FIGURES}
        problems.extend(
            _problem_cells("Progress", row_number, PROGRESS_COLUMNS, check_progress(year, figures, context))
        )

    plans: dict[str, dict[str, Any]] = {}
    kinds = {o.kind for o in state.obligations.all()}
    for row_number, row in plan_rows:
        kind = row["obligation"]
        if kind not in ObligationKind.values:
            problems.append(
                _cell(
                    "Plan",
                    row_number,
                    PLAN_COLUMNS,
                    "obligation",
                    _("'%(v)s' is not clearance or stockpile_destruction") % {"v": kind},
                )
            )
            continue
        if kind not in kinds:
            problems.append(
                _cell(
                    "Plan",
                    row_number,
                    PLAN_COLUMNS,
                    "obligation",
                    _("%(iso3)s has no %(kind)s obligation on record") % {"iso3": state.iso3, "kind": kind},
                )
            )
            continue
        plan = plans.setdefault(kind, {"currency": row["currency"].upper(), "years": [], "rows": {}})
        if row["currency"].upper() != plan["currency"]:
            problems.append(
                _cell(
                    "Plan",
                    row_number,
                    PLAN_COLUMNS,
                    "currency",
                    _("one plan uses one currency (%(c)s above)") % {"c": plan["currency"]},
                )
            )
        if row["year"] in plan["rows"]:
            problems.append(
                _cell(
                    "Plan",
                    row_number,
                    PLAN_COLUMNS,
                    "year",
                    _("%(y)s appears twice for this obligation") % {"y": row["year"]},
                )
            )
        plan["rows"][row["year"]] = row_number
        problems.extend(
            _problem_cells("Plan", row_number, PLAN_COLUMNS, check_plan_year(row["year"], row, state.entry_into_force))
        )
        plan["years"].append(
            {
                k: (str(v) if isinstance(v, Decimal) else v)
                for k, v in row.items()
                if k not in ("obligation", "currency")
            }
        )
    for plan in plans.values():
        del plan["rows"]
    progress = [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for _n, row in progress_rows]
    return ParsedWorkbook(progress, plans, problems)


def _problem_cells(sheet: str, row: int, columns: list[Col], problems: list[Problem]) -> list[CellProblem]:
    return [_cell(sheet, row, columns, p.field, p.message) for p in problems]
