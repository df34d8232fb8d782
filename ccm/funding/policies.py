"""Who sees which funding flows: public ones by everyone; a flow the funder keeps to itself
(``Visibility.ORGANISATION``) only by coordinators and the funder's own organisation. The funder's
editors and managers change its flows, and record new ones for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.core.policies import Action, Permission, Policy, Visibility, is_coordinator, organisation_ids
from ccm.funding.models import FundingFlow


class FundingFlowPolicy(Policy[FundingFlow]):
    model = FundingFlow
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[FundingFlow]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return FundingFlow.objects.all()
            return FundingFlow.objects.filter(Q(visibility=Visibility.PUBLIC) | Q(funder_id__in=organisation_ids(user)))
        return FundingFlow.objects.filter(funder_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: FundingFlow) -> bool:
        if action == Action.VIEW:
            return (
                is_coordinator(user)
                or obj.visibility == Visibility.PUBLIC
                or (obj.funder_id is not None and obj.funder_id in organisation_ids(user))
            )
        return obj.funder_id is not None and obj.funder_id in organisation_ids(user, self.roles_for(action))


flows = FundingFlowPolicy()


def can_record_flows(user: Any) -> list[int]:
    """Organisations the user may record flows for: those whose flows they may change."""
    return organisation_ids(user, flows.roles_for(Action.CHANGE))
