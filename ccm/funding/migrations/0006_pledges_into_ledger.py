"""Every pledge made in a need's thread becomes a pledge flow in the funding ledger (one record).

A pledge with an amount becomes a flow of that amount, in the need's currency, on the day it was made,
from the pledging organisation to the need's State, for the need's pillar, linked to the need and to the
thread message (which keeps the words; the amount leaves it in the next migration of ``needs``). A pledge
the ledger already holds (recorded on the funding pages, which also posted it in the thread) is linked,
not copied. An in-kind pledge (no amount) stays a message only. The US-dollar amount uses the reference
rates shipped with the platform (the ECB history), as the pages do. A message already linked to a flow
is skipped, so running it again (after going back) adds nothing.
"""

from decimal import Decimal

from django.db import migrations


def _conversion(amount, currency, day):
    from ccm.funding.rates import convert, ecb_table

    try:
        return convert(ecb_table(), amount, currency, day).as_fields()
    except Exception as exc:  # noqa: BLE001 - a missing rate file must not stop the migration
        return {"rate_problem": f"not converted during the migration: {exc}"[:200]}


def forwards(apps, schema_editor):
    Response = apps.get_model("needs", "Response")
    FundingFlow = apps.get_model("funding", "FundingFlow")
    pledges = (
        Response.objects.filter(kind="pledge", amount__isnull=False, ledger_flow__isnull=True)
        .select_related("need__state", "organisation")
        .order_by("pk")
    )
    for response in pledges:
        need, funder = response.need, response.organisation
        existing = (
            FundingFlow.objects.filter(
                need=need, funder=funder, stage="pledge", amount=response.amount, response__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            existing.response = response
            existing.save(update_fields=["response"])
            continue
        day = response.created_at.date()
        currency = (need.currency or "USD").upper()
        FundingFlow.objects.create(
            funder=funder,
            funder_ref=funder.slug,
            funder_name=funder.name,
            recipient_state=need.state,
            recipient_label=need.state.iso2,
            need=need,
            response=response,
            pillar=need.pillar,
            stage="pledge",
            amount=Decimal(response.amount),
            currency=currency,
            value_date=day,
            source="entered",
            # as pledge_create: public only when the need is; otherwise its funder and the coordinators
            visibility="public" if need.visibility == "public" else "organisation",
            created_by_id=response.author_id,
            **_conversion(Decimal(response.amount), currency, day),
        )


def backwards(apps, schema_editor):
    # the amounts return to the thread; the flows stay in the ledger (linked, so a new run skips them)
    Response = apps.get_model("needs", "Response")
    FundingFlow = apps.get_model("funding", "FundingFlow")
    for flow in FundingFlow.objects.filter(stage="pledge", response__isnull=False):
        Response.objects.filter(pk=flow.response_id).update(amount=flow.amount)


class Migration(migrations.Migration):
    dependencies = [("funding", "0005_flow_pledge_chain"), ("needs", "0003_amounts_in_cents")]

    operations = [migrations.RunPython(forwards, backwards)]
