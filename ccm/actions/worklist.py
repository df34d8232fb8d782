"""What waits for people around follow-up actions (registered with the worklist, ``ccm.core.worklist``):
the open actions their organisations own, soonest due first, the overdue ones flagged."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.actions import selectors
from ccm.core import worklist
from ccm.core.policies import organisation_ids
from ccm.core.templatetags.ccm import date_filter, days

MINE = "actions.mine"


def _detail(row: selectors.ActionRow) -> str:
    action = row.action
    if row.is_overdue:
        return _("OVERDUE by %(days)s (due %(date)s) · %(owner)s") % {
            "days": days(row.days_overdue),
            "date": date_filter(action.due_date),
            "owner": action.owner.name,
        }
    return _("Due %(date)s · %(owner)s · %(status)s") % {
        "date": date_filter(action.due_date),
        "owner": action.owner.name,
        "status": action.get_status_display(),
    }


def my_actions(user: Any, today: date) -> list[worklist.WorkItem]:
    if not organisation_ids(user):
        return []
    rows = [selectors.ActionRow(action=action, today=today) for action in selectors.open_owned_by(user)]
    return [
        worklist.WorkItem(
            title=f"{row.action.state.display_name}: {row.action.title}" if row.action.state else row.action.title,
            url=reverse("actions:detail", args=[row.action.pk]),
            kind=MINE,
            detail=_detail(row),
            due=row.action.due_date,
        )
        for row in rows
    ]


worklist.register(MINE, gettext_lazy("Follow-up actions your organisation owns"), my_actions, order=25)
