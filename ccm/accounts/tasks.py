"""The accounts' background work: sending invitations."""

from __future__ import annotations

from typing import Any

from ccm.accounts.models import Invitation
from ccm.core import tasks
from ccm.core.task_models import Job

SEND_INVITATION = "accounts.send_invitation"


def enqueue_invitation_mail(*, invitation: Invitation, base_url: str, actor: Any) -> Job:
    return tasks.enqueue(
        SEND_INVITATION,
        arguments={"invitation_id": invitation.pk, "base_url": base_url},
        label=f"invitation #{invitation.pk}",
        actor=actor,
    )


@tasks.job_kind(SEND_INVITATION)
def _send(job: Job) -> dict[str, Any]:
    from ccm.accounts.services import invitation_send

    return {"sent": invitation_send(invitation_id=job.arguments["invitation_id"], base_url=job.arguments["base_url"])}
