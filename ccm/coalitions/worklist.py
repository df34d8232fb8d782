"""What waits for people in coalitions (registered with ``ccm.core.worklist``): invitations for an
organisation's managers to answer, and the work plan's actions of their organisation that are overdue
(editors and managers of the owner)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.coalitions.models import CoalitionStatus, Member, MemberStatus
from ccm.core import worklist
from ccm.core.policies import MANAGER_ROLES, organisation_ids

INVITATIONS = "coalitions.invitations"


def invitations(user: Any, today: date) -> list[worklist.WorkItem]:
    managed = organisation_ids(user, MANAGER_ROLES)
    if not managed:
        return []
    rows = Member.objects.filter(
        organisation_id__in=managed,
        status=MemberStatus.INVITED,
        coalition__status__in=[CoalitionStatus.PROPOSED, CoalitionStatus.ACTIVE],
    ).select_related("coalition", "organisation")
    return [
        worklist.WorkItem(
            title=m.coalition.name,
            url=reverse("coalitions:detail", args=[m.coalition_id]),
            kind=INVITATIONS,
            detail=_("%(org)s is invited as %(role)s") % {"org": m.organisation.name, "role": m.get_role_display()},
        )
        for m in rows
    ]


worklist.register(INVITATIONS, gettext_lazy("Coalition invitations to answer"), invitations, order=40)
