"""Demo funding (``ccm seed_demo``): the real IATI sample (European Commission activities in sector
15250, for Syria and Sri Lanka) and a few flows entered by the demo donors (illustrative)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ccm.accounts.models import Organisation
from ccm.core import demo
from ccm.funding import iati_import, services
from ccm.funding.models import FundingFlow
from ccm.needs.models import Need
from ccm.states.models import State

# Real published activities, shipped with the package (provenance in data/iati/SOURCES.md).
SAMPLE = Path(__file__).resolve().parent / "data" / "iati" / "dportal_78-real-activities.xml"


@demo.register
@transaction.atomic
def seed() -> list[str]:
    if FundingFlow.objects.exists():
        return ["Funding demo: already present."]
    lines = []
    report = iati_import.import_iati(paths=[str(SAMPLE)], actor=None).as_dict()
    lines.append(f"Funding demo: {report['counts']['flows_created']} flows imported from the real IATI sample.")
    norway = Organisation.objects.get(name="Norway, Ministry of Foreign Affairs (demo)")
    eu = Organisation.objects.get(name="European Union (demo)")
    lebanon, lao = State.objects.get(iso3="LBN"), State.objects.get(iso3="LAO")
    need = Need.objects.filter(state=lebanon, title__startswith="Two clearance teams").first()
    if need is not None:
        # one chain of money: the pledge made on the need, the commitment against it, a first disbursement
        pledge = services.pledge_create(
            need=need,
            funder=norway,
            actor=None,
            amount=Decimal("1000000"),
            message="For 2026; 2027 depends on next year's budget.",
            value_date=date(2026, 1, 20),
        )
        assert pledge is not None  # noqa: S101 - the need has an amount
        commitment = services.flow_follow_create(
            follows=pledge, amount=Decimal("1000000"), value_date=date(2026, 2, 2), actor=None
        )
        services.flow_follow_create(
            follows=commitment, amount=Decimal("600000"), value_date=date(2026, 4, 15), actor=None
        )
        lines.append("  Norway's pledge on a Lebanese need, its commitment and a first disbursement (one chain).")
    services.flow_create(
        funder=eu,
        recipient_state=lao,
        pillar="clearance",
        stage="commitment",
        amount=Decimal("2000000"),
        currency="EUR",
        value_date=date(2025, 3, 3),
        actor=None,
        visibility="organisation",
    )
    lines.append("  plus illustrative flows entered by the demo donors (one visible to coordinators only).")
    return lines
