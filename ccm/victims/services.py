"""Writes for victim assistance: a State's profile, and its figures for a year (all cells at once).

Every write is atomic, validates the whole change first (nothing is written when any part is wrong)
and records its audit entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccm.core import audit, clock, money
from ccm.core.templatetags.ccm import number
from ccm.states.models import State
from ccm.states.selectors import government_organisation_id
from ccm.victims.models import (
    AgeGroup,
    Measure,
    Sex,
    VictimAssistanceProfile,
    VictimAssistanceYear,
    VictimFigure,
)
from ccm.victims.rules import FIRST_YEAR, MAX_COUNT, RELATIONS, TITLES, before_entry_into_force, cell_name

Cell = tuple[str, str, str]  # (measure, sex, age group)

PROFILE_FIELDS = (
    "has_victims",
    "declaration_source",
    "declaration_source_url",
    "focal_point_name",
    "focal_point_institution",
    "focal_point_email",
    "plan_title",
    "plan_starts_on",
    "plan_ends_on",
    "plan_budget",
    "plan_currency",
    "plan_url",
    "illustrative",
)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def profile_save(*, state: State, actor: Any, **values: Any) -> VictimAssistanceProfile:
    """Create or change the State's profile with ``values`` (names in ``PROFILE_FIELDS``)."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    profile = VictimAssistanceProfile.objects.select_for_update().filter(state=state).first()
    created = profile is None
    if profile is None:
        profile = VictimAssistanceProfile(state=state)
    before = {} if created else audit.snapshot(profile, PROFILE_FIELDS)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.plan_currency = (profile.plan_currency or "").upper()
    errors: dict[str, list[str]] = {}
    if profile.plan_starts_on and profile.plan_ends_on and profile.plan_ends_on < profile.plan_starts_on:
        errors.setdefault("plan_ends_on", []).append(_("The plan cannot end before it starts."))
    if profile.plan_budget is not None:
        if not profile.plan_currency:
            errors.setdefault("plan_currency", []).append(_("Give the currency of the budget."))
        problem = money.bound_problem(Decimal(profile.plan_budget))
        if problem:
            errors.setdefault("plan_budget", []).append(problem)
    if profile.plan_currency and not money.is_currency(profile.plan_currency):
        errors.setdefault("plan_currency", []).append(_("Not a currency code (ISO 4217), e.g. USD."))
    if errors:
        raise ValidationError(errors)
    profile.updated_by = _actor(actor)
    profile.full_clean()
    profile.save()
    after = audit.snapshot(profile, PROFILE_FIELDS)
    old, new = audit.changes(before, after) if not created else ({}, after)
    audit.record(
        actor=actor,
        action="victim_assistance_profile.create" if created else "victim_assistance_profile.update",
        obj=profile,
        old=old,
        new=new,
        organisation_id=government_organisation_id(state),
    )
    return profile


def check_cells(cells: Mapping[Cell, int | None]) -> tuple[dict[Cell, int], dict[str, list[str]]]:
    """The reported cells (empty ones dropped) and the problems, keyed by cell name or measure."""
    errors: dict[str, list[str]] = {}
    clean: dict[Cell, int] = {}
    measures, sexes, ages = set(Measure.values), set(Sex.values), set(AgeGroup.values)
    for key, value in cells.items():
        measure, sex, age = key
        if measure not in measures or sex not in sexes or age not in ages:
            errors.setdefault("cells", []).append(_("Not a cell of the table: %(cell)s") % {"cell": "-".join(key)})
            continue
        if value is None:
            continue
        name = cell_name(*key)
        if isinstance(value, bool) or not isinstance(value, int):
            errors.setdefault(name, []).append(_("Enter a whole number."))
        elif value < 0:
            errors.setdefault(name, []).append(_("A count cannot be negative."))
        elif value > MAX_COUNT:
            errors.setdefault(name, []).append(_("A count cannot exceed %(max)s.") % {"max": number(MAX_COUNT)})
        else:
            clean[key] = value
    for measure in Measure.values:
        grid = {(s, a): v for (m, s, a), v in clean.items() if m == measure}
        if not grid:
            continue
        if (Sex.ALL, AgeGroup.ALL) not in grid:
            errors.setdefault(measure, []).append(_("Enter the total before its breakdown."))
            continue
        label = TITLES[measure]
        for relation in RELATIONS:
            if relation.total not in grid:
                continue
            parts = [grid[p] for p in relation.parts if p in grid]
            if sum(parts) > grid[relation.total]:
                total_sex, total_age = relation.total
                errors.setdefault(cell_name(measure, total_sex, total_age), []).append(
                    _("%(measure)s: the breakdown adds up to %(sum)s, more than its total %(total)s.")
                    % {"measure": label, "sum": number(sum(parts)), "total": number(grid[relation.total])}
                )
    return clean, errors


@transaction.atomic
def year_save(
    *,
    state: State,
    year: int,
    source: str,
    cells: Mapping[Cell, int | None],
    actor: Any,
    source_url: str = "",
    note: str = "",
    illustrative: bool = False,
) -> VictimAssistanceYear:
    """Create or replace the State's figures for ``year``: every cell at once (a cell left out or
    empty is "not reported"). Refuses a negative count, a breakdown larger than its total, a year in
    the future; accepts a year before the Convention bound the State (``before_entry_into_force``)."""
    errors: dict[str, list[str]] = {}
    if isinstance(year, bool) or not isinstance(year, int) or year < FIRST_YEAR:
        errors["year"] = [_("Enter a year from %(first)s.") % {"first": FIRST_YEAR}]
    elif year > clock.today().year:
        errors["year"] = [_("The year %(year)s has not begun: figures are for past years.") % {"year": year}]
    source = (source or "").strip()
    if not source:
        errors["source"] = [_("Name the source of the figures (e.g. Article 7 report 2025, Form H).")]
    clean, cell_errors = check_cells(cells)
    errors.update(cell_errors)
    if errors:
        raise ValidationError(errors)
    record = VictimAssistanceYear.objects.select_for_update().filter(state=state, year=year).first()
    created = record is None
    old: dict[str, Any] = {}
    if record is None:
        record = VictimAssistanceYear(state=state, year=year, created_by=_actor(actor))
    else:
        old = {"source": record.source, "cells": _cells_snapshot(record)}
    record.source, record.source_url, record.note, record.illustrative = source, source_url, note, illustrative
    record.full_clean()
    record.save()
    if not created:
        record.figures.all().delete()
    VictimFigure.objects.bulk_create(
        VictimFigure(year=record, measure=m, sex=s, age_group=a, count=v) for (m, s, a), v in sorted(clean.items())
    )
    new = {"source": record.source, "cells": {cell_name(*k): v for k, v in sorted(clean.items())}}
    audit.record(
        actor=actor,
        action="victim_assistance_year.create" if created else "victim_assistance_year.update",
        obj=record,
        old=old,
        new=new,
        organisation_id=government_organisation_id(state),
        extra={"before_entry_into_force": before_entry_into_force(state, year)},
    )
    return record


def _cells_snapshot(record: VictimAssistanceYear) -> dict[str, int]:
    return {cell_name(f.measure, f.sex, f.age_group): f.count for f in record.figures.all()}


@transaction.atomic
def year_delete(*, record: VictimAssistanceYear, actor: Any) -> None:
    """Delete a year and its figures (the audit entry keeps what they were)."""
    old = {"year": record.year, "source": record.source, "cells": _cells_snapshot(record)}
    audit.record(
        actor=actor,
        action="victim_assistance_year.delete",
        obj=record,
        old=old,
        organisation_id=government_organisation_id(record.state),
    )
    record.delete()
