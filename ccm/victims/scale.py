"""Scale data (``ccm seed_scale``): a victim assistance profile and ten years of figures for every State with a
clearance obligation (Article 4: where cluster munition remnants lie, there are victims). Figures follow the
shape the services accept (a breakdown never exceeds its margins, the margins never exceed the total); many
casualty counts are small (0 to 4), so the protection of small numbers is exercised. Every row is
illustrative."""

from __future__ import annotations

import random

from ccm.core.scale import BATCH, ScaleContext, register
from ccm.states.models import Obligation, ObligationKind
from ccm.victims.models import (
    HasVictims,
    Measure,
    Sex,
    VictimAssistanceProfile,
    VictimAssistanceYear,
    VictimFigure,
)
from ccm.victims.rules import BREAKDOWN_AGES, BREAKDOWN_SEXES

SOURCE = "Scale data set (made up)"
ALL = Sex.ALL  # the margin and total key of both breakdowns (AgeGroup.ALL is the same value)
# Typical size of each measure's total (a State's yearly figure): casualties small, services reached larger.
SPREAD: dict[str, tuple[int, int]] = {
    Measure.KILLED: (0, 6),
    Measure.INJURED: (0, 25),
    Measure.MEDICAL: (5, 300),
    Measure.REHABILITATION: (10, 900),
    Measure.PSYCHOLOGICAL: (0, 200),
    Measure.INCLUSION: (0, 400),
}
CASUALTIES = (Measure.KILLED, Measure.INJURED)


def _cells(rng: random.Random, measure: str) -> dict[tuple[str, str], int]:
    """One measure's cells: the total, and for most casualty figures (some others) a breakdown by sex and
    age with its margins, each summing to at most the one above it."""
    low, high = SPREAD[measure]
    if rng.random() < 0.35:
        high = min(high, 4)  # a small figure: 1 to 4 people, protected on public pages
        low = min(low, 1)
    total = rng.randint(low, high)
    cells: dict[tuple[str, str], int] = {(ALL, ALL): total}
    if total == 0 or rng.random() > (0.8 if measure in CASUALTIES else 0.3):
        return cells
    unbroken = rng.randint(0, total // 5)  # part of the total the State could not break down
    breakdown: dict[tuple[str, str], int] = {}
    for _ in range(total - unbroken):
        sex = rng.choices(BREAKDOWN_SEXES, weights=(3, 6, 1))[0]
        age = rng.choices(BREAKDOWN_AGES, weights=(4, 5, 1))[0]
        breakdown[(sex, age)] = breakdown.get((sex, age), 0) + 1
    cells.update(breakdown)
    for sex in BREAKDOWN_SEXES:
        row = [v for (s, _a), v in breakdown.items() if s == sex]
        if row:
            cells[(sex, ALL)] = sum(row)
    for age in BREAKDOWN_AGES:
        column = [v for (_s, a), v in breakdown.items() if a == age]
        if column:
            cells[(ALL, age)] = sum(column)
    return cells


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    state_ids = sorted(set(Obligation.objects.filter(kind=ObligationKind.CLEARANCE).values_list("state_id", flat=True)))
    if not state_ids:
        return ["no State has a clearance obligation: no victim assistance figures"]
    profiles = [
        VictimAssistanceProfile(
            state_id=state_id,
            has_victims=HasVictims.YES,
            declaration_source=SOURCE,
            focal_point_name=f"Scale focal point {i + 1}",
            focal_point_institution="National mine action authority (scale)",
            focal_point_email=f"scale-va-{i + 1:03d}@example.org",
            plan_title="National victim assistance plan (scale)" if rng.random() < 0.6 else "",
            illustrative=True,
        )
        for i, state_id in enumerate(state_ids)
    ]
    VictimAssistanceProfile.objects.bulk_create(profiles, batch_size=BATCH)

    span = ctx.size("victim_assistance_years")
    years = range(ctx.today.year - span, ctx.today.year)
    VictimAssistanceYear.objects.bulk_create(
        [
            VictimAssistanceYear(
                state_id=state_id,
                year=year,
                source=f"{SOURCE}, {year}",
                note="Made-up figures for measuring speed.",
                illustrative=True,
            )
            for state_id in state_ids
            for year in years
        ],
        batch_size=BATCH,
    )
    records = VictimAssistanceYear.objects.filter(source__startswith=SOURCE).order_by("state_id", "year")
    figures = []
    for record_id in records.values_list("pk", flat=True):
        for measure in Measure.values:
            if measure not in CASUALTIES and rng.random() < 0.25:
                continue  # not reported this year
            for (sex, age), count in _cells(rng, measure).items():
                figures.append(VictimFigure(year_id=record_id, measure=measure, sex=sex, age_group=age, count=count))
    VictimFigure.objects.bulk_create(figures, batch_size=BATCH)
    return [
        f"{len(profiles)} victim assistance profiles, {len(state_ids) * len(years)} years "
        f"({len(figures)} figures) for {len(state_ids)} States"
    ]
