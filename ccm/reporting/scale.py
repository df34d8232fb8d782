"""Scale data (``ccm seed_scale``): 20 years of published progress for every State with an obligation under
Article 3 or 4, and a baseline for each clearance obligation. Every figure is marked illustrative."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from ccm.core import audit
from ccm.core.scale import BATCH, ScaleContext, register
from ccm.reporting.models import (
    PROGRESS_FIGURES,
    BaselineFigure,
    FigureKind,
    ProgressReport,
    ProgressReportVersion,
    ReportStatus,
)
from ccm.states.models import Obligation, ObligationKind

SOURCE = "Scale data set (made up)"


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    obligations = list(Obligation.objects.select_related("state").order_by("state__iso3", "kind"))
    baselines = [
        BaselineFigure(
            obligation=o,
            kind=FigureKind.BASELINE,
            recorded_on=date(ctx.today.year - 20, 1, 1),
            sha_m2=rng.randrange(1_000_000, 500_000_000),
            cha_m2=rng.randrange(100_000, 50_000_000),
            areas=rng.randrange(10, 5_000),
            source=SOURCE,
            illustrative=True,
        )
        for o in obligations
        if o.kind == ObligationKind.CLEARANCE
    ]
    BaselineFigure.objects.bulk_create(baselines, batch_size=BATCH)

    kinds: dict[int, set[str]] = {}
    for o in obligations:
        kinds.setdefault(o.state_id, set()).add(o.kind)
    years = range(ctx.today.year - ctx.size("progress_years"), ctx.today.year)
    reports = []
    for state_id, held in sorted(kinds.items()):
        clearing = ObligationKind.CLEARANCE in held
        stockpiling = ObligationKind.STOCKPILE_DESTRUCTION in held
        for year in years:
            reports.append(
                ProgressReport(
                    state_id=state_id,
                    year=year,
                    status=ReportStatus.PUBLISHED,
                    cancelled_m2=rng.randrange(0, 2_000_000) if clearing else 0,
                    reduced_m2=rng.randrange(0, 1_000_000) if clearing else 0,
                    cleared_m2=rng.randrange(0, 3_000_000) if clearing else 0,
                    submunitions_destroyed=rng.randrange(0, 20_000) if clearing else 0,
                    stockpile_submunitions_destroyed=rng.randrange(0, 500_000) if stockpiling else 0,
                    risk_education_beneficiaries=rng.randrange(0, 100_000),
                    source=SOURCE,
                    illustrative=True,
                    published_at=timezone.make_aware(datetime.combine(date(year + 1, 4, 30), time(12))),
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    reports = list(ProgressReport.objects.filter(source=SOURCE).order_by("pk"))
    versions = [
        ProgressReportVersion(
            report=r,
            number=1,
            status=ReportStatus.PUBLISHED,
            data=audit.snapshot(r, PROGRESS_FIGURES),
            changed=list(PROGRESS_FIGURES),
        )
        for r in reports
    ]
    ProgressReportVersion.objects.bulk_create(versions, batch_size=BATCH)
    by_report = {v.report_id: v.pk for v in ProgressReportVersion.objects.filter(report__source=SOURCE)}
    for r in reports:
        r.published_version_id = by_report[r.pk]
    ProgressReport.objects.bulk_update(reports, ["published_version"], batch_size=BATCH)
    return [f"{len(baselines)} baselines, {len(reports)} published progress reports ({len(kinds)} States)"]
