"""Demo practices and offers (``ccm seed_demo``), every one labelled illustrative.

The practices are written in our own words for the demo (no text is quoted from a published source):
land release through non-technical survey, national ownership and capacity transfer, resource
mobilisation, completion declarations, survivors' referral to rehabilitation, risk education where
displaced families return, and one lesson private to the demo operator. The offers come from the demo
donors and the demo operator: expertise, equipment, training places, one expired and one private. The
Lao PDR need for an information-management adviser and Lebanon's risk-education need show suggestions.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from ccm.accounts.models import Organisation
from ccm.core import clock, demo
from ccm.library import services
from ccm.library.models import Offer, Practice
from ccm.states.models import State

OPERATOR = "Clearance Operator (demo)"
EU = "European Union (demo)"
NORWAY = "Norway, Ministry of Foreign Affairs (demo)"
ISU = "CCM Implementation Support Unit (demo)"
LEBANON = "Lebanon Mine Action Centre (demo)"

NOTE = "\n\n*Illustrative text written for the demo, in our own words.*"

PRACTICES: list[dict[str, Any]] = [
    {
        "organisation": OPERATOR,
        "countries": ["LAO"],
        "values": {
            "title": "Land release through non-technical survey",
            "summary": "Most suspected land holds no contamination: a careful non-technical survey releases it "
            "quickly and keeps clearance teams for the land that needs them.",
            "pillar": "survey",
            "tags": ["land release", "non-technical survey", "cancellation"],
            "body": "## What we did\n\nBefore sending clearance teams, survey teams visited every suspected "
            "area and asked those who know it best: farmers, village heads, former soldiers.\n\n"
            "- Evidence of use (strike records, found remnants, accidents) was recorded per area.\n"
            "- Areas with no evidence were **cancelled** with the community's agreement and a signed record.\n"
            "- Areas with evidence were reduced to the polygons that the evidence supports.\n\n"
            "## What we learned\n\n1. Interview more than one person per village.\n2. Record why an area is "
            "cancelled, not only that it is.\n3. Hand the records to the national database the same month." + NOTE,
            "source_organisation": "Clearance Operator (demo)",
            "published_on": date(2025, 9, 15),
            "language": "en",
            "visibility": "public",
        },
    },
    {
        "organisation": ISU,
        "countries": [],
        "values": {
            "title": "National ownership and capacity transfer",
            "summary": "Plan the hand-over from international operators to the national authority from the "
            "first year, with named posts and a timetable.",
            "pillar": "capacity_building",
            "tags": ["national ownership", "capacity transfer", "mentoring"],
            "body": "A programme owned by the State outlasts its donors. What helped:\n\n"
            "- a **transfer plan** agreed at the start, listing each function (quality management, "
            "information management, accreditation) and when the national staff take it over;\n"
            "- mentors who sit beside national staff rather than doing the work for them;\n"
            "- national budget lines, even small ones, for the authority's running costs.\n\n"
            "See the Convention's text at [the CCM website](https://www.clusterconvention.org/)." + NOTE,
            "source_organisation": "",
            "published_on": date(2025, 6, 1),
            "language": "en",
            "visibility": "public",
        },
    },
    {
        "organisation": ISU,
        "countries": [],
        "values": {
            "title": "Resource mobilisation strategies",
            "summary": "A costed plan, a short list of asks by donor and a yearly meeting of partners raise "
            "more than scattered requests.",
            "pillar": "capacity_building",
            "tags": ["resource mobilisation", "funding", "donor relations"],
            "body": "## Three habits of programmes that stay funded\n\n"
            "1. **A costed completion plan** that donors can read in ten minutes: what remains, what it costs, "
            "what the State pays itself.\n"
            "2. **Asks matched to donors**: each donor's priorities and funding cycle, and one ask that fits.\n"
            "3. **A partners' meeting each year**, with the results of the last year's money.\n\n"
            "> Report what was achieved with each contribution, in the donor's own year." + NOTE,
            "source_organisation": "",
            "published_on": date(2025, 3, 10),
            "language": "en",
            "visibility": "public",
        },
    },
    {
        "organisation": ISU,
        "countries": [],
        "values": {
            "title": "Completion declarations: what to prepare",
            "summary": "A State that completes clearance declares it: prepare the records, the residual "
            "risk plan and the declaration well before the deadline.",
            "pillar": "clearance",
            "tags": ["completion", "article 4", "residual risk"],
            "body": "When the last known area is cleared, the State declares completion. Prepare:\n\n"
            "- the list of every area released, with the method (cancelled, reduced, cleared) and the date;\n"
            "- a **residual risk** plan: who answers a call about a remnant found after completion;\n"
            "- the declaration itself, presented at a meeting of States Parties.\n\n"
            "Start a year ahead: the records are the long part." + NOTE,
            "source_organisation": "",
            "published_on": date(2025, 11, 20),
            "language": "en",
            "visibility": "public",
        },
    },
    {
        "organisation": NORWAY,
        "countries": ["LBN"],
        "values": {
            "title": "Referral pathways for survivors: prosthetics and rehabilitation",
            "summary": "Survivors reach rehabilitation when one referral list names every service and who "
            "pays for the journey.",
            "pillar": "victim_assistance",
            "tags": ["victim assistance", "physical rehabilitation", "prosthetics", "referral"],
            "body": "## The referral list\n\nOne list, kept by the national focal point, of every service "
            "for survivors: emergency care, **prosthetics and orthotics**, physiotherapy and rehabilitation, "
            "psychological support, and livelihood programmes.\n\n"
            "## What made it work\n\n- Transport costs paid, so that survivors far from the capital come.\n"
            "- Survivors' associations consulted when the list was drawn up.\n"
            "- Each referral followed up after a month." + NOTE,
            "source_organisation": "",
            "published_on": date(2025, 10, 5),
            "language": "en",
            "visibility": "platform",
        },
    },
    {
        "organisation": EU,
        "countries": ["LBN"],
        "values": {
            "title": "Éducation aux risques là où les familles déplacées reviennent",
            "summary": "Former des formateurs locaux avant le retour des familles déplacées, pour que "
            "l'éducation aux risques arrive en même temps qu'elles.",
            "pillar": "risk_education",
            "tags": ["risk education", "displacement", "training of trainers"],
            "body": "- Former des **formateurs** issus des communautés d'accueil.\n"
            "- Adapter les messages aux enfants et aux agriculteurs.\n"
            "- Travailler avec les écoles et les centres de santé.\n\n"
            "*Texte illustratif rédigé pour la démonstration.*",
            "source_organisation": "",
            "published_on": date(2025, 8, 12),
            "language": "fr",
            "visibility": "public",
        },
    },
    {
        "organisation": OPERATOR,
        "countries": [],
        "values": {
            "title": "Lessons from our team rotation (internal)",
            "summary": "What went wrong when two teams changed over in the same week, and what we now do.",
            "pillar": "clearance",
            "tags": ["internal", "team rotation"],
            "body": "Internal to the operator: seen by its members and the coordinators only." + NOTE,
            "source_organisation": "",
            "published_on": date(2026, 1, 15),
            "language": "en",
            "visibility": "organisation",
        },
    },
]


def _offers(day: date) -> list[dict[str, Any]]:
    return [
        {
            "organisation": OPERATOR,
            "countries": [],
            "values": {
                "kind": "expertise",
                "title": "Information-management adviser for a national database",
                "description": "An adviser for up to six months to move survey and clearance records into a "
                "new national database, and to train the authority's information-management staff. "
                "Illustrative offer for the demo.",
                "pillar": "clearance",
                "modality": "technical_expertise",
                "expert_name": "The operator's information-management unit",
                "skills": ["information management", "database migration", "training"],
                "languages": ["English", "French", "Lao"],
                "availability": "From next quarter, for up to six months",
                "expires_on": day + timedelta(days=240),
                "visibility": "platform",
            },
        },
        {
            "organisation": EU,
            "countries": ["LBN", "IRQ"],
            "values": {
                "kind": "training",
                "title": "Training of risk-education trainers: twelve places",
                "description": "Twelve places in a two-week course for risk-education trainers working where "
                "displaced families return, in Arabic and French. Illustrative offer for the demo.",
                "pillar": "risk_education",
                "modality": "capacity_building",
                "languages": ["Arabic", "French"],
                "quantity": 12,
                "location": "Regional training centre",
                "expires_on": day + timedelta(days=120),
                "visibility": "public",
            },
        },
        {
            "organisation": OPERATOR,
            "countries": [],
            "values": {
                "kind": "equipment",
                "title": "Detectors and field vehicles",
                "description": "Twelve detectors and two field vehicles from a finished project, for a national "
                "authority. Illustrative offer for the demo.",
                "pillar": "capacity_building",
                "modality": "equipment",
                "quantity": 14,
                "condition": "used",
                "location": "The operator's regional base",
                "expires_on": day + timedelta(days=60),
                "visibility": "platform",
            },
        },
        {
            "organisation": NORWAY,
            "countries": [],
            "values": {
                "kind": "expertise",
                "title": "Mentoring for non-technical survey (last year's round)",
                "description": "Mentors for survey teams; this round has closed. Illustrative offer for the demo.",
                "pillar": "survey",
                "modality": "technical_expertise",
                "expert_name": "A roster of survey mentors",
                "skills": ["non-technical survey"],
                "languages": ["English"],
                "expires_on": day - timedelta(days=30),
                "visibility": "public",
            },
            "made_on": day - timedelta(days=200),
        },
        {
            "organisation": OPERATOR,
            "countries": [],
            "values": {
                "kind": "equipment",
                "title": "Mechanical ground-preparation machine (partners only)",
                "description": "Offered first to our own partners; private to the operator for now. "
                "Illustrative offer for the demo.",
                "pillar": "clearance",
                "modality": "equipment",
                "quantity": 1,
                "condition": "good",
                "expires_on": day + timedelta(days=90),
                "visibility": "organisation",
            },
        },
    ]


def _states(codes: list[str]) -> list[State]:
    return list(State.objects.filter(iso3__in=codes))


@transaction.atomic
def seed() -> list[str]:
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=[OPERATOR, EU, NORWAY, ISU, LEBANON])}
    if len(organisations) < 5:
        return ["Library demo: skipped (the demo organisations are missing)."]
    day = clock.today()
    for entry in PRACTICES:
        organisation = organisations[entry["organisation"]]
        if Practice.objects.filter(organisation=organisation, title=entry["values"]["title"]).exists():
            continue
        services.practice_save(
            organisation=organisation,
            values=entry["values"],
            countries=_states(entry["countries"]),
            actor=None,
            illustrative=True,
        )
    for entry in _offers(day):
        organisation = organisations[entry["organisation"]]
        if Offer.objects.filter(organisation=organisation, title=entry["values"]["title"]).exists():
            continue
        services.offer_save(
            organisation=organisation,
            values=entry["values"],
            countries=_states(entry["countries"]),
            actor=None,
            illustrative=True,
            today=entry.get("made_on", day),  # the expired offer was made months ago
        )
    return [
        f"Library demo: {Practice.objects.count()} practices, {Offer.objects.count()} offers (illustrative; one "
        "practice and one offer private to the operator, one offer expired). Suggestions on the Lao PDR and "
        "Lebanon needs; as operator.manager@example.org, propose the adviser on the Lao need.",
    ]


demo.register(seed)
