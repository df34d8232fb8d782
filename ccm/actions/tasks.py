"""The actions' timed work: the daily reminders of due and overdue actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.actions.reminders import send_reminders
from ccm.core import periodic

REMINDERS = "actions.reminders"
MAIL_RETRIES = 8


def daily_reminders(period_start: datetime) -> dict[str, Any]:
    sent, skipped = send_reminders(today=period_start.date())
    return {"sent": sent, "already_sent": skipped}


periodic.register(
    REMINDERS,
    period="daily",
    handler=daily_reminders,
    retries=MAIL_RETRIES,
    label=_("E-mail reminders of follow-up actions"),
)
