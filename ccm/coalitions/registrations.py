"""What the coalitions register with the shared capabilities (imported by ``CoalitionsConfig.ready``):

- documents on messages in threads: seen by the thread's readers (accepted members only), attached by
  the editors and managers of the message's organisation;
- the coalition as a source of follow-up actions (its work plan): the actions are seen by whoever sees
  the workspace (members and coordinators) and changed by their owner's editors and by the members'
  editors and managers; once the coalition is concluded its open actions are no longer reminded.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccm.actions import sources
from ccm.coalitions import policies
from ccm.coalitions.models import Coalition, CoalitionStatus, Message
from ccm.core.documents import registry


def _message_url(message: Message) -> str:
    return (
        reverse("coalitions:thread", args=[message.thread.coalition_id, message.thread_id]) + f"#message-{message.pk}"
    )


registry.register(
    Message,
    policy=policies.messages,
    page_url=_message_url,
    organisation_id=lambda message: message.organisation_id,
)

sources.register(
    Coalition,
    policy=policies.coalitions,
    page_url=lambda coalition: reverse("coalitions:detail", args=[coalition.pk]) + "#work-plan",
    label=_("Coalition"),
    view_action=policies.WORKSPACE,
    change_action="change",
    live=lambda: ~Q(status=CoalitionStatus.CONCLUDED),  # a concluded coalition's open actions are not reminded
)
