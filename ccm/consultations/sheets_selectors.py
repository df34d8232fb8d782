"""Reads for the answering workbook, the XLSForm and the answer uploads (pages and API alike)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ccm.accounts.models import Organisation
from ccm.consultations import sheets
from ccm.consultations.models import Answer, Campaign, CampaignRecipient, Question, QuestionSetVersion, VersionStatus
from ccm.core.policies import EDITOR_ROLES, is_coordinator, organisation_ids


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Coordinators see every campaign; the members of a recipient organisation, the campaigns sent to it."""
    rows = Campaign.objects.select_related("version__question_set")
    if is_coordinator(user):
        return rows
    return rows.filter(sent_at__isnull=False, recipient_rows__organisation_id__in=organisation_ids(user)).distinct()


def campaign_for(user: Any, pk: int) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def answering_organisations(user: Any, campaign: Campaign, *, editors: bool = False) -> list[Organisation]:
    """The recipient organisations of ``campaign`` the user is a member of (``editors``: may change)."""
    ids = organisation_ids(user, EDITOR_ROLES if editors else None)
    recipients = CampaignRecipient.objects.filter(campaign=campaign).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).filter(pk__in=recipients).order_by("name"))


def questions(campaign: Campaign) -> list[Question]:
    return list(campaign.version.questions.order_by("position"))


def draft_values(campaign: Campaign, organisation: Organisation | None, rows: list[Question]) -> dict[str, Any]:
    """Question key → the organisation's answer on record (nothing without an organisation)."""
    if organisation is None:
        return {}
    answer = Answer.objects.filter(campaign=campaign, organisation=organisation).first()
    if answer is None:
        return {}
    by_id = {q.pk: q for q in rows}
    return {
        by_id[item.question_id].key: sheets.stored_value(by_id[item.question_id], item)
        for item in answer.items.all()
        if item.question_id in by_id
    }


def version_for(user: Any, slug: str, number: int) -> QuestionSetVersion:
    """A question set version: published ones for everyone, a draft for coordinators; else 404."""
    rows = QuestionSetVersion.objects.select_related("question_set").filter(question_set__slug=slug, number=number)
    if not is_coordinator(user):
        rows = rows.filter(status=VersionStatus.PUBLISHED)
    version = rows.first()
    if version is None:
        raise Http404
    return version
