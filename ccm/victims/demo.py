"""Demo victim assistance (``ccm seed_demo``): Lebanon and Lao PDR.

Every figure, name and text here is ILLUSTRATIVE, written for the demo in our own words: the profiles
and years are labelled so on every page. The figures include small numbers (1 to 4) so that the
protection of small numbers shows on the public pages, and Lebanon has a year before the Convention
bound it (2010: it entered into force for Lebanon on 1 November 2011).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ccm.accounts.models import User
from ccm.core import demo
from ccm.states.models import State
from ccm.victims import services
from ccm.victims.models import AgeGroup, HasVictims, Sex, VictimAssistanceYear

F, M, U, ALL = Sex.FEMALE, Sex.MALE, Sex.UNKNOWN, Sex.ALL
CHILD, ADULT, NA = AgeGroup.CHILD, AgeGroup.ADULT, AgeGroup.UNKNOWN


def _grid(measure: str, total: int, by_sex_age: dict[tuple[str, str], int] | None = None) -> dict[Any, int]:
    cells: dict[Any, int] = {(measure, ALL, AgeGroup.ALL): total}
    for (sex, age), value in (by_sex_age or {}).items():
        cells[(measure, sex, age)] = value
    # margins by sex and by age from the breakdown, so the tables read in both directions
    if by_sex_age:
        for sex in (F, M, U):
            row = [v for (s, _a), v in by_sex_age.items() if s == sex]
            if row:
                cells[(measure, sex, AgeGroup.ALL)] = sum(row)
        for age in (CHILD, ADULT, NA):
            col = [v for (_s, a), v in by_sex_age.items() if a == age]
            if col:
                cells[(measure, ALL, age)] = sum(col)
    return cells


YEARS: dict[str, dict[int, dict[Any, int]]] = {
    "LBN": {
        2010: {
            **_grid("killed", 2, {(M, CHILD): 1, (M, ADULT): 1}),
            **_grid("injured", 9, {(M, CHILD): 3, (M, ADULT): 5, (F, ADULT): 1}),
        },
        2022: {
            **_grid("killed", 1, {(M, ADULT): 1}),
            **_grid("injured", 7, {(M, CHILD): 2, (M, ADULT): 4, (F, CHILD): 1}),
            **_grid("medical", 35),
            **_grid("rehabilitation", 120, {(F, ADULT): 18, (M, ADULT): 87, (M, CHILD): 9, (F, CHILD): 6}),
            **_grid("psychological", 41),
            **_grid("inclusion", 26, {(F, ADULT): 3, (M, ADULT): 23}),
        },
        2023: {
            **_grid("killed", 0),
            **_grid("injured", 5, {(M, CHILD): 3, (M, ADULT): 2}),
            **_grid("medical", 22),
            **_grid("rehabilitation", 131, {(F, ADULT): 21, (M, ADULT): 92, (M, CHILD): 12, (F, CHILD): 6}),
            **_grid("psychological", 47),
            **_grid("inclusion", 30, {(F, ADULT): 4, (M, ADULT): 26}),
        },
        2024: {
            **_grid("killed", 3, {(M, CHILD): 2, (M, ADULT): 1}),
            **_grid("injured", 11, {(M, CHILD): 4, (M, ADULT): 6, (F, ADULT): 1}),
            **_grid("medical", 28),
            **_grid("rehabilitation", 140, {(F, ADULT): 24, (M, ADULT): 95, (M, CHILD): 14, (F, CHILD): 7}),
            **_grid("psychological", 52),
            **_grid("inclusion", 33, {(F, ADULT): 2, (M, ADULT): 31}),
        },
    },
    "LAO": {
        2022: {
            **_grid("killed", 9, {(M, CHILD): 4, (M, ADULT): 3, (F, CHILD): 2}),
            **_grid("injured", 31, {(M, CHILD): 12, (M, ADULT): 10, (F, CHILD): 6, (F, ADULT): 3}),
            **_grid("medical", 40),
            **_grid("rehabilitation", 212),
            **_grid("inclusion", 75),
        },
        2023: {
            **_grid("killed", 7, {(M, CHILD): 3, (M, ADULT): 2, (F, CHILD): 1, (F, ADULT): 1}),
            **_grid("injured", 28, {(M, CHILD): 11, (M, ADULT): 9, (F, CHILD): 5, (F, ADULT): 3}),
            **_grid("medical", 35),
            **_grid("rehabilitation", 230),
            **_grid("inclusion", 81),
        },
        2024: {
            **_grid("killed", 4, {(M, CHILD): 2, (F, CHILD): 1, (M, ADULT): 1}),
            **_grid("injured", 25, {(M, CHILD): 10, (M, ADULT): 8, (F, CHILD): 4, (F, ADULT): 3}),
            **_grid("medical", 30),
            **_grid("rehabilitation", 241),
            **_grid("psychological", 18),
            **_grid("inclusion", 86),
        },
    },
}

PROFILES: dict[str, dict[str, Any]] = {
    "LBN": {
        "has_victims": HasVictims.YES,
        "declaration_source": "Article 7 report (illustrative reference for the demo)",
        "focal_point_name": "Victim assistance focal point (demo)",
        "focal_point_institution": "Lebanon Mine Action Center (demo)",
        "focal_point_email": "va-focal-point@example.org",
        "plan_title": "National victim assistance strategy 2023–2027 (illustrative)",
        "plan_starts_on": date(2023, 1, 1),
        "plan_ends_on": date(2027, 12, 31),
        "plan_budget": Decimal("4500000.00"),
        "plan_currency": "USD",
    },
    "LAO": {
        "has_victims": HasVictims.YES,
        "declaration_source": "Article 7 report (illustrative reference for the demo)",
        "focal_point_name": "Victim assistance focal point (demo)",
        "focal_point_institution": "National Regulatory Authority for UXO/Mine Action (demo)",
        "focal_point_email": "va-lao@example.org",
        "plan_title": "UXO survivor assistance plan 2021–2025 (illustrative)",
        "plan_starts_on": date(2021, 1, 1),
        "plan_ends_on": date(2025, 12, 31),
    },
}


@demo.register
@transaction.atomic
def seed() -> list[str]:
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    lines = []
    for iso3, profile in PROFILES.items():
        state = State.objects.filter(iso3=iso3).first()
        if state is None:
            continue
        if not hasattr(state, "victim_assistance"):
            services.profile_save(state=state, actor=coordinator, illustrative=True, **profile)
        for year, cells in YEARS[iso3].items():
            if VictimAssistanceYear.objects.filter(state=state, year=year).exists():
                continue
            services.year_save(
                state=state,
                year=year,
                source=f"Illustrative figures for the demo ({state.name}, {year})",
                cells=cells,
                note="Illustrative: written for the demo, not a State's report.",
                illustrative=True,
                actor=coordinator,
            )
        lines.append(f"Victim assistance demo: {state.name} (illustrative profile and {len(YEARS[iso3])} years).")
    return lines or ["Victim assistance demo: no States loaded."]
