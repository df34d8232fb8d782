"""Reminders of follow-up actions, by e-mail to the owner organisation's editors and managers: once a
week before the due date (from seven days before it), and once the day after it passed if the action
is still open. Each person gets each reminder once (the ``send_once`` ledger, keyed by the action,
its due date and the person: an action given a new due date is reminded again).

A person whose message fails does not stop the others; the run then fails so that ``ccm tick``
retries it, sending only what is missing.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ccm.accounts.models import Membership, User
from ccm.actions import selectors
from ccm.actions.models import Action
from ccm.actions.policies import actions as action_policy
from ccm.core.languages import speaking
from ccm.core.policies import EDITOR_ROLES
from ccm.core.tasks import send_once
from ccm.core.templatetags.ccm import date_filter, days

logger = logging.getLogger(__name__)

BEFORE_DAYS = 7  # the first reminder: a week before the due date
AFTER_DAYS = 1  # the second: the day after it passed


class RemindersNotSent(Exception):
    """Some reminders could not be sent (the others were); a retry sends the missing ones."""


def _site() -> str:
    return getattr(settings, "CCM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _people(action: Action) -> list[User]:
    """The owner's active editors and managers who may see the action."""
    members = (
        Membership.objects.filter(organisation_id=action.owner_id, role__in=EDITOR_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    return [m.user for m in members if action_policy.can(m.user, "view", action)]


def _message(action: Action, *, kind: str, today: date) -> tuple[str, str]:
    link = _site() + reverse("actions:detail", args=[action.pk])
    values = {
        "title": action.title,
        "owner": action.owner.name,
        "due": date_filter(action.due_date),
        "link": link,
        "left": days((action.due_date - today).days),
        "late": days((today - action.due_date).days),
    }
    if kind == "before":
        subject = _("Due %(due)s: %(title)s") % values
        body = (
            _(
                "A follow-up action owned by %(owner)s is due on %(due)s, in %(left)s:\n\n%(title)s\n\n"
                "When it is done, mark it as done on its page, with the date and a note of what was done; "
                "if it cannot be done in time, say so there: %(link)s\n\n"
                "You receive this because you are an editor or manager of %(owner)s on Country Coalitions.\n"
            )
            % values
        )
    else:
        subject = _("Overdue since %(due)s: %(title)s") % values
        body = (
            _(
                "A follow-up action owned by %(owner)s was due on %(due)s and is still open (%(late)s late):\n\n"
                "%(title)s\n\nIf it is done, mark it as done on its page; if not, write a note there saying "
                "where it stands, or agree a new due date: %(link)s\n\n"
                "You receive this because you are an editor or manager of %(owner)s on Country Coalitions.\n"
            )
            % values
        )
    return subject, body


def send_reminders(*, today: date) -> tuple[int, int]:
    """Send the reminders due on ``today``. Returns (sent, already sent before)."""
    sent = skipped = 0
    failed = 0
    for action in selectors.due_for_reminder(today=today, before_days=BEFORE_DAYS, after_days=AFTER_DAYS):
        kind = "before" if action.due_date >= today else "after"
        for user in _people(action):
            with speaking(user):  # in the recipient's language
                subject, body = _message(action, kind=kind, today=today)
            key = f"action-reminder:{kind}:{action.pk}:{action.due_date.isoformat()}:{user.pk}"
            try:
                if send_once(key=key, kind="action_reminder", recipient=user.email, subject=subject, body=body):
                    sent += 1
                else:
                    skipped += 1
            except Exception:
                logger.exception("The reminder of action %s to user %s could not be sent", action.pk, user.pk)
                failed += 1
    if failed:
        raise RemindersNotSent(f"{failed} reminder(s) could not be sent ({sent} sent); they are sent on retry.")
    return sent, skipped
