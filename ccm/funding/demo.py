"""Demo funding (``ccm seed_demo``): the real IATI sample (European Commission activities in sector
15250, for Syria and Sri Lanka) and a few flows entered by the demo donors (illustrative)."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ccm.accounts.models import Organisation
from ccm.funding import iati_import, services
from ccm.funding.models import FundingFlow
from ccm.needs.models import Need
from ccm.states.models import State


def _sample() -> Path | None:
    shared = Path(os.environ.get("CCM_SHARED_DIR", Path(settings.BASE_DIR).parent.parent / "shared"))
    path = shared / "data" / "iati" / "samples" / "dportal_78-real-activities.xml"
    return path if path.exists() else None


@transaction.atomic
def seed() -> list[str]:
    if FundingFlow.objects.exists():
        return ["Funding demo: already present."]
    lines = []
    sample = _sample()
    if sample is not None:
        report = iati_import.import_iati(paths=[str(sample)], actor=None).as_dict()
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
        confidentiality="coordinators",
    )
    lines.append("  plus illustrative flows entered by the demo donors (one visible to coordinators only).")
    return lines
