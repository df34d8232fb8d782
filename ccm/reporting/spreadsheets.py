"""The progress-and-plan workbook: its columns, and the template pre-filled with the State's data.
An uploaded copy is read back by the import kind in ``ccm.reporting.imports``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ccm.core.imports import Column
from ccm.core.money import CENT, MAX_AMOUNT, MAX_AMOUNT_TEXT
from ccm.core.spreadsheets import xlsx_append, xlsx_bytes
from ccm.reporting.models import ProgressReport
from ccm.states.models import State


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
        if not number.is_finite():
            raise ValueError
        if abs(number) > MAX_AMOUNT or abs(number.quantize(CENT)) > MAX_AMOUNT:
            raise ValueError(_("an amount can be at most %(max)s") % {"max": MAX_AMOUNT_TEXT})
        return number.quantize(CENT)
    except InvalidOperation:
        raise ValueError from None


def _text(value: Any) -> str:
    return str(value).strip()


# The sheets' names in the reader's language; the import finds them by their name in any language.
ABOUT_LABEL = gettext_lazy("About")
PROGRESS_LABEL = gettext_lazy("Progress")
PLAN_LABEL = gettext_lazy("Plan")

PROGRESS_COLUMNS = [
    Column("year", gettext_lazy("Year"), _whole, required=True, expects=gettext_lazy("a year")),
    Column("cancelled_m2", gettext_lazy("Cancelled (m²)"), _whole, expects=gettext_lazy("a whole number")),
    Column("reduced_m2", gettext_lazy("Reduced (m²)"), _whole, expects=gettext_lazy("a whole number")),
    Column("cleared_m2", gettext_lazy("Cleared (m²)"), _whole, expects=gettext_lazy("a whole number")),
    Column(
        "submunitions_destroyed", gettext_lazy("Submunitions destroyed"), _whole, expects=gettext_lazy("a whole number")
    ),
    Column(
        "other_remnants_destroyed",
        gettext_lazy("Other remnants destroyed"),
        _whole,
        expects=gettext_lazy("a whole number"),
    ),
    Column(
        "stockpile_munitions_destroyed",
        gettext_lazy("Stockpiled munitions destroyed"),
        _whole,
        expects=gettext_lazy("a whole number"),
    ),
    Column(
        "stockpile_submunitions_destroyed",
        gettext_lazy("Stockpiled submunitions destroyed"),
        _whole,
        expects=gettext_lazy("a whole number"),
    ),
    Column("national_resources", gettext_lazy("National resources"), _money, expects=gettext_lazy("an amount")),
    Column("national_resources_currency", gettext_lazy("Currency"), _text, expects=gettext_lazy("a currency code")),
    Column(
        "risk_education_beneficiaries",
        gettext_lazy("Risk education (people)"),
        _whole,
        expects=gettext_lazy("a whole number"),
    ),
    Column(
        "victim_assistance_beneficiaries",
        gettext_lazy("Victim assistance (people)"),
        _whole,
        expects=gettext_lazy("a whole number"),
    ),
    Column("obstacles", gettext_lazy("Obstacles"), _text, expects=gettext_lazy("text")),
    Column("source", gettext_lazy("Source"), _text, expects=gettext_lazy("text")),
]
PLAN_COLUMNS = [
    Column(
        "obligation",
        gettext_lazy("Obligation"),
        _text,
        required=True,
        expects=gettext_lazy("clearance or stockpile_destruction"),
    ),
    Column("year", gettext_lazy("Year"), _whole, required=True, expects=gettext_lazy("a year")),
    Column(
        "target_output",
        gettext_lazy("Target (m² or items)"),
        _whole,
        required=True,
        expects=gettext_lazy("a whole number"),
    ),
    Column("cost", gettext_lazy("Cost"), _money, required=True, expects=gettext_lazy("an amount")),
    Column("national_funding", gettext_lazy("National funding"), _money, expects=gettext_lazy("an amount")),
    Column(
        "international_funding",
        gettext_lazy("Expected international funding"),
        _money,
        expects=gettext_lazy("an amount"),
    ),
    Column("currency", gettext_lazy("Currency"), _text, required=True, expects=gettext_lazy("a currency code")),
]


def _header_row(sheet: Worksheet, columns: list[Column]) -> None:
    xlsx_append(sheet, [c.heading for c in columns])
    for index in range(1, len(columns) + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(columns[index - 1].heading) + 2)
    sheet.freeze_panes = "A2"


def build_template(*, state: State, reports: list[ProgressReport], plans: dict[str, Any]) -> bytes:
    """The workbook, pre-filled with the reports and latest plans the requesting user may see."""
    book = Workbook()
    about = book.active
    about.title = str(ABOUT_LABEL)[:31]
    xlsx_append(about, [_("State"), state.iso3])
    xlsx_append(about, [_("Name"), state.display_name])
    xlsx_append(about, [])
    xlsx_append(
        about,
        [
            _(
                "Fill in the '%(progress)s' sheet (one row per calendar year) and the '%(plan)s' sheet (one row "
                "per obligation and year). Keep the sheet names, the column headings and cell B1."
            )
            % {"progress": PROGRESS_LABEL, "plan": PLAN_LABEL}
        ],
    )
    xlsx_append(about, [_("Areas are in square metres; amounts in the currency given on each row.")])
    about.column_dimensions["A"].width = 18
    progress = book.create_sheet(str(PROGRESS_LABEL)[:31])
    _header_row(progress, PROGRESS_COLUMNS)
    for report in reports:
        xlsx_append(progress, [report.year, *[getattr(report, c.field) for c in PROGRESS_COLUMNS[1:]]])
    plan_sheet = book.create_sheet(str(PLAN_LABEL)[:31])
    _header_row(plan_sheet, PLAN_COLUMNS)
    for kind, plan in plans.items():
        for year in plan.years.all():
            xlsx_append(
                plan_sheet,
                [
                    kind,
                    year.year,
                    year.target_output,
                    year.cost,
                    year.national_funding,
                    year.international_funding,
                    plan.currency,
                ],
            )
    return xlsx_bytes(book)
