"""Reads for consultations, through the policies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ccm.accounts.models import Organisation
from ccm.consultations import policies
from ccm.consultations.models import (
    Answer,
    AnswerItem,
    AnswerStatus,
    Campaign,
    CampaignRecipient,
    Question,
    QuestionSet,
    QuestionSetVersion,
    VersionStatus,
)
from ccm.core.policies import EDITOR_ROLES, organisation_ids


def question_sets(*, user: Any) -> QuerySet[QuestionSet]:
    """The sets the user may see, each with its versions (published ones only for non-coordinators)."""
    return (
        policies.question_sets.visible_to(user)
        .prefetch_related(
            Prefetch(
                "versions", queryset=policies.versions.visible_to(user).order_by("number"), to_attr="shown_versions"
            )
        )
        .order_by("title")
    )


def version_with_questions(version: QuestionSetVersion) -> QuestionSetVersion:
    return QuestionSetVersion.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    ).get(pk=version.pk)


def current_version(question_set: QuestionSet, *, user: Any) -> QuestionSetVersion | None:
    """The last published version (or, for coordinators when none is published, the draft)."""
    shown = policies.versions.visible_to(user).filter(question_set=question_set)
    version = (
        shown.filter(status=VersionStatus.PUBLISHED).order_by("-number").first() or shown.order_by("-number").first()
    )
    return version_with_questions(version) if version else None


def published_versions() -> QuerySet[QuestionSetVersion]:
    return (
        QuestionSetVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("question_set")
        .order_by("question_set__title", "-number")
    )


def campaigns(*, user: Any) -> QuerySet[Campaign]:
    return policies.campaigns.visible_to(user).select_related("version__question_set").order_by("-opens_on", "title")


def affected_states_parties() -> QuerySet[Organisation]:
    """The government organisations of the States Parties with an open Article 3 or Article 4 obligation
    ("all affected States Parties")."""
    return (
        Organisation.objects.filter(
            kind="state_government",
            is_active=True,
            state__ccm_status="state_party",
            state__obligations__completed=False,
        )
        .distinct()
        .order_by("name")
    )


def recipient_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


@dataclass(frozen=True)
class BoardRow:
    organisation: Organisation
    status: str  # "not_started", "draft", "submitted"
    status_label: str
    updated_at: datetime | None
    submitted_at: datetime | None


def status_board(*, campaign: Campaign) -> list[BoardRow]:
    """Per recipient organisation: not started, draft or submitted, with dates (for coordinators: who
    has answered, never what they said). Two queries."""
    from django.utils.translation import gettext as _

    labels = {"not_started": _("Not started"), AnswerStatus.DRAFT: _("Draft"), AnswerStatus.SUBMITTED: _("Submitted")}
    answers = {
        a.organisation_id: a
        for a in Answer.objects.filter(campaign=campaign).only(
            "organisation_id", "status", "updated_at", "submitted_at"
        )
    }
    rows = []
    for recipient in (
        CampaignRecipient.objects.filter(campaign=campaign)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        answer = answers.get(recipient.organisation_id)
        status = answer.status if answer else "not_started"
        rows.append(
            BoardRow(
                organisation=recipient.organisation,
                status=status,
                status_label=str(labels[status]),
                updated_at=answer.updated_at if answer else None,
                submitted_at=answer.submitted_at if answer else None,
            )
        )
    return rows


def my_answering_organisations(*, user: Any, campaign: Campaign) -> list[Organisation]:
    """The user's organisations asked in this campaign (any role)."""
    return list(
        Organisation.objects.filter(
            pk__in=CampaignRecipient.objects.filter(
                campaign=campaign, organisation_id__in=organisation_ids(user)
            ).values("organisation_id")
        ).order_by("name")
    )


def answer_of(*, campaign: Campaign, organisation: Organisation) -> Answer | None:
    return (
        Answer.objects.filter(campaign=campaign, organisation=organisation)
        .select_related("version", "submitted_by", "updated_by")
        .prefetch_related(Prefetch("items", queryset=AnswerItem.objects.select_related("question")))
        .first()
    )


def answers(*, user: Any, campaign: Campaign) -> QuerySet[Answer]:
    """The campaign's answers the user may see (their own organisation's; submitted ones for
    coordinators and conveners), with their items."""
    return (
        policies.answers.visible_to(user)
        .filter(campaign=campaign)
        .select_related("organisation", "version")
        .prefetch_related(Prefetch("items", queryset=AnswerItem.objects.select_related("question")))
        .order_by("pk")
    )


@dataclass(frozen=True)
class OpenCampaign:
    campaign: Campaign
    organisation: Organisation
    status: str


def to_answer(*, user: Any, today: date) -> list[OpenCampaign]:
    """Open campaigns sent to organisations the user drafts for, not yet submitted by them (two queries)."""
    orgs = organisation_ids(user, EDITOR_ROLES)
    if not orgs:
        return []
    rows = list(
        CampaignRecipient.objects.filter(
            organisation_id__in=orgs,
            campaign__sent_at__isnull=False,
            campaign__opens_on__lte=today,
            campaign__closes_on__gte=today,
        )
        .select_related("campaign", "organisation")
        .order_by("campaign__closes_on", "campaign__title")
    )
    status = {
        (a.campaign_id, a.organisation_id): a.status
        for a in Answer.objects.filter(Q(campaign_id__in=[r.campaign_id for r in rows]), organisation_id__in=orgs).only(
            "campaign_id", "organisation_id", "status"
        )
    }
    return [
        OpenCampaign(r.campaign, r.organisation, status.get((r.campaign_id, r.organisation_id), "not_started"))
        for r in rows
        if status.get((r.campaign_id, r.organisation_id)) != AnswerStatus.SUBMITTED
    ]
