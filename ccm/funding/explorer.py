"""The funding explorer's reads: every flow the reader may see, filtered, with totals and breakdowns.

Everything starts from ``policies.flows.visible_to(user)``: a flow the reader may not see is neither
listed nor counted in a total, a ranking or the trend. Each aggregation is one bounded query, done in
the database, so the number of queries does not grow with the number of flows.

Stages are not added together (a disbursement usually follows a commitment of the same money): totals
are given per stage. A funder's "funded" amount is the larger of what it committed and what it
disbursed, as in the coverage figures (``ccm.analytics.coverage``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, FloatField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear, Greatest

from ccm.core import cache as aggregate_cache
from ccm.core import money
from ccm.core.policies import shared_audience
from ccm.funding import policies, selectors
from ccm.funding.models import FundingFlow, IatiActivity, Stage

# Rows kept per breakdown (the largest first), years kept in the trend; flows in one spreadsheet. The XLSX
# is written whole before it is sent: 200,000 flows took 15.6 s (bench/exports.py), so 300,000 stay well
# inside the web worker's 60 s timeout (docs/deployment.md), where Excel's own limit (1,048,575) would not.
# The CSV streams and has no bound.
BREAKDOWN_LIMIT = 25
TREND_YEARS = 30
XLSX_MAX_ROWS = 300_000
EXPORT_CHUNK = 2000
FUNDER_CHOICES_LIMIT = 500

ZERO = Decimal(0)


@dataclass(frozen=True)
class ExplorerFilters:
    """A selection of flows; empty values do not filter."""

    q: str = ""  # words in the funder, recipient, implementer or IATI activity identifier
    funder: str = ""  # funder reference (an organisation's slug or an IATI organisation reference)
    recipient: str = ""  # ISO3
    pillar: str = ""
    stage: str = ""
    year: int | None = None
    source: str = ""
    activity: str = ""  # IATI activity identifier

    def as_query(self) -> dict[str, str]:
        """The filters as query-string parameters (only those set)."""
        values = {
            "q": self.q,
            "funder": self.funder,
            "recipient": self.recipient,
            "pillar": self.pillar,
            "stage": self.stage,
            "year": str(self.year) if self.year else "",
            "source": self.source,
            "activity": self.activity,
        }
        return {key: value for key, value in values.items() if value}


def visible_flows(*, user: Any) -> QuerySet[FundingFlow]:
    return policies.flows.visible_to(user)


def explorer_flows(*, user: Any, filters: ExplorerFilters) -> QuerySet[FundingFlow]:
    """The visible flows of the selection, newest first, with what the table shows."""
    queryset = visible_flows(user=user).select_related("recipient_state")
    if filters.q:
        queryset = queryset.filter(
            Q(funder_name__icontains=filters.q)
            | Q(funder_ref__icontains=filters.q)
            | Q(recipient_label__icontains=filters.q)
            | Q(recipient_state__name__icontains=filters.q)
            | Q(implementer_name__icontains=filters.q)
            | Q(iati_activity__icontains=filters.q)
        )
    queryset = selectors.filter_flows(
        queryset,
        selectors.FlowFilters(
            funder=filters.funder,
            recipient=filters.recipient,
            stage=filters.stage,
            year=filters.year,
            pillar=filters.pillar,
        ),
    )
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.activity:
        queryset = queryset.filter(iati_activity=filters.activity)
    return queryset.order_by("-value_date", "-id")


STAGE_NAMES = {"pledged": Stage.PLEDGE, "committed": Stage.COMMITMENT, "disbursed": Stage.DISBURSEMENT}


def _stage_sums() -> dict[str, Any]:
    """Exact sums per stage (``money.sum_parts``: amounts are whole cents, and a plain ``Sum`` could
    overflow), and approximate ones (``*_rank``, floats) for ordering in the database."""
    sums: dict[str, Any] = {}
    for name, stage in STAGE_NAMES.items():
        sums.update(money.sum_parts("usd_amount", name=name, filter=Q(stage=stage)))
        approx = Sum(Cast("usd_amount", FloatField()), filter=Q(stage=stage))
        sums[f"{name}_rank"] = Coalesce(approx, Value(0.0), output_field=FloatField())
    return sums


def _stage_values(row: dict[str, Any]) -> dict[str, Decimal]:
    """The exact sums per stage of an aggregated row."""
    return {name: money.from_parts(row[f"{name}_high"], row[f"{name}_low"]) or ZERO for name in STAGE_NAMES}


def _row(key: str, label: str, aggregated: dict[str, Any], pillar: str = "") -> Row:
    sums = _stage_values(aggregated)
    return Row(key, label, aggregated["flows"], sums["pledged"], sums["committed"], sums["disbursed"], pillar=pillar)


@dataclass
class Totals:
    flows: int = 0
    unconverted: int = 0  # flows without a US-dollar amount (no rate): counted, not summed
    pledged: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    funders: int = 0
    recipients: int = 0


@dataclass
class Row:
    """One line of a breakdown: the key the drill-down link filters on, its label, the sums per stage."""

    key: str
    label: str
    flows: int
    pledged: Decimal
    committed: Decimal
    disbursed: Decimal
    pillar: str = ""

    @property
    def funded(self) -> Decimal:
        return max(self.committed, self.disbursed)


@dataclass
class Summary:
    totals: Totals
    by_funder: list[Row] = field(default_factory=list)
    by_recipient: list[Row] = field(default_factory=list)
    by_year: list[Row] = field(default_factory=list)
    funders_more: bool = False
    recipients_more: bool = False


def totals(queryset: QuerySet[FundingFlow]) -> Totals:
    """One query: counts and the sums per stage of the selection."""
    row = queryset.order_by().aggregate(
        flows=Count("id"),
        unconverted=Count("id", filter=Q(usd_amount__isnull=True)),
        funders=Count("funder_ref", distinct=True),
        recipients=Count("recipient_state", distinct=True),
        **_stage_sums(),
    )
    return Totals(
        flows=row["flows"],
        unconverted=row["unconverted"],
        funders=row["funders"],
        recipients=row["recipients"],
        **_stage_values(row),
    )


def by_funder(queryset: QuerySet[FundingFlow], limit: int = BREAKDOWN_LIMIT) -> list[Row]:
    """The donor ranking: funders by what they funded (the larger of committed and disbursed), then
    by pledges. One query, at most ``limit`` rows."""
    rows = (
        queryset.order_by()
        .values("funder_ref")
        .annotate(label=Max("funder_name"), flows=Count("id"), **_stage_sums())
        .annotate(funded_rank=Greatest("committed_rank", "disbursed_rank"))
        .order_by("-funded_rank", "-pledged_rank", "label", "funder_ref")[:limit]
    )
    return [_row(r["funder_ref"], r["label"] or r["funder_ref"], r) for r in rows]


def by_recipient(queryset: QuerySet[FundingFlow], limit: int = BREAKDOWN_LIMIT) -> list[Row]:
    """Recipient States and pillars, the largest first (flows to a region or no State are left out of
    this breakdown, not of the totals). One query, at most ``limit`` rows."""
    rows = (
        queryset.order_by()
        .filter(recipient_state__isnull=False)
        .values("recipient_state__iso3", "recipient_state__name", "pillar")
        .annotate(flows=Count("id"), **_stage_sums())
        .annotate(funded_rank=Greatest("committed_rank", "disbursed_rank"))
        .order_by("-funded_rank", "-pledged_rank", "recipient_state__name", "pillar")[:limit]
    )
    return [_row(r["recipient_state__iso3"], r["recipient_state__name"], r, pillar=r["pillar"]) for r in rows]


def by_year(queryset: QuerySet[FundingFlow], limit: int = TREND_YEARS) -> list[Row]:
    """The trend: sums per stage for each year of value date, the latest ``limit`` years, oldest first.
    One query."""
    rows = (
        queryset.order_by()
        .annotate(year=ExtractYear("value_date"))
        .values("year")
        .annotate(flows=Count("id"), **_stage_sums())
        .order_by("-year")[:limit]
    )
    return sorted(
        (_row(str(r["year"]), str(r["year"]), r) for r in rows),
        key=lambda row: row.key,
    )


# What the explorer's figures are computed from: the flows (funding) and the States' names.
EXPLORER_TOPICS = ("funding", "states")


def summary(*, user: Any, filters: ExplorerFilters) -> Summary:
    """Totals and the three breakdowns of the selection (four queries, whatever the number of flows), kept in
    the shared cache for the readers who see the same flows (``shared_audience``) until a flow changes."""
    return aggregate_cache.cached(
        "explorer-summary",
        topics=EXPLORER_TOPICS,
        parts=(shared_audience(user), sorted(filters.as_query().items())),
        build=lambda: _summary(user=user, filters=filters),
    )


def _summary(*, user: Any, filters: ExplorerFilters) -> Summary:
    queryset = explorer_flows(user=user, filters=filters)
    result = Summary(totals=totals(queryset))
    if not result.totals.flows:
        return result
    result.by_funder = by_funder(queryset)
    result.by_recipient = by_recipient(queryset)
    result.by_year = by_year(queryset)
    result.funders_more = result.totals.funders > len(result.by_funder)
    result.recipients_more = len(result.by_recipient) >= BREAKDOWN_LIMIT
    return result


def funder_choices(*, user: Any) -> list[tuple[str, str]]:
    """The funders of the flows the reader may see, by name: (reference, name). One query, bounded; shared
    by the readers who see the same flows."""
    return aggregate_cache.cached(
        "explorer-funders", topics=EXPLORER_TOPICS, parts=(shared_audience(user),), build=lambda: _funders(user)
    )


def _funders(user: Any) -> list[tuple[str, str]]:
    rows = (
        visible_flows(user=user)
        .order_by()
        .exclude(funder_ref="")
        .values("funder_ref")
        .annotate(name=Max("funder_name"))
        .order_by("name", "funder_ref")[:FUNDER_CHOICES_LIMIT]
    )
    return [(r["funder_ref"], r["name"] or r["funder_ref"]) for r in rows]


def activity(*, user: Any, identifier: str) -> IatiActivity | None:
    """The IATI activity record behind the selection, when the reader sees at least one of its flows."""
    if not identifier or not visible_flows(user=user).filter(iati_activity=identifier).exists():
        return None
    return IatiActivity.objects.filter(identifier=identifier).first()


EXPORT_COLUMNS = (
    "value_date",
    "funder_name",
    "funder_ref",
    "recipient_state__name",
    "recipient_label",
    "recipient_state__iso3",
    "pillar",
    "stage",
    "amount",
    "currency",
    "usd_amount",
    "source",
    "iati_activity",
    "implementer_name",
)


def export_values(*, user: Any, filters: ExplorerFilters) -> QuerySet[FundingFlow, tuple[Any, ...]]:
    """Every flow of the selection for a download, as plain tuples of ``EXPORT_COLUMNS`` (read with
    ``.iterator()``, so a download of any size holds one chunk of rows at a time)."""
    return explorer_flows(user=user, filters=filters).values_list(*EXPORT_COLUMNS)


def recipient_choices(*, user: Any) -> list[tuple[str, str]]:
    """States to choose from, by name: those with a status under the Convention, and any other State
    that receives a flow the reader may see (one query; shared by the readers who see the same flows)."""
    return aggregate_cache.cached(
        "explorer-recipients", topics=EXPLORER_TOPICS, parts=(shared_audience(user),), build=lambda: _recipients(user)
    )


def _recipients(user: Any) -> list[tuple[str, str]]:
    from ccm.states.models import State

    receiving = visible_flows(user=user).filter(recipient_state__isnull=False).values("recipient_state_id")
    states = State.objects.filter(~Q(ccm_status="") | Q(pk__in=receiving)).order_by("name")
    return list(states.values_list("iso3", "name"))
