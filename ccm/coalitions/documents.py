"""Messages in a coalition's threads take attachments: seen by the thread's readers (accepted members
only), attached by the editors and managers of the message's organisation."""

from __future__ import annotations

from django.urls import reverse

from ccm.coalitions import policies
from ccm.coalitions.models import Message
from ccm.core.documents import registry


def _message_url(message: Message) -> str:
    return reverse("coalitions:thread", args=[message.thread.coalition_id, message.thread_id]) + f"#message-{message.pk}"


registry.register(
    Message,
    policy=policies.messages,
    page_url=_message_url,
    organisation_id=lambda message: message.organisation_id,
)
