"""Checks on progress figures and plan years, shared by the page forms and the spreadsheet import.

Each check returns problems naming the field, so the caller can point at the form field or at the
spreadsheet cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ccm.core.money import CURRENCIES, bound_problem
from ccm.core.templatetags.ccm import date_filter, number

COUNT_FIELDS = (
    "cancelled_m2",
    "reduced_m2",
    "cleared_m2",
    "submunitions_destroyed",
    "other_remnants_destroyed",
    "stockpile_munitions_destroyed",
    "stockpile_submunitions_destroyed",
    "risk_education_beneficiaries",
    "victim_assistance_beneficiaries",
)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class WorkContext:
    """What the registry already holds for the State, to check a year's figures against."""

    entry_into_force: date | None
    today: date
    clearance_total: int | None  # baseline + additions (m²); None without a clearance baseline
    released_other_years: int
    stockpile_total: int | None  # baseline + additions (items); None without a stockpile baseline
    destroyed_other_years: int


def _fmt(n: int) -> str:
    return number(n)


def check_progress(year: int, figures: Mapping[str, Any], context: WorkContext) -> list[Problem]:
    problems: list[Problem] = []
    eif = context.entry_into_force
    if eif is not None and year < eif.year:
        problems.append(
            Problem(
                "year",
                _("%(year)s is before the Convention entered into force for this State (%(eif)s).")
                % {"year": year, "eif": date_filter(eif)},
            )
        )
    if year > context.today.year:
        problems.append(Problem("year", _("%(year)s has not begun yet.") % {"year": year}))
    for name in COUNT_FIELDS:
        value = figures.get(name)
        if value is not None and value < 0:
            problems.append(Problem(name, _("A figure cannot be negative.")))
    money = figures.get("national_resources")
    currency = (figures.get("national_resources_currency") or "").upper()
    if money is not None and bound_problem(money):
        problems.append(Problem("national_resources", bound_problem(money)))
    elif money is not None and Decimal(money) < 0:
        problems.append(Problem("national_resources", _("An amount cannot be negative.")))
    if money is not None and not currency:
        problems.append(Problem("national_resources_currency", _("Give the currency of the amount (e.g. USD, EUR).")))
    if currency and currency not in CURRENCIES:
        problems.append(
            Problem("national_resources_currency", _("%(c)s is not an ISO 4217 currency code.") % {"c": currency})
        )
    released = sum(int(figures.get(f) or 0) for f in ("cancelled_m2", "reduced_m2", "cleared_m2"))
    if context.clearance_total is not None and released:
        left = context.clearance_total - context.released_other_years
        if released > left:
            problems.append(
                Problem(
                    "cleared_m2",
                    _(
                        "Land released in %(year)s (%(released)s m²) is more than what remains (%(left)s m²) after "
                        "the other years' releases. Record newly found contamination as an addition first."
                    )
                    % {"year": year, "released": _fmt(released), "left": _fmt(max(left, 0))},
                )
            )
    destroyed = int(figures.get("stockpile_submunitions_destroyed") or 0) or int(
        figures.get("stockpile_munitions_destroyed") or 0
    )
    if context.stockpile_total is not None and destroyed:
        left = context.stockpile_total - context.destroyed_other_years
        if destroyed > left:
            problems.append(
                Problem(
                    "stockpile_submunitions_destroyed",
                    _("Stockpile destroyed in %(year)s (%(destroyed)s) is more than what remains (%(left)s).")
                    % {"year": year, "destroyed": _fmt(destroyed), "left": _fmt(max(left, 0))},
                )
            )
    return problems


def check_plan_year(year: int, row: Mapping[str, Any], entry_into_force: date | None) -> list[Problem]:
    problems: list[Problem] = []
    if entry_into_force is not None and year < entry_into_force.year:
        problems.append(Problem("year", _("%(year)s is before entry into force.") % {"year": year}))
    for name in ("target_output", "cost", "national_funding", "international_funding"):
        value = row.get(name)
        if value is not None and name != "target_output" and bound_problem(value):
            problems.append(Problem(name, bound_problem(value)))
        elif value is not None and value < 0:
            problems.append(Problem(name, _("A figure cannot be negative.")))
    return problems
