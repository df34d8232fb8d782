"""The meetings' background work: sending the invitations (and their updates and cancellations)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.core import tasks
from ccm.core.task_models import Job
from ccm.meetings.invitations import send_invitations
from ccm.meetings.models import Meeting

INVITE = "meetings.send_invitations"
MAIL_RETRIES = 8


def enqueue_invitations(*, meeting: Meeting, actor: Any) -> Job:
    return tasks.enqueue(
        INVITE,
        arguments={"meeting_id": meeting.pk, "sequence": meeting.ics_sequence},
        label=f"meeting #{meeting.pk}",
        actor=actor,
    )


@tasks.job_kind(INVITE, retries=MAIL_RETRIES, label=_("E-mail invitations to a meeting"))
def _invite(job: Job) -> dict[str, Any]:
    return {"sent": send_invitations(meeting_id=job.arguments["meeting_id"])}
