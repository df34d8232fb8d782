"""Who may see and change baselines, progress reports, completion plans and spreadsheet imports.

A State's own government (its State-government organisations' members) sees everything about its
State; editors change figures, managers publish reports and approve plans. Coordinators see all
and may not edit. Others see published reports (a year once published stays visible while a
correction is reviewed), baselines and approved plans that are public (or, signed in, platform-wide).
Which *version* of a year or plan a reader sees is decided in ``ccm.reporting.selectors``
(``year_shown``, ``plans_shown``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.core.policies import (
    EDITOR_ROLES,
    MANAGER_ROLES,
    Action,
    Permission,
    Policy,
    Visibility,
    is_coordinator,
    is_signed_in,
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


def sees_unpublished_plans(user: Any, state_id: int) -> bool:
    """The State's own government and coordinators see every plan version, drafts included."""
    return is_coordinator(user) or state_id in state_ids(user)


class BaselinePolicy(Policy[BaselineFigure]):
    """Baselines are public; the State's editors and managers add them."""

    model = BaselineFigure
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[BaselineFigure]:
        if action == Action.VIEW:
            return BaselineFigure.objects.all()
        return BaselineFigure.objects.filter(obligation__state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: BaselineFigure) -> bool:
        return action == Action.VIEW or obj.obligation.state_id in state_ids(user, self.roles_for(action))


class ProgressReportPolicy(Policy[ProgressReport]):
    model = ProgressReport
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        SUBMIT: Permission.CHANGE,
        PUBLISH: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[ProgressReport]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return ProgressReport.objects.all()
            # a year once published stays visible (in its published version) while a correction is reviewed
            return ProgressReport.objects.filter(
                Q(status=ReportStatus.PUBLISHED) | Q(published_version__isnull=False) | Q(state_id__in=state_ids(user))
            )
        return ProgressReport.objects.filter(state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: ProgressReport) -> bool:
        if action == Action.VIEW:
            return (
                is_coordinator(user)
                or obj.status == ReportStatus.PUBLISHED
                or obj.published_version_id is not None
                or obj.state_id in state_ids(user)
            )
        return obj.state_id in state_ids(user, self.roles_for(action))


class CompletionPlanPolicy(Policy[CompletionPlan]):
    model = CompletionPlan
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        APPROVE: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[CompletionPlan]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return CompletionPlan.objects.all()
            shared = [Visibility.PUBLIC, Visibility.PLATFORM] if is_signed_in(user) else [Visibility.PUBLIC]
            return CompletionPlan.objects.filter(
                Q(status=PlanStatus.APPROVED, visibility__in=shared) | Q(obligation__state_id__in=state_ids(user))
            )
        return CompletionPlan.objects.filter(obligation__state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: CompletionPlan) -> bool:
        if action == Action.VIEW:
            return super().allows(user, action, obj)
        return obj.obligation.state_id in state_ids(user, self.roles_for(action))


baselines = BaselinePolicy()
progress_reports = ProgressReportPolicy()
plans = CompletionPlanPolicy()
