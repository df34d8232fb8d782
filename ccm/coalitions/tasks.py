"""E-mail about coalition threads, by each person's preference (every message, decisions only, none);
sent in the background, each person once per message."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.accounts.models import Membership
from ccm.coalitions.models import MemberStatus, Message, MessageNotice, MessagePreference
from ccm.core import tasks
from ccm.core.languages import speaking
from ccm.core.task_models import Job

NOTIFY = "coalitions.notify_message"
MAIL_RETRIES = 8


def enqueue_message_notice(*, message: Message, actor: Any) -> Job:
    return tasks.enqueue(NOTIFY, arguments={"message_id": message.pk}, label=f"message #{message.pk}", actor=actor)


def recipients(message: Message) -> list[Any]:
    """People of the accepted member organisations who want this message, its author excepted."""
    coalition = message.thread.coalition
    org_ids = coalition.members.filter(status=MemberStatus.ACCEPTED).values_list("organisation_id", flat=True)
    users = {
        m.user
        for m in Membership.objects.filter(organisation_id__in=org_ids, user__is_active=True).select_related("user")
    }
    wanted = []
    prefs = dict(MessagePreference.objects.filter(user__in=users).values_list("user_id", "messages"))
    for user in sorted(users, key=lambda u: u.pk):
        choice = prefs.get(user.pk, MessageNotice.EVERY)
        if user.pk == message.author_id or choice == MessageNotice.NONE:
            continue
        if choice == MessageNotice.DECISIONS and not message.is_decision:
            continue
        wanted.append(user)
    return wanted


def notify_message(*, message_id: int) -> int:
    message = Message.objects.select_related("thread__coalition").filter(pk=message_id).first()
    if message is None:
        return 0
    thread = message.thread
    url = settings.CCM_SITE_URL.rstrip("/") + reverse("coalitions:thread", args=[thread.coalition_id, thread.pk])
    body = f"{message.body}\n\n{url}\n"
    sent = 0
    failures = []
    for user in recipients(message):
        with speaking(user):  # in the recipient's language
            kind = str(_("Decision") if message.is_decision else _("Message"))
        subject = f"{thread.coalition.name}: {kind} — {thread.subject}"
        try:
            sent += tasks.send_once(
                key=f"coalition-message:{message.pk}:{user.pk}",
                kind=NOTIFY,
                recipient=user.email,
                subject=subject,
                body=body,
            )
        except Exception as error:  # noqa: BLE001 - go on with the others, then fail the job (retried)
            failures.append(str(error))
    if failures:
        raise RuntimeError(f"{len(failures)} e-mail(s) not sent: {failures[0]}")
    return sent


@tasks.job_kind(NOTIFY, retries=MAIL_RETRIES, label=gettext_lazy("E-mail to coalition members about a message"))
def _notify(job: Job) -> dict[str, Any]:
    return {"sent": notify_message(message_id=job.arguments["message_id"])}


# Reminders of work-plan actions (due soon, overdue) are the actions app's, for every source alike
# (ccm/actions/reminders.py): a coalition registers as a source and adds none of its own.
