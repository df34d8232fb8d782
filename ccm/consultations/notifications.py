"""E-mail about consultations: the recipients' editors and managers hear when a campaign is sent to
their organisation, and are reminded a week and a day before it closes while their organisation has not
submitted its answer. Each message is sent once (``ccm.core.tasks.send_once``); a run in which some
could not be sent fails and is retried, sending only what is missing."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ccm.accounts.models import Membership
from ccm.consultations.models import Answer, AnswerStatus, Campaign
from ccm.core.languages import speaking
from ccm.core.policies import EDITOR_ROLES
from ccm.core.tasks import send_once
from ccm.core.templatetags.ccm import date_filter

logger = logging.getLogger(__name__)

# Reminder name → days before the closing date from which it is due.
REMINDERS = {"week": 7, "day": 1}


class MailNotSent(Exception):
    """Some messages of a run could not be sent (the others were); a retry sends the missing ones."""


def _site() -> str:
    return getattr(settings, "CCM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _people(campaign: Campaign, organisation_ids: list[int] | None = None) -> list[Membership]:
    rows = Membership.objects.filter(
        organisation__in=campaign.recipient_rows.values("organisation_id"),
        organisation__is_active=True,
        user__is_active=True,
        role__in=EDITOR_ROLES,
    )
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    return list(rows.select_related("user", "organisation").order_by("organisation_id", "user_id"))


def _send(campaign: Campaign, membership: Membership, *, key: str, kind: str, reminder: str = "") -> bool:
    with speaking(membership.user):  # in the recipient's language
        context = {
            "campaign": campaign,
            "organisation": membership.organisation,
            "user": membership.user,
            "reminder": reminder,
            "closes_on": date_filter(campaign.closes_on),
            "url": _site()
            + reverse("consultations:answer", kwargs={"pk": campaign.pk, "org": membership.organisation.slug}),
            "preferences_url": _site() + reverse("accounts:profile"),
        }
        if reminder:
            subject = _("Reminder: “%(title)s” closes on %(date)s") % {
                "title": campaign.title,
                "date": context["closes_on"],
            }
        else:
            subject = _("Consultation: %(title)s (answers by %(date)s)") % {
                "title": campaign.title,
                "date": context["closes_on"],
            }
        body = render_to_string("consultations/email/invitation.txt", context)
        return send_once(key=key, kind=kind, recipient=membership.user.email, subject=subject, body=body)


def send_invitations(*, campaign_id: int) -> int:
    """Tell every editor and manager of the campaign's recipients that it was sent. Returns how many
    messages were sent now (a person already told is not told again)."""
    campaign = Campaign.objects.select_related("version__question_set").get(pk=campaign_id)
    if campaign.sent_at is None:
        return 0
    sent, failed = 0, 0
    for membership in _people(campaign):
        key = f"consultation-invite:{campaign.pk}:{membership.organisation_id}:{membership.user_id}"
        try:
            sent += _send(campaign, membership, key=key, kind="consultation_invitation")
        except Exception:
            logger.exception(
                "The invitation to campaign %s for user %s could not be sent", campaign.pk, membership.user_id
            )
            failed += 1
    if failed:
        raise MailNotSent(f"{failed} invitation(s) to campaign {campaign.pk} could not be sent ({sent} sent).")
    return sent


def reminders_due(*, today: date) -> list[tuple[Campaign, str, list[int]]]:
    """(campaign, reminder, organisations not yet submitted) for every sent campaign whose closing date
    is within a reminder's reach: "week" from seven days before to two days before, "day" the day
    before and the closing day itself (a late run still reminds)."""
    due: list[tuple[Campaign, str, list[int]]] = []
    campaigns = Campaign.objects.filter(
        sent_at__isnull=False, closes_on__gte=today, closes_on__lte=today + timedelta(days=REMINDERS["week"])
    ).select_related("version__question_set")
    for campaign in campaigns:
        days_left = (campaign.closes_on - today).days
        reminder = "day" if days_left <= REMINDERS["day"] else "week"
        submitted = Answer.objects.filter(campaign=campaign, status=AnswerStatus.SUBMITTED).values("organisation_id")
        waiting = list(
            campaign.recipient_rows.filter(~Q(organisation_id__in=submitted)).values_list("organisation_id", flat=True)
        )
        if waiting:
            due.append((campaign, reminder, waiting))
    return due


def send_reminders(*, today: date) -> int:
    """Remind the editors and managers of every organisation that has not submitted, once per campaign,
    organisation and reminder (and person)."""
    sent, failed = 0, 0
    for campaign, reminder, waiting in reminders_due(today=today):
        for membership in _people(campaign, waiting):
            key = f"consultation-reminder:{campaign.pk}:{membership.organisation_id}:{reminder}:{membership.user_id}"
            try:
                sent += _send(campaign, membership, key=key, kind="consultation_reminder", reminder=reminder)
            except Exception:
                logger.exception(
                    "The reminder of campaign %s to user %s could not be sent", campaign.pk, membership.user_id
                )
                failed += 1
    if failed:
        raise MailNotSent(f"{failed} reminder(s) could not be sent ({sent} sent).")
    return sent
