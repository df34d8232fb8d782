"""What waits for people in coordination (registered with ``ccm.core.worklist``): allocation proposals a
coordinator shared with the user's organisation, with lines not yet pledged (one query; none for people
without an organisation, and none for coordinators, who have the dashboard)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from ccm.coordination import policies
from ccm.core import worklist
from ccm.core.policies import is_coordinator, organisation_ids

SHARED = "coordination.shared_runs"


def shared_runs(user: Any, today: date) -> list[worklist.WorkItem]:
    mine = organisation_ids(user)
    if not mine or is_coordinator(user):
        return []
    rows = (
        policies.runs.visible_to(user)
        .annotate(open_lines=Count("lines", filter=Q(lines__donor_id__in=mine, lines__pledged_at__isnull=True)))
        .filter(open_lines__gt=0)
        .order_by("-shared_at")[:20]
    )
    return [
        worklist.WorkItem(
            title=run.title,
            url=reverse("coordination:allocation", args=[run.pk]),
            kind=SHARED,
            detail=ngettext(
                "%(n)s proposed line for your organisation",
                "%(n)s proposed lines for your organisation",
                run.open_lines,
            )
            % {"n": run.open_lines},
        )
        for run in rows
    ]


worklist.register(SHARED, gettext_lazy("Allocation proposals shared with you"), shared_runs, order=60)
