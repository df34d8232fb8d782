"""What waits for people in coalitions (registered with ``ccm.core.worklist``): invitations for an
organisation's managers to answer, and the work plan's actions of their organisation that are overdue
(editors and managers of the owner)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.actions.models import OPEN_STATUSES
from ccm.actions.models import Action as FollowUp
from ccm.coalitions.models import Coalition, CoalitionStatus, Member, MemberStatus
from ccm.core import worklist
from ccm.core.policies import EDITOR_ROLES, MANAGER_ROLES, organisation_ids

INVITATIONS = "coalitions.invitations"
OVERDUE = "coalitions.overdue"


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


def overdue_actions(user: Any, today: date) -> list[worklist.WorkItem]:
    owners = organisation_ids(user, EDITOR_ROLES)
    if not owners:
        return []
    active = Coalition.objects.filter(status=CoalitionStatus.ACTIVE).values("pk")
    rows = FollowUp.objects.filter(
        source_type=ContentType.objects.get_for_model(Coalition),
        source_id__in=active,
        owner_id__in=owners,
        status__in=OPEN_STATUSES,
        due_date__lt=today,
    ).select_related("owner")
    return [
        worklist.WorkItem(
            title=a.title,
            url=reverse("coalitions:action", args=[a.source_id, a.pk]),
            kind=OVERDUE,
            detail=a.owner.name,
            due=a.due_date,
        )
        for a in rows
    ]


worklist.register(INVITATIONS, gettext_lazy("Coalition invitations to answer"), invitations, order=40)
worklist.register(OVERDUE, gettext_lazy("Overdue coalition actions"), overdue_actions, order=41)
