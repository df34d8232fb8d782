"""Reads for the funding pages: flows and coverage, through the flow, need and plan policies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ccm.analytics.coverage import CoverageCell, FlowFact, RequirementFact, coverage
from ccm.funding import policies
from ccm.funding.models import FundingFlow
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
    queryset = policies.flows.visible_to(user).select_related("recipient_state", "funder", "need")
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
    for need in needs:
        year = need.starts_on.year if need.starts_on else need.published_at.year  # type: ignore[union-attr]
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


def coverage_cells(
    *, user: Any, table: RateTable, state_iso3: str = "", year: int | None = None, pillar: str = ""
) -> tuple[list[CoverageCell], int]:
    """Coverage per (State, pillar, year), and how many visible flows had no USD amount."""
    queryset = flows(user=user, filters=FlowFilters(recipient=state_iso3)).filter(recipient_state__isnull=False)
    facts = []
    unconverted = 0
    for flow in queryset.values_list(
        "recipient_state__iso3", "pillar", "value_date", "funder_ref", "stage", "usd_amount"
    ):
        iso3, flow_pillar, value_date, funder, stage, usd = flow
        if usd is None:
            unconverted += 1
            continue
        facts.append(FlowFact(iso3, flow_pillar, value_date.year, funder, stage, usd))
    cells = coverage(facts, requirements(user=user, table=table, state_iso3=state_iso3))
    if year:
        cells = [c for c in cells if c.year == year]
    if pillar:
        cells = [c for c in cells if c.pillar == pillar]
    return cells, unconverted


@dataclass
class StateTotal:
    iso3: str
    required: Decimal
    funded: Decimal
    pledged: Decimal
    donors: int

    @property
    def coverage(self) -> float | None:
        return float(self.funded / self.required) if self.required else None


def by_state(cells: list[CoverageCell]) -> list[StateTotal]:
    totals: dict[str, StateTotal] = {}
    funders: dict[str, set[str]] = {}
    for c in cells:
        total = totals.setdefault(c.state, StateTotal(c.state, Decimal(0), Decimal(0), Decimal(0), 0))
        total.required += c.required
        total.funded += c.funded
        total.pledged += c.pledged
        funders.setdefault(c.state, set()).update(f for f, amount in c.by_funder.items() if amount > 0)
    for iso3, total in totals.items():
        total.donors = len(funders[iso3])
    return sorted(totals.values(), key=lambda t: (t.coverage if t.coverage is not None else 2.0, t.iso3))
