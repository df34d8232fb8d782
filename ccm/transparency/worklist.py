"""What waits for coordinators in Article 7 reporting (registered with ``ccm.core.worklist``): the reports
known to be overdue, as one line pointing at the overdue list."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from ccm.core import worklist
from ccm.core.policies import is_coordinator
from ccm.transparency import selectors

OVERDUE = "transparency.overdue"


def overdue_reports(user: Any, today: date) -> list[worklist.WorkItem]:
    if not is_coordinator(user):
        return []
    count = len(selectors.overdue_lines(user=user, today=today))
    if not count:
        return []
    return [
        worklist.WorkItem(
            title=ngettext("%(n)s Article 7 report overdue", "%(n)s Article 7 reports overdue", count) % {"n": count},
            url=reverse("transparency:overdue"),
            kind=OVERDUE,
            detail=ngettext(
                "Checked and not received after its due date",
                "Checked and not received after their due dates",
                count,
            ),
        )
    ]


worklist.register(OVERDUE, gettext_lazy("Article 7 reports overdue"), overdue_reports, order=71)
