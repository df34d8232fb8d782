"""The scorecard of a coalition: the five indicators (``ccm.analytics.scorecard``) computed from data
already on the platform, read through the policies of the reader, with their formula and thresholds
in words (the page shows them beside each rating)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ccm.actions.models import ActionStatus
from ccm.actions.policies import actions as action_policy
from ccm.analytics import scorecard as sc
from ccm.coalitions import policies
from ccm.coalitions.models import Coalition, Element, MemberStatus
from ccm.funding import selectors as funding
from ccm.funding.models import Stage
from ccm.funding.rates import rate_table
from ccm.needs.models import Response
from ccm.needs.policies import needs as need_policy
from ccm.reporting import policies as reporting_policies
from ccm.reporting import selectors as reporting
from ccm.states.selectors import government_organisation_id

FORMULAS: dict[str, Any] = {
    Element.POLITICAL_WILL: _(
        "Mean of: the national share of the plan in force (national funding ÷ cost: below 10% → 1, "
        "below 25% → 2, below 40% → 3, below 60% → 4, else 5; one point up or down when the share of "
        "the last plan year differs from the first by 5 points or more); the share of the last five "
        "years' progress reports published by 30 April of the next year (below 20% → 1, below 40% → 2, "
        "below 60% → 3, below 80% → 4, else 5); the share of extension requests backed by a costed "
        "completion plan on record (same steps)."
    ),
    Element.NATIONAL_OWNERSHIP: _(
        "Mean of: national funding as a share of national plus expected international funding in the "
        "plan in force (below 10% → 1, below 25% → 2, below 40% → 3, below 60% → 4, else 5); national "
        "operators' share of the coalition's operators (same steps); a national authority (the State's "
        "government organisation on the platform) and a strategy (a plan in force) on record: both → 5, "
        "one → 3, neither → 1."
    ),
    Element.INFORMATION: _(
        "Mean of: years reported of the last five (0 → 1, 1 → 2, 2 → 3, 3 or 4 → 4, 5 → 5); a baseline "
        "on record (yes 5, no 1); a plan in force (yes 5, no 1); the median time a member takes to "
        "answer another in the threads (24 hours or less → 5, 3 days → 4, a week → 3, two weeks → 2, "
        "longer → 1)."
    ),
    Element.DONOR_COORDINATION: _(
        "Mean of: the number of donors funding the State (0 → 1, 1 → 2, 2 → 3, 3–4 → 4, 5 or more → 5); "
        "their concentration, the Herfindahl–Hirschman index of money by donor (0.6 or more → 1, 0.4 → "
        "2, 0.25 → 3, 0.15 → 4, below → 5); coverage of the requirement, funded ÷ required (below 20% → "
        "1, below 40% → 2, below 60% → 3, below 80% → 4, else 5); the work plan's actions done by their "
        "due date among those done or due (same steps)."
    ),
    Element.APPETITE: _(
        "Mean of: expressions of interest in partnering with the State in the last three years (0 → 1, "
        "1 → 3, 2 → 4, 3 or more → 5); the share of the State's published needs that drew a response "
        "from another organisation (below 20% → 1 … 80% or more → 5); organisations that pledged to the "
        "State in the last three years (0 → 1, 1 → 2, 2 → 3, 3 → 4, 4 or more → 5)."
    ),
}
COMMON = _(
    "Each part maps a value to 1–5; the indicator is the mean of the parts with data, rounded half up. "
    "Without data for any part: not enough data, never a default score. A rating two or more points "
    "from its indicator is flagged for discussion."
)

PART_LABELS: dict[str, Any] = {
    "national_share": _("national share of the plan's cost"),
    "on_time_reporting": _("reports published on time"),
    "extensions_backed": _("extension requests backed by a costed plan"),
    "national_funding_share": _("national funding share"),
    "national_operators_share": _("national operators' share"),
    "authority_and_strategy": _("national authority and strategy on record"),
    "years_reported": _("years reported (last five)"),
    "baseline": _("baseline on record"),
    "plan_in_force": _("plan in force"),
    "reply_time": _("members' reply time"),
    "donors": _("number of donors"),
    "concentration": _("donor concentration (HHI)"),
    "coverage": _("coverage of the requirement"),
    "actions_on_time": _("actions done on time"),
    "interests": _("expressions of interest"),
    "needs_answered": _("needs that drew a response"),
    "pledgers": _("organisations pledging"),
}


@dataclass
class Line:
    element: str
    label: Any
    indicator: sc.Indicator
    formula: Any
    parts: list[tuple[Any, int | None]]


def _plan(coalition: Coalition, user: Any) -> Any:
    plans = reporting.plans_in_force(user=user, state_iso3=coalition.state.iso3)
    served = set(coalition.obligations.values_list("pk", flat=True))
    preferred = [p for p in plans if p.obligation_id in served]
    chosen = preferred or plans
    return chosen[0] if chosen else None


def _published_on(report: Any) -> date | None:
    published = getattr(report, "published_at", None)
    return published.date() if published else None


def indicators(coalition: Coalition, user: Any, *, today: date) -> dict[str, sc.Indicator]:
    state = coalition.state
    plan = _plan(coalition, user)
    plan_years = [sc.PlanYearFact(y.year, y.cost, y.national_funding) for y in plan.years.all()] if plan else []
    shown = {r.year: r for r in reporting.reports_for(state=state, user=user)}
    window = range(today.year - sc.REPORT_WINDOW, today.year)
    reports = [sc.ReportFact(year, _published_on(shown.get(year))) for year in window]
    costed = {p.obligation_id for p in reporting.plans_in_force(user=user, state_iso3=state.iso3)}
    extensions = [sc.ExtensionFact(o.pk in costed) for o in state.obligations.all() for _e in o.extensions.all()]
    result = {
        Element.POLITICAL_WILL.value: sc.political_will(plan_years=plan_years, reports=reports, extensions=extensions)
    }

    members = list(coalition.members.filter(status=MemberStatus.ACCEPTED).select_related("organisation"))
    operators = [m.organisation for m in members if m.organisation.kind == "operator"]
    result[Element.NATIONAL_OWNERSHIP.value] = sc.national_ownership(
        national_funding=sum((y.national_funding for y in plan.years.all()), Decimal(0)) if plan else None,
        international_funding=sum((y.international_funding for y in plan.years.all()), Decimal(0)) if plan else None,
        national_operators=sum(1 for o in operators if o.state_id == state.pk),
        operators=len(operators),
        authority_on_record=government_organisation_id(state) is not None,
        strategy_on_record=plan is not None,
    )

    baseline = reporting_policies.baselines.visible_to(user).filter(obligation__state=state).exists()
    messages = policies.messages.visible_to(user).filter(thread__coalition=coalition)
    result[Element.INFORMATION.value] = sc.information(
        years_reported=sum(1 for r in reports if r.published_on is not None),
        baseline_on_record=baseline,
        plan_in_force=plan is not None,
        messages=[
            sc.MessageFact(t, o, at) for t, o, at in messages.values_list("thread_id", "organisation_id", "created_at")
        ],
    )

    cells, _unconverted = funding.coverage_cells(user=user, table=rate_table(), state_iso3=state.iso3)
    by_donor: dict[str, Decimal] = {}
    for cell in cells:
        for funder, amount in cell.by_funder.items():
            by_donor[funder] = by_donor.get(funder, Decimal(0)) + amount
    totals = funding.by_state(cells)
    total = totals[0] if totals else None
    ct = ContentType.objects.get_for_model(Coalition)
    actions = action_policy.visible_to(user).filter(source_type=ct, source_id=coalition.pk)
    result[Element.DONOR_COORDINATION.value] = sc.donor_coordination(
        funding_by_donor=list(by_donor.values()) if cells else None,
        required=total.required if total else None,
        funded=total.funded if total else None,
        actions=[
            sc.ActionFact(due, done, status == ActionStatus.CANCELLED)
            for due, done, status in actions.values_list("due_date", "completed_on", "status")
        ],
        today=today,
    )

    since = today - timedelta(days=3 * 365)
    interests = policies.interests.visible_to(user).filter(state=state, created_at__date__gte=since).count()
    government = government_organisation_id(state)
    published = need_policy.visible_to(user).filter(state=state, published_at__isnull=False)
    answered = published.filter(
        Exists(Response.objects.filter(need_id=OuterRef("pk")).exclude(organisation_id=government or 0))
    ).count()
    pledgers = (
        funding.flows(user=user, filters=funding.FlowFilters(recipient=state.iso3, stage=Stage.PLEDGE))
        .filter(value_date__gte=since)
        .values("funder_ref")
        .distinct()
        .count()
    )
    result[Element.APPETITE.value] = sc.appetite(
        interests=interests, needs_published=published.count(), needs_answered=answered, pledgers=pledgers
    )
    return result


def lines(coalition: Coalition, user: Any, *, today: date) -> list[Line]:
    computed = indicators(coalition, user, today=today)
    return [
        Line(
            element,
            label,
            computed[element],
            FORMULAS[element],
            [(PART_LABELS.get(k, k), v) for k, v in computed[element].parts.items()],
        )
        for element, label in Element.choices
    ]
