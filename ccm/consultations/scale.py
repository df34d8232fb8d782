"""Scale data (``ccm seed_scale``): question sets (one published version each, every type of question),
consultation campaigns over the last six years sent to scale organisations (a few not yet sent), and the
organisations' answers (most submitted, some drafts) with an item per question answered. Sets have
``scale-`` slugs; campaign titles and answers say they are scale data."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ccm.accounts.models import Membership, Organisation, User
from ccm.consultations.models import (
    Answer,
    AnswerItem,
    AnswerStatus,
    Audience,
    Campaign,
    CampaignRecipient,
    Convener,
    Question,
    QuestionSet,
    QuestionSetVersion,
    QuestionType,
    VersionStatus,
)
from ccm.core.scale import BATCH, SCALE_PREFIX, ScaleContext, register, times_as_given

OPTIONS = [
    {"key": key, "label": label}
    for key, label in [
        ("funding", "Funding"),
        ("expertise", "Technical expertise"),
        ("equipment", "Equipment"),
        ("access", "Access to the land"),
        ("data", "Survey and data"),
        ("coordination", "Coordination"),
    ]
]
# (type, question) for each set; every set asks one of each type, in this order.
QUESTIONS: list[tuple[str, str]] = [
    (QuestionType.TEXT, "What most stands in the way of your work this year?"),
    (QuestionType.SINGLE, "Which one of these weighs most?"),
    (QuestionType.MULTIPLE, "Where could partners help most?"),
    (QuestionType.NUMBER, "How many more teams would you need?"),
    (QuestionType.SCALE, "How well did partners answer the needs you set out?"),
    (QuestionType.YES_NO, "Did you set out your needs to partners in the past year?"),
    (QuestionType.TEXT, "What should the Coordinators do differently?"),
]
SENTENCES = [
    "Funding has fallen and the teams cannot cover the remaining areas.",
    "The survey data for older strikes is incomplete.",
    "Some land is hard to reach for security reasons.",
    "National staff need training in information management.",
    "Donors ask for different report formats, which takes staff time.",
    "Services for survivors are far from the affected villages.",
    "A single contact list of donors would help.",
    "Multi-year grants would let us plan the teams ahead.",
    "Coordination between the national authority and operators is slow.",
    "Equipment for dense vegetation is missing.",
]


def _value(rng: random.Random, qtype: str) -> dict[str, Any]:
    if qtype == QuestionType.TEXT:
        return {"text": " ".join(rng.sample(SENTENCES, rng.randint(1, 3))) + " (scale data set)"}
    if qtype == QuestionType.SINGLE:
        return {"choices": [rng.choice(OPTIONS)["key"]]}
    if qtype == QuestionType.MULTIPLE:
        return {"choices": [o["key"] for o in OPTIONS if rng.random() < 0.4] or [OPTIONS[0]["key"]]}
    if qtype == QuestionType.NUMBER:
        return {"number": Decimal(rng.randint(0, 40))}
    if qtype == QuestionType.SCALE:
        return {"number": Decimal(rng.randint(1, 5))}
    return {"choices": [rng.choice(["yes", "no"])]}


def _question_sets(ctx: ScaleContext, author: User | None) -> list[tuple[QuestionSetVersion, list[Question]]]:
    count = max(1, round(ctx.size("consultations") / 25))
    audiences = Audience.values
    sets = QuestionSet.objects.bulk_create(
        [
            QuestionSet(
                title=f"Scale question set {i + 1}",
                slug=f"{SCALE_PREFIX}set-{i + 1:02d}",
                audience=audiences[i % len(audiences)],
                description="Questions for the scale data set (made up).",
                created_by=author,
            )
            for i in range(count)
        ]
    )
    first = datetime.combine(ctx.today - timedelta(days=365 * 7), time(9), tzinfo=UTC)
    versions = QuestionSetVersion.objects.bulk_create(
        [
            QuestionSetVersion(
                question_set=s,
                number=1,
                status=VersionStatus.PUBLISHED,
                introduction="Please answer for your organisation.",
                change_note="First version",
                published_at=first,
                published_by=author,
            )
            for s in sets
        ]
    )
    questions = Question.objects.bulk_create(
        [
            Question(
                version=v,
                key=f"q{position}",
                position=position,
                text=text,
                qtype=qtype,
                required=position <= 2,
                options=OPTIONS if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) else [],
            )
            for v in versions
            for position, (qtype, text) in enumerate(QUESTIONS, start=1)
        ]
    )
    by_version: dict[int, list[Question]] = {}
    for q in questions:
        by_version.setdefault(q.version_id, []).append(q)
    return [(v, by_version[v.pk]) for v in versions]


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    organisations = list(Organisation.objects.filter(slug__startswith=SCALE_PREFIX).order_by("pk"))
    coordinator = User.objects.filter(email="scale-coordinator@example.org").first()
    conveners = list(User.objects.filter(email__startswith="scale-user-").order_by("pk")[:50])
    if not organisations or not conveners:
        return ["no scale organisations: no consultations"]
    writers: dict[int, list[int]] = {}
    for org_id, user_id in (
        Membership.objects.filter(organisation__in=organisations)
        .order_by("pk")
        .values_list("organisation_id", "user_id")
    ):
        writers.setdefault(org_id, []).append(user_id)
    versions = _question_sets(ctx, coordinator)

    total = ctx.size("consultations")
    day = ctx.today
    span = 365 * 6
    campaigns = []
    for i in range(total):
        version, _questions = versions[i % len(versions)]
        opens = day - timedelta(days=span) + timedelta(days=rng.randrange(span + 60))
        sent = opens <= day
        campaigns.append(
            Campaign(
                title=f"Scale consultation {i + 1}: {version.question_set.title}",
                version=version,
                message="Please answer before the meeting (scale data set).",
                opens_on=opens,
                closes_on=opens + timedelta(days=rng.randrange(14, 60)),
                sent_at=datetime.combine(opens, time(9), tzinfo=UTC) if sent else None,
                created_by=coordinator,
                created_at=datetime.combine(opens - timedelta(days=7), time(9), tzinfo=UTC),
            )
        )
    with times_as_given(Campaign, "created_at"):
        Campaign.objects.bulk_create(campaigns, batch_size=BATCH)

    questions = {v.pk: qs for v, qs in versions}
    sent_campaigns = [c for c in campaigns if c.sent_at]
    wanted = ctx.size("consultation_answers")
    per_campaign = -(-wanted // max(1, len(sent_campaigns)))  # ceiling
    recipients: list[CampaignRecipient] = []
    campaign_conveners: list[Convener] = []
    answers: list[Answer] = []
    for campaign in campaigns:
        count = min(len(organisations), per_campaign + rng.randrange(0, 8))
        chosen = rng.sample(organisations, count)
        recipients += [CampaignRecipient(campaign=campaign, organisation=o) for o in chosen]
        campaign_conveners += [
            Convener(campaign=campaign, user=u, mandate_ends=campaign.closes_on + timedelta(days=365))
            for u in rng.sample(conveners, min(len(conveners), rng.randint(1, 2)))
        ]
        if campaign.sent_at is None:
            continue
        for organisation in chosen[: max(0, min(per_campaign, wanted - len(answers)))]:
            still_open = campaign.closes_on >= day
            submitted = not still_open or rng.random() < 0.6
            writer = rng.choice(writers[organisation.pk]) if writers.get(organisation.pk) else None
            when = datetime.combine(
                min(
                    day,
                    campaign.opens_on
                    + timedelta(days=rng.randrange((campaign.closes_on - campaign.opens_on).days + 1)),
                ),
                time(rng.randrange(7, 19)),
                tzinfo=UTC,
            )
            answers.append(
                Answer(
                    campaign=campaign,
                    organisation=organisation,
                    version_id=campaign.version_id,
                    status=AnswerStatus.SUBMITTED if submitted else AnswerStatus.DRAFT,
                    submitted_at=when if submitted else None,
                    submitted_by_id=writer if submitted else None,
                    updated_by_id=writer,
                    created_at=when,
                    updated_at=when,
                )
            )
    CampaignRecipient.objects.bulk_create(recipients, batch_size=BATCH)
    Convener.objects.bulk_create(campaign_conveners, batch_size=BATCH)
    with times_as_given(Answer, "created_at", "updated_at"):
        Answer.objects.bulk_create(answers, batch_size=BATCH)
    items = []
    for answer in answers:
        for question in questions[answer.version_id]:
            if question.required or rng.random() < 0.7:
                items.append(AnswerItem(answer=answer, question=question, **_value(rng, question.qtype)))
    AnswerItem.objects.bulk_create(items, batch_size=BATCH)
    submitted_count = sum(a.status == AnswerStatus.SUBMITTED for a in answers)
    return [
        f"{len(versions)} question sets, {len(campaigns)} consultations ({len(sent_campaigns)} sent, "
        f"{len(recipients)} recipients), {len(answers)} answers ({submitted_count} submitted, {len(items)} items)"
    ]
