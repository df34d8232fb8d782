"""Reads for reporting: remaining work, a State's reports and plans, the country profile, all
through the reporting policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from ccm.analytics.remaining import RemainingWork, planned_remaining, remaining_by_year, remaining_work
from ccm.reporting import policies
from ccm.reporting.charts import LineChart, Series
from ccm.reporting.models import (
    BaselineFigure,
    CompletionPlan,
    FigureKind,
    PlanStatus,
    PlanYear,
    ProgressReport,
    ReportStatus,
)
from ccm.reporting.validation import WorkContext
from ccm.states.models import Obligation, State
from ccm.states.selectors import ObligationRow, obligation_row


def reports_for(*, state: State, user: Any) -> QuerySet[ProgressReport]:
    return policies.progress_reports.visible_to(user).filter(state=state).order_by("year")


def plans_for(*, obligation: Obligation, user: Any) -> QuerySet[CompletionPlan]:
    return (
        policies.plans.visible_to(user)
        .filter(obligation=obligation)
        .prefetch_related(Prefetch("years", queryset=PlanYear.objects.order_by("year")))
        .select_related("created_by", "approved_by")
    )


def plan_in_force(plans: list[CompletionPlan]) -> CompletionPlan | None:
    approved = [p for p in plans if p.status == PlanStatus.APPROVED]
    return max(approved, key=lambda p: p.version) if approved else None


def _amount_released(report: ProgressReport, kind: str) -> int:
    return report.land_released_m2 if kind == "clearance" else report.stockpile_destroyed


@dataclass
class ObligationWork:
    obligation: Obligation
    figures: list[BaselineFigure]
    releases: dict[int, int]
    work: RemainingWork
    plans: list[CompletionPlan] = field(default_factory=list)
    # The obligation's status on the day and its sentence (the same on every surface).
    status: ObligationRow | None = None

    @property
    def status_sentence(self) -> str:
        return self.status.sentence if self.status else ""

    @property
    def unit(self) -> str:
        return "m²" if self.obligation.kind == "clearance" else _("items")

    @property
    def baseline(self) -> BaselineFigure | None:
        """The earliest baseline figure (its date starts the chart); see ``baseline_amount`` for the total."""
        return next((f for f in self.figures if f.kind == FigureKind.BASELINE), None)

    @property
    def baseline_amount(self) -> int:
        """All baseline figures together (a stockpile has one per munition type)."""
        return sum(f.amount for f in self.figures if f.kind == FigureKind.BASELINE)

    @property
    def additions(self) -> list[BaselineFigure]:
        return [f for f in self.figures if f.kind == FigureKind.ADDITION]

    @property
    def plan(self) -> CompletionPlan | None:
        return plan_in_force(self.plans)

    @property
    def latest_plan(self) -> CompletionPlan | None:
        return max(self.plans, key=lambda p: p.version) if self.plans else None

    def plan_rows(self) -> list[dict[str, Any]]:
        """The plan in force, year by year, with the actual output next to the target."""
        plan = self.plan
        if plan is None:
            return []
        return [{"year": y, "actual": self.releases.get(y.year)} for y in plan.years.all()]

    def total_gap(self) -> Decimal:
        plan = self.plan
        return sum((y.gap for y in plan.years.all()), Decimal(0)) if plan else Decimal(0)

    def chart(self) -> LineChart:
        name = self.obligation.get_kind_display()
        unit = self.unit
        chart = LineChart(
            title=_("%(obligation)s: work remaining (%(unit)s)") % {"obligation": name, "unit": unit},
            description="",
            y_label=unit,
        )
        baseline = self.baseline
        if baseline is None:
            chart.description = " ".join(
                p for p in (self.status_sentence, _("No baseline recorded, so remaining work cannot be drawn.")) if p
            )
            return chart
        additions = [(f.recorded_on, f.amount) for f in self.additions]
        last_year = max([*self.releases, baseline.recorded_on.year])
        actual = remaining_by_year(
            baseline=self.baseline_amount,
            baseline_year=baseline.recorded_on.year,
            additions=additions,
            releases=self.releases,
            last_year=last_year,
        )
        chart.series.append(Series(_("Remaining (reported)"), [(float(y), float(v)) for y, v in actual]))
        deadline = self.work.deadline
        if deadline is not None and self.work.remaining is not None and deadline.year >= last_year:
            chart.series.append(
                Series(
                    _("Straight line to the deadline (%(d)s)") % {"d": deadline.isoformat()},
                    [
                        (float(last_year), float(actual[-1][1])),
                        (float(deadline.year) + (deadline.timetuple().tm_yday - 1) / 365.25, 0.0),
                    ],
                    style="dashed",
                    marker=None,
                )
            )
        plan = self.plan
        if plan is not None:
            targets = {y.year: y.target_output for y in plan.years.all()}
            first = min(targets) - 1
            start = dict(actual).get(first, actual[-1][1])
            chart.series.append(
                Series(
                    _("Plan in force (v%(v)s)") % {"v": plan.version},
                    [
                        (float(y), float(v))
                        for y, v in planned_remaining(start=start, start_year=first, targets=targets)
                    ],
                    style="dotted",
                    marker="triangle",
                )
            )
        summary = _(
            "Remaining work fell from %(first)s %(unit)s in %(y1)s to %(last)s %(unit)s at the end of %(y2)s."
        ) % {
            "first": f"{actual[0][1]:,}",
            "last": f"{actual[-1][1]:,}",
            "y1": actual[0][0],
            "y2": actual[-1][0],
            "unit": unit,
        }
        chart.description = " ".join(p for p in (self.status_sentence, summary) if p)
        return chart


def obligation_work(*, obligation: Obligation, reports: list[ProgressReport], user: Any, today: date) -> ObligationWork:
    figures = list(obligation.baseline_figures.all())
    releases = {r.year: _amount_released(r, obligation.kind) for r in reports if _amount_released(r, obligation.kind)}
    baselines = [f for f in figures if f.kind == FigureKind.BASELINE]
    work = remaining_work(
        baseline=sum(f.amount for f in baselines) if baselines else None,
        additions=[(f.recorded_on, f.amount) for f in figures if f.kind == FigureKind.ADDITION],
        releases=releases,
        deadline=obligation.current_deadline,
        as_of=today,
    )
    return ObligationWork(
        obligation,
        figures,
        releases,
        work,
        list(plans_for(obligation=obligation, user=user)),
        obligation_row(obligation=obligation, today=today),
    )


@dataclass
class CountryProfile:
    state: State
    reports: list[ProgressReport]
    work: list[ObligationWork]

    @property
    def obstacles(self) -> list[ProgressReport]:
        return [r for r in reversed(self.reports) if r.obstacles]


def country_profile(*, state: State, user: Any, today: date) -> CountryProfile:
    """Everything the profile and the Country Brief show, limited to what ``user`` may see."""
    reports = list(reports_for(state=state, user=user))
    obligations = state.obligations.prefetch_related("baseline_figures", "extensions")
    work = [obligation_work(obligation=o, reports=reports, user=user, today=today) for o in obligations]
    return CountryProfile(state, reports, work)


def work_context(*, state: State, year: int, today: date) -> WorkContext:
    """Totals to check one year's figures against (all reports count, whatever their status)."""
    totals: dict[str, int | None] = {"clearance": None, "stockpile_destruction": None}
    for obligation in state.obligations.prefetch_related("baseline_figures"):
        figures = list(obligation.baseline_figures.all())
        if any(f.kind == FigureKind.BASELINE for f in figures):
            totals[obligation.kind] = sum(f.amount for f in figures)
    others = list(ProgressReport.objects.filter(state=state).exclude(year=year))
    return WorkContext(
        entry_into_force=state.entry_into_force,
        today=today,
        clearance_total=totals["clearance"],
        released_other_years=sum(r.land_released_m2 for r in others),
        stockpile_total=totals["stockpile_destruction"],
        destroyed_other_years=sum(r.stockpile_destroyed for r in others),
    )


def published_years(*, state: State) -> set[int]:
    return set(ProgressReport.objects.filter(state=state, status=ReportStatus.PUBLISHED).values_list("year", flat=True))


def reports_awaiting(*, user: Any, action: str) -> QuerySet[ProgressReport]:
    """The progress reports waiting for ``user`` to take ``action``: drafts to submit (``SUBMIT``) or
    submitted reports to publish (``PUBLISH``)."""
    status = {policies.SUBMIT: ReportStatus.DRAFT, policies.PUBLISH: ReportStatus.SUBMITTED}[action]
    return (
        policies.progress_reports.visible_to(user, action)
        .filter(status=status)
        .select_related("state")
        .order_by("state__name", "year")
    )


# Article 7(2): each year's report, covering the calendar year before, is due by 30 April.
REPORT_DUE_MONTH_DAY = (4, 30)


def report_year_due(today: date) -> tuple[int, date]:
    """The latest reporting year whose report is due by ``today``, and its due date."""
    year = today.year - 1 if (today.month, today.day) > REPORT_DUE_MONTH_DAY else today.year - 2
    return year, date(year + 1, *REPORT_DUE_MONTH_DAY)


def reports_overdue(*, user: Any, today: date) -> list[tuple[State, int, date]]:
    """For coordinators: the States on the platform (with a government organisation) that still have
    an obligation open and have not submitted their report for the latest year due. Two queries."""
    year, due = report_year_due(today)
    sent = policies.progress_reports.visible_to(user).filter(
        year=year, status__in=[ReportStatus.SUBMITTED, ReportStatus.PUBLISHED]
    )
    states = (
        State.objects.filter(
            obligations__completed=False,
            organisations__kind="state_government",
            organisations__is_active=True,
        )
        .exclude(pk__in=sent.values("state_id"))
        .distinct()
        .order_by("name")
    )
    return [(state, year, due) for state in states]
