"""Writes for reporting. Each is atomic, validates the whole change first, and audits itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
from ccm.reporting.selectors import describe_changes, work_context
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


TEXT_FIGURES = ("obstacles", "source", "national_resources_currency")
UNKNOWN_ALLOWED = ("national_resources", "risk_education_beneficiaries", "victim_assistance_beneficiaries")


def progress_figures(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The given figures as they are stored: blank text is "", a blank count is 0 (those that may be
    unknown stay None), the currency in capitals, resources to the cent. The one place these defaults
    are written: ``progress_save`` stores these values and the spreadsheet preview compares them."""
    values: dict[str, Any] = {}
    for name in PROGRESS_FIGURES:
        if name not in figures:
            continue
        value = figures[name]
        if value is None or value == "":
            value = "" if name in TEXT_FIGURES else None if name in UNKNOWN_ALLOWED else 0
        elif name == "national_resources":
            value = Decimal(str(value)).quantize(Decimal("0.01"))
        elif name == "national_resources_currency":
            value = str(value).upper()
        values[name] = value
    return values


PlanRow = tuple[int, int, Decimal, Decimal, Decimal]


def plan_year_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """One plan year as it is stored: whole year and target, amounts as decimals, funding 0 when blank."""
    return {
        "year": int(row["year"]),
        "target_output": int(row["target_output"]),
        "cost": Decimal(str(row["cost"])),
        "national_funding": Decimal(str(row.get("national_funding") or 0)),
        "international_funding": Decimal(str(row.get("international_funding") or 0)),
    }


def plan_rows(years: Iterable[Mapping[str, Any]]) -> list[PlanRow]:
    """Plan years normalised (``plan_year_values``) and sorted, as ``plan_save`` and the spreadsheet preview
    compare them with the newest version (``stored_plan_rows``)."""
    return sorted(
        (v["year"], v["target_output"], v["cost"], v["national_funding"], v["international_funding"])
        for v in map(plan_year_values, years)
    )


def stored_plan_rows(plan: CompletionPlan) -> list[PlanRow]:
    return [
        (y.year, y.target_output, y.cost, y.national_funding, y.international_funding)
        for y in plan.years.order_by("year")
    ]


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
    report = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("published_version")
        .filter(state=state, year=year)
        .first()
    )
    created = report is None
    if report is None:
        report = ProgressReport(state=state, year=year, illustrative=illustrative)
    old = audit.snapshot(report, PROGRESS_FIGURES)  # a new report holds the defaults
    for name, value in progress_figures(figures).items():
        setattr(report, name, value)
    new = audit.snapshot(report, PROGRESS_FIGURES)
    before, after = audit.changes(old, new)
    if not created and not after:
        return SaveResult(report, [], False)
    if report.published_version_id is not None and after:
        # A correction to a published year: a new version awaiting review. Readers without edit rights
        # keep the published version (``published_version``) until a manager publishes this one.
        if report.status == ReportStatus.PUBLISHED:
            report.status = ReportStatus.SUBMITTED
        published = report.published_version.data if report.published_version else {}
        words = describe_changes(published, new)
        report.needs_review = bool(words)
        report.review_reason = (
            _("Changes figures already published: %(changes)s") % {"changes": "; ".join(words)} if words else ""
        )
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


def _version(report: ProgressReport, changed: list[str], actor: Any) -> ProgressReportVersion:
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ProgressReportVersion.objects.create(
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
    version = _version(report, ["status"], actor)
    if status == ReportStatus.PUBLISHED:
        report.published_version = version  # from now on every reader sees these figures
    report.save(
        update_fields=["status", "published_at", "needs_review", "review_reason", "published_version", "updated_at"]
    )
    audit.record(
        actor=actor,
        action="progress_report.set_status",
        obj=report,
        old=old,
        new={"status": status, "needs_review": report.needs_review},
        organisation_id=government_organisation_id(report.state),
    )
    return report


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
    years = [plan_year_values(r) for r in years]
    seen: set[int] = set()
    problems = []
    for row in years:
        if row["year"] in seen:
            raise ValidationError({"year": _("%(year)s appears twice.") % {"year": row["year"]}})
        seen.add(row["year"])
        problems.extend(check_plan_year(row["year"], row, obligation.state.entry_into_force))
    _raise(problems)
    rows = plan_rows(years)
    latest = CompletionPlan.objects.select_for_update().filter(obligation=obligation).order_by("-version").first()
    visibility = visibility or (latest.visibility if latest else "platform")
    if latest is not None and latest.currency == currency.upper() and stored_plan_rows(latest) == rows:
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


# --- Spreadsheet import (the kind is ccm.reporting.imports.ProgressWorkbookImport) -----------------


def spreadsheet_check(*, state: State, upload: Any, actor: Any) -> Any:
    """Check an uploaded workbook whole and store the result (errors, or a preview of the changes).
    Nothing else is written."""
    from ccm.core.imports import check_import

    return check_import("progress", upload=upload, actor=actor, state=state)


def context_without(state: State, years: set[int]) -> Any:
    """The registry's totals for ``state`` leaving out ``years`` (a workbook brings its own)."""
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


def spreadsheet_apply(*, sheet_import: Any, actor: Any) -> dict[str, int]:
    """Apply a checked workbook: every row, or nothing. A file that changes nothing is refused."""
    from ccm.core.imports import apply_import

    return apply_import(import_id=sheet_import.pk, actor=actor)
