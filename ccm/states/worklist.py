"""What waits for people in the States registry: deadlines coming up (registered with the worklist)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core import worklist
from ccm.core.policies import is_coordinator, state_ids
from ccm.core.templatetags.ccm import date_filter
from ccm.states.models import ObligationStatus
from ccm.states.selectors import ObligationRow, obligations_due

DEADLINES = "states.deadlines"
AT_RISK = "states.deadlines_at_risk"


def _item(row: ObligationRow, kind: str) -> worklist.WorkItem:
    obligation = row.obligation
    title = f"{row.state.display_name}: {obligation.get_kind_display()}"
    deadline = row.current_deadline
    return worklist.WorkItem(
        title=title,
        url=reverse("states:detail", args=[row.state.iso3]),
        kind=kind,
        detail=_("Deadline %(date)s · %(status)s")
        % {"date": date_filter(deadline) if deadline else "—", "status": ObligationStatus(row.status).label},
        due=deadline,
    )


def deadlines_within_a_year(user: Any, today: date) -> list[worklist.WorkItem]:
    """For a State's government: its open obligations due within twelve months (or overdue)."""
    states = state_ids(user)
    if not states:
        return []
    return [_item(row, DEADLINES) for row in obligations_due(today=today, state_ids=states)]


def deadlines_at_risk(user: Any, today: date) -> list[worklist.WorkItem]:
    """For coordinators: every open obligation overdue or due within twelve months, of every State."""
    if not is_coordinator(user):
        return []
    return [_item(row, AT_RISK) for row in obligations_due(today=today)]


worklist.register(DEADLINES, gettext_lazy("Deadlines passed or within 12 months"), deadlines_within_a_year, order=50)
worklist.register(AT_RISK, gettext_lazy("Deadlines at risk"), deadlines_at_risk, order=70)
