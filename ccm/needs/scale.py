"""Scale data (``ccm seed_scale``): needs of the States with an obligation, their threads of responses, and a
donor profile for each international organisation. Every need is marked illustrative."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ccm.accounts.models import Organisation, OrganisationKind
from ccm.core.policies import Visibility
from ccm.core.scale import BATCH, SCALE_PREFIX, ScaleContext, register
from ccm.needs.models import DonorProfile, Modality, Need, Pillar, Priority, Response, ResponseKind
from ccm.states.models import Obligation

WORDS = [
    "survey",
    "equipment",
    "vehicles",
    "deminers",
    "training",
    "rehabilitation",
    "prosthetics",
    "database",
    "mapping",
    "medical",
    "quality",
    "management",
    "risk",
    "education",
    "community",
    "liaison",
    "technical",
    "advisers",
    "detectors",
    "clearance",
    "teams",
    "stockpile",
    "destruction",
    "facility",
    "national",
    "authority",
    "information",
]


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    state_ids = sorted(set(Obligation.objects.values_list("state_id", flat=True)))
    if not state_ids:
        return ["no State has an obligation: no needs"]
    now = timezone.now()
    visibilities = [Visibility.PUBLIC] * 7 + [Visibility.PLATFORM] * 2 + [Visibility.CHOSEN]
    needs = []
    for i in range(ctx.size("needs")):
        words = " ".join(rng.sample(WORDS, 3))
        published = rng.random() < 0.9
        needs.append(
            Need(
                state_id=state_ids[i % len(state_ids)],
                title=f"Need {i + 1}: {words}"[:200],
                pillar=rng.choice(Pillar.values),
                modality=rng.choice(Modality.values),
                description=f"Scale data set need about {words}.",
                amount=Decimal(rng.randrange(10_000, 5_000_000)),
                currency="USD",
                priority=rng.choice(Priority.values),
                visibility=rng.choice(visibilities),
                published_at=now - timedelta(days=rng.randrange(1, 1_500)) if published else None,
                withdrawn_at=now if published and rng.random() < 0.03 else None,
                illustrative=True,
            )
        )
    Need.objects.bulk_create(needs, batch_size=BATCH)
    need_ids = list(
        Need.objects.filter(illustrative=True, description__startswith="Scale data set").values_list("pk", "state_id")
    )
    donors = list(
        Organisation.objects.filter(slug__startswith=SCALE_PREFIX)
        .exclude(kind=OrganisationKind.STATE_GOVERNMENT)
        .exclude(kind=OrganisationKind.COORDINATORS_OFFICE)
        .values_list("pk", flat=True)
    )
    governments = dict(
        Organisation.objects.filter(slug__startswith=SCALE_PREFIX, kind=OrganisationKind.STATE_GOVERNMENT).values_list(
            "state_id", "pk"
        )
    )
    kinds = [ResponseKind.INTEREST] * 4 + [ResponseKind.QUESTION] * 2 + [ResponseKind.OFFER, ResponseKind.DECLINE]
    responses = []
    for _ in range(ctx.size("responses")):
        need_id, state_id = rng.choice(need_ids)
        kind = rng.choice(kinds)
        answer = state_id in governments and rng.random() < 0.15
        responses.append(
            Response(
                need_id=need_id,
                organisation_id=governments[state_id] if answer else rng.choice(donors),
                kind=ResponseKind.ANSWER if answer else kind,
                message=f"Scale data set message ({rng.choice(WORDS)}).",
                decline_reason="Outside our priorities this cycle."
                if kind == ResponseKind.DECLINE and not answer
                else "",
            )
        )
    Response.objects.bulk_create(responses, batch_size=BATCH)
    profiles = [
        DonorProfile(
            organisation_id=org_id,
            pillars=rng.sample(Pillar.values, 2),
            modalities=rng.sample(Modality.values, 2),
            grant_min=Decimal(50_000),
            grant_max=Decimal(rng.randrange(100_000, 5_000_000)),
            funding_cycle="Yearly call, decisions in the first quarter.",
        )
        for org_id in donors[::3]
    ]
    DonorProfile.objects.bulk_create(profiles, batch_size=BATCH)
    return [f"{len(needs)} needs, {len(responses)} responses, {len(profiles)} donor profiles"]
