"""The accounts' background work: sending invitations."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Invitation
from ccm.core import tasks
from ccm.core.task_models import Job

SEND_INVITATION = "accounts.send_invitation"
SEND_PASSWORD_RESET = "accounts.send_password_reset"  # noqa: S105 - a job kind, not a password


def enqueue_invitation_mail(*, invitation: Invitation, base_url: str, actor: Any) -> Job:
    return tasks.enqueue(
        SEND_INVITATION,
        arguments={"invitation_id": invitation.pk, "base_url": base_url},
        label=f"invitation #{invitation.pk}",
        actor=actor,
    )


@tasks.job_kind(SEND_INVITATION, label=_("Invitation e-mail"))
def _send(job: Job) -> dict[str, Any]:
    from ccm.accounts.services import invitation_send

    return {"sent": invitation_send(invitation_id=job.arguments["invitation_id"], base_url=job.arguments["base_url"])}


def enqueue_password_reset(*, user: Any, domain: str, protocol: str) -> Job:
    return tasks.enqueue(
        SEND_PASSWORD_RESET,
        arguments={"user_id": user.pk, "domain": domain, "protocol": protocol, "request_key": uuid.uuid4().hex},
        label=f"password reset for user #{user.pk}",
    )


@tasks.job_kind(SEND_PASSWORD_RESET, label=_("Password reset e-mail"))
def _send_password_reset(job: Job) -> dict[str, Any]:
    from ccm.accounts.services import password_reset_send

    arguments = job.arguments
    return {
        "sent": password_reset_send(
            user_id=arguments["user_id"],
            domain=arguments["domain"],
            protocol=arguments["protocol"],
            request_key=arguments["request_key"],
        )
    }
