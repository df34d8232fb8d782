"""Version 1 of the API: every route listed here (and covered by the role matrix test)."""

from django.urls import path, re_path

from ccm.accounts.api import MeApi, OrganisationListApi, OrganisationMemberListApi
from ccm.actions.api import ActionDetailApi, ActionListApi
from ccm.coalitions.api import (
    CoalitionDetailApi,
    CoalitionListApi,
    MemberListApi,
    ScorecardApi,
    ThreadDetailApi,
    ThreadListApi,
    WorkPlanApi,
)
from ccm.consultations.api import (
    CampaignAnswerListApi,
    CampaignDetailApi,
    CampaignListApi,
    OrganisationAnswerApi,
    OrganisationAnswerSubmitApi,
    QuestionSetListApi,
    QuestionSetVersionApi,
)
from ccm.consultations.api_sheets import CampaignWorkbookApi, QuestionSetXlsformApi
from ccm.consultations.synthesis_api import CampaignSynthesisApi
from ccm.coordination import api as coordination
from ccm.core.api import AuditEntryListApi
from ccm.core.documents.api import DocumentDownloadApi, DocumentListApi
from ccm.core.task_api import JobListApi
from ccm.core.worklist_api import WorklistApi
from ccm.funding.api import CoverageListApi, FlowListApi, PledgeListApi, RateApi, RateCurrencyListApi
from ccm.funding.explorer_api import FundingExplorerApi
from ccm.library import api as library
from ccm.meetings.api import (
    AgendaApi,
    KeyPointsApi,
    MeetingDetailApi,
    MeetingIcsApi,
    MeetingListApi,
    NotesApi,
    RepliesApi,
)
from ccm.needs.api import DonorProfileListApi, NeedDetailApi, NeedListApi, ObstacleListApi
from ccm.reporting.api import BaselineListApi, CompletionPlanListApi, ProgressReportListApi, RemainingWorkApi
from ccm.states.api import StateDetailApi, StateListApi
from ccm.transparency.draft_api import ReportDraftApi

urlpatterns = [
    re_path(r"^states/$", StateListApi.as_view(), name="api-states-list"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/$", StateDetailApi.as_view(), name="api-states-detail"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("me/worklist/", WorklistApi.as_view(), name="api-worklist"),
    path("organisations/", OrganisationListApi.as_view(), name="api-organisations-list"),
    path("organisations/<slug:slug>/members/", OrganisationMemberListApi.as_view(), name="api-organisation-members"),
    path("audit/", AuditEntryListApi.as_view(), name="api-audit-list"),
    path("documents/<id:pk>/download/", DocumentDownloadApi.as_view(), name="api-documents-download"),
    path("documents/<str:parent_type>/<id:parent_id>/", DocumentListApi.as_view(), name="api-documents-list"),
    path("tasks/", JobListApi.as_view(), name="api-tasks-list"),
    path("needs/", NeedListApi.as_view(), name="api-needs-list"),
    path("coalitions/", CoalitionListApi.as_view(), name="api-coalitions-list"),
    path("coalitions/<id:pk>/", CoalitionDetailApi.as_view(), name="api-coalitions-detail"),
    path("coalitions/<id:pk>/members/", MemberListApi.as_view(), name="api-coalitions-members"),
    path("coalitions/<id:pk>/work-plan/", WorkPlanApi.as_view(), name="api-coalitions-work-plan"),
    path("coalitions/<id:pk>/threads/", ThreadListApi.as_view(), name="api-coalitions-threads"),
    path("coalitions/<id:pk>/threads/<id:thread>/", ThreadDetailApi.as_view(), name="api-coalitions-thread"),
    path("coalitions/<id:pk>/scorecard/", ScorecardApi.as_view(), name="api-coalitions-scorecard"),
    path("needs/<id:pk>/", NeedDetailApi.as_view(), name="api-needs-detail"),
    path("meetings/", MeetingListApi.as_view(), name="api-meetings-list"),
    path("meetings/<id:pk>/", MeetingDetailApi.as_view(), name="api-meetings-detail"),
    path("meetings/<id:pk>/agenda/", AgendaApi.as_view(), name="api-meetings-agenda"),
    path("meetings/<id:pk>/replies/", RepliesApi.as_view(), name="api-meetings-replies"),
    path("meetings/<id:pk>/key-points/", KeyPointsApi.as_view(), name="api-meetings-key-points"),
    path("meetings/<id:pk>/notes/", NotesApi.as_view(), name="api-meetings-notes"),
    path("meetings/<id:pk>/meeting.ics", MeetingIcsApi.as_view(), name="api-meetings-ics"),
    path("obstacles/", ObstacleListApi.as_view(), name="api-obstacles-list"),
    path("donors/", DonorProfileListApi.as_view(), name="api-donors-list"),
    path(
        "consultations/campaigns/<id:pk>/synthesis/",
        CampaignSynthesisApi.as_view(),
        name="api-consultations-synthesis",
    ),
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
    path("actions/", ActionListApi.as_view(), name="api-actions-list"),
    path("actions/<id:pk>/", ActionDetailApi.as_view(), name="api-actions-detail"),
    path("consultations/sets/", QuestionSetListApi.as_view(), name="api-consultations-sets"),
    path(
        "consultations/sets/<slug:slug>/versions/<id:number>/",
        QuestionSetVersionApi.as_view(),
        name="api-consultations-version",
    ),
    path("consultations/campaigns/", CampaignListApi.as_view(), name="api-consultations-campaigns"),
    path("consultations/campaigns/<id:pk>/", CampaignDetailApi.as_view(), name="api-consultations-campaign"),
    path(
        "consultations/campaigns/<id:pk>/answers/",
        CampaignAnswerListApi.as_view(),
        name="api-consultations-answers",
    ),
    path(
        "consultations/campaigns/<id:pk>/answers/<slug:org>/",
        OrganisationAnswerApi.as_view(),
        name="api-consultations-answer",
    ),
    path(
        "consultations/campaigns/<id:pk>/answers/<slug:org>/submit/",
        OrganisationAnswerSubmitApi.as_view(),
        name="api-consultations-answer-submit",
    ),
    path(
        "consultations/campaigns/<id:pk>/workbook/",
        CampaignWorkbookApi.as_view(),
        name="api-consultations-workbook",
    ),
    path(
        "consultations/sets/<slug:slug>/versions/<id:number>/xlsform/",
        QuestionSetXlsformApi.as_view(),
        name="api-consultations-xlsform",
    ),
]

# Meeting summaries and briefing packs (meet-publish)
from ccm.meetings import api_publish as meeting_publish  # noqa: E402

urlpatterns += [
    path("meetings/summaries/", meeting_publish.SummaryListApi.as_view(), name="api-meeting-summaries"),
    path("meetings/<id:pk>/summary/", meeting_publish.SummaryDetailApi.as_view(), name="api-meeting-summary"),
    path(
        "meetings/<id:pk>/summary/submit/",
        meeting_publish.SummarySubmitApi.as_view(),
        name="api-meeting-summary-submit",
    ),
    path(
        "meetings/<id:pk>/summary/waive/", meeting_publish.SummaryWaiveApi.as_view(), name="api-meeting-summary-waive"
    ),
    path(
        "meetings/<id:pk>/summary/publish/",
        meeting_publish.SummaryPublishApi.as_view(),
        name="api-meeting-summary-publish",
    ),
    path("meetings/<id:pk>/pack/", meeting_publish.PackApi.as_view(), name="api-meeting-pack"),
    path(
        "meetings/<id:pk>/pack.pdf",
        meeting_publish.PackPdfApi.as_view(),
        {"fmt": "pdf"},
        name="api-meeting-pack-pdf",
    ),
    path(
        "meetings/<id:pk>/pack.docx",
        meeting_publish.PackDocxApi.as_view(),
        {"fmt": "docx"},
        name="api-meeting-pack-docx",
    ),
]

urlpatterns += [
    path("coordination/forecasts/", coordination.ForecastListApi.as_view(), name="api-coordination-forecasts"),
    path("coordination/attention/", coordination.AttentionListApi.as_view(), name="api-coordination-attention"),
    path(
        "coordination/needs/<id:pk>/donors/",
        coordination.NeedDonorListApi.as_view(),
        name="api-coordination-need-donors",
    ),
    path("coordination/allocations/", coordination.AllocationListApi.as_view(), name="api-coordination-allocations"),
    path(
        "coordination/allocations/<id:pk>/",
        coordination.AllocationDetailApi.as_view(),
        name="api-coordination-allocation",
    ),
    # Article 7 drafts (art7draft)
    path("transparency/drafts/<iso3:iso3>/<year:year>/", ReportDraftApi.as_view(), name="api-transparency-draft"),
]

# Site search (search)
from ccm.library.search_api import SearchApi  # noqa: E402

urlpatterns += [path("search/", SearchApi.as_view(), name="api-search")]

# Victim assistance (Article 5): profiles, and a State's years (protected for the public; POST by its editors)
from ccm.victims import api as victims  # noqa: E402

urlpatterns += [
    path("victims/", victims.ProfileListApi.as_view(), name="api-victims-profiles"),
    path("victims/<iso3:iso3>/years/", victims.YearListApi.as_view(), name="api-victims-years"),
]

# library: practices and offers (issue 18)
urlpatterns += [
    path("library/practices/", library.PracticeListApi.as_view(), name="api-library-practices"),
    path("library/practices/<id:pk>/", library.PracticeDetailApi.as_view(), name="api-library-practice"),
    path("library/offers/", library.OfferListApi.as_view(), name="api-library-offers"),
    path("library/offers/<id:pk>/", library.OfferDetailApi.as_view(), name="api-library-offer"),
]

# Article 7 reporting status (ccm/transparency)
from ccm.transparency import api as transparency  # noqa: E402

urlpatterns += [
    path("transparency/reports/", transparency.ReportStatusListApi.as_view(), name="api-transparency-reports"),
    path("transparency/rates/", transparency.YearRateListApi.as_view(), name="api-transparency-rates"),
    re_path(
        r"^transparency/states/(?P<iso3>[A-Za-z]{3})/$",
        transparency.StateReportListApi.as_view(),
        name="api-transparency-state",
    ),
]
