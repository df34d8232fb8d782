"""Demo data for the Article 7 drafts (``ccm seed_demo``), all illustrative and labelled so.

- Lebanon 2025: a published year of figures (illustrative: not Lebanon's report), so that Lebanon's
  draft for 2025 fills items (i), (j), (k) and (m), and (h) from the demo baseline.
- Peru: its stockpile (the real totals destroyed: 2,012 cluster munitions and 162,417 submunitions, with
  Norwegian People's Aid, completed on 15 December 2023) as a baseline, split over 2021–2023 in
  illustrative yearly figures, so that Peru's drafts fill items (e) and (f).
- Norway 2025: three outgoing flows entered by its ministry (illustrative), one kept to Norway and the
  coordinators, so that Norway's draft for 2025 fills item (n).

Entered through the reporting and funding services, as a State or donor would enter them; the step runs
after those apps' own demo steps (demo steps run in the apps' layer order).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from ccm.accounts.models import Organisation
from ccm.core import demo
from ccm.funding import services as funding
from ccm.funding.models import FundingFlow
from ccm.reporting import services as reporting
from ccm.reporting.models import ProgressReport, ReportStatus
from ccm.states.models import State

ILLUSTRATIVE = "Illustrative demo figures (not the State's Article 7 report)"

LEBANON_2025 = {
    "cancelled_m2": 20_000,
    "reduced_m2": 90_000,
    "cleared_m2": 260_000,
    "submunitions_destroyed": 150,
    "other_remnants_destroyed": 35,
    "risk_education_beneficiaries": 12_400,
    "victim_assistance_beneficiaries": 180,
    "national_resources": Decimal("1200000"),
    "national_resources_currency": "USD",
    "source": ILLUSTRATIVE,
}

# Peru: (munitions, submunitions) destroyed per year; the sums are the real totals (per-npa-2023)
PERU_TOTALS = (2_012, 162_417)
PERU_YEARS = {2021: (540, 41_200), 2022: (800, 66_000), 2023: (672, 55_217)}

NORWAY_MINISTRY = "Norway, Ministry of Foreign Affairs (demo)"
# (recipient, pillar, stage, amount, currency, value date, visibility)
NORWAY_2025 = [
    ("LBN", "clearance", "disbursement", Decimal("750000"), "USD", date(2025, 3, 14), "public"),
    ("LAO", "risk_education", "commitment", Decimal("4000000"), "NOK", date(2025, 5, 20), "public"),
    ("IRQ", "survey", "disbursement", Decimal("300000"), "EUR", date(2025, 9, 2), "organisation"),
]


def _publish(state: State, year: int, figures: dict[str, object]) -> None:
    report = reporting.progress_save(state=state, year=year, figures=figures, actor=None, illustrative=True).report
    reporting.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)


@demo.register
@transaction.atomic
def seed() -> list[str]:
    lines: list[str] = []
    lebanon = State.objects.filter(iso3="LBN").first()
    if lebanon is not None and not ProgressReport.objects.filter(state=lebanon, year=2025).exists():
        _publish(lebanon, 2025, LEBANON_2025)
        lines.append("Article 7 drafts: Lebanon's 2025 figures (illustrative), published.")
    peru = State.objects.filter(iso3="PER").first()
    stockpile = peru.obligations.filter(kind="stockpile_destruction").first() if peru else None
    if peru is not None and stockpile is not None and not ProgressReport.objects.filter(state=peru).exists():
        munitions, submunitions = PERU_TOTALS
        reporting.baseline_add(
            obligation=stockpile,
            kind="baseline",
            recorded_on=date(2020, 12, 31),
            munition_type="All types",
            munitions=munitions,
            submunitions=submunitions,
            source="Totals destroyed with Norwegian People's Aid (NPA, 2023); the date of the figure is illustrative",
            actor=None,
            illustrative=True,
        )
        for year, (destroyed, sub_destroyed) in PERU_YEARS.items():
            _publish(
                peru,
                year,
                {
                    "stockpile_munitions_destroyed": destroyed,
                    "stockpile_submunitions_destroyed": sub_destroyed,
                    "source": f"{ILLUSTRATIVE}; yearly split of the real totals",
                },
            )
        lines.append("  Peru's stockpile destruction 2021–2023 (real totals, illustrative yearly split).")
    ministry = Organisation.objects.filter(name=NORWAY_MINISTRY).first()
    if ministry is not None and not FundingFlow.objects.filter(funder=ministry, value_date__year=2025).exists():
        for iso3, pillar, stage, amount, currency, value_date, visibility in NORWAY_2025:
            funding.flow_create(
                funder=ministry,
                recipient_state=State.objects.get(iso3=iso3),
                pillar=pillar,
                stage=stage,
                amount=amount,
                currency=currency,
                value_date=value_date,
                visibility=visibility,
                actor=None,
            )
        lines.append("  Norway's 2025 flows (illustrative; one kept to Norway and the coordinators).")
    if lines:
        lines.append(
            "  Drafts: as lebanon.viewer@example.org open /transparency/drafts/LBN/2025/, as "
            "norway.editor@example.org /transparency/drafts/NOR/2025/, "
            "as the coordinator /transparency/drafts/PER/2023/."
        )
    return lines
