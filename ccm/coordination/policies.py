"""Who sees and does what in coordination.

- **Coordinators and administrators** (platform roles) see everything here: the dashboard, forecasts,
  the attention gap and its weights, matching, every allocation run. They save weights, run forecasts,
  run allocations and share them.
- **A shared allocation run** is seen by the members of the donor organisations that have a line in it
  (``shared_with``): the run page with their own lines only and the aggregate metrics. A donor's editors
  and managers may turn one of its own lines into a pledge (the funding ledger's pledge service writes it).
- **Matching** (donors that fit a need, needs that fit a donor) stays with the coordinators: it ranks
  donors against each other and names needs that may be kept to chosen donors.

Everyone else gets 404, on pages, API and exports alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.coordination.models import AllocationLine, AllocationRun, AttentionWeights, ForecastRun
from ccm.core.policies import Action, Permission, Policy, is_coordinator, organisation_ids, roles_with

SHARE = "share"
PLEDGE = "pledge"

EDITORS = roles_with(Permission.CHANGE)


def may_coordinate(user: Any) -> bool:
    """Coordinators and administrators: the dashboard, forecasts, attention gap, matching, new runs."""
    return is_coordinator(user)


class _CoordinatorsOnly(Policy[Any]):
    """Objects only coordinators see and change (weights, forecast runs)."""

    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def __init__(self, model: type[Any]) -> None:
        self.model = model

    def objects_for(self, user: Any, action: str) -> QuerySet[Any]:
        return self.model._default_manager.all() if is_coordinator(user) else self.model._default_manager.none()

    def allows(self, user: Any, action: str, obj: Any) -> bool:
        return obj.pk is not None and is_coordinator(user)


class AllocationRunPolicy(Policy[AllocationRun]):
    model = AllocationRun
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        SHARE: Permission.CHANGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[AllocationRun]:
        runs = AllocationRun.objects.all()
        if is_coordinator(user):
            return runs
        if action != Action.VIEW:
            return runs.none()
        mine = organisation_ids(user)
        if not mine:
            return runs.none()
        shared_with = AllocationRun.shared_with.through.objects.filter(organisation_id__in=mine)
        return runs.filter(shared=True, pk__in=shared_with.values("allocationrun_id"))

    def allows(self, user: Any, action: str, obj: AllocationRun) -> bool:
        if obj.pk is None:
            return False
        if is_coordinator(user):
            return True
        return action == Action.VIEW and super().allows(user, action, obj)


class AllocationLinePolicy(Policy[AllocationLine]):
    """A line is seen by whoever sees its run, coordinators all of them, a donor's members only its own;
    ``pledge``: the donor's editors and managers, on a shared run, once."""

    model = AllocationLine
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, PLEDGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[AllocationLine]:
        lines = AllocationLine.objects.all()
        if action == Action.VIEW:
            if is_coordinator(user):
                return lines
            mine = organisation_ids(user)
            return lines.filter(run__shared=True, donor_id__in=mine) if mine else lines.none()
        editors = organisation_ids(user, self.roles_for(action))
        if not editors:
            return lines.none()
        return lines.filter(
            Q(run__shared=True), donor_id__in=editors, pledged_flow__isnull=True, pledged_at__isnull=True
        )

    def allows(self, user: Any, action: str, obj: AllocationLine) -> bool:
        if obj.pk is None:
            return False
        if action == Action.VIEW:
            return is_coordinator(user) or (obj.run.shared and obj.donor_id in organisation_ids(user))
        return (
            obj.run.shared
            and obj.pledged_at is None
            and obj.pledged_flow_id is None
            and obj.donor_id in organisation_ids(user, self.roles_for(action))
        )


weights = _CoordinatorsOnly(AttentionWeights)
forecast_runs = _CoordinatorsOnly(ForecastRun)
runs = AllocationRunPolicy()
lines = AllocationLinePolicy()
