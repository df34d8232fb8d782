"""E-mail about coalition threads, by each person's preference (every message, decisions only, none);
sent in the background, each person once per message."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.accounts.models import Membership
from ccm.coalitions.models import MemberStatus, Message, MessageNotice, MessagePreference
from ccm.core import periodic, tasks
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
    kind = _("Decision") if message.is_decision else _("Message")
    subject = f"{thread.coalition.name}: {kind} — {thread.subject}"
    body = f"{message.body}\n\n{url}\n"
    sent = 0
    failures = []
    for user in recipients(message):
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


# --- Weekly reminders of the work plan --------------------------------------------------------------

REMINDERS = "coalitions.workplan_reminders"
REMIND_AHEAD_DAYS = 14


def due_actions(*, today: date) -> list[Any]:
    """Open actions of active coalitions that are overdue or due within two weeks (the work plan's
    reminders), with their owner and coalition."""
    from django.contrib.contenttypes.models import ContentType

    from ccm.actions.models import OPEN_STATUSES
    from ccm.actions.models import Action as FollowUp
    from ccm.coalitions.models import Coalition, CoalitionStatus

    active = Coalition.objects.filter(status=CoalitionStatus.ACTIVE).values("pk")
    return list(
        FollowUp.objects.filter(
            source_type=ContentType.objects.get_for_model(Coalition),
            source_id__in=active,
            status__in=OPEN_STATUSES,
            due_date__lte=today + timedelta(days=REMIND_AHEAD_DAYS),
        ).select_related("owner")
    )


def send_reminders(*, today: date) -> tuple[int, int]:
    """E-mail the owner organisation's editors and managers of each action overdue or due soon: once
    per action, person and week. Returns (sent, already sent)."""
    from ccm.coalitions.models import Coalition
    from ccm.core.policies import EDITOR_ROLES

    actions = due_actions(today=today)
    names = dict(Coalition.objects.filter(pk__in={a.source_id for a in actions}).values_list("pk", "name"))
    people: dict[int, list[Any]] = {}
    for m in Membership.objects.filter(
        organisation_id__in={a.owner_id for a in actions}, role__in=EDITOR_ROLES, user__is_active=True
    ).select_related("user"):
        people.setdefault(m.organisation_id, []).append(m.user)
    week = today.isocalendar()
    sent = skipped = 0
    failures = []
    for action in actions:
        url = settings.CCM_SITE_URL.rstrip("/") + reverse("coalitions:action", args=[action.source_id, action.pk])
        late = action.due_date < today
        subject = (_("Overdue: %(title)s") if late else _("Due soon: %(title)s")) % {"title": action.title}
        body = _("%(coalition)s — %(title)s, due %(due)s (owner: %(owner)s).") % {
            "coalition": names.get(action.source_id, ""),
            "title": action.title,
            "due": action.due_date.isoformat(),
            "owner": action.owner.name,
        }
        for user in people.get(action.owner_id, []):
            try:
                if tasks.send_once(
                    key=f"coalition-reminder:{action.pk}:{user.pk}:{week.year}-{week.week}",
                    kind=REMINDERS,
                    recipient=user.email,
                    subject=subject,
                    body=f"{body}\n\n{url}\n",
                ):
                    sent += 1
                else:
                    skipped += 1
            except Exception as error:  # noqa: BLE001 - go on with the others, then fail (retried)
                failures.append(str(error))
    if failures:
        raise RuntimeError(f"{len(failures)} reminder(s) not sent: {failures[0]}")
    return sent, skipped


def weekly_reminders(period_start: datetime) -> dict[str, Any]:
    sent, skipped = send_reminders(today=period_start.date())
    return {"sent": sent, "already_sent": skipped}


periodic.register(
    REMINDERS,
    period="weekly",
    handler=weekly_reminders,
    retries=MAIL_RETRIES,
    label=gettext_lazy("Reminders of coalition actions overdue or due soon"),
)
