from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ccm.accounts import views as accounts_views
from ccm.core import health

urlpatterns = [
    path("", include("ccm.states.urls")),
    path("states/", include("ccm.reporting.urls")),
    path("states/", include("ccm.profiles.urls")),
    path("", include("ccm.needs.urls")),
    path("", include("ccm.meetings.urls")),
    path("funding/", include("ccm.funding.urls")),
    path("", include("ccm.consultations.synthesis_urls")),
    path("coalitions/", include("ccm.coalitions.urls")),
    path("coordination/", include("ccm.coordination.urls")),
    path("accounts/", include("ccm.accounts.urls")),
    path("me/", include("ccm.core.worklist_urls")),
    path("audit/", include("ccm.core.urls")),
    path("documents/", include("ccm.core.documents.urls")),
    path("tasks/", include("ccm.core.task_urls")),
    path("actions/", include("ccm.actions.urls")),
    path("consultations/", include("ccm.consultations.urls")),
    path("consultations/", include("ccm.consultations.urls_sheets")),
    # Article 7 drafts (art7draft)
    path("transparency/drafts/", include("ccm.transparency.draft_urls")),
    path("search/", include("ccm.library.search_urls")),  # site search (search)
    path("victims/", include("ccm.victims.urls")),  # victim assistance (Article 5)
    path("library/", include("ccm.library.urls")),  # library: practices and offers (issue 18)
    path("transparency/", include("ccm.transparency.urls")),  # Article 7 reporting status
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("api/v1/", include("ccm.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
