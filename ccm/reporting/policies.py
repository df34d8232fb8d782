"""Who may see and change baselines, progress reports, completion plans and spreadsheet imports.

A State's own government (its State-government organisations' members) sees everything about its
State; editors change figures, managers publish reports and approve plans. Coordinators see all
and may not edit. Others see published reports, baselines and approved plans that are public (or,
signed in, platform-wide).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ccm.core.models import SpreadsheetImport
from ccm.core.policies import (
    EDITOR_ROLES,
    MANAGER_ROLES,
    Action,
    Policy,
    Visibility,
    is_coordinator,
    is_signed_in,
    organisation_ids,
    state_ids,
)
from ccm.reporting.models import (
    BaselineFigure,
    CompletionPlan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
)

SUBMIT = "submit"
PUBLISH = "publish"
APPROVE = "approve"


def can_edit_state(user: Any, state_id: int) -> bool:
    return state_id in state_ids(user, EDITOR_ROLES)


def can_manage_state(user: Any, state_id: int) -> bool:
    return state_id in state_ids(user, MANAGER_ROLES)


class BaselinePolicy(Policy[BaselineFigure]):
    model = BaselineFigure

    def visible_to(self, user: Any) -> QuerySet[BaselineFigure]:
        return BaselineFigure.objects.all()

    def can(self, user: Any, action: str, obj: BaselineFigure) -> bool:
        return action == Action.VIEW or can_edit_state(user, obj.obligation.state_id)


class ProgressReportPolicy(Policy[ProgressReport]):
    model = ProgressReport

    def visible_to(self, user: Any) -> QuerySet[ProgressReport]:
        if is_coordinator(user):
            return ProgressReport.objects.all()
        return ProgressReport.objects.filter(Q(status=ReportStatus.PUBLISHED) | Q(state_id__in=state_ids(user)))

    def can(self, user: Any, action: str, obj: ProgressReport) -> bool:
        if action == Action.VIEW:
            return self.visible_to(user).filter(pk=obj.pk).exists()
        if action in (Action.CHANGE, SUBMIT):
            return can_edit_state(user, obj.state_id)
        if action == PUBLISH:
            return can_manage_state(user, obj.state_id)
        return False


class CompletionPlanPolicy(Policy[CompletionPlan]):
    model = CompletionPlan

    def visible_to(self, user: Any) -> QuerySet[CompletionPlan]:
        if is_coordinator(user):
            return CompletionPlan.objects.all()
        shared = [Visibility.PUBLIC, Visibility.PLATFORM] if is_signed_in(user) else [Visibility.PUBLIC]
        return CompletionPlan.objects.filter(
            Q(status=PlanStatus.APPROVED, visibility__in=shared) | Q(obligation__state_id__in=state_ids(user))
        )

    def can(self, user: Any, action: str, obj: CompletionPlan) -> bool:
        if action == Action.VIEW:
            return self.visible_to(user).filter(pk=obj.pk).exists()
        if action == APPROVE:
            return can_manage_state(user, obj.obligation.state_id)
        return can_edit_state(user, obj.obligation.state_id)


class SpreadsheetImportPolicy(Policy[SpreadsheetImport]):
    """An import is seen and applied only by the editors and managers of its State."""

    model = SpreadsheetImport

    def visible_to(self, user: Any) -> QuerySet[SpreadsheetImport]:
        return SpreadsheetImport.objects.filter(
            Q(state_id__in=state_ids(user, EDITOR_ROLES)) | Q(organisation_id__in=organisation_ids(user, EDITOR_ROLES))
        )

    def can(self, user: Any, action: str, obj: SpreadsheetImport) -> bool:
        return self.visible_to(user).filter(pk=obj.pk).exists()


baselines = BaselinePolicy()
progress_reports = ProgressReportPolicy()
plans = CompletionPlanPolicy()
imports = SpreadsheetImportPolicy()
