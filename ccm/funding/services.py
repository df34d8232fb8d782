"""Writes for the funding ledger: flows entered on the platform.

The IATI import is in ``ccm.funding.iati_import``; rates, their loading and conversion in ``ccm.funding.rates``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.money import bound_problem
from ccm.funding.models import FlowSource, FundingFlow
from ccm.funding.rates import EnteredRate, RateTable, conversion_for_flow, rate_table
from ccm.states.models import State


@transaction.atomic
def flow_create(
    *,
    funder: Any,
    recipient_state: State,
    pillar: str,
    stage: str,
    amount: Decimal,
    currency: str,
    value_date: date,
    actor: Any,
    need: Any = None,
    visibility: str = "public",
    implementer_name: str = "",
    entered_rate: EnteredRate | None = None,
) -> FundingFlow:
    """Record a flow entered on the platform. A pledge linked to a need is also posted in the need's
    thread (and refused, like any pledge there, beyond what is still unfunded). A currency without a
    rate on file needs ``entered_rate`` (a dated rate and its source); without one the flow is refused."""
    from django.core.exceptions import ValidationError

    from ccm.needs import services as needs

    currency = currency.upper()
    if bound_problem(amount):
        raise ValidationError({"amount": bound_problem(amount)})
    if need is not None and need.state_id != recipient_state.pk:
        raise ValidationError({"need": _("The need belongs to another State.")})
    if need is not None and stage == "pledge":
        if visibility != "public":
            raise ValidationError(
                {
                    "need": _(
                        "A pledge kept for coordinators cannot answer a need: the need's thread is seen by "
                        "everyone who sees the need. Record it without the need, or make it public."
                    )
                }
            )
        if need.currency and need.currency != currency:
            raise ValidationError({"currency": _("Pledge in the need's currency (%(c)s).") % {"c": need.currency}})
        needs.response_create(
            need=need,
            organisation=funder,
            kind="pledge",
            amount=amount if need.amount else None,
            actor=actor,
            message=_("Recorded in the funding ledger."),
        )
    flow = _new_flow(
        table=rate_table(),
        funder=funder,
        recipient_state=recipient_state,
        pillar=pillar,
        stage=stage,
        amount=amount,
        currency=currency,
        value_date=value_date,
        actor=actor,
        need=need,
        visibility=visibility,
        implementer_name=implementer_name,
        entered_rate=entered_rate,
    )
    flow.full_clean()
    flow.save()
    audit.record(actor=actor, action="funding_flow.create", obj=flow, new=_audited(flow), organisation_id=funder.pk)
    return flow


def _new_flow(
    *,
    table: RateTable,
    funder: Any,
    recipient_state: State,
    pillar: str,
    stage: str,
    amount: Decimal,
    currency: str,
    value_date: date,
    actor: Any,
    need: Any = None,
    visibility: str = "public",
    implementer_name: str = "",
    entered_rate: EnteredRate | None = None,
) -> FundingFlow:
    """An unsaved flow entered on the platform, converted to US dollars with ``table`` (refused when its
    currency has no rate on file and none was given)."""
    conversion = conversion_for_flow(table, amount, currency, value_date, entered=entered_rate)
    return FundingFlow(
        funder=funder,
        funder_ref=funder.slug,
        funder_name=funder.name,
        recipient_state=recipient_state,
        recipient_label=recipient_state.iso2,
        pillar=pillar,
        stage=stage,
        amount=amount,
        currency=currency,
        value_date=value_date,
        need=need,
        visibility=visibility,
        implementer_name=implementer_name,
        **conversion.as_fields(),
        source=FlowSource.ENTERED,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _audited(flow: FundingFlow) -> dict[str, Any]:
    """What the audit entry of a new flow says (redacted by the model's declaration)."""
    assert flow.funder is not None and flow.recipient_state is not None  # noqa: S101 - entered flows have both
    return {
        "funder": flow.funder.name,
        "recipient": flow.recipient_state.iso3,
        "stage": flow.stage,
        "amount": flow.amount,
        "currency": flow.currency,
        "usd": flow.usd_amount,
    }


@dataclass(frozen=True)
class NewFlow:
    """One flow for ``flows_create_many`` (a flow not linked to a need)."""

    funder: Any
    recipient_state: State
    pillar: str
    stage: str
    amount: Decimal
    currency: str
    value_date: date
    visibility: str = "public"
    implementer_name: str = ""


@transaction.atomic
def flows_create_many(*, flows: list[NewFlow], actor: Any) -> list[FundingFlow]:
    """Record many flows entered on the platform (a flows import) in a few queries: the rate table read
    once, every flow checked first, then inserted in batches with one audit entry each. A flow linked to a
    need goes through ``flow_create`` instead (a pledge there is answered in the need's thread)."""
    from django.core.exceptions import ValidationError

    table = rate_table()
    created = []
    for item in flows:
        flow = _new_flow(
            table=table,
            funder=item.funder,
            recipient_state=item.recipient_state,
            pillar=item.pillar,
            stage=item.stage,
            amount=item.amount,
            currency=item.currency.upper(),
            value_date=item.value_date,
            actor=actor,
            visibility=item.visibility,
            implementer_name=item.implementer_name,
        )
        # the related objects are given as instances; constraints are checked here rather than by a query each
        flow.full_clean(exclude=["funder", "recipient_state", "need", "created_by"], validate_constraints=False)
        if not flow.amount > 0:
            raise ValidationError({"amount": _("Ensure this value is greater than 0.")})
        created.append(flow)
    FundingFlow.objects.bulk_create(created, batch_size=500)
    if any(flow.pk is None for flow in created):  # every supported database returns the new keys
        raise RuntimeError("The database did not return the keys of the new flows.")
    audit.record_many(
        actor=actor,
        action="funding_flow.create",
        changes=[audit.Change(obj=f, new=_audited(f), organisation_id=f.funder_id) for f in created],
    )
    return created
