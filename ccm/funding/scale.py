"""Scale data (``ccm seed_scale``): funding flows from donors to the States with an obligation over 20 years
(commitments, the disbursements that pay some of them, and pledges), and the audit trail's volume (entries
spread over the last years, as services would have written them)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import cast

from ccm.accounts.models import Organisation, User
from ccm.accounts.scale import scale_organisations
from ccm.core import audit
from ccm.core.models import AuditEntry
from ccm.core.policies import Visibility
from ccm.core.scale import BATCH, SCALE_PREFIX, ScaleContext, register
from ccm.funding.models import FlowSource, FundingFlow, Stage
from ccm.needs.models import Need, Pillar
from ccm.states.models import Obligation, State

# Fixed rates for the made-up flows (units of the currency per US dollar); marked as such on every flow.
RATES = {"USD": Decimal(1), "EUR": Decimal("0.92"), "NOK": Decimal("10.5"), "GBP": Decimal("0.79")}
RATE_SOURCE = "Scale data set (fixed rate)"


def _flow(
    ctx: ScaleContext, *, funder: Organisation, state: State, stage: str, day: date, **extra: object
) -> FundingFlow:
    rng = ctx.rng
    currency = rng.choice(list(RATES))
    amount = Decimal(rng.randrange(5_000, 2_000_000))
    return FundingFlow(
        funder=funder,
        funder_name=funder.name,
        recipient_state=state,
        recipient_label=state.name,
        pillar=rng.choice(Pillar.values),
        stage=stage,
        amount=amount,
        currency=currency,
        value_date=day,
        rate=RATES[currency],
        rate_date=day,
        rate_source=RATE_SOURCE,
        usd_amount=(amount / RATES[currency]).quantize(Decimal("0.01")),
        source=FlowSource.ENTERED,
        visibility=Visibility.PUBLIC if rng.random() < 0.9 else Visibility.ORGANISATION,
        **extra,
    )


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    states = list(State.objects.filter(pk__in=Obligation.objects.values("state_id")).order_by("iso3"))
    funders = scale_organisations()
    if not states or not funders:
        return ["no States with obligations or no funders: no flows"]
    need_ids = list(Need.objects.filter(description__startswith="Scale data set").values_list("pk", flat=True)[:1000])
    total = ctx.size("flows")
    first = ctx.today - timedelta(days=365 * ctx.size("progress_years"))
    span = (ctx.today - first).days

    def day() -> date:
        return first + timedelta(days=rng.randrange(span))

    # Commitments first (40 %), then disbursements paying about half of them, then pledges (the rest).
    commitments = [
        _flow(
            ctx,
            funder=rng.choice(funders),
            state=rng.choice(states),
            stage=Stage.COMMITMENT,
            day=day(),
            need_id=rng.choice(need_ids) if need_ids and rng.random() < 0.05 else None,
        )
        for _ in range(int(total * 0.4))
    ]
    created = FundingFlow.objects.bulk_create(commitments, batch_size=BATCH)
    disbursements: list[FundingFlow] = []
    for commitment in created[: int(total * 0.4)]:
        if len(disbursements) >= int(total * 0.45):
            break
        if rng.random() < 0.9:
            paid = _flow(
                ctx,
                funder=cast(Organisation, commitment.funder),
                state=cast(State, commitment.recipient_state),
                stage=Stage.DISBURSEMENT,
                day=min(ctx.today, commitment.value_date + timedelta(days=rng.randrange(30, 400))),
                follows_id=commitment.pk,
            )
            paid.pillar, paid.currency, paid.amount = commitment.pillar, commitment.currency, commitment.amount
            paid.rate, paid.usd_amount = commitment.rate, commitment.usd_amount
            disbursements.append(paid)
    FundingFlow.objects.bulk_create(disbursements, batch_size=BATCH)
    pledges = [
        _flow(ctx, funder=rng.choice(funders), state=rng.choice(states), stage=Stage.PLEDGE, day=day())
        for _ in range(total - len(commitments) - len(disbursements))
    ]
    FundingFlow.objects.bulk_create(pledges, batch_size=BATCH)
    return [
        f"{total} funding flows ({len(commitments)} commitments, {len(disbursements)} disbursements, "
        f"{len(pledges)} pledges)"
    ]


@contextlib.contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """Let bulk_create keep the audit entries' spread timestamps (``auto_now_add`` would stamp them all now).
    Only for the scale data set, inside its command."""
    field = AuditEntry._meta.get_field("timestamp")
    kept = field.auto_now_add
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = kept


def seed_audit(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    actors = list(User.objects.filter(email__startswith=SCALE_PREFIX).order_by("pk")[:500])
    needs = list(Need.objects.filter(description__startswith="Scale data set").order_by("pk")[:2000])
    flows = list(FundingFlow.objects.filter(rate_source=RATE_SOURCE).order_by("pk")[:2000])
    if not actors or not needs or not flows:
        return []
    per_year = ctx.size("audit_per_year")
    years = ctx.size("audit_years")
    end = datetime.combine(ctx.today, datetime.min.time(), tzinfo=UTC)
    entries: list[AuditEntry] = []
    with _timestamps_as_given():
        for i in range(per_year * years):
            obj: Need | FundingFlow
            if i % 2:
                obj, action = rng.choice(needs), rng.choice(["need.update", "need.publish", "need.create"])
            else:
                obj, action = rng.choice(flows), "funding_flow.create"
            entry = audit.build_entry(
                actor=rng.choice(actors),
                action=action,
                obj=obj,
                label="",
                old=None,
                new={"scale": True},
                organisation_id=None,
                extra=None,
            )
            entry.timestamp = end - timedelta(seconds=rng.randrange(365 * 24 * 3600 * years))
            entries.append(entry)
            if len(entries) >= BATCH:
                AuditEntry.objects.bulk_create(entries)
                entries = []
        AuditEntry.objects.bulk_create(entries)
    return [f"{per_year * years} audit entries over {years} years"]


register(seed_audit, order=1)  # after the flows it points at
