"""Scale data (``ccm seed_scale``): meetings over the last six years and the next one, mostly closed, with
their conveners, invited organisations and people, replies, agenda (some items linked to a scale
consultation), and for the meetings held: notes, key points and, for some, a summary (most published). Every
meeting's calendar UID starts ``scale-`` and its title says it is scale data."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from ccm.accounts.models import Membership, User
from ccm.accounts.scale import scale_organisations
from ccm.consultations.models import Campaign
from ccm.core.policies import Visibility
from ccm.core.scale import BATCH, SCALE_PREFIX, ScaleContext, register, times_as_given
from ccm.meetings.models import (
    AgendaItem,
    ConfidentialityRule,
    InvitedOrganisation,
    InvitedPerson,
    KeyPoint,
    Meeting,
    MeetingConvener,
    MeetingKind,
    MeetingStatus,
    Note,
    Reply,
    ReplyChoice,
)
from ccm.meetings.publish_models import Summary, SummaryStatus

ZONES = ["Europe/Zurich", "Europe/Zurich", "Europe/Oslo", "Asia/Beirut", "Asia/Vientiane", "Africa/Ndjamena", "UTC"]
TOPICS = [
    "cooperation and assistance",
    "clearance deadlines",
    "victim assistance",
    "stockpile destruction",
    "resource mobilisation",
    "survey and land release",
    "national ownership",
    "risk education",
]
AGENDA = [
    "Opening and adoption of the agenda",
    "Questions for affected States",
    "Questions for donor States",
    "Progress since the last meeting",
    "Needs and offers on the platform",
    "Follow-up actions",
    "Any other business",
]
POINTS = [
    "Funding that is predictable over several years lets clearance plans hold.",
    "Survey capacity, more than clearance teams, limits progress in several States.",
    "Donors ask for costed completion plans and yearly reports on time.",
    "Participants supported a country coalition with one affected State and two donors.",
    "Coordination among donors would spread assistance to States with less visible needs.",
]


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    organisations = scale_organisations()
    users = list(User.objects.filter(email__startswith="scale-user-").order_by("pk"))
    coordinator = User.objects.filter(email="scale-coordinator@example.org").first()
    if not organisations or not users:
        return ["no scale organisations: no meetings"]
    conveners = users[:40] + ([coordinator] if coordinator else [])
    editors: dict[int, list[int]] = {}
    for org_id, user_id in (
        Membership.objects.filter(organisation__in=organisations)
        .order_by("pk")
        .values_list("organisation_id", "user_id")
    ):
        editors.setdefault(org_id, []).append(user_id)
    campaigns = list(Campaign.objects.filter(title__startswith="Scale consultation").order_by("pk"))

    now = datetime.combine(ctx.today, time(12), tzinfo=UTC)
    past, ahead = 365 * 6, 365
    meetings = []
    for i in range(ctx.size("meetings")):
        starts = now - timedelta(days=past) + timedelta(days=rng.randrange(past + ahead), hours=rng.randrange(-4, 4))
        closed = rng.random() < 0.75
        status: str
        if starts < now:
            status = MeetingStatus.CANCELLED if rng.random() < 0.05 else MeetingStatus.HELD
        else:
            status = MeetingStatus.DRAFT if rng.random() < 0.3 else MeetingStatus.CONVENED
        topic = rng.choice(TOPICS)
        meetings.append(
            Meeting(
                title=f"Scale meeting {i + 1}: {topic}",
                kind=MeetingKind.CLOSED if closed else MeetingKind.OPEN,
                purpose=f"A meeting of the scale data set on {topic} (made up).",
                starts_at=starts,
                ends_at=starts + timedelta(hours=rng.choice([2, 3, 5, 8])),
                time_zone=rng.choice(ZONES),
                place="Geneva (scale)" if rng.random() < 0.7 else "",
                online_link="https://meet.example.org/scale" if rng.random() < 0.5 else "",
                confidentiality=ConfidentialityRule.CHATHAM_HOUSE if closed else ConfidentialityRule.ON_THE_RECORD,
                status=status,
                visibility=Visibility.MEETING if closed or rng.random() < 0.2 else Visibility.PUBLIC,
                notes_shared_with_participants=rng.random() < 0.3,
                ics_uid=f"{SCALE_PREFIX}meeting-{i + 1:05d}@meetings.ccm",
                ics_sequence=1 if status == MeetingStatus.CANCELLED else 0,
                convened_at=starts - timedelta(days=30) if status != MeetingStatus.DRAFT else None,
                created_by=coordinator,
                created_at=starts - timedelta(days=45),
                updated_at=starts - timedelta(days=30),
            )
        )
    with times_as_given(Meeting, "created_at", "updated_at"):
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    rows: dict[str, list[Any]] = {
        "conveners": [],
        "invited": [],
        "people": [],
        "replies": [],
        "agenda": [],
        "points": [],
    }
    for m in meetings:
        for user in rng.sample(conveners, min(len(conveners), rng.randint(1, 2))):
            rows["conveners"].append(MeetingConvener(meeting=m, user=user))
        invited = rng.sample(organisations, min(len(organisations), rng.randint(4, 10)))
        rows["invited"] += [InvitedOrganisation(meeting=m, organisation=o) for o in invited]
        for user in rng.sample(users, rng.randint(0, 2)):
            rows["people"].append(InvitedPerson(meeting=m, user=user))
        if rng.random() < 0.3:
            n = len(rows["people"])
            rows["people"].append(
                InvitedPerson(meeting=m, name=f"Scale guest {n + 1}", email=f"scale-guest-{n + 1:05d}@example.org")
            )
        if m.status != MeetingStatus.DRAFT:
            for o in invited:
                if rng.random() < 0.75:
                    attending = rng.random() < 0.8
                    rows["replies"].append(
                        Reply(
                            meeting=m,
                            organisation=o,
                            response=ReplyChoice.ATTENDING if attending else ReplyChoice.NOT_ATTENDING,
                            delegate_name=f"Head of delegation ({o.name})"[:200] if attending else "",
                            replied_at=m.starts_at - timedelta(days=rng.randrange(1, 28)),
                            replied_by_id=rng.choice(editors[o.pk]) if editors.get(o.pk) else None,
                        )
                    )
        for position, title in enumerate(rng.sample(AGENDA, rng.randint(3, 6)), start=1):
            rows["agenda"].append(
                AgendaItem(
                    meeting=m,
                    position=position,
                    starts_at=time(9 + position),
                    title=title,
                    description=f"Discussion on {title.lower()} (scale data set).",
                    lead_organisation=rng.choice(invited) if rng.random() < 0.4 else None,
                    campaign=rng.choice(campaigns) if campaigns and rng.random() < 0.15 else None,
                )
            )
        if m.status == MeetingStatus.HELD:
            rows["points"] += [
                KeyPoint(meeting=m, position=p, text=text, is_draft=rng.random() < 0.1)
                for p, text in enumerate(rng.sample(POINTS, rng.randint(2, 5)), start=1)
            ]
    MeetingConvener.objects.bulk_create(rows["conveners"], batch_size=BATCH)
    InvitedOrganisation.objects.bulk_create(rows["invited"], batch_size=BATCH)
    InvitedPerson.objects.bulk_create(rows["people"], batch_size=BATCH)
    Reply.objects.bulk_create(rows["replies"], batch_size=BATCH)
    AgendaItem.objects.bulk_create(rows["agenda"], batch_size=BATCH)
    KeyPoint.objects.bulk_create(rows["points"], batch_size=BATCH)

    held = {m.pk: m for m in meetings if m.status == MeetingStatus.HELD}
    notes = [
        Note(
            agenda_item=item,
            text=f"Notes on {item.title.lower()}: participants described their progress and needs (scale data).",
            author=coordinator,
        )
        for item in rows["agenda"]
        if item.meeting_id in held
    ]
    Note.objects.bulk_create(notes, batch_size=BATCH)
    summaries = []
    for m in held.values():
        if rng.random() >= 0.5:
            continue
        stage = rng.choices(SummaryStatus.values, weights=(1, 1, 6))[0]
        published = m.ends_at + timedelta(days=rng.randrange(7, 60))
        if published > now:
            stage = SummaryStatus.IN_REVIEW
        summaries.append(
            Summary(
                meeting=m,
                title=f"What participants said: {m.title.split(': ', 1)[-1]} (scale)",
                text=" ".join(rng.sample(POINTS, 3)) + "\n\n(Summary of the scale data set, made up.)",
                status=stage,
                written_by=coordinator,
                submitted_by=coordinator if stage != SummaryStatus.DRAFT else None,
                submitted_at=m.ends_at + timedelta(days=5) if stage != SummaryStatus.DRAFT else None,
                reviewer=coordinator if stage != SummaryStatus.DRAFT else None,
                published_at=published if stage == SummaryStatus.PUBLISHED else None,
                published_by=coordinator if stage == SummaryStatus.PUBLISHED else None,
            )
        )
    Summary.objects.bulk_create(summaries, batch_size=BATCH)
    published_count = sum(s.status == SummaryStatus.PUBLISHED for s in summaries)
    return [
        f"{len(meetings)} meetings ({len(held)} held), {len(rows['invited'])} invited organisations, "
        f"{len(rows['people'])} invited people, {len(rows['replies'])} replies, {len(rows['agenda'])} agenda items, "
        f"{len(notes)} notes, {len(rows['points'])} key points, {len(summaries)} summaries "
        f"({published_count} published)"
    ]
