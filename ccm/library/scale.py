"""Scale data (``ccm seed_scale``): practices and offers of the scale organisations (mixed visibility and
languages; offers of every kind, some expired, some withdrawn), then the site-search index built again for
every kind, since ``bulk_create`` sends none of the signals that keep it current. Every row is illustrative.

Library is the top layer: this step runs last, so the index also covers the needs, donor profiles, meeting
summaries and coalitions of the steps before it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from ccm.accounts.scale import scale_organisations
from ccm.core.policies import Visibility
from ccm.core.scale import BATCH, ScaleContext, register
from ccm.library.models import Condition, Language, Offer, OfferKind, Practice
from ccm.library.search_index import rebuild
from ccm.needs.models import Modality, Pillar
from ccm.states.models import Obligation

TOPICS = [
    ("Land release through non-technical survey", "survey", ["land release", "non-technical survey"]),
    ("Handing over quality management to the national authority", "capacity_building", ["national ownership"]),
    ("A costed completion plan donors can read", "capacity_building", ["resource mobilisation", "funding"]),
    ("Preparing a completion declaration", "clearance", ["completion", "residual risk"]),
    ("Referral pathways for survivors", "victim_assistance", ["referral", "rehabilitation"]),
    ("Risk education where displaced families return", "risk_education", ["risk education", "displacement"]),
    ("Destroying stockpiles safely", "stockpile_destruction", ["stockpile", "demilitarisation"]),
    ("Mechanical assets in dense vegetation", "clearance", ["mechanical", "vegetation"]),
]
SKILLS = ["information management", "quality management", "survey", "training", "logistics", "EOD level 3"]
LANGUAGES = ["English", "French", "Spanish", "Arabic", "Lao", "Portuguese"]
ITEMS = ["detectors", "field vehicles", "protective equipment", "a mechanical flail", "GPS units"]


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    organisations = scale_organisations()
    if not organisations:
        return ["no scale organisations: no practices or offers"]
    state_ids = sorted(set(Obligation.objects.values_list("state_id", flat=True)))
    visibilities = [Visibility.PUBLIC] * 6 + [Visibility.PLATFORM] * 3 + [Visibility.ORGANISATION]
    languages = [Language.ENGLISH] * 8 + [Language.FRENCH, Language.SPANISH]
    today = ctx.today

    practices = []
    for i in range(ctx.size("practices")):
        title, pillar, tags = rng.choice(TOPICS)
        practices.append(
            Practice(
                organisation=rng.choice(organisations),
                title=f"{title} ({i + 1})",
                summary=f"What worked for us: {title.lower()} (scale data set, made up).",
                body=f"## What we did\n\n{title}, step by step.\n\n- Agree the plan early.\n- Record every "
                f"decision.\n- Share the results with partners.\n\n## What we learned\n\n1. Start a year ahead.\n"
                f"2. Involve the communities.\n\n*Scale data set {i + 1}, made up.*",
                pillar=pillar,
                tags=tags,
                source_organisation="",
                published_on=today - timedelta(days=rng.randrange(3_650)),
                language=rng.choice(languages),
                visibility=rng.choice(visibilities),
                illustrative=True,
            )
        )
    Practice.objects.bulk_create(practices, batch_size=BATCH)

    offers = []
    for i in range(ctx.size("offers")):
        kind = rng.choice(OfferKind.values)
        expired = rng.random() < 0.25
        expires = (
            today - timedelta(days=rng.randrange(1, 700)) if expired else today + timedelta(days=rng.randrange(0, 365))
        )
        withdrawn = not expired and rng.random() < 0.05
        fields: dict[str, object] = {}
        if kind == OfferKind.EXPERTISE:
            fields = {
                "expert_name": f"Scale expert roster {i + 1}",
                "skills": rng.sample(SKILLS, 2),
                "languages": rng.sample(LANGUAGES, 2),
                "availability": "From next quarter, for up to six months",
                "modality": Modality.TECHNICAL_EXPERTISE,
            }
            title = f"Adviser in {fields['skills'][0]}"  # type: ignore[index]
        elif kind == OfferKind.EQUIPMENT:
            item = rng.choice(ITEMS)
            fields = {
                "quantity": rng.randint(1, 40),
                "condition": rng.choice(Condition.values),
                "location": "Regional base (scale)",
                "modality": Modality.EQUIPMENT,
            }
            title = f"Equipment: {item}"
        else:
            fields = {
                "quantity": rng.randint(4, 30),
                "languages": rng.sample(LANGUAGES, 1),
                "location": "Regional training centre (scale)",
                "modality": Modality.CAPACITY_BUILDING,
            }
            title = "Training places for national staff"
        offers.append(
            Offer(
                organisation=rng.choice(organisations),
                kind=kind,
                title=f"{title} ({i + 1})",
                description=f"Offered by a scale organisation: {title.lower()} (scale data set, made up).",
                pillar=rng.choice(Pillar.values),
                expires_on=expires,
                withdrawn_at=datetime.combine(today - timedelta(days=3), time(12), tzinfo=UTC) if withdrawn else None,
                visibility=rng.choice(visibilities),
                illustrative=True,
                **fields,
            )
        )
    Offer.objects.bulk_create(offers, batch_size=BATCH)

    # The countries a practice or an offer is about: the States with an obligation, for most of them.
    links = 0
    for model, rows in ((Practice, practices), (Offer, offers)):
        through = model.countries.through
        field = f"{model._meta.model_name}_id"
        countries: list[Any] = []
        for row in rows:
            if state_ids and rng.random() < 0.6:
                chosen = rng.sample(state_ids, min(len(state_ids), rng.randint(1, 3)))
                countries += [through(**{field: row.pk, "state_id": state_id}) for state_id in chosen]
        through.objects.bulk_create(countries, batch_size=BATCH)
        links += len(countries)

    counts = rebuild()
    expired_count = sum(o.expires_on < today for o in offers)
    return [
        f"{len(practices)} practices, {len(offers)} offers ({expired_count} expired), {links} country links",
        f"search index rebuilt: {sum(counts.values())} entries",
    ]
