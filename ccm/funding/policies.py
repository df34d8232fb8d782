"""Who sees which funding flows: public ones by everyone; a flow the funder keeps confidential only
by coordinators and the funder's own organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ccm.core.policies import EDITOR_ROLES, Action, Policy, is_coordinator, organisation_ids
from ccm.funding.models import Confidentiality, FundingFlow


class FundingFlowPolicy(Policy[FundingFlow]):
    model = FundingFlow

    def visible_to(self, user: Any) -> QuerySet[FundingFlow]:
        if is_coordinator(user):
            return FundingFlow.objects.all()
        return FundingFlow.objects.filter(
            Q(confidentiality=Confidentiality.PUBLIC) | Q(funder_id__in=organisation_ids(user))
        )

    def can(self, user: Any, action: str, obj: FundingFlow) -> bool:
        if action == Action.VIEW:
            return self.visible_to(user).filter(pk=obj.pk).exists()
        return obj.funder_id is not None and obj.funder_id in organisation_ids(user, EDITOR_ROLES)


def can_record_flows(user: Any) -> list[int]:
    """Organisations the user may record flows for (their editor and manager memberships)."""
    return organisation_ids(user, EDITOR_ROLES)


flows = FundingFlowPolicy()
