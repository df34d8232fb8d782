"""Writes for coordination: saving attention-gap weights, forecast runs, allocation runs, sharing a run,
and turning a line into a pledge (through the funding ledger's ``pledge_create``, the only writer of
pledges). Each write checks the whole change first and records one audit entry in its transaction. Who
may call which service is the views' and API's business, through ``ccm.coordination.policies``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.analytics import allocation as alloc
from ccm.analytics import attention as att
from ccm.coordination import selectors
from ccm.coordination.models import (
    AllocationLine,
    AllocationRun,
    AllocationStatus,
    AttentionWeights,
    ForecastRun,
    RunStatus,
)
from ccm.core import audit, clock
from ccm.core.money import MAX_AMOUNT
from ccm.core.templatetags.ccm import number
from ccm.funding import rates
from ccm.funding.models import FundingFlow
from ccm.funding.services import pledge_create
from ccm.needs.models import Need
from ccm.needs.selectors import pledged_on


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The weights as the attention gap takes them, or a ValidationError with the method's reason."""
    try:
        return att.validate_weights({name: float(value) for name, value in weights.items()})
    except (TypeError, ValueError) as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def weights_save(*, weights: Mapping[str, float], actor: Any, note: str = "") -> AttentionWeights:
    clean = check_weights(weights)
    old = selectors.current_weights()
    saved = AttentionWeights(weights=clean, note=note, created_by=_actor(actor))
    saved.full_clean()
    saved.save()
    audit.record(actor=actor, action="attention_weights.create", obj=saved, old=old, new=clean)
    return saved


# --- Forecasts -------------------------------------------------------------------------------------


@transaction.atomic
def forecast_request(*, actor: Any) -> ForecastRun:
    """Queue a forecast of every open obligation (computed by the ``coordination.forecast`` job)."""
    from ccm.coordination import tasks

    draws, seed = selectors.forecast_settings()
    run = ForecastRun.objects.create(seed=seed, draws=draws, created_by=_actor(actor))
    run.job = tasks.enqueue_forecast(run=run, actor=actor)
    run.save(update_fields=["job"])
    audit.record(actor=actor, action="forecast_run.create", obj=run, new={"draws": draws, "seed": seed})
    return run


def forecast_compute(*, run_id: int, user: Any, today: date | None = None) -> ForecastRun:
    """Compute a queued run from the data of the day (as ``user``, the coordinator who asked, sees them)."""
    day = today or clock.today()
    run = ForecastRun.objects.get(pk=run_id)
    work = selectors._work(user=user, today=day, table=rates.rate_table())
    results = selectors.compute_forecasts(work.inputs, draws=run.draws, seed=run.seed)
    with transaction.atomic():
        run = ForecastRun.objects.select_for_update().get(pk=run_id)
        run.inputs = {
            "as_of": day.isoformat(),
            "obligations": len(work.inputs),
            "fingerprint": selectors.fingerprint(work.inputs, draws=run.draws, seed=run.seed),
            "keys": [i.key for i in work.inputs],
        }
        run.results = results
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.save()
        thin = sum(1 for r in results if r.get("status") != "ok")
        audit.record(actor=None, action="forecast_run.finish", obj=run, new={"obligations": len(results), "thin": thin})
    return run


# --- Allocation runs -------------------------------------------------------------------------------


class AllocationRefused(ValidationError):
    """The solver found nothing to save: no open need, no donor with money, or no feasible allocation."""


def _outcome(outcome: alloc.Outcome | None) -> dict[str, Any]:
    if outcome is None:
        return {}
    return {
        "states_with_nothing": outcome.states_with_nothing,
        "lowest_coverage": outcome.lowest_coverage,
        "gini": outcome.gini,
        "total_placed": outcome.total_placed,
        "states": len(outcome.coverage),
    }


@dataclass
class AllocationAnswer:
    run: AllocationRun | None
    result: alloc.AllocationResult


@transaction.atomic
def allocation_create(*, title: str, actor: Any, percent: int = 100, today: date | None = None) -> AllocationRun:
    """Run the coordinated allocation on the current data and save it with its lines. Empty, infeasible or
    failed runs are not saved: the solver's message is raised as a ValidationError (nothing to share)."""
    if not 1 <= percent <= 100:
        raise ValidationError({"percent": _("Give a share from 1 to 100 per cent.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the run a title.")})
    day = today or clock.today()
    inputs = selectors.allocation_inputs(user=actor, today=day, percent=percent)
    if not inputs.needs:
        raise AllocationRefused(_("There is no open need with an unfunded amount: nothing to allocate."))
    if not inputs.donors:
        raise AllocationRefused(
            _("No donor has money left to place (no recent funding on record and no typical grant in its profile).")
        )
    result = alloc.allocate(inputs.needs, inputs.donors)
    if result.status != "optimal" or result.coordinated is None:
        raise AllocationRefused(result.message or _("The solver found no allocation."))
    baseline = result.baseline or alloc.baseline(inputs.needs, inputs.donors)
    coverage = {
        iso3: {
            "coordinated": result.coordinated.coverage.get(iso3),
            "baseline": baseline.coverage.get(iso3),
            "gap": sum(n.gap for n in inputs.needs if n.iso3 == iso3),
        }
        for iso3 in sorted(set(result.coordinated.coverage) | set(baseline.coverage))
    }
    run = AllocationRun.objects.create(
        title=title.strip()[:200],
        status=AllocationStatus.OPTIMAL,
        message=result.message,
        solver=result.solver[:60],
        seconds=result.seconds,
        eligible_pairs=result.eligible_pairs,
        envelope_percent=percent,
        inputs={
            "as_of": day.isoformat(),
            "needs": [
                {
                    "id": n.id,
                    "iso3": n.iso3,
                    "pillar": n.pillar,
                    "modality": n.modality,
                    "gap": n.gap,
                    "urgency": n.urgency,
                }
                for n in inputs.needs
            ],
            "donors": [
                {
                    "id": d.id,
                    "envelope": d.envelope,
                    "pillars": sorted(d.pillars),
                    "modalities": sorted(d.modalities),
                    "preferred": sorted(d.preferred),
                }
                for d in inputs.donors
            ],
        },
        outputs={"coordinated": _outcome(result.coordinated), "baseline": _outcome(baseline), "coverage": coverage},
        created_by=_actor(actor),
    )
    lines = [
        AllocationLine(
            run=run,
            donor_id=line.donor_id,
            need_id=line.need_id,
            # a need at the amount bound in a currency worth more than the dollar has a gap above the bound
            # in dollars: the line stops at the bound (a proposal; the pledge is checked against the gap)
            amount=min(Decimal(str(round(line.amount, 2))), MAX_AMOUNT),
        )
        for line in result.coordinated.lines
        if round(line.amount, 2) >= 0.01
    ]
    AllocationLine.objects.bulk_create(lines)
    audit.record(
        actor=actor,
        action="allocation_run.create",
        obj=run,
        new={"title": run.title, "lines": len(lines), "status": run.status, "percent": percent},
    )
    return run


@transaction.atomic
def allocation_share(*, run: AllocationRun, actor: Any) -> AllocationRun:
    """Share a run with the donor organisations that have a line in it (each sees its own lines)."""
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    donors = list(Organisation.objects.filter(pk__in=run.lines.values("donor_id")).order_by("pk"))
    if not donors:
        raise ValidationError(_("This run has no line: there is nobody to share it with."))
    run.shared = True
    run.shared_at = run.shared_at or timezone.now()
    run.save(update_fields=["shared", "shared_at"])
    run.shared_with.set(donors)
    audit.record(actor=actor, action="allocation_run.share", obj=run, new={"shared_with": [d.slug for d in donors]})
    return run


@transaction.atomic
def line_pledge(
    *, line: AllocationLine, actor: Any, message: str = "", today: date | None = None
) -> FundingFlow | None:
    """Turn a proposed line into a pledge on its need, in the need's currency, through the funding ledger's
    pledge service. Refused when the run is not shared, the line was pledged already, the need is closed,
    or its unfunded amount is now smaller than the line."""
    day = today or clock.today()
    line = AllocationLine.objects.select_for_update().select_related("run", "donor").get(pk=line.pk)
    if not line.run.shared:
        raise ValidationError(_("This run has not been shared with the donors yet."))
    if line.pledged_at is not None or line.pledged_flow_id is not None:
        raise ValidationError(_("This line has been turned into a pledge already."))
    need = Need.objects.select_related("state").get(pk=line.need_id)
    if need.withdrawn_at is not None or need.met_at is not None or need.published_at is None:
        raise ValidationError(_("This need is no longer open."))
    if need.amount is None:
        raise ValidationError(_("This need is in kind: answer it on the need's page."))
    amount = selectors.from_usd(rates.rate_table(), line.amount, need.currency, day)
    if amount is None or amount <= 0:
        raise ValidationError(_("There is no exchange rate for the need's currency today."))
    remaining = need.amount - pledged_on([need.pk]).get(need.pk, Decimal(0))
    if amount > remaining:
        raise ValidationError(
            _(
                "The need's unfunded amount is now %(remaining)s %(currency)s, less than this line's "
                "%(amount)s %(currency)s: pledge on the need's page instead."
            )
            % {
                "remaining": number(max(remaining, Decimal(0)), 2),
                "amount": number(amount, 2),
                "currency": need.currency,
            }
        )
    text = message.strip() or _("Pledge from the coordinated allocation “%(title)s”.") % {"title": line.run.title}
    flow = pledge_create(need=need, funder=line.donor, actor=actor, amount=amount, message=text, value_date=day)
    line.pledged_flow = flow
    line.pledged_at = timezone.now()
    line.save(update_fields=["pledged_flow", "pledged_at"])
    audit.record(
        actor=actor,
        action="allocation_line.pledge",
        obj=line,
        new={"flow": flow.pk if flow else None, "amount": str(amount)},
        organisation_id=line.donor_id,
    )
    return flow
