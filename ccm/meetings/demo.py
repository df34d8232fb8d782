"""Demo data: an illustrative closed meeting shaped like the Coordinators' 2017 meetings between
affected and donor States (affected: Lebanon, Lao PDR and Chad; donors: Norway, the EU; an operator).
The real meetings' participants were never published: who is invited here, what the notes say and
the follow-up actions are invented; the agenda follows the 2017 questions and the key points the
points the Coordinators presented (without attribution)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.db import transaction

from ccm.accounts import services as accounts
from ccm.accounts.models import Organisation, OrganisationKind, User
from ccm.consultations.models import Campaign
from ccm.core import clock, demo
from ccm.meetings import services
from ccm.meetings.models import Meeting
from ccm.states.models import State

TITLE = "Closed meeting between affected and donor States (illustrative)"
EXTRA_ORGANISATIONS = [
    ("Lao PDR National Regulatory Authority (demo)", "LAO"),
    ("Chad, National Demining Authority (demo)", "TCD"),
]
INVITED = [
    "Lebanon Mine Action Centre (demo)",
    "Lao PDR National Regulatory Authority (demo)",
    "Chad, National Demining Authority (demo)",
    "Norway, Ministry of Foreign Affairs (demo)",
    "European Union (demo)",
    "Clearance Operator (demo)",
]
# Agenda: the 2017 question sets (and the consultation campaign to link, found by a word of its title).
AGENDA = [
    (
        time(10, 0),
        "Questions for affected States",
        "Key obstacles to meeting clearance and stockpile destruction deadlines and to addressing the needs of "
        "victims; specific ways for donor States to assist; obstacles to communicating needs.",
        "affected",
    ),
    (
        time(11, 0),
        "Questions for donor States",
        "Priority issues for cooperation and assistance; how affected States should communicate with donors to "
        "secure funding or technical assistance; obstacles to providing assistance.",
        "donor",
    ),
    (
        time(12, 0),
        "Questions for all",
        "The potential of Country Coalitions; what the Coordinators can do better; what the next Action Plan "
        "should include.",
        "all",
    ),
]
NOTES = [
    "One affected State described survey results that arrived after the plan was costed; the gap is in "
    "technical survey capacity rather than in clearance teams.\nAnother said the national budget line was "
    "cut this year and asked how to show donors what remains to be done.",
    "A donor said it funds through operators and needs the national authority's endorsement early.\n"
    "Another donor asked for progress reported against the costed plan, not only in square metres.",
    "Participants supported trying a Country Coalition with one affected State and two donors, with a "
    "field visit in the first year.",
]
KEY_POINTS = [
    "Major obstacles to meeting deadlines: lack of funding, technical expertise and resources; and lack of "
    "national will.",
    "Key areas in which donors might assist: funding, expertise and resources; building capacity for national "
    "ownership; direct engagement with authorities, NGOs and areas on the ground.",
    "Key to securing assistance: detailed information on progress, obstacles and the specific assistance "
    "necessary to achieve completion.",
    "Need for better coordination amongst donors, so that assistance reaches all States in need, not only those "
    "with higher-profile problems.",
    "An individualised approach like Country Coalitions offers significant potential for accelerating progress; "
    "its effectiveness depends on engagement on the ground and ongoing dialogue between partners.",
]


def _organisations() -> list[Organisation]:
    for name, iso3 in EXTRA_ORGANISATIONS:
        if not Organisation.objects.filter(name=name).exists():
            accounts.organisation_create(
                name=name, kind=OrganisationKind.STATE_GOVERNMENT, state=State.objects.get(iso3=iso3), actor=None
            )
    return list(Organisation.objects.filter(name__in=INVITED))


def _campaign(word: str) -> Campaign | None:
    return Campaign.objects.filter(title__icontains=word).order_by("-opens_on").first()


@demo.register
@transaction.atomic
def seed() -> list[str]:
    if Meeting.objects.filter(title=TITLE).exists():
        return ["Meetings demo: already present."]
    convener = User.objects.filter(email="coordinator@example.org").first()
    if convener is None:
        return ["Meetings demo: skipped (no demo coordinator)."]
    invited = _organisations()
    # Held three weeks ago, in Geneva; convened a month before.
    starts = datetime.combine(clock.today() - timedelta(days=21), time(8, 0), tzinfo=UTC)
    meeting = services.meeting_create(
        values={
            "title": TITLE,
            "kind": "closed",
            "purpose": "A closed meeting between affected and donor States to discuss challenges on cooperation and "
            "assistance: a new, additional channel for raising unmet needs and challenges. Illustrative: the "
            "real meetings' participants were never published.",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=5),
            "time_zone": "Europe/Zurich",
            "place": "Geneva, Palais des Nations (illustrative)",
            "confidentiality": "chatham_house",
            "confidentiality_explanation": "Participants may use what is said, but may not reveal who said it. "
            "Only a summary without any State's identity is published.",
        },
        actor=convener,
    )
    for organisation in invited:
        services.invite_organisation(meeting=meeting, organisation=organisation, actor=convener)
    before = starts - timedelta(days=30)
    meeting = services.meeting_convene(meeting=meeting, actor=convener, now=before)
    for organisation in invited:
        attending = organisation.name != "Chad, National Demining Authority (demo)"
        services.reply_save(
            meeting=meeting,
            organisation=organisation,
            response="attending" if attending else "not_attending",
            delegate_name="Head of delegation (illustrative)" if attending else "",
            actor=None,
            now=before + timedelta(days=3),
        )
    linked = 0
    for (at, title, description, word), note in zip(AGENDA, NOTES, strict=True):
        campaign = _campaign(word)
        linked += campaign is not None
        item = services.agenda_item_save(
            meeting=meeting,
            values={"starts_at": at, "title": title, "description": description, "campaign": campaign},
            actor=convener,
        )
        services.note_save(agenda_item=item, text=note, actor=convener)
    for text in KEY_POINTS:
        services.key_point_save(meeting=meeting, text=text, actor=convener)
    meeting = services.meeting_mark_held(meeting=meeting, actor=convener)
    actions = _actions(meeting, convener)
    return [
        f"Meetings demo: “{TITLE}”, held {starts.day} {starts:%b %Y} (Chatham House rule), "
        f"{len(invited)} organisations invited, 3 agenda items ({linked} linked to a consultation), notes, "
        f"{len(KEY_POINTS)} key points, "
        f"{actions} follow-up actions (one overdue). Convener: coordinator@example.org.",
    ]


def _actions(meeting: Meeting, convener: User) -> int:
    from ccm.actions import services as action_services

    owners = {o.name: o for o in meeting.invited_organisations.all()}
    lebanon = State.objects.get(iso3="LBN")
    today = clock.today()
    planned = [
        (
            "Share the technical survey results with the donors present",
            "Lebanon Mine Action Centre (demo)",
            today - timedelta(days=5),  # overdue
            lebanon.obligations.filter(kind="clearance").first(),
        ),
        (
            "Propose a Country Coalition with one affected State and two donors",
            "Norway, Ministry of Foreign Affairs (demo)",
            today + timedelta(days=40),
            None,
        ),
        (
            "Report progress against the costed completion plan",
            "Lao PDR National Regulatory Authority (demo)",
            today + timedelta(days=90),
            State.objects.get(iso3="LAO").obligations.filter(kind="clearance").first(),
        ),
    ]
    for title, owner, due, obligation in planned:
        action_services.action_create(
            source=meeting,
            title=title,
            owner=owners[owner],
            due_date=due,
            actor=convener,
            obligation=obligation,
            allowed_owners=list(owners.values()),
        )
    return len(planned)


# The summary's demo step runs after this one (meet-publish): registered on import, so after ``seed``.
from ccm.meetings import demo_publish  # noqa: E402, F401
