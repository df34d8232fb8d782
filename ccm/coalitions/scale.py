"""Scale data (``ccm seed_scale``): country coalitions around the States with an obligation (proposed, active
and concluded), their members from the scale organisations (the State's scale government as lead when there
is one), the obligations they serve, objectives, milestones, expressions of interest, field visits, reviews
with their ratings, and threads of messages written by the members' people. Every coalition is
illustrative and its name says it is scale data."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from ccm.accounts.models import Membership, Organisation, OrganisationKind
from ccm.accounts.scale import scale_organisations
from ccm.coalitions.models import (
    Coalition,
    CoalitionStatus,
    Element,
    ExpressionOfInterest,
    FieldVisit,
    Horizon,
    Member,
    MemberRole,
    MemberStatus,
    Message,
    Milestone,
    Objective,
    Rating,
    Review,
    Thread,
    Trend,
)
from ccm.core.policies import Visibility
from ccm.core.scale import BATCH, SCALE_PREFIX, ScaleContext, register, times_as_given
from ccm.needs.models import Pillar
from ccm.states.models import Obligation, State

PARTNER_ROLES = [MemberRole.PARTNER_DONOR] * 3 + [MemberRole.OPERATOR] * 2 + [MemberRole.OBSERVER]
SUBJECTS = [
    "Funding the additional teams",
    "Survey results for the southern districts",
    "Next review of the work plan",
    "Equipment for the coming season",
    "Reporting to the partners",
    "Field visit arrangements",
    "Training of national staff",
]
LINES = [
    "Can the partners confirm their share for next year?",
    "We can fund one team from January.",
    "The survey report is attached to the work plan.",
    "Access roads need work before the rains.",
    "Agreed: we revisit the figures at the next review.",
    "The national authority endorsed the plan last week.",
    "Our delegation can join the visit in the spring.",
    "Thank you: the figures are in the shared table.",
]


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    states = list(State.objects.filter(pk__in=Obligation.objects.values("state_id")).order_by("iso3"))
    organisations = scale_organisations()
    if not states or len(organisations) < 2:
        return ["no States with obligations or too few scale organisations: no coalitions"]
    isu = Organisation.objects.filter(slug=f"{SCALE_PREFIX}coordinators").first()
    governments = {o.state_id: o for o in organisations if o.kind == OrganisationKind.STATE_GOVERNMENT}
    people: dict[int, list[int]] = {}
    for org_id, user_id in (
        Membership.objects.filter(organisation__slug__startswith=SCALE_PREFIX)
        .order_by("pk")
        .values_list("organisation_id", "user_id")
    ):
        people.setdefault(org_id, []).append(user_id)
    obligations: dict[int, list[int]] = {}
    for obligation_id, state_id in Obligation.objects.order_by("pk").values_list("pk", "state_id"):
        obligations.setdefault(state_id, []).append(obligation_id)

    today = ctx.today
    coalitions = []
    for i in range(ctx.size("coalitions")):
        state = states[i % len(states)]
        status = rng.choices(CoalitionStatus.values, weights=(2, 6, 2))[0]
        proposed = today - timedelta(days=rng.randrange(60, 365 * 8))
        activated = proposed + timedelta(days=rng.randrange(10, 50)) if status != CoalitionStatus.PROPOSED else None
        concluded = None
        if status == CoalitionStatus.CONCLUDED:
            concluded = min(today, (activated or proposed) + timedelta(days=rng.randrange(200, 1_500)))
        coalitions.append(
            Coalition(
                state=state,
                name=f"{state.name} coalition {i // len(states) + 1} (scale)",
                status=status,
                proposed_on=proposed,
                activated_on=activated,
                concluded_on=concluded,
                conclusion_reason="The partners met the objectives they set (scale data set)." if concluded else "",
                terms_of_reference="Partners align funding, survey and clearance behind the national plan "
                "(scale data set, made up).",
                visibility=Visibility.PUBLIC if rng.random() < 0.8 else Visibility.COALITION,
                illustrative=True,
            )
        )
    Coalition.objects.bulk_create(coalitions, batch_size=BATCH)

    through = Coalition.obligations.through
    links = [through(coalition_id=c.pk, obligation_id=o) for c in coalitions for o in obligations.get(c.state_id, [])]
    through.objects.bulk_create(links, batch_size=BATCH)

    members: list[Member] = []
    accepted: dict[int, list[int]] = {}  # coalition → accepted member organisations (with people, who write)
    interests: list[ExpressionOfInterest] = []
    objectives: list[Objective] = []
    milestones: list[Milestone] = []
    visits: list[FieldVisit] = []
    reviews: list[Review] = []
    for c in coalitions:
        lead = governments.get(c.state_id)
        others = [o for o in organisations if o is not lead]
        chosen: list[tuple[Organisation, str]] = [(lead, MemberRole.AFFECTED_STATE_LEAD)] if lead else []
        chosen += [(o, rng.choice(PARTNER_ROLES)) for o in rng.sample(others, min(len(others), rng.randint(3, 7)))]
        if isu is not None and rng.random() < 0.5:
            chosen.append((isu, MemberRole.IMPLEMENTATION_SUPPORT))
        for organisation, role in chosen:
            if c.status == CoalitionStatus.PROPOSED:
                status = rng.choice([MemberStatus.INVITED, MemberStatus.ACCEPTED])
            else:
                status = rng.choices(MemberStatus.values, weights=(1, 12, 1, 1))[0]
            if organisation is chosen[0][0]:
                status = MemberStatus.ACCEPTED  # the lead (or the first partner) is always in
            invited = c.proposed_on + timedelta(days=rng.randrange(0, 10))
            members.append(
                Member(
                    coalition=c,
                    organisation=organisation,
                    role=role,
                    status=status,
                    invited_on=invited,
                    responded_on=invited + timedelta(days=rng.randrange(1, 20))
                    if status != MemberStatus.INVITED
                    else None,
                    left_on=invited + timedelta(days=rng.randrange(100, 400)) if status == MemberStatus.LEFT else None,
                    named_publicly=rng.random() < 0.8,
                )
            )
            if status == MemberStatus.ACCEPTED and people.get(organisation.pk):
                accepted.setdefault(c.pk, []).append(organisation.pk)
        if rng.random() < 0.5:
            interests.append(
                ExpressionOfInterest(
                    organisation=rng.choice(others),
                    state_id=c.state_id,
                    pillar=rng.choice(Pillar.values),
                    horizon=rng.choice(Horizon.values),
                    conditions="Co-funding with another donor (scale data set).",
                )
            )
        objectives += [
            Objective(
                coalition=c,
                text=f"Objective {n}: release contaminated land",
                target=Decimal(rng.randrange(100_000, 5_000_000)),
                unit="m²",
            )
            for n in range(1, rng.randint(1, 3) + 1)
        ]
        for n in range(rng.randint(2, 5)):
            due = c.proposed_on + timedelta(days=120 * (n + 1))
            done = due - timedelta(days=rng.randrange(0, 30)) if due < today and rng.random() < 0.7 else None
            milestones.append(
                Milestone(coalition=c, title=f"Milestone {n + 1} of the work plan", due_date=due, done_on=done)
            )
        if c.activated_on:
            end = c.concluded_on or today
            for _ in range(rng.randint(0, 2)):
                visits.append(
                    FieldVisit(
                        coalition=c,
                        visited_on=c.activated_on + timedelta(days=rng.randrange(max(1, (end - c.activated_on).days))),
                        place=f"{c.state.name}, a district under clearance",
                        participants="National authority; partners (scale data set)",
                        findings="Two sites ready for clearance; roads need work (scale data set).",
                    )
                )
            if rng.random() < 0.6:
                reviews.append(
                    Review(
                        coalition=c,
                        held_on=c.activated_on + timedelta(days=rng.randrange(max(1, (end - c.activated_on).days))),
                        note="Periodic review (scale data set).",
                    )
                )
    Member.objects.bulk_create(members, batch_size=BATCH)
    ExpressionOfInterest.objects.bulk_create(interests, batch_size=BATCH)
    Objective.objects.bulk_create(objectives, batch_size=BATCH)
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    FieldVisit.objects.bulk_create(visits, batch_size=BATCH)
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    ratings = [
        Rating(
            review=r,
            element=element,
            score=rng.randint(1, 5),
            evidence=f"Discussed at the review ({element}).",
            trend=rng.choice(Trend.values),
            indicator=rng.randint(1, 5) if rng.random() < 0.7 else None,
        )
        for r in reviews
        for element in Element.values
    ]
    Rating.objects.bulk_create(ratings, batch_size=BATCH)

    # Threads and messages: about five threads a coalition, the messages shared among them (the total is the
    # size asked for), each thread's messages spread between its start and the coalition's end.
    threads: list[Thread] = []
    windows: list[tuple[datetime, datetime]] = []
    for c in coalitions:
        if not accepted.get(c.pk):
            continue
        start = datetime.combine(c.activated_on or c.proposed_on, time(9), tzinfo=UTC)
        end = datetime.combine(c.concluded_on or today, time(17), tzinfo=UTC)
        for subject in rng.sample(SUBJECTS, 5):
            threads.append(Thread(coalition=c, subject=subject))
            opened = start + (end - start) * rng.random() * 0.8
            windows.append((opened, end))
    wanted = ctx.size("coalition_messages") if threads else 0
    messages: list[Message] = []
    for n, (thread, (opened, end)) in enumerate(zip(threads, windows, strict=True)):
        count = wanted // len(threads) + (1 if n < wanted % len(threads) else 0)
        for at in sorted(opened + (end - opened) * rng.random() for _ in range(count)):
            org_id = rng.choice(accepted[thread.coalition.pk])
            messages.append(
                Message(
                    thread=thread,
                    author_id=rng.choice(people[org_id]),
                    organisation_id=org_id,
                    body=f"{rng.choice(LINES)} (scale data set)",
                    is_decision=rng.random() < 0.05,
                    created_at=at.replace(microsecond=0),
                )
            )
    # A thread starts with its first message (by its author) and is sorted by its last.
    for m in messages:
        t = m.thread
        if t.last_message_at is None:
            t.created_at, t.created_by_id = m.created_at, m.author_id
        t.created_at = min(t.created_at, m.created_at)
        t.last_message_at = max(t.last_message_at or m.created_at, m.created_at)
    for t in threads:
        if t.created_at is None:
            t.created_at = datetime.combine(today, time(8), tzinfo=UTC)
    with times_as_given(Thread, "created_at"):
        Thread.objects.bulk_create(threads, batch_size=BATCH)
    for m in messages:
        m.thread_id = m.thread.pk
    with times_as_given(Message, "created_at"):
        Message.objects.bulk_create(messages, batch_size=BATCH)
    return [
        f"{len(coalitions)} coalitions, {len(members)} members, {len(objectives)} objectives, "
        f"{len(milestones)} milestones, {len(interests)} expressions of interest, {len(visits)} field visits, "
        f"{len(reviews)} reviews, {len(threads)} threads, {len(messages)} messages"
    ]
