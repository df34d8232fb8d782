"""A campaign with every kind of question and submitted answers, for the synthesis tests and the role
matrix (built on the models directly, so it does not depend on the answering services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ccm.accounts import services as accounts
from ccm.accounts.models import Organisation
from ccm.consultations.models import (
    Answer,
    AnswerItem,
    Campaign,
    CampaignRecipient,
    Convener,
    Question,
    QuestionSet,
    QuestionSetVersion,
)
from tests.personas import PASSWORD, organisation, persona

QUESTIONS = [
    ("obstacles", "text", "What stops you meeting your deadline?", []),
    (
        "channel",
        "single",
        "Which channel serves you best?",
        [{"key": "meetings", "label": "Meetings"}, {"key": "letters", "label": "Letters"}],
    ),
    (
        "help",
        "multiple",
        "How could donors help?",
        [{"key": "money", "label": "Money"}, {"key": "experts", "label": "Experts"}],
    ),
    ("coalition", "yes_no", "Would you join a country coalition?", []),
    ("satisfied", "scale", "How well do the channels serve you?", []),
    ("teams", "number", "How many clearance teams work today?", []),
]

# State A's answer names its own State: held back from readers without attribution.
NAMING = "Lebanon's survey capacity is too small for the southern districts."


@dataclass
class World:
    campaign: Campaign
    answers: dict[str, Answer]
    items: dict[tuple[str, str], AnswerItem]  # (organisation short name, question key) → item
    convener: Any
    convener_ended: Any


def build(*, closed: bool = True, slug: str = "synthesis-test") -> World:
    today = timezone.now().date()
    qset = QuestionSet.objects.create(title="Affected States (test)", slug=slug, audience="affected")
    version = QuestionSetVersion.objects.create(question_set=qset, number=1, status="published")
    questions = {
        key: Question.objects.create(version=version, key=key, position=i, text=text, qtype=qtype, options=options)
        for i, (key, qtype, text, options) in enumerate(QUESTIONS, start=1)
    }
    opens = today - timedelta(days=40)
    closes = today - timedelta(days=1) if closed else today + timedelta(days=10)
    campaign = Campaign.objects.create(title="Test campaign", version=version, opens_on=opens, closes_on=closes)
    for short in ("state", "other_state"):
        CampaignRecipient.objects.create(campaign=campaign, organisation=organisation(short))
    convener = _user(f"convener-{slug}@example.org")
    convener_ended = _user(f"convener-ended-{slug}@example.org")
    Convener.objects.create(campaign=campaign, user=convener, mandate_ends=today + timedelta(days=300))
    Convener.objects.create(campaign=campaign, user=convener_ended, mandate_ends=today - timedelta(days=1))
    Convener.objects.create(campaign=campaign, user=persona("coordinator").user)
    values = {
        "state": {
            "obstacles": NAMING,
            "channel": ["meetings"],
            "help": ["money", "experts"],
            "coalition": ["yes"],
            "satisfied": Decimal(4),
            "teams": Decimal(12),
        },
        "other_state": {
            "obstacles": "Donors do not coordinate; we need multi-year funding for the remaining areas.",
            "channel": ["letters"],
            "help": ["money"],
            "coalition": ["no"],
            "satisfied": Decimal(2),
            "teams": Decimal(3),
        },
    }
    answers, items = {}, {}
    for short, given in values.items():
        org: Organisation = organisation(short)
        answer = Answer.objects.create(
            campaign=campaign, organisation=org, version=version, status="submitted", submitted_at=timezone.now()
        )
        answers[short] = answer
        for key, value in given.items():
            kwargs: dict[str, Any] = {}
            if isinstance(value, str):
                kwargs["text"] = value
            elif isinstance(value, list):
                kwargs["choices"] = value
            else:
                kwargs["number"] = value
            items[(short, key)] = AnswerItem.objects.create(answer=answer, question=questions[key], **kwargs)
    return World(campaign, answers, items, convener, convener_ended)


def _user(email: str) -> Any:
    return accounts.user_create(email=email, password=PASSWORD, full_name="Convener", actor=None)


def add_answers(world: World, count: int) -> None:
    """``count`` more recipient organisations, each with a submitted answer to every question."""
    questions = list(Question.objects.filter(version=world.campaign.version))
    for n in range(count):
        org = Organisation.objects.create(name=f"Extra organisation {n}", slug=f"extra-{n}", kind="operator")
        CampaignRecipient.objects.create(campaign=world.campaign, organisation=org)
        answer = Answer.objects.create(
            campaign=world.campaign, organisation=org, version=world.campaign.version, status="submitted"
        )
        for question in questions:
            AnswerItem.objects.create(
                answer=answer,
                question=question,
                text="Training and detectors are what we lack." if question.qtype == "text" else "",
                choices={"single": ["meetings"], "multiple": ["money"], "yes_no": ["yes"]}.get(question.qtype, []),
                number=Decimal(n + 1) if question.qtype in ("number", "scale") and n < 5 else None,
            )
