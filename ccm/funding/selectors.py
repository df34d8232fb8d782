"""Reads for the funding pages: flows and coverage, through the flow, need and plan policies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet

from ccm.analytics.coverage import CoverageCell, FlowFact, RequirementFact, coverage
from ccm.core import cache as aggregate_cache
from ccm.core import money
from ccm.core.policies import organisation_ids, shared_audience
from ccm.funding import policies
from ccm.funding.models import FundingFlow, Stage
from ccm.funding.rates import RateTable
from ccm.needs import policies as need_policies
from ccm.reporting import selectors as plan_selectors

PILLAR_OF_OBLIGATION = {"clearance": "clearance", "stockpile_destruction": "stockpile_destruction"}


@dataclass(frozen=True)
class FlowFilters:
    funder: str = ""
    recipient: str = ""  # ISO3
    stage: str = ""
    year: int | None = None
    pillar: str = ""


def flows(*, user: Any, filters: FlowFilters) -> QuerySet[FundingFlow]:
    """The flows ``user`` may see; each with ``need_visible``: a flow linked to a need the user may not
    see shows no link to it (``shown_need``)."""
    queryset = (
        policies.flows.visible_to(user)
        .select_related("recipient_state", "funder", "need")
        .annotate(need_visible=Exists(need_policies.needs.visible_to(user).filter(pk=OuterRef("need_id"))))
    )
    return filter_flows(queryset, filters)


def filter_flows(queryset: QuerySet[FundingFlow], filters: FlowFilters) -> QuerySet[FundingFlow]:
    """``queryset`` narrowed by ``filters`` (one definition for the flow lists, the API and the explorer)."""
    if filters.funder:
        queryset = queryset.filter(funder_ref=filters.funder) | queryset.filter(funder__slug=filters.funder)
    if filters.recipient:
        queryset = queryset.filter(recipient_state__iso3=filters.recipient.upper())
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.year:
        queryset = queryset.filter(value_date__year=filters.year)
    if filters.pillar:
        queryset = queryset.filter(pillar=filters.pillar)
    return queryset


def _usd(table: RateTable, amount: Decimal, currency: str, day: date) -> Decimal | None:
    rate = table.rate(currency, day)
    if rate is None and currency:
        # a future year: the latest rate known (the plan's own figures are estimates too)
        series = table.daily.get(currency.upper())
        if series and day > series[0][-1]:
            return (amount * series[1][-1]).quantize(Decimal("0.01"))
        return None
    return (amount * rate.to_usd).quantize(Decimal("0.01")) if rate else None


def requirements(*, user: Any, table: RateTable, state_iso3: str = "") -> list[RequirementFact]:
    """What is required, in its two parts (one definition for the funding pages, the country profile and
    the brief): the plan gap — per year of the approved completion plan in force, its cost less national
    funding — and the needs not in the plan: published needs with an amount, except those of an
    obligation whose plan in force has a line for the need's year (the plan already costs that work)."""
    facts: list[RequirementFact] = []
    needs = (
        need_policies.needs.visible_to(user)
        .filter(published_at__isnull=False, withdrawn_at__isnull=True, amount__isnull=False)
        .select_related("state")
    )
    if state_iso3:
        needs = needs.filter(state__iso3=state_iso3)
    # the plan in force per obligation, as the reporting selectors decide what this reader sees
    plans = plan_selectors.plans_in_force(user=user, state_iso3=state_iso3)
    planned = {(plan.obligation_id, item.year) for plan in plans for item in plan.years.all()}
    for need in needs:
        year = need.starts_on.year if need.starts_on else need.published_at.year  # type: ignore[union-attr]
        if (need.obligation_id, year) in planned:
            continue  # the plan in force costs this year of the obligation's work: the need is part of it
        usd = _usd(table, need.amount, need.currency, date(year, 1, 1))
        if usd is not None:
            facts.append(RequirementFact(need.state.iso3, need.pillar, year, usd, "needs"))
    for plan in plans:
        for item in plan.years.all():
            international = max(item.cost - item.national_funding, Decimal(0))
            usd = _usd(table, international, plan.currency, date(item.year, 1, 1))
            if usd is not None and international:
                facts.append(
                    RequirementFact(
                        plan.obligation.state.iso3, PILLAR_OF_OBLIGATION[plan.obligation.kind], item.year, usd, "plan"
                    )
                )
    return facts


# What coverage is computed from: flows and rates (funding), needs, completion plans (reporting), States.
COVERAGE_TOPICS = ("funding", "needs", "reporting", "states")


def coverage_cells(
    *, user: Any, table: RateTable, state_iso3: str = "", year: int | None = None, pillar: str = ""
) -> tuple[list[CoverageCell], int]:
    """Coverage per (State, pillar, year), and how many visible flows had no USD amount. Computed once for
    each audience (readers who see the same rows, ``shared_audience``) and kept in the shared cache until a
    flow, need, plan or rate changes."""
    cells, unconverted = aggregate_cache.cached(
        "coverage-cells",
        topics=COVERAGE_TOPICS,
        parts=(shared_audience(user), state_iso3.upper()),
        build=lambda: _coverage_cells(user=user, table=table, state_iso3=state_iso3),
    )
    if year:
        cells = [c for c in cells if c.year == year]
    if pillar:
        cells = [c for c in cells if c.pillar == pillar]
    return cells, unconverted


def _coverage_cells(*, user: Any, table: RateTable, state_iso3: str = "") -> tuple[list[CoverageCell], int]:
    queryset = flows(user=user, filters=FlowFilters(recipient=state_iso3)).filter(recipient_state__isnull=False)
    facts = []
    unconverted = 0
    for flow in queryset.values_list(
        "recipient_state__iso3", "pillar", "value_date", "funder_ref", "stage", "usd_amount", "pk", "follows_id"
    ):
        iso3, flow_pillar, value_date, funder, stage, usd, key, follows = flow
        if usd is None:
            unconverted += 1
            continue
        facts.append(FlowFact(iso3, flow_pillar, value_date.year, funder, stage, usd, key=key, follows=follows))
    return coverage(facts, requirements(user=user, table=table, state_iso3=state_iso3)), unconverted


@dataclass
class StateTotal:
    iso3: str
    required: Decimal
    funded: Decimal
    pledged: Decimal
    donors: int
    required_plan: Decimal = Decimal(0)
    required_needs: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)

    @property
    def coverage(self) -> float | None:
        return float(self.funded / self.required) if self.required else None


def by_state(cells: list[CoverageCell]) -> list[StateTotal]:
    totals: dict[str, StateTotal] = {}
    funders: dict[str, set[str]] = {}
    for c in cells:
        total = totals.setdefault(c.state, StateTotal(c.state, Decimal(0), Decimal(0), Decimal(0), 0))
        total.required += c.required
        total.required_plan += c.required_plan
        total.required_needs += c.required_needs
        total.committed += c.committed
        total.disbursed += c.disbursed
        total.funded += c.funded
        total.pledged += c.pledged
        funders.setdefault(c.state, set()).update(f for f, amount in c.by_funder.items() if amount > 0)
    for iso3, total in totals.items():
        total.donors = len(funders[iso3])
    return sorted(totals.values(), key=lambda t: (t.coverage if t.coverage is not None else 2.0, t.iso3))


@dataclass
class PledgeChain:
    """A pledge and what followed it (amounts in the pledge's currency where the follow-up is in it; US
    dollars for every stage alike). ``need`` is None when the reader may not see the pledge's need."""

    pledge: FundingFlow
    need: Any
    committed: Decimal
    disbursed: Decimal
    committed_usd: Decimal
    disbursed_usd: Decimal


def pledge_chains(
    *, user: Any, state_iso3: str = "", funder: str = "", need_id: int | None = None, limit: int = 200
) -> list[PledgeChain]:
    """The pledges ``user`` may see (of a State, a funder or a need), each with the commitments recorded
    against it and the disbursements against those commitments that the user may see: the chain
    pledge → committed → disbursed, in three queries."""
    pledges = flows(user=user, filters=FlowFilters(recipient=state_iso3, funder=funder, stage=Stage.PLEDGE))
    if need_id is not None:
        pledges = pledges.filter(need_id=need_id)
    return chains_of(user=user, pledges=list(pledges[:limit]))


def chains_of(*, user: Any, pledges: list[FundingFlow]) -> list[PledgeChain]:
    """``pledges`` (annotated with ``need_visible``) with what followed each, as ``user`` may see it."""
    rows = pledges
    visible = policies.flows.visible_to(user)
    commitments = list(
        visible.filter(follows__in=[p.pk for p in rows], stage=Stage.COMMITMENT).values_list(
            "pk", "follows_id", "amount", "currency", "usd_amount"
        )
    )
    disbursements = list(
        visible.filter(follows__in=[c[0] for c in commitments], stage=Stage.DISBURSEMENT).values_list(
            "follows_id", "amount", "currency", "usd_amount"
        )
    )
    pledge_of = {pk: pledge_id for pk, pledge_id, *_rest in commitments}
    by_pk = {p.pk: p for p in rows}
    sums: dict[int, list[Decimal]] = {p.pk: [Decimal(0)] * 4 for p in rows}
    for _pk, pledge_id, amount, currency, usd in commitments:
        if currency == by_pk[pledge_id].currency:
            sums[pledge_id][0] += amount
        sums[pledge_id][2] += usd or 0
    for commitment_id, amount, currency, usd in disbursements:
        pledge_id = pledge_of[commitment_id]
        if currency == by_pk[pledge_id].currency:
            sums[pledge_id][1] += amount
        sums[pledge_id][3] += usd or 0
    return [
        PledgeChain(p, p.need if p.need_visible else None, *sums[p.pk])  # type: ignore[attr-defined]
        for p in rows
    ]


def need_money(*, user: Any, need_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Per need (in the need's currency): what is pledged on it and what is committed against those
    pledges, as ``user`` may see (pledges on a need are public; a commitment may be kept)."""
    visible = policies.flows.visible_to(user).filter(need_id__in=need_ids, need__currency=F("currency"))
    totals = {pk: (Decimal(0), Decimal(0)) for pk in need_ids}
    rows = visible.values("need_id", "stage").annotate(**money.sum_parts("amount", name="total"), n=Count("pk"))
    for row in rows:
        amount = money.from_parts(row["total_high"], row["total_low"]) or Decimal(0)
        pledged, committed = totals[row["need_id"]]
        if row["stage"] == Stage.PLEDGE:
            pledged += amount
        elif row["stage"] == Stage.COMMITMENT:
            committed += amount
        totals[row["need_id"]] = (pledged, committed)
    return totals


def pledges_awaiting_commitment(user: Any) -> QuerySet[FundingFlow]:
    """The pledges of the user's organisations with no commitment recorded against them yet, oldest
    first (for a signed-in "what needs me" page)."""
    return (
        FundingFlow.objects.filter(stage=Stage.PLEDGE, funder_id__in=organisation_ids(user))
        .exclude(Exists(FundingFlow.objects.filter(follows=OuterRef("pk"), stage=Stage.COMMITMENT)))
        .select_related("recipient_state", "funder", "need")
        .annotate(need_visible=Exists(need_policies.needs.visible_to(user).filter(pk=OuterRef("need_id"))))
        .order_by("value_date", "pk")
    )


@dataclass(frozen=True)
class DonorYear:
    year: int
    donor: str
    pledged: Decimal
    committed: Decimal
    disbursed: Decimal


def donor_years(*, user: Any, state_iso3: str) -> list[DonorYear]:
    """Funding to a State by donor and year, per stage, in US dollars, as ``user`` may see it (one query)."""
    rows = (
        policies.flows.visible_to(user)
        .filter(recipient_state__iso3=state_iso3, usd_amount__isnull=False)
        .values("value_date__year", "funder_name", "funder_ref", "stage")
        .annotate(**money.sum_parts("usd_amount", name="usd"))
        .order_by("value_date__year", "funder_name", "funder_ref")
    )
    table: dict[tuple[int, str], dict[str, Decimal]] = {}
    for row in rows:
        key = (row["value_date__year"], row["funder_name"] or row["funder_ref"])
        stages = table.setdefault(key, {})
        stages[row["stage"]] = stages.get(row["stage"], Decimal(0)) + (
            money.from_parts(row["usd_high"], row["usd_low"]) or Decimal(0)
        )
    return [
        DonorYear(
            year,
            donor,
            stages.get(Stage.PLEDGE, Decimal(0)),
            stages.get(Stage.COMMITMENT, Decimal(0)),
            stages.get(Stage.DISBURSEMENT, Decimal(0)),
        )
        for (year, donor), stages in sorted(table.items())
    ]
