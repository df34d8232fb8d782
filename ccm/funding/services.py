"""Writes for the funding ledger: flows entered on the platform.

The IATI import is in ``ccm.funding.iati_import``; rates, their loading and conversion in ``ccm.funding.rates``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccm.core import audit, money
from ccm.core.clock import today
from ccm.core.money import bound_problem
from ccm.core.policies import Visibility
from ccm.core.templatetags.ccm import date_filter
from ccm.core.templatetags.ccm import money as money_text
from ccm.funding.models import FlowSource, FundingFlow, Stage
from ccm.funding.rates import EnteredRate, RateTable, conversion_for_flow, rate_table
from ccm.states.models import State


def _own_state_problem(funder: Any, recipient_state: State) -> None:
    """A State's own organisation records no international assistance to itself: what it spends is
    national funding, part of its completion plan."""
    if funder is not None and funder.state_id is not None and funder.state_id == recipient_state.pk:
        raise ValidationError(
            {
                "funder": _(
                    "%(org)s belongs to %(state)s: its own money is national funding (part of the completion "
                    "plan), not international assistance to itself."
                )
                % {"org": funder.name, "state": recipient_state.display_name}
            }
        )


def need_pledged(need: Any) -> Decimal:
    """The total pledged on a need: its pledge flows in the ledger (in the need's currency)."""
    parts = FundingFlow.objects.filter(need=need, stage=Stage.PLEDGE).aggregate(
        **money.sum_parts("amount", name="total")
    )
    return money.from_parts(parts["total_high"], parts["total_low"]) or Decimal(0)


@transaction.atomic
def pledge_create(
    *,
    need: Any,
    funder: Any,
    actor: Any,
    amount: Decimal | None = None,
    message: str = "",
    value_date: date | None = None,
    entered_rate: EnteredRate | None = None,
) -> FundingFlow | None:
    """A pledge on a need, entered once: a pledge flow in the ledger (public when the need is, in the need's
    currency, to the need's State and pillar) and its message in the need's thread. The need row is locked first, so
    concurrent pledges are checked one after the other and never fund it beyond its amount. An in-kind
    need takes a pledge without an amount: a message only (nothing to count), and None is returned."""
    from ccm.needs import services as needs
    from ccm.needs.models import Need

    need = Need.objects.select_for_update().select_related("state").get(pk=need.pk)
    _own_state_problem(funder, need.state)
    if amount is not None and bound_problem(amount):
        raise ValidationError({"amount": bound_problem(amount)})
    if need.amount is not None:
        if amount is None:
            raise ValidationError({"amount": _("Give the amount pledged.")})
        if amount <= 0:
            raise ValidationError({"amount": _("Ensure this value is greater than 0.")})
        remaining = need.amount - need_pledged(need)
        if amount > remaining:
            raise ValidationError(
                {
                    "amount": _("The pledge of %(amount)s is more than the unfunded %(remaining)s.")
                    % {
                        "amount": money_text(amount, need.currency),
                        "remaining": money_text(max(remaining, Decimal(0)), need.currency),
                    }
                }
            )
    elif amount is not None:
        raise ValidationError({"amount": _("This need is in kind: describe the pledge in the message.")})
    elif not message.strip():
        raise ValidationError({"message": _("This need is in kind: describe the pledge in the message.")})
    response = needs.response_create(
        need=need, organisation=funder, kind="pledge", actor=actor, message=message, ledger_pledge=True
    )
    if amount is None:
        return None
    flow = _new_flow(
        table=rate_table(),
        funder=funder,
        recipient_state=need.state,
        pillar=need.pillar,
        stage=Stage.PLEDGE,
        amount=amount,
        currency=need.currency,
        value_date=value_date or today(),
        actor=actor,
        need=need,
        entered_rate=entered_rate,
        # A pledge on a need kept to signed-in users or to chosen donors is not published in the ledger:
        # it is seen by its funder and the coordinators (its amount shows in the need's thread to whoever
        # sees the need). A pledge on a public need is public.
        visibility=Visibility.PUBLIC if need.visibility == Visibility.PUBLIC else Visibility.ORGANISATION,
    )
    flow.response = response
    flow.full_clean()
    flow.save()
    audit.record(actor=actor, action="funding_flow.create", obj=flow, new=_audited(flow), organisation_id=funder.pk)
    return flow


@transaction.atomic
def flow_follow_create(
    *,
    follows: FundingFlow,
    amount: Decimal,
    value_date: date,
    actor: Any,
    currency: str = "",
    visibility: str | None = None,
    implementer_name: str = "",
    entered_rate: EnteredRate | None = None,
) -> FundingFlow:
    """Record the next step of a funder's money against the flow it follows: a commitment against a
    pledge, a disbursement against a commitment. Funder, recipient, pillar and need are the followed
    flow's; coverage counts the chain once."""
    follows = (
        FundingFlow.objects.select_for_update(of=("self",))
        .select_related("funder", "recipient_state")
        .get(pk=follows.pk)
    )
    stage = {Stage.PLEDGE: Stage.COMMITMENT, Stage.COMMITMENT: Stage.DISBURSEMENT}.get(Stage(follows.stage))
    if stage is None:
        raise ValidationError(_("A disbursement is the end of the chain: nothing is recorded against it."))
    if follows.funder is None or follows.recipient_state is None:
        raise ValidationError(_("Only a flow entered here, from a funder to a State, is followed here."))
    if bound_problem(amount):
        raise ValidationError({"amount": bound_problem(amount)})
    if amount <= 0:
        raise ValidationError({"amount": _("Ensure this value is greater than 0.")})
    if value_date < follows.value_date:
        raise ValidationError(
            {
                "value_date": _("It cannot come before the flow it follows (%(d)s).")
                % {"d": date_filter(follows.value_date)}
            }
        )
    _own_state_problem(follows.funder, follows.recipient_state)
    flow = _new_flow(
        table=rate_table(),
        funder=follows.funder,
        recipient_state=follows.recipient_state,
        pillar=follows.pillar,
        stage=stage,
        amount=amount,
        currency=(currency or follows.currency).upper(),
        value_date=value_date,
        actor=actor,
        need=follows.need,
        visibility=visibility or follows.visibility,
        implementer_name=implementer_name or follows.implementer_name,
        entered_rate=entered_rate,
    )
    flow.follows = follows
    flow.full_clean()
    flow.save()
    audit.record(
        actor=actor,
        action="funding_flow.create",
        obj=flow,
        new={**_audited(flow), "follows": follows.pk},
        organisation_id=follows.funder_id,
    )
    return flow


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
    """Record a flow entered on the platform. A pledge linked to a need goes through ``pledge_create``
    (one record: the flow, with its message in the need's thread). A currency without a rate on file
    needs ``entered_rate`` (a dated rate and its source); without one the flow is refused."""
    currency = currency.upper()
    if bound_problem(amount):
        raise ValidationError({"amount": bound_problem(amount)})
    _own_state_problem(funder, recipient_state)
    if need is not None and need.state_id != recipient_state.pk:
        raise ValidationError({"need": _("The need belongs to another State.")})
    if need is not None and stage == Stage.PLEDGE:
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
        flow = pledge_create(
            need=need,
            funder=funder,
            actor=actor,
            amount=amount if need.amount else None,
            message=_("Recorded in the funding ledger."),
            value_date=value_date,
            entered_rate=entered_rate,
        )
        if flow is not None:
            if implementer_name:  # the pillar is the need's
                flow.implementer_name = implementer_name
                flow.save(update_fields=["implementer_name"])
            return flow
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
    table = rate_table()
    created = []
    for item in flows:
        _own_state_problem(item.funder, item.recipient_state)
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
