"""Reads for the answering workbook, the XLSForm and the answer uploads (pages and API alike)."""

from __future__ import annotations

from typing import Any

from ccm.accounts.models import Organisation
from ccm.consultations import policies, sheets
from ccm.consultations.models import Campaign, CampaignRecipient, Question, QuestionSetVersion
from ccm.core.policies import get_for_user, organisation_ids


def campaign_for(user: Any, pk: int) -> Campaign:
    """The campaign, through its policy (404 when hidden)."""
    return get_for_user(policies.campaigns, user, pk=pk)


def answering_organisations(user: Any, campaign: Campaign, *, editors: bool = False) -> list[Organisation]:
    """The recipient organisations of ``campaign`` the user is a member of (``editors``: may change)."""
    ids = policies.may_answer_for(user) if editors else organisation_ids(user)
    recipients = CampaignRecipient.objects.filter(campaign=campaign).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).filter(pk__in=recipients).order_by("name"))


def questions(campaign: Campaign) -> list[Question]:
    return list(campaign.version.questions.order_by("position"))


def draft_values(
    user: Any, campaign: Campaign, organisation: Organisation | None, rows: list[Question]
) -> dict[str, Any]:
    """Question key → the organisation's answer on record, as the user may see it (nothing without an
    organisation)."""
    if organisation is None:
        return {}
    answer = policies.answers.visible_to(user).filter(campaign=campaign, organisation=organisation).first()
    if answer is None:
        return {}
    by_id = {q.pk: q for q in rows}
    return {
        by_id[item.question_id].key: sheets.stored_value(by_id[item.question_id], item)
        for item in answer.items.all()
        if item.question_id in by_id
    }


def version_for(user: Any, slug: str, number: int) -> QuestionSetVersion:
    """A question set version through its policy: published ones for everyone, drafts for coordinators."""
    return get_for_user(policies.versions, user, question_set__slug=slug, number=number)
