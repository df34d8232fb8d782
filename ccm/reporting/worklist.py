"""What waits for people in reporting: drafts to submit, submissions to publish, overdue reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core import worklist
from ccm.core.policies import EDITOR_ROLES, MANAGER_ROLES, is_coordinator, state_ids
from ccm.core.templatetags.ccm import date_filter
from ccm.reporting import policies, selectors

DRAFTS = "reporting.drafts"
SUBMISSIONS = "reporting.submissions"
OVERDUE = "reporting.overdue"


def _report_items(user: Any, action: str, kind: str, detail: str) -> list[worklist.WorkItem]:
    return [
        worklist.WorkItem(
            title=_("%(state)s: progress report %(year)s") % {"state": report.state.display_name, "year": report.year},
            url=reverse("reporting:progress", args=[report.state.iso3, report.year]),
            kind=kind,
            detail=detail % {"date": date_filter(report.updated_at)},
        )
        for report in selectors.reports_awaiting(user=user, action=action)
    ]


def drafts_to_submit(user: Any, today: date) -> list[worklist.WorkItem]:
    if not state_ids(user, EDITOR_ROLES):
        return []
    return _report_items(user, policies.SUBMIT, DRAFTS, _("Draft, last changed %(date)s: submit it when complete"))


def submissions_to_publish(user: Any, today: date) -> list[worklist.WorkItem]:
    if not state_ids(user, MANAGER_ROLES):
        return []
    return _report_items(user, policies.PUBLISH, SUBMISSIONS, _("Submitted %(date)s: review and publish it"))


def overdue_reports(user: Any, today: date) -> list[worklist.WorkItem]:
    if not is_coordinator(user):
        return []
    return [
        worklist.WorkItem(
            title=_("%(state)s: progress report %(year)s") % {"state": state.display_name, "year": year},
            url=reverse("states:detail", args=[state.iso3]),
            kind=OVERDUE,
            detail=_("Due %(date)s, not submitted") % {"date": date_filter(due)},
            due=due,
        )
        for state, year, due in selectors.reports_overdue(user=user, today=today)
    ]


worklist.register(DRAFTS, gettext_lazy("Progress reports to submit"), drafts_to_submit, order=10)
worklist.register(SUBMISSIONS, gettext_lazy("Progress reports to publish"), submissions_to_publish, order=11)
worklist.register(OVERDUE, gettext_lazy("Overdue progress reports"), overdue_reports, order=61)
