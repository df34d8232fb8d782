"""A small coordination world for the tests and the role matrix: the international organisation ("io")
is a donor with a profile and money, and one allocation run, shared with it, proposes a line on a public
need of State A (Lebanon). Built directly, without the solver or a forecast, so it costs little."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ccm.coordination.models import AllocationLine, AllocationRun, AllocationStatus, AttentionWeights, ForecastRun
from ccm.needs.models import DonorProfile, Need
from ccm.states.models import State
from tests.personas import organisation


@dataclass
class CoordinationWorld:
    run: AllocationRun
    line: AllocationLine
    need: Need
    donor_slug: str


def donor_profile(org: str = "io", *, grant_max: Decimal = Decimal(1_000_000)) -> DonorProfile:
    from tests.factories import DonorProfileFactory

    owner = organisation(org)
    profile = DonorProfile.objects.filter(organisation=owner).first() or DonorProfileFactory(organisation=owner)
    DonorProfile.objects.filter(pk=profile.pk).update(grant_max=grant_max, currency="USD", pillars=["clearance"])
    profile.refresh_from_db()
    return profile


def coordination_world(*, need: Need | None = None, line_amount: Decimal = Decimal(500)) -> CoordinationWorld:
    from tests.factories import NeedFactory

    donor_profile("io")
    if need is None:
        need = NeedFactory(state=State.objects.get(iso3="LBN"), title="Need for the allocation", amount=10_000)
    io = organisation("io")
    run = AllocationRun.objects.create(
        title="Shared proposal",
        status=AllocationStatus.OPTIMAL,
        solver="HiGHS",
        outputs={
            "coordinated": {
                "states_with_nothing": 0,
                "lowest_coverage": 0.5,
                "gini": 0.0,
                "total_placed": 500.0,
                "states": 1,
            },
            "baseline": {
                "states_with_nothing": 1,
                "lowest_coverage": 0.0,
                "gini": 0.0,
                "total_placed": 0.0,
                "states": 1,
            },
            "coverage": {"LBN": {"coordinated": 0.5, "baseline": 0.0, "gap": 1000.0}},
        },
        shared=True,
    )
    run.shared_with.set([io])
    line = AllocationLine.objects.create(run=run, donor=io, need=need, amount=line_amount)
    AttentionWeights.objects.create(weights={"coverage_gap": 1.0}, note="matrix")
    ForecastRun.objects.create(seed=1, draws=10, status="done", inputs={"fingerprint": "none"}, results=[])
    return CoordinationWorld(run, line, need, io.slug)
