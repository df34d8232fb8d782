"""The needs' background work: telling matching donors of a published need, telling a State of a
donor's response to its need, and the weekly digest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.core import periodic, tasks
from ccm.core.task_models import Job
from ccm.needs.models import Need, Response, ResponseKind
from ccm.needs.notifications import notify_matching_donors, notify_state_of_response, send_digests

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


NOTIFY_STATE = "needs.notify_state_of_response"


def enqueue_response_notice(*, response: Response, actor: Any) -> Job | None:
    """Tell the need's State of a donor's response (a background task, after the commit); the State's
    own answers tell nobody."""
    if response.kind == ResponseKind.ANSWER:
        return None
    return tasks.enqueue(
        NOTIFY_STATE, arguments={"response_id": response.pk}, label=f"response #{response.pk}", actor=actor
    )


@tasks.job_kind(NOTIFY_STATE, retries=MAIL_RETRIES, label=_("E-mail to a State about a response to its need"))
def _notify_state(job: Job) -> dict[str, Any]:
    return {"sent": notify_state_of_response(response_id=job.arguments["response_id"])}
