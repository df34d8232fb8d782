"""Writes for the funding ledger: flows entered on the platform.

The IATI import is in ``ccm.funding.iati_import``; rates, their loading and conversion in ``ccm.funding.rates``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.money import bound_problem
from ccm.funding.models import FlowSource, FundingFlow
from ccm.funding.rates import convert, rate_table
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
) -> FundingFlow:
    """Record a flow entered on the platform. A pledge linked to a need is also posted in the need's
    thread (and refused, like any pledge there, beyond what is still unfunded)."""
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
    conversion = convert(rate_table(), amount, currency, value_date)
    flow = FundingFlow(
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
    flow.full_clean()
    flow.save()
    audit.record(
        actor=actor,
        action="funding_flow.create",
        obj=flow,
        new={
            "funder": funder.name,
            "recipient": recipient_state.iso3,
            "stage": stage,
            "amount": amount,
            "currency": currency,
            "usd": flow.usd_amount,
        },
        organisation_id=funder.pk,
    )
    return flow
