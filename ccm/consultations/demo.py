"""Demo consultations (``ccm seed_demo``): the three question sets the Coordinators used to prepare their
closed meetings, in our own words; a campaign of the affected-States set to Lebanon, Lao PDR and Iraq,
and of the donor set to Norway and the European Union; illustrative answers (several submitted, one
draft). Everything here is ILLUSTRATIVE: no State said any of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction

from ccm.accounts import services as accounts
from ccm.accounts.demo import DEMO_PASSWORD
from ccm.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from ccm.consultations import campaign_services, services, set_services
from ccm.consultations.models import Answer, AnswerStatus, Campaign, QuestionSet
from ccm.core import clock, demo
from ccm.states.models import State

ILLUSTRATIVE = "Illustrative demo data: no State or organisation gave these answers."

Q = dict[str, Any]


def _opts(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "label": label} for key, label in pairs]


AFFECTED: list[Q] = [
    {
        "key": "deadline_obstacles",
        "qtype": "text",
        "required": True,
        "text": "What most stands in the way of finishing clearance or stockpile destruction by your deadline?",
        "help_text": "Think of money, people and skills, equipment, access to the land, information and priorities.",
    },
    {
        "key": "main_deadline_obstacle",
        "qtype": "single",
        "required": True,
        "text": "Which one of these weighs most on your deadline?",
        "options": _opts(
            ("funding", "Not enough funding"),
            ("expertise", "Not enough technical expertise"),
            ("equipment", "Not enough equipment or resources"),
            ("access", "Security or access to contaminated land"),
            ("data", "Incomplete survey or data"),
            ("priority", "Low national priority"),
            ("coordination", "Weak coordination among actors"),
        ),
    },
    {
        "key": "victim_obstacles",
        "qtype": "text",
        "text": "What makes it hard to meet the needs of victims and their communities?",
    },
    {
        "key": "donor_help",
        "qtype": "multiple",
        "required": True,
        "text": "In which ways could donor States help most?",
        "options": _opts(
            ("funding", "Funding"),
            ("expertise", "Technical expertise"),
            ("equipment", "Equipment and other resources"),
            ("capacity", "Building national capacity and ownership"),
            ("engagement", "Working directly with authorities, NGOs and areas on the ground"),
            ("donor_coordination", "Better coordination among donors"),
        ),
    },
    {
        "key": "donor_help_detail",
        "qtype": "text",
        "text": "Describe the assistance that would make the biggest difference.",
    },
    {
        "key": "communication_obstacles",
        "qtype": "text",
        "text": "What stops you from telling donors what you need, and what would make it easier?",
    },
    {
        "key": "needs_communicated",
        "qtype": "yes_no",
        "text": "Did you set out your needs to donors in the past twelve months?",
    },
    {
        "key": "response_quality",
        "qtype": "scale",
        "text": "How well did donors respond to the needs you set out?",
        "help_text": "1 = no response at all, 5 = every need was discussed.",
    },
    {
        "key": "teams_needed",
        "qtype": "number",
        "text": "How many more clearance teams would you need to finish on time?",
    },
    {
        "key": "convention_channels",
        "qtype": "text",
        "text": "How could the Convention's own channels (meetings, reports, the Coordinators) serve you better?",
    },
]

DONORS: list[Q] = [
    {
        "key": "priorities",
        "qtype": "multiple",
        "required": True,
        "text": "Which areas does your cooperation and assistance give priority to?",
        "options": _opts(
            ("clearance", "Survey and clearance"),
            ("stockpiles", "Stockpile destruction"),
            ("victims", "Victim assistance"),
            ("education", "Risk education"),
            ("capacity", "National capacity"),
        ),
    },
    {
        "key": "priorities_detail",
        "qtype": "text",
        "text": "What decides where your support goes?",
    },
    {
        "key": "approach",
        "qtype": "text",
        "required": True,
        "text": "How should an affected State approach you to obtain funding or technical help?",
    },
    {
        "key": "request_contents",
        "qtype": "multiple",
        "text": "What should a request to you contain?",
        "options": _opts(
            ("progress", "Detailed progress figures"),
            ("obstacles", "The obstacles faced"),
            ("costed_plan", "A costed plan to completion"),
            ("national_share", "What the State itself contributes"),
            ("contact", "One national point of contact"),
        ),
    },
    {
        "key": "assistance_obstacles",
        "qtype": "text",
        "text": "What stops you from giving more assistance, and how could it be overcome?",
    },
    {
        "key": "multi_year",
        "qtype": "yes_no",
        "text": "Can you commit funding over several years?",
    },
    {
        "key": "channels_useful",
        "qtype": "scale",
        "text": "How useful are the Convention's channels for learning what affected States need?",
    },
    {
        "key": "convention_channels",
        "qtype": "text",
        "text": "How could the Convention's channels be used better?",
    },
]

EVERYONE: list[Q] = [
    {
        "key": "coalition_potential",
        "qtype": "scale",
        "required": True,
        "text": "How much could country coalitions improve cooperation and assistance?",
    },
    {
        "key": "coalition_conditions",
        "qtype": "text",
        "text": "What would a country coalition need in order to work?",
    },
    {
        "key": "coordinators_better",
        "qtype": "text",
        "text": "What could the Coordinators do better to strengthen cooperation and assistance?",
    },
    {
        "key": "next_plan",
        "qtype": "text",
        "text": "Which actions should the next action plan include?",
    },
    {
        "key": "closed_meetings",
        "qtype": "yes_no",
        "text": "Should closed meetings between affected and donor States continue?",
    },
]

SETS = [
    (
        "affected-states-obstacles",
        "Affected States: obstacles and assistance",
        "affected",
        "For affected States: what stands in the way of deadlines and of victims' needs, how donors could "
        "help, and how needs could be communicated better.",
        AFFECTED,
    ),
    (
        "donor-priorities",
        "Donors: priorities and how to work together",
        "donors",
        "For donor States and organisations: their priorities, how affected States should approach them, "
        "and what holds assistance back.",
        DONORS,
    ),
    (
        "coalitions-next-plan",
        "Everyone: country coalitions and the next action plan",
        "all",
        "For all States and organisations: country coalitions, the Coordinators' work and the next action plan.",
        EVERYONE,
    ),
]

# Illustrative answers, by organisation name: (values, submitted)
AFFECTED_ANSWERS: dict[str, tuple[dict[str, object], bool]] = {
    "Lebanon Mine Action Centre (demo)": (
        {
            "deadline_obstacles": "Funding has fallen year on year and our teams cannot cover the remaining "
            "areas in the south. Some land is hard to access for security reasons, and the survey data for "
            "older strikes is incomplete. (illustrative)",
            "main_deadline_obstacle": "funding",
            "victim_obstacles": "Services for survivors are far from the affected villages; there is no "
            "sustained funding for rehabilitation and the Lebanese health ministry lacks trained staff. (illustrative)",
            "donor_help": ["funding", "equipment", "capacity"],
            "donor_help_detail": "Multi-year funding for four more clearance teams, and mechanical equipment "
            "for dense vegetation. (illustrative)",
            "communication_obstacles": "We present our needs at the meetings but rarely hear back; we do not "
            "know who to contact in each donor capital. A single contact list would help. (illustrative)",
            "needs_communicated": True,
            "response_quality": 2,
            "teams_needed": 4,
            "convention_channels": "Shorter, focused bilateral sessions at the meetings, with follow-up by "
            "the Coordinators. (illustrative)",
        },
        True,
    ),
    "Lao PDR National Regulatory Authority (demo)": (
        {
            "deadline_obstacles": "The contaminated area is very large and the survey is not finished, so our "
            "data on what remains is uncertain. National capacity to manage quality is still limited. "
            "(illustrative)",
            "main_deadline_obstacle": "data",
            "victim_obstacles": "Survivors live in remote districts; transport and the cost of prosthetics are "
            "the main barriers. (illustrative)",
            "donor_help": ["funding", "expertise", "capacity", "donor_coordination"],
            "donor_help_detail": "Technical advisers for survey methods and training of national staff so the "
            "authority can take over quality management. (illustrative)",
            "communication_obstacles": "Several donors ask for different report formats, which takes staff time "
            "we do not have. A common format would make it easier. (illustrative)",
            "needs_communicated": True,
            "response_quality": 3,
            "teams_needed": 30,
            "convention_channels": "Use the article 7 reports to match needs with donors, and share the results "
            "of that matching at the meetings. (illustrative)",
        },
        True,
    ),
    "Iraq Directorate of Mine Action (demo)": (
        {
            "deadline_obstacles": "Coordination between the federal and regional authorities is slow, access "
            "to some areas needs security clearance, and funding is short-term. (illustrative)",
            "main_deadline_obstacle": "coordination",
            "victim_obstacles": "Data on victims is scattered across ministries; a national register is "
            "missing. (illustrative)",
            "donor_help": ["funding", "engagement"],
            "donor_help_detail": "Support for a national victim register and for the coordination office. "
            "(illustrative)",
            "communication_obstacles": "Staff turnover means the contacts with donors are often lost. (illustrative)",
            "needs_communicated": False,
            "response_quality": 2,
            "convention_channels": "A standing country coalition meeting twice a year would keep donors engaged. "
            "(illustrative)",
        },
        True,
    ),
}

DONOR_ANSWERS: dict[str, tuple[dict[str, object], bool]] = {
    "Norway, Ministry of Foreign Affairs (demo)": (
        {
            "priorities": ["clearance", "victims", "capacity"],
            "priorities_detail": "Where a State shows national ownership and a credible plan to completion. "
            "(illustrative)",
            "approach": "Early in our budget cycle, with a costed plan, recent progress figures and the "
            "obstacles named plainly. (illustrative)",
            "request_contents": ["progress", "obstacles", "costed_plan", "contact"],
            "assistance_obstacles": "Limited staff to follow many small projects; we prefer fewer, larger "
            "partnerships with clear reporting. Better coordination among donors would help. (illustrative)",
            "multi_year": True,
            "channels_useful": 3,
            "convention_channels": "A shared overview of needs and pledges before each meeting. (illustrative)",
        },
        True,
    ),
    "European Union (demo)": (
        {
            "priorities": ["clearance", "education"],
            "approach": "Through our delegations in the country, with the national authority's endorsement. "
            "(illustrative)",
            "multi_year": True,
        },
        False,
    ),
}

EXTRA_ORGANISATIONS = [
    ("Lao PDR National Regulatory Authority (demo)", "LAO", "laos.manager@example.org", "Lan Manager"),
    ("Iraq Directorate of Mine Action (demo)", "IRQ", "iraq.manager@example.org", "Idris Manager"),
]


def _organisations() -> list[str]:
    lines = []
    for name, iso3, email, full_name in EXTRA_ORGANISATIONS:
        organisation = Organisation.objects.filter(name=name).first() or accounts.organisation_create(
            name=name, kind=OrganisationKind.STATE_GOVERNMENT, state=State.objects.get(iso3=iso3), actor=None
        )
        user = User.objects.filter(email=email).first() or accounts.user_create(
            email=email, full_name=full_name, password=DEMO_PASSWORD, actor=None
        )
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            accounts.membership_add(user=user, organisation=organisation, role=Role.MANAGER, actor=None)
        lines.append(f"  {email:32} Manager at {name}")
    return lines


def _question_set(slug: str, title: str, audience: str, description: str, questions: list[Q], actor: Any) -> Any:
    existing = QuestionSet.objects.filter(slug=slug).first()
    if existing is not None:
        return existing.versions.filter(status="published").order_by("-number").first()
    question_set = set_services.question_set_create(
        title=title, slug=slug, audience=audience, description=f"{description} ({ILLUSTRATIVE})", actor=actor
    )
    draft = set_services.draft_of(question_set)
    assert draft is not None  # noqa: S101 - just created with its first draft
    for question in questions:
        set_services.question_add(version=draft, actor=actor, **question)
    return set_services.version_publish(version=draft, actor=actor, change_note="First version (demo)")


def _manager_or_editor(organisation: Organisation, *, manager: bool) -> User | None:
    roles = [Role.MANAGER] if manager else [Role.EDITOR, Role.MANAGER]
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("-role", "user_id")
        .first()
    )
    return membership.user if membership else None


def _campaign(title: str, version: Any, names: list[str], answers: dict[str, Any], actor: Any) -> str:
    if Campaign.objects.filter(title=title).exists():
        return f"  {title}: already there"
    today = clock.today()
    recipients = [Organisation.objects.get(name=name) for name in names]
    campaign = campaign_services.campaign_create(
        title=title,
        version=version,
        message=f"Please answer before the closed meeting. {ILLUSTRATIVE}",
        opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=10),
        recipients=recipients,
        conveners=[(actor, today + timedelta(days=400))],
        actor=actor,
    )
    campaign = campaign_services.campaign_send(campaign=campaign, actor=actor)
    done = 0
    for organisation in recipients:
        values, submit = answers.get(organisation.name, ({}, False))
        if not values or Answer.objects.filter(campaign=campaign, organisation=organisation).exists():
            continue
        writer = _manager_or_editor(organisation, manager=submit)
        if writer is None:
            continue
        answer = services.answer_save(campaign=campaign, organisation=organisation, values=values, actor=writer)
        if submit:
            services.answer_submit(answer=answer, actor=writer)
        done += 1
    submitted = Answer.objects.filter(campaign=campaign, status=AnswerStatus.SUBMITTED).count()
    return f"  {title}: sent to {len(recipients)} organisations, {done} answers ({submitted} submitted)"


@demo.register
@transaction.atomic
def seed() -> list[str]:
    coordinator = User.objects.get(email="coordinator@example.org")
    lines = ["Consultations (illustrative):", *_organisations()]
    versions = {slug: _question_set(slug, title, aud, desc, qs, coordinator) for slug, title, aud, desc, qs in SETS}
    lines.append(
        _campaign(
            "Obstacles and assistance: affected States (demo)",
            versions["affected-states-obstacles"],
            list(AFFECTED_ANSWERS),
            AFFECTED_ANSWERS,
            coordinator,
        )
    )
    lines.append(
        _campaign(
            "Donor priorities (demo)",
            versions["donor-priorities"],
            list(DONOR_ANSWERS),
            DONOR_ANSWERS,
            coordinator,
        )
    )
    return lines


# The synthesis's step (themes found, key points started) runs after this one.
from ccm.consultations import synthesis_demo  # noqa: E402, F401, I001
