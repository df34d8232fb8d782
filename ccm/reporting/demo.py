"""Demo progress, baselines and completion plans (``ccm seed_demo``).

Totals match the reference facts where they exist; the split by year, the costs and the plans are
illustrative and marked so (``illustrative=True``), and the pages say so.
- Lebanon: 16.3 km² confirmed hazardous area at the end of 2015, 7.29 km² at the end of 2020 and
  5.23 km² at the end of 2022 (Cluster Munition Monitor; ISU); operations halted from October 2023.
- Croatia: 2.64 km² confirmed at the end of 2015; clearance completed on 10 July 2020.
- Montenegro: about 1.72 km² estimated at the end of 2017; 1,850,900 m² released; completed on
  21 July 2020 (the difference is recorded as area found during clearance, an illustrative addition).
- Chad: no baseline (Tibesti province suspected, survey needed); no international funding since 2022.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from ccm.core import demo
from ccm.reporting import services
from ccm.reporting.models import CompletionPlan, ProgressReport, ReportStatus
from ccm.states.models import State

MONITOR = "Cluster Munition Monitor (totals); yearly split illustrative"
CORRECTED_LBN_2023_CLEARED = 370_000  # published: 300,000 m²

PROGRESS = {
    # iso3: {year: (cancelled, reduced, cleared, submunitions destroyed)}
    "LBN": {
        2016: (300_000, 400_000, 1_100_000, 1_400),
        2017: (250_000, 450_000, 1_150_000, 1_250),
        2018: (200_000, 500_000, 1_100_000, 1_100),
        2019: (150_000, 450_000, 1_000_000, 900),
        2020: (100_000, 360_000, 1_500_000, 700),
        2021: (80_000, 250_000, 700_000, 500),
        2022: (50_000, 230_000, 750_000, 450),
        2023: (0, 100_000, 300_000, 200),
    },
    "HRV": {
        2016: (0, 200_000, 450_000, 300),
        2017: (0, 150_000, 500_000, 280),
        2018: (0, 150_000, 450_000, 260),
        2019: (0, 100_000, 400_000, 200),
        2020: (0, 40_000, 200_000, 90),
    },
    "MNE": {2018: (0, 150_000, 450_000, 30), 2019: (0, 200_000, 600_000, 38), 2020: (0, 100_000, 350_900, 20)},
}
OBSTACLES = {
    ("LBN", 2022): "Declining international funding for clearance (Mine Action Review).",
    ("LBN", 2023): "Operations halted since October 2023 because of the conflict (ISU, March 2024).",
    ("TCD", 2024): "Tibesti province suspected but not surveyed; non-technical survey needed. No international "
    "funding reported since the EU PRODECO project ended in 2022 (Mine Action Review).",
}


@demo.register
@transaction.atomic
def seed() -> list[str]:
    if ProgressReport.objects.filter(state__iso3="LBN").exists():
        return ["Reporting demo: already present."]
    states = {s.iso3: s for s in State.objects.filter(iso3__in=["LBN", "HRV", "MNE", "TCD"])}
    lbn = states["LBN"].obligations.get(kind="clearance")
    services.baseline_add(
        obligation=lbn,
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=16_300_000,
        source="Cluster Munition Monitor: 16.3 km² at the end of 2015",
        actor=None,
    )
    hrv = states["HRV"].obligations.get(kind="clearance")
    services.baseline_add(
        obligation=hrv,
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=2_640_000,
        source="Mine Action Review: 2.64 km² confirmed at the end of 2015",
        actor=None,
    )
    mne = states["MNE"].obligations.get(kind="clearance")
    services.baseline_add(
        obligation=mne,
        kind="baseline",
        recorded_on=date(2017, 12, 31),
        sha_m2=1_720_000,
        source="Mine Action Review: about 1.72 km² estimated at the end of 2017",
        actor=None,
    )
    services.baseline_add(
        obligation=mne,
        kind="addition",
        recorded_on=date(2019, 6, 30),
        sha_m2=130_900,
        source="Area found during clearance (illustrative: makes the 1,850,900 m² released add up)",
        actor=None,
        illustrative=True,
    )
    for iso3, years in PROGRESS.items():
        for year, (cancelled, reduced, cleared, submunitions) in years.items():
            figures = {
                "cancelled_m2": cancelled,
                "reduced_m2": reduced,
                "cleared_m2": cleared,
                "submunitions_destroyed": submunitions,
                "source": MONITOR,
                "obstacles": OBSTACLES.get((iso3, year), ""),
            }
            if iso3 == "LBN" and year >= 2021:
                figures.update(national_resources=Decimal("1200000"), national_resources_currency="USD")
            report = services.progress_save(
                state=states[iso3], year=year, figures=figures, actor=None, illustrative=True
            ).report
            services.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
            services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    # A correction to a published year, awaiting review: readers without edit rights keep the published
    # 2023 figures (remaining 4.83 km²); Lebanon's editors and managers see the correction (4.76 km²).
    editor = get_user_model().objects.filter(email="lebanon.editor@example.org").first()
    services.progress_save(
        state=states["LBN"],
        year=2023,
        figures={"cleared_m2": CORRECTED_LBN_2023_CLEARED, "source": f"{MONITOR}; corrected after a field audit"},
        actor=editor,
    )
    report = services.progress_save(
        state=states["TCD"],
        year=2024,
        figures={"obstacles": OBSTACLES[("TCD", 2024)], "source": "Mine Action Review"},
        actor=None,
    ).report
    services.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)

    plan, _created = services.plan_save(
        obligation=lbn,
        currency="USD",
        visibility="public",
        illustrative=True,
        actor=None,
        note="Illustrative demo plan: remaining 4.83 km² over three years.",
        years=[
            {
                "year": 2026,
                "target_output": 1_400_000,
                "cost": Decimal("4200000"),
                "national_funding": Decimal("900000"),
                "international_funding": Decimal("2000000"),
            },
            {
                "year": 2027,
                "target_output": 1_700_000,
                "cost": Decimal("4800000"),
                "national_funding": Decimal("900000"),
                "international_funding": Decimal("1500000"),
            },
            {
                "year": 2028,
                "target_output": 1_730_000,
                "cost": Decimal("4600000"),
                "national_funding": Decimal("900000"),
                "international_funding": Decimal("0"),
            },
        ],
    )
    services.plan_approve(plan=plan, actor=None)
    services.plan_save(
        obligation=lbn,
        currency="USD",
        visibility="platform",
        illustrative=True,
        actor=None,
        note="Illustrative draft: a fourth year if operations stay halted.",
        years=[
            {
                "year": y.year,
                "target_output": y.target_output,
                "cost": y.cost,
                "national_funding": y.national_funding,
                "international_funding": y.international_funding,
            }
            for y in plan.years.all()
        ]
        + [
            {
                "year": 2029,
                "target_output": 300_000,
                "cost": Decimal("1200000"),
                "national_funding": Decimal("600000"),
                "international_funding": Decimal("0"),
            }
        ],
    )
    versions = CompletionPlan.objects.filter(obligation=lbn).count()
    return [
        "Reporting demo: Lebanon, Croatia and Montenegro progress (illustrative yearly split of real totals), "
        f"Chad's obstacles, Lebanon's completion plan ({versions} versions).",
        "  Lebanon's published 2023 figures have a correction under review: sign in as lebanon.manager@example.org "
        "to publish it.",
    ]


# Three more affected States with open clearance obligations, so that the coordination dashboard has
# deadlines to forecast. The starting areas are the reference facts (see obligations.csv); the yearly
# releases and the areas found each year are illustrative, marked so, and not any State's report.
MORE = {
    # iso3: (baseline date, confirmed m², source, {year: (reduced, cleared, found during the year)})
    "LAO": (
        date(2021, 6, 30),
        1_371_100_000,
        "Cluster Munition Monitor: 1,371.10 km² of confirmed hazardous area identified (June 2021)",
        {
            2021: (9_000_000, 38_000_000, 60_000_000),
            2022: (11_000_000, 44_000_000, 95_000_000),
            2023: (12_000_000, 47_000_000, 80_000_000),
            2024: (10_000_000, 52_000_000, 70_000_000),
            2025: (12_000_000, 49_000_000, 55_000_000),
        },
    ),
    "IRQ": (
        date(2016, 5, 31),
        202_420_000,
        "Mine Action Review: about 200 km² in the centre and south and 2.42 km² in the Kurdistan region (May 2016)",
        {
            2021: (1_500_000, 4_200_000, 6_000_000),
            2022: (1_200_000, 3_900_000, 5_500_000),
            2023: (1_800_000, 5_100_000, 2_000_000),
            2024: (2_000_000, 5_600_000, 1_000_000),
            2025: (1_900_000, 6_000_000, 0),
        },
    ),
    "DEU": (
        date(2017, 12, 31),
        11_000_000,
        "Cluster Munition Monitor: about 11 km² suspected at Wittstock (end of 2017)",
        {
            2018: (0, 900_000, 0),
            2019: (0, 1_100_000, 0),
            2020: (0, 1_300_000, 0),
            2021: (0, 1_200_000, 0),
            2022: (0, 1_400_000, 0),
            2023: (0, 1_250_000, 0),
            2024: (0, 1_350_000, 0),
            2025: (0, 1_300_000, 0),
        },
    ),
}


@demo.register
@transaction.atomic
def seed_more() -> list[str]:
    if ProgressReport.objects.filter(state__iso3__in=list(MORE)).exists():
        return ["Reporting demo (Laos, Iraq, Germany): already present."]
    for iso3, (recorded_on, cha_m2, source, years) in MORE.items():
        obligation = State.objects.get(iso3=iso3).obligations.get(kind="clearance")
        suspected = iso3 == "DEU"  # Germany's area is suspected, not confirmed
        services.baseline_add(
            obligation=obligation,
            kind="baseline",
            recorded_on=recorded_on,
            source=source,
            actor=None,
            sha_m2=cha_m2 if suspected else None,
            cha_m2=None if suspected else cha_m2,
        )
        for year, (reduced, cleared, found) in years.items():
            if found:
                services.baseline_add(
                    obligation=obligation,
                    kind="addition",
                    recorded_on=date(year, 12, 31),
                    cha_m2=found,
                    source="Area found by survey during the year (illustrative)",
                    actor=None,
                    illustrative=True,
                )
            report = services.progress_save(
                state=obligation.state,
                year=year,
                figures={"reduced_m2": reduced, "cleared_m2": cleared, "source": MONITOR},
                actor=None,
                illustrative=True,
            ).report
            services.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
            services.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    return [
        "Reporting demo: Laos, Iraq and Germany clearance baselines (reference facts) with illustrative yearly "
        "releases and newly found areas, for the coordination forecasts."
    ]
