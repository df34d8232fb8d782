"""The needs' background work: telling matching donors of a published need, and the weekly digest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.core import periodic, tasks
from ccm.core.task_models import Job
from ccm.needs.models import Need
from ccm.needs.notifications import notify_matching_donors, send_digests

NOTIFY = "needs.notify_matching_donors"
WEEKLY_DIGEST = "needs.weekly_digest"


def enqueue_notify_matching_donors(*, need: Need, actor: Any) -> Job:
    return tasks.enqueue(NOTIFY, arguments={"need_id": need.pk}, label=f"need #{need.pk}", actor=actor)


# Notices and digests are safe to repeat (each person's message is recorded as it is sent): a run in
# which some could not be sent fails and is retried by ``ccm tick`` until every one is sent.
MAIL_RETRIES = 8


@tasks.job_kind(NOTIFY, retries=MAIL_RETRIES, label=_("E-mail to donors about a published need"))
def _notify(job: Job) -> dict[str, Any]:
    return {"sent": notify_matching_donors(need_id=job.arguments["need_id"])}


def weekly_digest(period_start: datetime) -> dict[str, Any]:
    """The digest of the week before the one that starts at ``period_start``."""
    sent, skipped = send_digests(today=period_start.date())
    return {"sent": sent, "already_sent": skipped}


periodic.register(
    WEEKLY_DIGEST, period="weekly", handler=weekly_digest, retries=MAIL_RETRIES, label=_("Weekly digest e-mail")
)
