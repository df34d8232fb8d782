"""Reads for coordination: plain data for the pure modules (``ccm.analytics.forecast``, ``attention``,
``matching``, ``allocation``), gathered through the policies and selectors of states, reporting, needs and
funding, with every amount in US dollars (``ccm.funding.rates``).

Each builder costs a fixed number of queries whatever the number of States, needs or donors; the
dashboard, the API and the pages call the same builders, so they show the same figures.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.analytics import allocation as alloc
from ccm.analytics import attention as att
from ccm.analytics import forecast as fc
from ccm.analytics import matching
from ccm.analytics.coverage import CoverageCell
from ccm.coordination import policies
from ccm.coordination.models import AllocationLine, AllocationRun, AttentionWeights, ForecastRun, RunStatus
from ccm.core import cache as aggregate_cache
from ccm.core import money
from ccm.core.policies import Visibility, shared_audience
from ccm.funding import policies as flow_policies
from ccm.funding import rates
from ccm.funding.models import Stage
from ccm.funding.selectors import coverage_cells
from ccm.needs import policies as need_policies
from ccm.needs.models import DonorProfile, Need, Pillar, Priority, Response, ResponseKind
from ccm.reporting import policies as reporting_policies
from ccm.reporting import selectors as reporting
from ccm.reporting.models import FigureKind
from ccm.states.models import ExtensionRequest, Obligation, ObligationKind, State
from ccm.states.names import localized_name

WINDOW_YEARS = 3  # the attention gap and expected funding look at this year and the two before
KIND_CODE = {ObligationKind.STOCKPILE_DESTRUCTION: "art3", ObligationKind.CLEARANCE: "art4"}
PILLAR_OF_KIND = {
    ObligationKind.STOCKPILE_DESTRUCTION: Pillar.STOCKPILE_DESTRUCTION,
    ObligationKind.CLEARANCE: Pillar.CLEARANCE,
}
URGENCY = {Priority.HIGH: 3.0, Priority.MEDIUM: 2.0, Priority.LOW: 1.0}
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
QUARTERS = {"first": 1, "second": 4, "third": 7, "fourth": 10}


# --- Money -----------------------------------------------------------------------------------------


def usd(table: rates.RateTable, amount: Decimal | None, currency: str, day: date) -> float | None:
    """``amount`` of ``currency`` in US dollars on ``day`` (the funding app's conversion; None without a rate)."""
    if amount is None:
        return None
    if not currency or currency.upper() == "USD":
        return float(amount)
    converted = rates.convert(table, Decimal(amount), currency, day)
    return float(converted.usd_amount) if converted.usd_amount is not None else None


def from_usd(table: rates.RateTable, amount: Decimal, currency: str, day: date) -> Decimal | None:
    """US dollars in ``currency`` on ``day`` (to the cent), or None without a rate."""
    if not currency or currency.upper() == "USD":
        return amount.quantize(Decimal("0.01"))
    rate = table.rate(currency, day)
    if rate is None or not rate.to_usd:
        return None
    return (amount / rate.to_usd).quantize(Decimal("0.01"))


# --- Forecasts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObligationInfo:
    key: str
    obligation_id: int
    iso3: str
    state_name: str
    kind: str  # the obligation's kind (choice value)
    kind_label: str
    deadline: date | None
    remaining: float | None
    unit: str


@dataclass
class ForecastRow:
    info: ObligationInfo
    result: dict[str, Any]  # a ForecastResult as a dict (stored runs keep it as JSON)
    costed: bool = False  # a cost per m² or per item is on record (a plan with costs)
    as_of: date | None = None

    @property
    def no_extra_reason(self) -> str:
        """Why no extra funding is given for an 80% chance (when the forecast gives none)."""
        if self.info.deadline is not None and self.as_of is not None and self.info.deadline < self.as_of:
            return str(_("the deadline has passed"))
        if not self.costed:
            return str(_("no cost per unit on record (no costed plan)"))
        return str(_("not reachable with money alone: capacity or newly found areas hold it back"))

    @property
    def thin(self) -> bool:
        return self.result.get("status") != "ok"

    @property
    def at_risk(self) -> bool:
        p = self.result.get("probability_on_time")
        return p is not None and p < 0.8


@dataclass
class ForecastView:
    rows: list[ForecastRow]
    as_of: date
    draws: int
    seed: int
    stored_run: ForecastRun | None  # the stored run these figures come from, or None (computed now)

    def by_key(self) -> dict[str, ForecastRow]:
        return {r.info.key: r for r in self.rows}


@dataclass
class _Work:
    """What the reporting data say about open obligations, read once for every page."""

    inputs: list[fc.ForecastInput]
    info: dict[str, ObligationInfo]
    cells: list[CoverageCell]
    no_baseline: list[ObligationInfo] = field(default_factory=list)  # open, but nothing to forecast from


def _open_obligations() -> QuerySet[Obligation]:
    return (
        Obligation.objects.filter(completed=False, state__withdrawal_effective__isnull=True)
        .select_related("state")
        .prefetch_related(
            Prefetch("extensions", queryset=ExtensionRequest.objects.order_by("sequence")),
            Prefetch("baseline_figures", queryset=reporting_policies.baselines.visible_to(None)),
        )
    )


def _work(*, user: Any, today: date, table: rates.RateTable) -> _Work:
    """Forecast inputs for every open obligation with a baseline, as ``user`` may see the figures."""
    obligations = list(_open_obligations())
    state_ids = {o.state_id for o in obligations}
    reports = (
        reporting_policies.progress_reports.visible_to(user)
        .filter(state_id__in=state_ids)
        .select_related("published_version")
        .order_by("year")
    )
    shown_by_state: dict[int, list[Any]] = defaultdict(list)
    for report in reports:
        shown = reporting.year_shown(report, user=user)
        if shown is not None:
            shown_by_state[report.state_id].append(shown)
    plans = {p.obligation_id: p for p in reporting.plans_in_force(user=user)}
    cells, _unconverted = coverage_cells(user=user, table=table)
    funded: dict[tuple[str, str, int], float] = defaultdict(float)
    for cell in cells:
        funded[(cell.state, cell.pillar, cell.year)] += float(cell.funded)
    inputs: list[fc.ForecastInput] = []
    info: dict[str, ObligationInfo] = {}
    no_baseline: list[ObligationInfo] = []
    for obligation in obligations:
        kind = obligation.kind
        figures = list(obligation.baseline_figures.all())
        baselines = [f for f in figures if f.kind == FigureKind.BASELINE]
        if not baselines:
            iso3 = obligation.state.iso3
            no_baseline.append(
                ObligationInfo(
                    key=f"{iso3}-{KIND_CODE[ObligationKind(kind)]}",
                    obligation_id=obligation.pk,
                    iso3=iso3,
                    state_name=obligation.state.display_name,
                    kind=kind,
                    kind_label=str(obligation.get_kind_display()),
                    deadline=obligation.current_deadline,
                    remaining=None,
                    unit="m²" if kind == ObligationKind.CLEARANCE else "items",
                )
            )
            continue
        additions_by_year: dict[int, float] = defaultdict(float)
        for f in figures:
            if f.kind == FigureKind.ADDITION and f.recorded_on <= today:
                additions_by_year[f.recorded_on.year] += f.amount
        baseline_year = min(f.recorded_on.year for f in baselines)
        releases: dict[int, float] = {}
        for report in shown_by_state.get(obligation.state_id, []):
            if report.year >= baseline_year and report.year <= today.year:
                released = report.land_released_m2 if kind == ObligationKind.CLEARANCE else report.stockpile_destroyed
                releases[report.year] = float(released)
        remaining = max(
            sum(f.amount for f in baselines) + sum(additions_by_year.values()) - sum(releases.values()), 0.0
        )
        last_year = max([*releases, baseline_year])
        deadline = obligation.current_deadline
        iso3 = obligation.state.iso3
        key = f"{iso3}-{KIND_CODE[ObligationKind(kind)]}"
        plan = plans.get(obligation.pk)
        planned: tuple[tuple[int, float], ...] = ()
        cost_per_unit = None
        national = 0.0
        if plan is not None:
            years = list(plan.years.all())
            planned = tuple((y.year, float(y.target_output)) for y in years if y.year > last_year)
            costs = [usd(table, y.cost, plan.currency, date(y.year, 1, 1)) for y in years]
            targets = sum(y.target_output for y in years)
            known_costs = [c for c in costs if c is not None]
            if targets and len(known_costs) == len(costs):
                cost_per_unit = sum(known_costs) / targets
            nationals = [usd(table, y.national_funding, plan.currency, date(y.year, 1, 1)) for y in years]
            nationals_known = [n for n in nationals if n is not None]
            national = sum(nationals_known) / len(nationals_known) if nationals_known else 0.0
        pillar = str(PILLAR_OF_KIND[ObligationKind(kind)])
        window = range(today.year - WINDOW_YEARS, today.year)
        international = sum(funded.get((iso3, pillar, y), 0.0) for y in window) / WINDOW_YEARS
        history = tuple((year, releases.get(year, 0.0), additions_by_year.get(year, 0.0)) for year in sorted(releases))
        forecast_input = fc.ForecastInput(
            key=key,
            kind=KIND_CODE[ObligationKind(kind)],
            remaining=float(remaining),
            start_year=last_year + 1,
            deadline_year=deadline.year if deadline else today.year,
            history=history,
            planned=planned,
            cost_per_unit=cost_per_unit,
            national_funding=national,
            international_funding=international,
        )
        if remaining <= 0:
            continue
        inputs.append(forecast_input)
        info[key] = ObligationInfo(
            key=key,
            obligation_id=obligation.pk,
            iso3=iso3,
            state_name=obligation.state.display_name,
            kind=kind,
            kind_label=str(obligation.get_kind_display()),
            deadline=deadline,
            remaining=float(remaining),
            unit="m²" if kind == ObligationKind.CLEARANCE else "items",
        )
    return _Work(inputs, info, cells, no_baseline)


def fingerprint(inputs: list[fc.ForecastInput], *, draws: int, seed: int) -> str:
    """A short digest of the forecast's inputs (a stored run is reused while it matches)."""
    text = json.dumps([asdict(i) for i in inputs], sort_keys=True, default=str) + f"|{draws}|{seed}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def forecast_settings() -> tuple[int, int]:
    return int(getattr(settings, "CCM_FORECAST_DRAWS", 10_000)), int(getattr(settings, "CCM_FORECAST_SEED", 2026))


def compute_forecasts(inputs: list[fc.ForecastInput], *, draws: int, seed: int) -> list[dict[str, Any]]:
    return [asdict(r) for r in fc.forecast(inputs, draws=draws, seed=seed)]


def _forecasts(work: _Work, *, today: date) -> ForecastView:
    draws, seed = forecast_settings()
    digest = fingerprint(work.inputs, draws=draws, seed=seed)
    stored = (
        ForecastRun.objects.filter(status=RunStatus.DONE, inputs__fingerprint=digest).order_by("-created_at").first()
    )
    if stored is not None:
        results = stored.results
    else:
        key = f"ccm-coordination-forecast:{digest}"
        results = cache.get(key)
        if results is None:
            results = compute_forecasts(work.inputs, draws=draws, seed=seed)
            cache.set(key, results, 3600)
    by_key = {r["key"]: r for r in results}
    costed = {i.key for i in work.inputs if i.cost_per_unit is not None}
    rows = [ForecastRow(work.info[k], by_key[k], k in costed, today) for k in work.info if k in by_key]
    reason = _("No baseline of the remaining work is on record.")
    for info in work.no_baseline:
        thin = {"key": info.key, "status": "thin", "reason": reason, "p10": None, "p50": None, "p90": None}
        rows.append(
            ForecastRow(
                info,
                thin
                | {
                    "probability_on_time": None,
                    "beyond_horizon": None,
                    "extra_funding_for_80": None,
                    "draws": draws,
                    "seed": seed,
                },
            )
        )
    rows.sort(key=_risk_order)
    return ForecastView(rows, today, draws, seed, stored)


def _risk_order(row: ForecastRow) -> tuple[int, float, date, str]:
    p = row.result.get("probability_on_time")
    return (1 if p is None else 0, p if p is not None else 1.0, row.info.deadline or date.max, row.info.state_name)


def forecasts(*, user: Any, today: date) -> ForecastView:
    """Completion forecasts of every open obligation (coordinators): a stored run computed from the same
    data, or computed now (and cached for an hour)."""
    return _forecasts(_work(user=user, today=today, table=rates.rate_table()), today=today)


@dataclass
class ForecastDetail:
    row: ForecastRow
    given: fc.ForecastInput | None  # what the model was given (None: no baseline, nothing to forecast)
    view: ForecastView

    @property
    def funding_years(self) -> tuple[int, int]:
        """The complete years whose international funding the forecast averages (the three before this
        one; the dashboard's coverage also counts the current year)."""
        return self.view.as_of.year - WINDOW_YEARS, self.view.as_of.year - 1


def forecast_detail(*, user: Any, today: date, key: str) -> ForecastDetail | None:
    """One obligation's forecast with the figures it was computed from (coordinators)."""
    work = _work(user=user, today=today, table=rates.rate_table())
    view = _forecasts(work, today=today)
    row = view.by_key().get(key)
    if row is None:
        return None
    given = next((i for i in work.inputs if i.key == key), None)
    return ForecastDetail(row, given, view)


# --- Attention gap ---------------------------------------------------------------------------------


def current_weights() -> dict[str, float]:
    """The weights in use: the newest saved, else the method's defaults."""
    saved = AttentionWeights.objects.order_by("-created_at", "-id").values_list("weights", flat=True).first()
    weights = {name: float(value) for name, value in att.DEFAULT_WEIGHTS.items()}
    if saved:
        weights.update({k: float(v) for k, v in saved.items() if k in att.COMPONENTS})
    return weights


def weights_history(limit: int = 10) -> list[AttentionWeights]:
    return list(AttentionWeights.objects.select_related("created_by").order_by("-created_at", "-id")[:limit])


@dataclass
class StateLine:
    """One affected State on the dashboard: its facts, its attention score and coverage."""

    iso3: str
    name: str
    facts: att.StateFacts
    score: att.AttentionScore | None = None

    @property
    def coverage(self) -> float | None:
        return self.facts.received / self.facts.requirement if self.facts.requirement else None

    @property
    def gap(self) -> float:
        return max(self.facts.requirement - self.facts.received, 0.0)


@dataclass
class Dashboard:
    forecasts: ForecastView
    states: list[StateLine]  # ranked by attention gap, most neglected first
    weights: dict[str, float]
    window: tuple[int, int]
    unanswered: list[Any] = field(default_factory=list)  # Need rows, oldest first
    # States with an open obligation that ask donors for nothing on record (no requirement, no open need):
    # not ranked. The gap measures donors' attention against what a State asks for; a score made of "no
    # donor" and deadline risk alone would put a State that funds its own clearance first. Their deadline
    # risk is in the forecasts.
    unranked: list[tuple[str, str]] = field(default_factory=list)

    def by_iso3(self) -> dict[str, StateLine]:
        return {s.iso3: s for s in self.states}


def _open_needs(user: Any, today: date) -> QuerySet[Need]:
    """Published needs still open (not withdrawn, not met, not ended), each with its donor responses counted."""
    return (
        need_policies.needs.visible_to(user)
        .filter(published_at__isnull=False, withdrawn_at__isnull=True, met_at__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("state")
        .annotate(donor_responses=Count("responses", filter=~Q(responses__kind=ResponseKind.ANSWER)))
        .order_by("published_at", "pk")
    )


# What the dashboard is computed from (flows, needs, plans and progress, States, forecast runs).
DASHBOARD_TOPICS = ("funding", "needs", "reporting", "states", "coordination")


def dashboard(*, user: Any, today: date, weights: dict[str, float] | None = None) -> Dashboard:
    """Everything the dashboard shows (and the attention API): forecasts, the attention gap per affected
    State with its components, coverage over the window, unanswered needs. Kept in the shared cache for the
    readers who see the same rows (``shared_audience``: coordinators share one) until one of them changes."""
    return aggregate_cache.cached(
        "coordination-dashboard",
        topics=DASHBOARD_TOPICS,
        parts=(shared_audience(user), today, sorted((weights or {}).items()), forecast_settings()),
        build=lambda: _dashboard(user=user, today=today, weights=weights),
    )


def _dashboard(*, user: Any, today: date, weights: dict[str, float] | None = None) -> Dashboard:
    table = rates.rate_table()
    work = _work(user=user, today=today, table=table)
    view = _forecasts(work, today=today)
    first_year = today.year - WINDOW_YEARS + 1
    required: dict[str, float] = defaultdict(float)
    received: dict[str, float] = defaultdict(float)
    by_funder: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for cell in work.cells:
        if first_year <= cell.year <= today.year:
            required[cell.state] += float(cell.required)
            received[cell.state] += float(cell.funded)
            for funder, amount in cell.by_funder.items():
                by_funder[cell.state][funder] += float(amount)
    needs = list(_open_needs(user, today))
    open_count: dict[str, int] = defaultdict(int)
    unanswered_ages: dict[str, list[float]] = defaultdict(list)
    unanswered_rows = []
    for need in needs:
        open_count[need.state.iso3] += 1
        if need.donor_responses == 0:  # type: ignore[attr-defined]
            unanswered_ages[need.state.iso3].append(float((today - need.published_at.date()).days))  # type: ignore[union-attr]
            unanswered_rows.append(need)
    probability: dict[str, float] = {}
    remaining_km2: dict[str, float] = {}
    for row in view.rows:
        p = row.result.get("probability_on_time")
        if p is not None:
            probability[row.info.iso3] = min(p, probability.get(row.info.iso3, 1.0))
        if row.info.kind == ObligationKind.CLEARANCE and row.info.remaining is not None:
            remaining_km2[row.info.iso3] = row.info.remaining / 1_000_000
    affected = {i.iso3 for i in work.info.values()} | {i.iso3 for i in work.no_baseline} | set(open_count)
    names = {  # in the reader's language (the dashboard is cached per language)
        iso3: localized_name(iso2, name)
        for iso3, iso2, name in State.objects.filter(iso3__in=affected).values_list("iso3", "iso2", "name")
    }
    lines = []
    unranked = []
    for iso3 in sorted(affected):
        if not required.get(iso3) and not open_count.get(iso3):
            unranked.append((iso3, names.get(iso3, iso3)))
            continue
        funders = {k: v for k, v in by_funder.get(iso3, {}).items() if v > 0}
        total = sum(funders.values())
        facts = att.StateFacts(
            iso3=iso3,
            requirement=required.get(iso3, 0.0),
            received=received.get(iso3, 0.0),
            donors=len(funders),
            donor_shares=tuple(sorted((v / total for v in funders.values()), reverse=True)) if total else (),
            open_needs=open_count.get(iso3, 0),
            unanswered_needs=len(unanswered_ages.get(iso3, [])),
            unanswered_age_days=statistics.median(unanswered_ages[iso3]) if unanswered_ages.get(iso3) else 0.0,
            probability_on_time=probability.get(iso3),
            remaining_km2=remaining_km2.get(iso3),
            funding_last_years=received.get(iso3, 0.0),
        )
        lines.append(StateLine(iso3, names.get(iso3, iso3), facts))
    used = weights if weights is not None else current_weights()
    scores = {s.iso3: s for s in att.attention_gap([line.facts for line in lines], used)}
    for line in lines:
        line.score = scores.get(line.iso3)
    lines.sort(key=lambda s: (s.score.rank if s.score else 10**6, s.name))
    unranked.sort(key=lambda pair: pair[1])
    return Dashboard(view, lines, used, (first_year, today.year), unanswered_rows, unranked)


# --- Matching and allocation -----------------------------------------------------------------------


def cycle_month(text: str) -> int | None:
    """The month a donor's funding cycle opens, read from its profile's words ("first quarter", "March")."""
    words = text.lower()
    found: list[tuple[int, int]] = []
    for i, name in enumerate(MONTHS):
        # "may" is also a verb: counted only as "in May", "May 2027" or "1 May"
        pattern = r"\b(in|from|by|until) may\b|\bmay \d|\d may\b" if name == "may" else rf"\b{name}\b"
        hit = re.search(pattern, words)
        if hit:
            found.append((hit.start(), i + 1))
    if found:
        return min(found)[1]
    for ordinal, first_month in QUARTERS.items():
        if re.search(rf"\b{ordinal} quarter\b", words):
            return first_month
    return None


@dataclass
class DonorInfo:
    organisation: Organisation
    profile: DonorProfile
    donor: matching.MatchDonor
    yearly_usd: float  # its usual yearly funding (recent average), before any share is applied
    pledged_this_year: float


@dataclass
class NeedInfo:
    need: Need
    gap_usd: float
    match: matching.MatchNeed


def _need_info(needs: list[Need], pledged: dict[int, Decimal], table: rates.RateTable, today: date) -> list[NeedInfo]:
    result = []
    for need in needs:
        if need.amount is None:
            continue
        left = max(need.amount - pledged.get(need.pk, Decimal(0)), Decimal(0))
        gap = usd(table, left, need.currency, today)
        if gap is None or gap <= 0:
            continue
        published = need.published_at.date() if need.published_at else today
        urgency = URGENCY.get(Priority(need.priority), 1.0)
        result.append(
            NeedInfo(
                need,
                gap,
                matching.MatchNeed(
                    id=need.pk,
                    iso3=need.state.iso3,
                    pillar=need.pillar,
                    modality=need.modality,
                    gap=gap,
                    created_days_ago=float((today - published).days),
                    urgency=urgency,
                ),
            )
        )
    return result


def open_needs(*, user: Any, today: date, table: rates.RateTable | None = None) -> list[NeedInfo]:
    """Open published needs with an amount still unfunded (in US dollars), as ``user`` may see them."""
    from ccm.needs.selectors import pledged_on

    table = table or rates.rate_table()
    needs = list(_open_needs(user, today).filter(amount__isnull=False))
    return _need_info(needs, pledged_on([n.pk for n in needs]), table, today)


SHARED_NEEDS = (Visibility.PUBLIC, Visibility.PLATFORM)  # needs every signed-in donor may read


def donors(*, user: Any, today: date, table: rates.RateTable | None = None) -> list[DonorInfo]:
    """Donor organisations with a profile the user may see, with what matching and allocation need:
    priorities, history per State, usual yearly funding, pledges this year, past response rate."""
    table = table or rates.rate_table()
    profiles = list(
        need_policies.donor_profiles.visible_to(user)
        .filter(organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("priority_states")
    )
    org_ids = [p.organisation_id for p in profiles]
    region_states: dict[str, set[str]] = defaultdict(set)
    for iso3, region in State.objects.exclude(region="").values_list("iso3", "region"):
        region_states[region].add(iso3)
    flows = (
        flow_policies.flows.visible_to(user)
        .filter(funder_id__in=org_ids, usd_amount__isnull=False, recipient_state__isnull=False)
        .values("funder_id", "recipient_state__iso3", "stage", "value_date__year")
        .annotate(**money.sum_parts("usd_amount", name="usd"))
    )
    history: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    yearly: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    pledged_now: dict[int, float] = defaultdict(float)
    for row in flows:
        amount = float(money.from_parts(row["usd_high"], row["usd_low"]) or 0)
        org, stage, year = row["funder_id"], row["stage"], row["value_date__year"]
        if stage != Stage.PLEDGE:
            history[org][row["recipient_state__iso3"]] += amount
            yearly[(org, year)][stage] += amount
        elif year == today.year:
            pledged_now[org] += amount
    # Past response rate: needs of the last two years in the donor's pillars it answered (any response)
    since = date(today.year - 2, today.month, min(today.day, 28))
    recent = list(
        need_policies.needs.visible_to(user)
        .filter(published_at__date__gte=since)
        .values_list("pk", "pillar", "state__iso3")
    )
    answered: dict[int, set[int]] = defaultdict(set)
    for org, need_id in (
        Response.objects.filter(organisation_id__in=org_ids, need_id__in=[n for n, _p, _s in recent])
        .exclude(kind=ResponseKind.ANSWER)
        .values_list("organisation_id", "need_id")
        .distinct()
    ):
        answered[org].add(need_id)
    result = []
    for profile in profiles:
        org = profile.organisation
        countries = {s.iso3 for s in profile.priority_states.all()}
        for region in profile.priority_regions or []:
            countries |= region_states.get(region, set())
        pillars = frozenset(profile.pillars or [])
        years = [
            max(v.get(Stage.COMMITMENT, 0.0), v.get(Stage.DISBURSEMENT, 0.0))
            for (o, y), v in yearly.items()
            if o == org.pk and today.year - WINDOW_YEARS <= y < today.year
        ]
        usual = sum(years) / WINDOW_YEARS if years else 0.0
        if not usual and profile.grant_max:
            usual = (usd(table, profile.grant_max, profile.currency, today) or 0.0) * 2
        matched = [n for n, pillar, _s in recent if not pillars or pillar in pillars]
        rate = len(answered[org.pk] & set(matched)) / len(matched) if matched else None
        left = max(usual - pledged_now.get(org.pk, 0.0), 0.0)
        donor = matching.MatchDonor(
            id=org.pk,
            name=org.name,
            countries=frozenset(countries),
            pillars=pillars,
            modalities=frozenset(profile.modalities or []),
            envelope_left=left if usual else None,
            funded_states=dict(history.get(org.pk, {})),
            response_rate=rate,
            cycle_month=cycle_month(profile.funding_cycle),
        )
        result.append(DonorInfo(org, profile, donor, usual, pledged_now.get(org.pk, 0.0)))
    result.sort(key=lambda d: d.organisation.name)
    return result


@dataclass
class MatchRow:
    match: matching.Match
    donor: DonorInfo | None = None
    need: NeedInfo | None = None
    reasons: list[tuple[str, float]] = field(default_factory=list)  # the reason in words, its points


def _explained(
    match: matching.Match, need: matching.MatchNeed, donor: matching.MatchDonor, names: dict[str, str], month: int
) -> list[tuple[str, float]]:
    from ccm.coordination.reasons import explain

    return [(explain(r, need, donor, names, month=month), r.points) for r in match.reasons]


def need_matches(*, user: Any, need: Need, today: date, limit: int = 10) -> tuple[NeedInfo | None, list[MatchRow]]:
    """Donors that fit ``need``, ranked with their reasons (coordinators)."""
    from ccm.needs.selectors import pledged_on

    table = rates.rate_table()
    infos = _need_info([need], pledged_on([need.pk]), table, today)
    if infos:
        target = infos[0].match
    else:  # in kind or fully pledged: ranked on fit alone
        published = need.published_at.date() if need.published_at else today
        target = matching.MatchNeed(
            need.pk,
            need.state.iso3,
            need.pillar,
            need.modality,
            0.0,
            float((today - published).days),
            URGENCY.get(Priority(need.priority), 1.0),
        )
    pool = donors(user=user, today=today, table=table)
    by_id = {d.donor.id: d for d in pool}
    found = matching.donors_for_need(target, [d.donor for d in pool], month=today.month, limit=limit)
    names = {need.state.iso3: need.state.display_name}
    rows = [
        MatchRow(m, donor=by_id[m.donor_id], reasons=_explained(m, target, by_id[m.donor_id].donor, names, today.month))
        for m in found
        if m.donor_id in by_id
    ]
    return (infos[0] if infos else None), rows


def donor_matches(
    *, user: Any, organisation: Organisation, today: date, limit: int = 20
) -> tuple[DonorInfo | None, list[MatchRow]]:
    """Open needs that fit a donor best, with the reasons (coordinators)."""
    table = rates.rate_table()
    pool = [d for d in donors(user=user, today=today, table=table) if d.organisation.pk == organisation.pk]
    if not pool:
        return None, []
    needs = open_needs(user=user, today=today, table=table)
    by_id = {n.need.pk: n for n in needs}
    donor = pool[0]
    found = matching.needs_for_donor(donor.donor, [n.match for n in needs], month=today.month, limit=limit)
    names = {n.need.state.iso3: n.need.state.display_name for n in needs}
    rows = [
        MatchRow(
            m, need=by_id[m.need_id], reasons=_explained(m, by_id[m.need_id].match, donor.donor, names, today.month)
        )
        for m in found
        if m.need_id in by_id
    ]
    return donor, rows


@dataclass
class AllocationInputs:
    needs: list[alloc.AllocNeed]
    donors: list[alloc.AllocDonor]
    need_info: dict[int, NeedInfo]
    donor_info: dict[int, DonorInfo]


def allocation_inputs(*, user: Any, today: date, percent: int = 100) -> AllocationInputs:
    """The open needs (gap in US dollars, urgency from priority) and the donors (envelope: ``percent`` of
    its usual yearly funding less what it pledged this year; eligibility by pillar and modality; its priority
    countries and the States it funded before as preferences)."""
    table = rates.rate_table()
    # A need kept to chosen donors stays out: a run shows each donor the needs of its lines.
    needs = [n for n in open_needs(user=user, today=today, table=table) if n.need.visibility in SHARED_NEEDS]
    pool = donors(user=user, today=today, table=table)
    alloc_needs = [
        alloc.AllocNeed(
            id=n.need.pk,
            iso3=n.match.iso3,
            pillar=n.match.pillar,
            modality=n.match.modality,
            gap=n.gap_usd,
            urgency=n.match.urgency,
        )
        for n in needs
    ]
    alloc_donors = []
    for d in pool:
        envelope = max(d.yearly_usd * percent / 100 - d.pledged_this_year, 0.0)
        if envelope <= 0:
            continue
        alloc_donors.append(
            alloc.AllocDonor(
                id=d.organisation.pk,
                envelope=envelope,
                pillars=d.donor.pillars,
                modalities=d.donor.modalities,
                preferred=frozenset(d.donor.countries | set(d.donor.funded_states)),
            )
        )
    return AllocationInputs(
        alloc_needs, alloc_donors, {n.need.pk: n for n in needs}, {d.organisation.pk: d for d in pool}
    )


# --- Saved runs ------------------------------------------------------------------------------------


def run_rows(*, user: Any) -> QuerySet[AllocationRun]:
    return (
        policies.runs.visible_to(user)
        .select_related("created_by")
        .annotate(line_count=Count("lines"), pledged_count=Count("lines", filter=Q(lines__pledged_at__isnull=False)))
        .order_by("-created_at", "-id")
    )


@dataclass
class RunView:
    run: AllocationRun
    lines: list[AllocationLine]
    visible_needs: set[int]  # the lines' needs this reader may see (others are shown without their title)
    coordinated: dict[str, Any]
    baseline: dict[str, Any]
    coverage: list[dict[str, Any]]  # per State: name, coordinated and baseline coverage, gap
    sees_all: bool

    @property
    def fewer_with_nothing(self) -> int | None:
        if not self.coordinated or not self.baseline:
            return None
        return int(self.baseline["states_with_nothing"]) - int(self.coordinated["states_with_nothing"])

    @property
    def more_with_nothing(self) -> int:
        fewer = self.fewer_with_nothing
        return -fewer if fewer is not None and fewer < 0 else 0


def run_view(*, user: Any, run: AllocationRun) -> RunView:
    """A run as ``user`` may see it: coordinators every line; a donor's members only its own lines; the
    aggregate metrics for both."""
    lines = list(
        policies.lines.visible_to(user)
        .filter(run=run)
        .select_related("donor", "need__state", "pledged_flow")
        .order_by("donor__name", "need__state__name", "need_id")
    )
    visible = set(
        need_policies.needs.visible_to(user)
        .filter(pk__in={line.need_id for line in lines})
        .values_list("pk", flat=True)
    )
    outputs = run.outputs or {}
    names = dict(
        State.objects.filter(iso3__in=list((outputs.get("coverage") or {}).keys())).values_list("iso3", "name")
    )
    coverage_rows = [
        {"iso3": iso3, "name": names.get(iso3, iso3), **values}
        for iso3, values in (outputs.get("coverage") or {}).items()
    ]
    coverage_rows.sort(key=lambda r: (r.get("coordinated") or 0.0, r["name"]))
    return RunView(
        run,
        lines,
        visible,
        outputs.get("coordinated") or {},
        outputs.get("baseline") or {},
        coverage_rows,
        policies.may_coordinate(user),
    )


def shared_runs_for(user: Any) -> QuerySet[AllocationRun]:
    """Runs shared with one of the user's organisations (not for coordinators: they see the list)."""
    if policies.may_coordinate(user):
        return AllocationRun.objects.none()
    return policies.runs.visible_to(user).order_by("-shared_at")


def now() -> Any:
    return timezone.now()
