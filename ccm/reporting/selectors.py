"""Reads for reporting: remaining work, a State's reports and plans, the country profile, all
through the reporting policies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Prefetch, QuerySet
from django.utils.translation import gettext as _

from ccm.analytics.remaining import RemainingWork, planned_remaining, remaining_by_year, remaining_work
from ccm.core.deidentify import Term
from ccm.core.policies import is_signed_in
from ccm.core.templatetags.ccm import date_filter
from ccm.core.templatetags.ccm import number as number_filter
from ccm.reporting import policies
from ccm.reporting.charts import LineChart, Series
from ccm.reporting.models import (
    PROGRESS_FIGURES,
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
from ccm.states.selectors import ObligationRow, deadline_terms, obligation_row

# --- The version a reader sees ---------------------------------------------------------------------
#
# One rule for every page, export and API that shows a year's figures or a plan:
# - a year: the State's editors and managers see the working figures (with any correction they are
#   making); every other reader sees the last version a manager published, flagged when a correction
#   is under review, and nothing of a year never published (``year_shown``, ``reports_for``);
# - a plan: the newest approved version is the plan in force, and its audience is the audience of
#   every version. A reader outside the State who may not see it sees no version at all, so an older
#   approved version is never presented as "in force" (``plans_shown``, ``plans_for``).


def sees_working_copy(user: Any, state_id: int) -> bool:
    """Whether ``user`` reads a State's working figures (drafts, corrections) rather than its published ones."""
    return policies.can_edit_state(user, state_id)


def _stored(name: str, value: Any) -> Any:
    if value is None or name not in ("national_resources",):
        return value
    return Decimal(str(value))


def published_copy(report: ProgressReport) -> ProgressReport | None:
    """The last published version of ``report`` as an unsaved report (never saved: it is for reading),
    or None if the year was never published."""
    version = report.published_version
    if version is None:
        return None
    copy = ProgressReport(
        pk=report.pk,
        state_id=report.state_id,
        year=report.year,
        status=ReportStatus.PUBLISHED,
        illustrative=report.illustrative,
        published_at=report.published_at,
        published_version=version,
    )
    copy.updated_at = version.created_at
    for name in PROGRESS_FIGURES:  # a figure missing from an old version keeps the field's default
        if name in version.data:
            setattr(copy, name, _stored(name, version.data[name]))
    if "state" in report._state.fields_cache:
        copy.state = report.state
    copy.__dict__["_under_review"] = report.correction_under_review
    copy.save = _read_only  # type: ignore[method-assign]
    return copy


def _read_only(*args: Any, **kwargs: Any) -> None:
    raise TypeError("A published copy is for reading; change the report through the reporting services.")


def year_shown(report: ProgressReport, *, user: Any) -> ProgressReport | None:
    """The version of one year ``user`` sees: the working figures for the State's editors, else the last
    published version (None if there is none)."""
    if sees_working_copy(user, report.state_id):
        return report
    return published_copy(report)


def reports_for(*, state: State, user: Any) -> list[ProgressReport]:
    """A State's years, each as ``user`` sees it (``year_shown``), oldest first."""
    rows = (
        policies.progress_reports.visible_to(user)
        .filter(state=state)
        .select_related("published_version")
        .order_by("year")
    )
    if sees_working_copy(user, state.pk):
        return list(rows)
    shown = (published_copy(r) for r in rows.filter(published_version__isnull=False))
    return [r for r in shown if r is not None]


def _plan_rows(queryset: QuerySet[CompletionPlan]) -> QuerySet[CompletionPlan]:
    return queryset.prefetch_related(Prefetch("years", queryset=PlanYear.objects.order_by("year"))).select_related(
        "obligation__state", "created_by", "approved_by"
    )


def plans_shown(
    *, user: Any, state: State | None = None, obligation: Obligation | None = None, state_iso3: str = ""
) -> list[CompletionPlan]:
    """The plan versions ``user`` sees, newest first: the policy's, less every version of a plan whose
    version in force (the newest approved) this reader may not see."""
    rows = policies.plans.visible_to(user)
    newest = CompletionPlan.objects.filter(status=PlanStatus.APPROVED)
    if state is not None:
        rows, newest = rows.filter(obligation__state=state), newest.filter(obligation__state=state)
    if obligation is not None:
        rows, newest = rows.filter(obligation=obligation), newest.filter(obligation=obligation)
    if state_iso3:
        rows, newest = (
            rows.filter(obligation__state__iso3=state_iso3),
            newest.filter(obligation__state__iso3=state_iso3),
        )
    plans = list(_plan_rows(rows).order_by("obligation_id", "-version"))
    in_force = dict(
        newest.filter(obligation_id__in={p.obligation_id for p in plans})
        .values("obligation_id")
        .annotate(v=Max("version"))
        .values_list("obligation_id", "v")
    )
    seen = {(p.obligation_id, p.version) for p in plans}
    insider = policies.sees_unpublished_plans
    return [
        p
        for p in plans
        if insider(user, p.obligation.state_id)
        or p.obligation_id not in in_force
        or (p.obligation_id, in_force[p.obligation_id]) in seen
    ]


def plans_for(*, obligation: Obligation, user: Any) -> list[CompletionPlan]:
    return plans_shown(user=user, obligation=obligation)


def plan_in_force(plans: list[CompletionPlan]) -> CompletionPlan | None:
    """The newest approved version among ``plans`` (from ``plans_shown``, so never an older one when
    the reader may not see the newest)."""
    approved = [p for p in plans if p.status == PlanStatus.APPROVED]
    return max(approved, key=lambda p: p.version) if approved else None


def plans_in_force(*, user: Any, state_iso3: str = "") -> list[CompletionPlan]:
    """One plan in force per obligation, for the readers' totals (coverage)."""
    by_obligation: dict[int, list[CompletionPlan]] = {}
    for plan in plans_shown(user=user, state_iso3=state_iso3):
        by_obligation.setdefault(plan.obligation_id, []).append(plan)
    return [p for p in (plan_in_force(plans) for plans in by_obligation.values()) if p is not None]


# --- Versions in words ---------------------------------------------------------------------------

_UNITS = {"cancelled_m2": "m²", "reduced_m2": "m²", "cleared_m2": "m²"}
_TEXTS = ("obstacles", "source")


def _labels() -> dict[str, str]:
    return {
        "cancelled_m2": _("Cancelled by non-technical survey"),
        "reduced_m2": _("Reduced by technical survey"),
        "cleared_m2": _("Cleared"),
        "submunitions_destroyed": _("Submunitions destroyed in clearance"),
        "other_remnants_destroyed": _("Other remnants destroyed"),
        "stockpile_munitions_destroyed": _("Stockpiled cluster munitions destroyed"),
        "stockpile_submunitions_destroyed": _("Stockpiled submunitions destroyed"),
        "national_resources": _("National resources allocated"),
        "national_resources_currency": _("Currency of national resources"),
        "risk_education_beneficiaries": _("People reached by risk education"),
        "victim_assistance_beneficiaries": _("Victims and survivors assisted"),
        "obstacles": _("Obstacles"),
        "source": _("Source"),
        "status": _("Status"),
    }


def format_value(name: str, value: Any, data: dict[str, Any] | None = None) -> str:
    """A stored figure in words: thousands separators and its unit; text quoted and shortened."""
    if name == "status":
        return str(ReportStatus(value).label) if value in ReportStatus.values else _("not given")
    if value is None or value == "":
        return _("not given") if name not in _TEXTS else _("blank")
    if name in _TEXTS or name == "national_resources_currency":
        text = " ".join(str(value).split())
        return f"“{text[:77]}…”" if len(text) > 80 else f"“{text}”" if name in _TEXTS else text
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    shown = number_filter(number, 2)  # the reader's style: "1,234.5", "1 234,5"
    if name == "national_resources":
        currency = (data or {}).get("national_resources_currency") or ""
        return f"{shown} {currency}".strip()
    unit = _UNITS.get(name)
    return f"{shown} {unit}" if unit else shown


def describe_changes(old: dict[str, Any], new: dict[str, Any], names: Any = None) -> list[str]:
    """Each changed figure as "Label: old → new" (or "Label: new" when there was nothing before)."""
    labels = _labels()
    lines = []
    for name in names or [*PROGRESS_FIGURES, "status"]:
        if name not in new or name not in labels:
            continue
        before, after = old.get(name), new.get(name)
        if name != "status" and not figures_differ(before, after):
            continue
        if name == "status" and before == after:
            continue
        if name not in old:
            lines.append(f"{labels[name]}: {format_value(name, after, new)}")
        else:
            lines.append(f"{labels[name]}: {format_value(name, before, old)} → {format_value(name, after, new)}")
    return lines


def figures_differ(old: Any, new: Any) -> bool:
    if old is None or new is None or old == "" or new == "":
        return old != new
    try:
        return Decimal(str(old)) != Decimal(str(new))
    except ArithmeticError:
        return str(old) != str(new)


@dataclass(frozen=True)
class VersionRow:
    number: int
    created_at: Any
    author: str | None  # None: names of State officials are shown to signed-in users only
    status: str
    changes: list[str]


def version_history(report: ProgressReport, *, user: Any) -> list[VersionRow]:
    """A year's versions as ``user`` may read them, newest first, each change in words. Readers without
    edit rights get the published versions only, each compared with the one published before it."""
    versions = list(report.versions.select_related("author").order_by("number"))
    if not sees_working_copy(user, report.state_id):
        versions = [v for v in versions if v.status == ReportStatus.PUBLISHED]
    named = is_signed_in(user)
    rows = []
    previous: dict[str, Any] | None = None
    for version in versions:
        data = {**version.data, "status": version.status}
        if previous is None:
            changes = describe_changes({}, {k: v for k, v in data.items() if v not in (None, "", 0)})
        else:
            changes = describe_changes(previous, data)
        author = (version.author.get_full_name() or version.author.email) if version.author else _("system")
        rows.append(
            VersionRow(
                version.number,
                version.created_at,
                author if named else None,
                str(ReportStatus(version.status).label),
                changes,
            )
        )
        previous = data
    return list(reversed(rows))


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
                    _("Straight line to the deadline (%(d)s)") % {"d": date_filter(deadline)},
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
            "first": number_filter(actual[0][1]),
            "last": number_filter(actual[-1][1]),
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
        plans_for(obligation=obligation, user=user),
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
    reports = reports_for(state=state, user=user)
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
    """Years with a published version (a year under correction stays published)."""
    return set(
        ProgressReport.objects.filter(state=state, published_version__isnull=False).values_list("year", flat=True)
    )


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


# --- Published figures that identify a State (for ``ccm.core.deidentify``) -------------------------


def figure_terms(states: Iterable[State], *, today: date) -> list[Term]:
    """The figures of ``states`` that the public can read, as figure terms: the remaining contaminated
    area (m², from the baselines and the published versions of the reports, as the public country
    profile shows it on ``today``), the area released in the last published year, and the current
    deadlines (``ccm.states.selectors.deadline_terms``). A fixed number of queries (five)."""
    states = list(states)
    by_id = {state.pk: state for state in states}
    public = AnonymousUser()
    clearance = list(Obligation.objects.filter(state_id__in=by_id, kind="clearance"))
    figures: dict[int, list[BaselineFigure]] = {}
    for figure in policies.baselines.visible_to(public).filter(obligation__in=clearance).order_by("recorded_on", "pk"):
        figures.setdefault(figure.obligation_id, []).append(figure)
    released: dict[int, dict[int, int]] = {}
    reports = (
        policies.progress_reports.visible_to(public)
        .filter(state_id__in=by_id, published_version__isnull=False)
        .select_related("published_version")
    )
    for report in reports:
        copy = published_copy(report)
        if copy is not None and copy.land_released_m2:
            released.setdefault(report.state_id, {})[report.year] = copy.land_released_m2
    terms: list[Term] = []
    for obligation in clearance:
        participant = by_id[obligation.state_id].name
        rows = figures.get(obligation.pk, [])
        baselines = [f for f in rows if f.kind == FigureKind.BASELINE]
        releases = released.get(obligation.state_id, {})
        if baselines:
            work = remaining_work(
                baseline=sum(f.area_m2 for f in baselines),
                additions=[(f.recorded_on, f.area_m2) for f in rows if f.kind == FigureKind.ADDITION],
                releases=releases,
                deadline=None,
                as_of=today,
            )
            if work.remaining:
                terms.append(Term(text=f"{work.remaining:,} m²", kind="figure", participant=participant))
        past = [year for year in releases if year <= today.year]
        if past:
            terms.append(Term(text=f"{releases[max(past)]:,} m²", kind="figure", participant=participant))
    terms.extend(deadline_terms(states))
    return list(dict.fromkeys(terms))
