"""Writes for reporting. Each is atomic, validates the whole change first, and audits itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.clock import today
from ccm.reporting.models import (
    PROGRESS_FIGURES,
    BaselineFigure,
    CompletionPlan,
    FigureKind,
    PlanStatus,
    PlanYear,
    ProgressReport,
    ProgressReportVersion,
    ReportStatus,
)
from ccm.reporting.selectors import work_context
from ccm.reporting.validation import check_plan_year, check_progress
from ccm.states.models import Obligation, State
from ccm.states.selectors import government_organisation_id


def _raise(problems: list[Any]) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(problem.message)
        raise ValidationError(errors)


@transaction.atomic
def baseline_add(
    *,
    obligation: Obligation,
    kind: str,
    recorded_on: date,
    source: str,
    actor: Any,
    sha_m2: int | None = None,
    cha_m2: int | None = None,
    areas: int | None = None,
    munition_type: str = "",
    munitions: int | None = None,
    submunitions: int | None = None,
    source_url: str = "",
    illustrative: bool = False,
) -> BaselineFigure:
    """Record the baseline (once per obligation and munition type) or an addition found later."""
    if (
        kind == FigureKind.BASELINE
        and obligation.baseline_figures.filter(kind=FigureKind.BASELINE, munition_type=munition_type).exists()
    ):
        raise ValidationError(
            {"kind": _("This obligation has a baseline already: record newly found work as an addition.")}
        )
    figure = BaselineFigure(
        obligation=obligation,
        kind=kind,
        recorded_on=recorded_on,
        sha_m2=sha_m2,
        cha_m2=cha_m2,
        areas=areas,
        munition_type=munition_type,
        munitions=munitions,
        submunitions=submunitions,
        source=source,
        source_url=source_url,
        illustrative=illustrative,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    figure.full_clean()
    if figure.amount == 0:
        raise ValidationError(_("Give at least one figure."))
    figure.save()
    audit.record(
        actor=actor,
        action=f"baseline_figure.record_{kind}",
        obj=figure,
        new=audit.snapshot(
            figure, ["recorded_on", "sha_m2", "cha_m2", "areas", "munition_type", "munitions", "submunitions", "source"]
        ),
    )
    return figure


@dataclass(frozen=True)
class SaveResult:
    report: ProgressReport
    changed: list[str]
    created: bool


@transaction.atomic
def progress_save(
    *, state: State, year: int, figures: dict[str, Any], actor: Any, illustrative: bool = False
) -> SaveResult:
    """Create or update one year's figures. Keeps a version of every change; a change to figures that
    were already published is accepted but flagged for review."""
    figures = {k: figures.get(k) for k in PROGRESS_FIGURES if k in figures}
    for name in ("national_resources_currency",):
        if figures.get(name):
            figures[name] = str(figures[name]).upper()
    _raise(check_progress(year, figures, work_context(state=state, year=year, today=today())))
    report = ProgressReport.objects.select_for_update().filter(state=state, year=year).first()
    created = report is None
    if report is None:
        report = ProgressReport(state=state, year=year, illustrative=illustrative)
    old = audit.snapshot(report, PROGRESS_FIGURES)  # a new report holds the defaults
    for name, value in figures.items():
        if name == "national_resources" and value is not None:
            value = Decimal(str(value)).quantize(Decimal("0.01"))
        default = "" if name in ("obstacles", "source", "national_resources_currency") else 0
        if value is None and name not in (
            "national_resources",
            "risk_education_beneficiaries",
            "victim_assistance_beneficiaries",
        ):
            value = default
        setattr(report, name, value)
    new = audit.snapshot(report, PROGRESS_FIGURES)
    before, after = audit.changes(old, new)
    if not created and not after:
        return SaveResult(report, [], False)
    if report.status == ReportStatus.PUBLISHED and after:
        # changed published figures are not public until a manager publishes them again
        report.status = ReportStatus.SUBMITTED
        report.needs_review = True
        report.review_reason = _("Changes figures already published: %(changes)s") % {
            "changes": "; ".join(f"{k} {before.get(k)} → {after[k]}" for k in after)
        }
    report.updated_by = actor if getattr(actor, "pk", None) else None
    report.full_clean()
    report.save()
    _version(report, list(after), actor)
    audit.record(
        actor=actor,
        action="progress_report.create" if created else "progress_report.update",
        obj=report,
        old=before,
        new=after,
        organisation_id=government_organisation_id(state),
    )
    return SaveResult(report, list(after), created)


def _version(report: ProgressReport, changed: list[str], actor: Any) -> None:
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    ProgressReportVersion.objects.create(
        report=report,
        number=number,
        status=report.status,
        data=audit.snapshot(report, PROGRESS_FIGURES),
        changed=changed,
        author=actor if getattr(actor, "pk", None) else None,
    )


_TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.DRAFT, ReportStatus.PUBLISHED},
    ReportStatus.PUBLISHED: {ReportStatus.PUBLISHED},  # re-publishing clears a review flag
}


@transaction.atomic
def progress_set_status(*, report: ProgressReport, status: str, actor: Any) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if status not in _TRANSITIONS[ReportStatus(report.status)]:
        raise ValidationError(
            _("A %(old)s report cannot become %(new)s.")
            % {"old": report.get_status_display().lower(), "new": ReportStatus(status).label.lower()}
        )
    old = {"status": report.status, "needs_review": report.needs_review}
    report.status = status
    if status == ReportStatus.PUBLISHED:
        report.published_at = report.published_at or timezone.now()
        report.needs_review = False
        report.review_reason = ""
    report.save(update_fields=["status", "published_at", "needs_review", "review_reason", "updated_at"])
    _version(report, ["status"], actor)
    audit.record(
        actor=actor,
        action="progress_report.set_status",
        obj=report,
        old=old,
        new={"status": status, "needs_review": report.needs_review},
        organisation_id=government_organisation_id(report.state),
    )
    return report


def _plan_rows(plan: CompletionPlan) -> list[tuple[int, int, Decimal, Decimal, Decimal]]:
    return [
        (y.year, y.target_output, y.cost, y.national_funding, y.international_funding)
        for y in plan.years.order_by("year")
    ]


@transaction.atomic
def plan_save(
    *,
    obligation: Obligation,
    years: list[dict[str, Any]],
    currency: str,
    actor: Any,
    visibility: str | None = None,
    note: str = "",
    illustrative: bool = False,
) -> tuple[CompletionPlan, bool]:
    """A new draft version of the plan, unless it equals the newest version (then nothing changes, or
    only who may see it). Without ``visibility``, the newest version's is kept ("platform" at first)."""
    if not years:
        raise ValidationError(_("A plan needs at least one year."))
    years = [
        {
            "year": int(r["year"]),
            "target_output": int(r["target_output"]),
            "cost": Decimal(str(r["cost"])),
            "national_funding": Decimal(str(r.get("national_funding") or 0)),
            "international_funding": Decimal(str(r.get("international_funding") or 0)),
        }
        for r in years
    ]
    seen: set[int] = set()
    problems = []
    for row in years:
        if row["year"] in seen:
            raise ValidationError({"year": _("%(year)s appears twice.") % {"year": row["year"]}})
        seen.add(row["year"])
        problems.extend(check_plan_year(row["year"], row, obligation.state.entry_into_force))
    _raise(problems)
    rows = sorted(
        (
            int(r["year"]),
            int(r["target_output"]),
            Decimal(r["cost"]),
            Decimal(r.get("national_funding") or 0),
            Decimal(r.get("international_funding") or 0),
        )
        for r in years
    )
    latest = CompletionPlan.objects.select_for_update().filter(obligation=obligation).order_by("-version").first()
    visibility = visibility or (latest.visibility if latest else "platform")
    if latest is not None and latest.currency == currency.upper() and _plan_rows(latest) == rows:
        if latest.visibility != visibility:  # who may see it changed, nothing else: change it in place
            old = latest.visibility
            latest.visibility = visibility
            latest.full_clean()
            latest.save(update_fields=["visibility"])
            audit.record(
                actor=actor,
                action="completion_plan.change_visibility",
                obj=latest,
                old={"visibility": old},
                new={"visibility": visibility},
                organisation_id=government_organisation_id(obligation.state),
            )
            return latest, True
        return latest, False
    plan = CompletionPlan(
        obligation=obligation,
        version=(latest.version + 1) if latest else 1,
        currency=currency.upper(),
        visibility=visibility,
        note=note,
        illustrative=illustrative,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    plan.full_clean()
    plan.save()
    for year, target, cost, national, international in rows:
        item = PlanYear(
            plan=plan,
            year=year,
            target_output=target,
            cost=cost,
            national_funding=national,
            international_funding=international,
        )
        item.full_clean()
        item.save()
    audit.record(
        actor=actor,
        action="completion_plan.create_version",
        obj=plan,
        new={"version": plan.version, "years": [r[0] for r in rows], "currency": plan.currency},
        organisation_id=government_organisation_id(obligation.state),
    )
    return plan, True


@transaction.atomic
def plan_approve(*, plan: CompletionPlan, actor: Any) -> CompletionPlan:
    plan = CompletionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(_("This version is approved already."))
    plan.status = PlanStatus.APPROVED
    plan.approved_by = actor if getattr(actor, "pk", None) else None
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        action="completion_plan.approve",
        obj=plan,
        new={"version": plan.version},
        organisation_id=government_organisation_id(plan.obligation.state),
    )
    return plan


# --- Spreadsheet import: check whole → preview → apply all at once ------------------------------


def _preview(state: State, parsed: Any) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    existing = {r.year: r for r in ProgressReport.objects.filter(state=state)}
    for row in parsed.progress:
        report = existing.get(row["year"])
        new = {k: row.get(k) for k in PROGRESS_FIGURES}
        if report is None:
            fields = [[k, None, v] for k, v in new.items() if v not in (None, "", 0)]
            changes.append({"sheet": "Progress", "key": str(row["year"]), "action": "create", "fields": fields})
            continue
        old = audit.snapshot(report, PROGRESS_FIGURES)
        candidate = {k: _normalise(k, v) for k, v in new.items()}
        fields = [[k, old.get(k), candidate[k]] for k in PROGRESS_FIGURES if _differs(old.get(k), candidate[k])]
        changes.append(
            {
                "sheet": "Progress",
                "key": str(row["year"]),
                "action": "update" if fields else "unchanged",
                "fields": fields,
                "published": report.status == ReportStatus.PUBLISHED,
            }
        )
    for kind, plan in parsed.plans.items():
        latest = (
            CompletionPlan.objects.filter(obligation__state=state, obligation__kind=kind).order_by("-version").first()
        )
        rows = sorted(
            (
                int(y["year"]),
                int(y["target_output"]),
                Decimal(y["cost"]),
                Decimal(y.get("national_funding") or 0),
                Decimal(y.get("international_funding") or 0),
            )
            for y in plan["years"]
        )
        same = latest is not None and latest.currency == plan["currency"] and _plan_rows(latest) == rows
        changes.append(
            {
                "sheet": "Plan",
                "key": kind,
                "action": "unchanged" if same else "new_version",
                "fields": [[str(r[0]), None, f"{r[1]:,} · {r[2]} {plan['currency']}"] for r in rows],
            }
        )
    return changes


def _normalise(name: str, value: Any) -> Any:
    if value is None and name in ("obstacles", "source", "national_resources_currency"):
        return ""
    if value is None and name not in (
        "national_resources",
        "risk_education_beneficiaries",
        "victim_assistance_beneficiaries",
    ):
        return 0
    if name == "national_resources_currency" and value:
        return str(value).upper()
    return value


def _differs(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old != new
    try:
        return Decimal(str(old)) != Decimal(str(new))
    except ArithmeticError:
        return str(old) != str(new)


@transaction.atomic
def spreadsheet_check(*, state: State, upload: Any, actor: Any) -> Any:
    """Check an uploaded workbook whole and store the result (errors, or a preview of the changes).
    Nothing else is written."""
    from ccm.core.uploads import validate_upload
    from ccm.reporting.models import ImportStatus, SpreadsheetImport
    from ccm.reporting.spreadsheets import CellProblem, parse_workbook

    try:
        clean = validate_upload(upload, allowed={"xlsx"})
    except ValidationError as exc:
        problems = [CellProblem("", 0, "", "", " ".join(exc.messages))]
        parsed = None
    else:
        parsed = parse_workbook(
            clean.file,
            state=state,
            context_for=lambda years: _context_without(state, years),
        )
        problems = parsed.problems
    sheet_import = SpreadsheetImport.objects.create(
        state=state,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        original_name=(getattr(upload, "name", "") or "upload")[:200],
        status=ImportStatus.INVALID if problems else ImportStatus.READY,
        errors=[p.as_dict() for p in problems],
        payload={"progress": parsed.progress, "plans": parsed.plans} if parsed and not problems else {},
        changes=_preview(state, parsed) if parsed and not problems else [],
    )
    audit.record(
        actor=actor,
        action="progress_import.check",
        obj=sheet_import,
        new={"status": sheet_import.status, "errors": len(problems)},
        organisation_id=government_organisation_id(state),
    )
    return sheet_import


def _context_without(state: State, years: set[int]) -> Any:
    from ccm.reporting.validation import WorkContext

    base = work_context(state=state, year=-1, today=today())
    others = ProgressReport.objects.filter(state=state, year__in=years)
    return WorkContext(
        entry_into_force=base.entry_into_force,
        today=base.today,
        clearance_total=base.clearance_total,
        released_other_years=base.released_other_years - sum(r.land_released_m2 for r in others),
        stockpile_total=base.stockpile_total,
        destroyed_other_years=base.destroyed_other_years - sum(r.stockpile_destroyed for r in others),
    )


@transaction.atomic
def spreadsheet_apply(*, sheet_import: Any, actor: Any) -> dict[str, int]:
    """Apply a checked workbook: every row, or nothing. Applying an unchanged file changes nothing."""
    from ccm.reporting.models import ImportStatus, SpreadsheetImport

    sheet_import = SpreadsheetImport.objects.select_for_update().get(pk=sheet_import.pk)
    if sheet_import.status != ImportStatus.READY:
        raise ValidationError(_("Only a checked workbook without errors can be applied, once."))
    state = sheet_import.state
    assert state is not None  # noqa: S101 - a progress import always belongs to a State
    counts = {"created": 0, "updated": 0, "unchanged": 0, "plan_versions": 0}
    for row in sheet_import.payload.get("progress", []):
        figures = {k: row.get(k) for k in PROGRESS_FIGURES}
        result = progress_save(state=state, year=row["year"], figures=figures, actor=actor)
        counts["created" if result.created else "updated" if result.changed else "unchanged"] += 1
    for kind, plan in sheet_import.payload.get("plans", {}).items():
        obligation = state.obligations.get(kind=kind)
        _plan, created = plan_save(obligation=obligation, years=plan["years"], currency=plan["currency"], actor=actor)
        counts["plan_versions"] += int(created)
    sheet_import.status = ImportStatus.APPLIED
    sheet_import.applied_at = timezone.now()
    sheet_import.save(update_fields=["status", "applied_at"])
    audit.record(
        actor=actor,
        action="progress_import.apply",
        obj=sheet_import,
        new=counts,
        organisation_id=government_organisation_id(state),
    )
    return counts
