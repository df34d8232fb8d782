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


# The funding explorer's example question, "who funded clearance in Lao PDR in 2021, and how much?":
# two funders, committed and disbursed that year (illustrative figures, entered by the demo donors).
LAO_2021 = [
    ("Norway, Ministry of Foreign Affairs (demo)", "commitment", Decimal("1500000"), "USD", date(2021, 3, 15)),
    ("Norway, Ministry of Foreign Affairs (demo)", "disbursement", Decimal("900000"), "USD", date(2021, 9, 30)),
    ("European Union (demo)", "commitment", Decimal("1200000"), "EUR", date(2021, 6, 1)),
    ("European Union (demo)", "disbursement", Decimal("400000"), "EUR", date(2021, 11, 15)),
]


@demo.register
@transaction.atomic
def seed_lao_2021() -> list[str]:
    lao = State.objects.get(iso3="LAO")
    entered = FundingFlow.objects.filter(recipient_state=lao, value_date__year=2021, source="entered")
    if entered.exists():
        return []
    for funder_name, stage, amount, currency, value_date in LAO_2021:
        services.flow_create(
            funder=Organisation.objects.get(name=funder_name),
            recipient_state=lao,
            pillar="clearance",
            stage=stage,
            amount=amount,
            currency=currency,
            value_date=value_date,
            actor=None,
        )
    return [
        f"  plus {len(LAO_2021)} flows for clearance in Lao PDR in 2021 from two donors (see the funding explorer)."
    ]
