"""Demo funding (``ccm seed_demo``): the real IATI sample (European Commission activities in sector
15250, for Syria and Sri Lanka) and a few flows entered by the demo donors (illustrative)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ccm.accounts.models import Organisation
from ccm.core import demo
from ccm.core.clock import today
from ccm.funding import iati_import, services
from ccm.funding.models import FundingFlow
from ccm.funding.rates import EnteredRate
from ccm.needs.models import Need, Pillar
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
    services.flow_create(
        funder=norway,
        recipient_state=lebanon,
        pillar="clearance",
        stage="commitment",
        amount=Decimal("1000000"),
        currency="USD",
        value_date=date(2026, 2, 2),
        need=need,
        actor=None,
    )
    services.flow_create(
        funder=norway,
        recipient_state=lebanon,
        pillar="clearance",
        stage="disbursement",
        amount=Decimal("600000"),
        currency="USD",
        value_date=date(2026, 4, 15),
        actor=None,
    )
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
    # Recent flows: dated after the last rate shipped, they convert with the latest rate, provisionally,
    # and are converted again (ccm tick) once ``ccm load_rates`` brings newer rates.
    services.flow_create(
        funder=eu,
        recipient_state=lao,
        pillar="clearance",
        stage="disbursement",
        amount=Decimal("250000"),
        currency="EUR",
        value_date=today() - timedelta(days=3),
        actor=None,
    )
    # A currency the ECB does not publish: the rate is given with the flow, with its source.
    services.flow_create(
        funder=norway,
        recipient_state=lebanon,
        pillar=Pillar.RISK_EDUCATION,
        stage="disbursement",
        amount=Decimal("4475000000"),
        currency="LBP",
        value_date=today() - timedelta(days=10),
        actor=None,
        entered_rate=EnteredRate(
            to_usd=Decimal("0.0000111732"),
            on=today() - timedelta(days=10),
            source="Demo: 89,500 LBP per USD, as given with the flow (illustrative)",
        ),
    )
    lines.append("  plus illustrative flows entered by the demo donors (one visible to coordinators only,")
    lines.append("  one recent with a provisional rate, one in Lebanese pounds with the rate given).")
    return lines
