"""Version 1 of the API: every route listed here (and covered by the role matrix test)."""

from django.urls import path, re_path

from ccm.accounts.api import MeApi, OrganisationListApi, OrganisationMemberListApi
from ccm.coalitions.api import (
    CoalitionDetailApi,
    CoalitionListApi,
    MemberListApi,
    ScorecardApi,
    ThreadDetailApi,
    ThreadListApi,
    WorkPlanApi,
)
from ccm.core.api import AuditEntryListApi
from ccm.core.documents.api import DocumentDownloadApi, DocumentListApi
from ccm.core.task_api import JobListApi
from ccm.core.worklist_api import WorklistApi
from ccm.funding.api import CoverageListApi, FlowListApi, PledgeListApi, RateApi, RateCurrencyListApi
from ccm.funding.explorer_api import FundingExplorerApi
from ccm.needs.api import DonorProfileListApi, NeedDetailApi, NeedListApi, ObstacleListApi
from ccm.reporting.api import BaselineListApi, CompletionPlanListApi, ProgressReportListApi, RemainingWorkApi
from ccm.states.api import StateDetailApi, StateListApi

urlpatterns = [
    re_path(r"^states/$", StateListApi.as_view(), name="api-states-list"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/$", StateDetailApi.as_view(), name="api-states-detail"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("me/worklist/", WorklistApi.as_view(), name="api-worklist"),
    path("organisations/", OrganisationListApi.as_view(), name="api-organisations-list"),
    path("organisations/<slug:slug>/members/", OrganisationMemberListApi.as_view(), name="api-organisation-members"),
    path("audit/", AuditEntryListApi.as_view(), name="api-audit-list"),
    path("documents/<int:pk>/download/", DocumentDownloadApi.as_view(), name="api-documents-download"),
    path("documents/<str:parent_type>/<int:parent_id>/", DocumentListApi.as_view(), name="api-documents-list"),
    path("tasks/", JobListApi.as_view(), name="api-tasks-list"),
    path("needs/", NeedListApi.as_view(), name="api-needs-list"),
    path("coalitions/", CoalitionListApi.as_view(), name="api-coalitions-list"),
    path("coalitions/<int:pk>/", CoalitionDetailApi.as_view(), name="api-coalitions-detail"),
    path("coalitions/<int:pk>/members/", MemberListApi.as_view(), name="api-coalitions-members"),
    path("coalitions/<int:pk>/work-plan/", WorkPlanApi.as_view(), name="api-coalitions-work-plan"),
    path("coalitions/<int:pk>/threads/", ThreadListApi.as_view(), name="api-coalitions-threads"),
    path("coalitions/<int:pk>/threads/<int:thread>/", ThreadDetailApi.as_view(), name="api-coalitions-thread"),
    path("coalitions/<int:pk>/scorecard/", ScorecardApi.as_view(), name="api-coalitions-scorecard"),
    path("needs/<int:pk>/", NeedDetailApi.as_view(), name="api-needs-detail"),
    path("obstacles/", ObstacleListApi.as_view(), name="api-obstacles-list"),
    path("donors/", DonorProfileListApi.as_view(), name="api-donors-list"),
    path("flows/", FlowListApi.as_view(), name="api-flows-list"),
    path("pledges/", PledgeListApi.as_view(), name="api-pledges-list"),
    path("coverage/", CoverageListApi.as_view(), name="api-coverage-list"),
    path("funding/explorer/", FundingExplorerApi.as_view(), name="api-funding-explorer"),
    path("rates/", RateApi.as_view(), name="api-rate"),
    path("rates/currencies/", RateCurrencyListApi.as_view(), name="api-rates-currencies"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/baselines/$", BaselineListApi.as_view(), name="api-baselines-list"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/progress/$", ProgressReportListApi.as_view(), name="api-progress-list"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/plans/$", CompletionPlanListApi.as_view(), name="api-plans-list"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/remaining/$", RemainingWorkApi.as_view(), name="api-remaining-work"),
]
