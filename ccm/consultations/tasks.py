"""The consultations' background work: telling recipients of a sent campaign, and the daily reminders a
week and a day before a campaign closes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.consultations.models import Campaign
from ccm.consultations.notifications import send_invitations, send_reminders
from ccm.core import periodic, tasks
from ccm.core.task_models import Job

INVITE = "consultations.send_invitations"
REMINDERS = "consultations.reminders"
MAIL_RETRIES = 8


def enqueue_invitations(*, campaign: Campaign, actor: Any) -> Job:
    return tasks.enqueue(INVITE, arguments={"campaign_id": campaign.pk}, label=f"campaign #{campaign.pk}", actor=actor)


@tasks.job_kind(INVITE, retries=MAIL_RETRIES, label=_("E-mail to the organisations asked in a consultation"))
def _invite(job: Job) -> dict[str, Any]:
    return {"sent": send_invitations(campaign_id=job.arguments["campaign_id"])}


def daily_reminders(period_start: datetime) -> dict[str, Any]:
    """Reminders for the day that starts at ``period_start``."""
    return {"sent": send_reminders(today=period_start.date())}


periodic.register(
    REMINDERS, period="daily", handler=daily_reminders, retries=MAIL_RETRIES, label=_("Consultation reminders")
)
