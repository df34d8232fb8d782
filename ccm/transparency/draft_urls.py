"""Routes of the Article 7 draft (included under ``transparency/drafts/``)."""

from django.urls import path

import ccm.core.converters  # noqa: F401 - registers the iso3 and year converters
from ccm.transparency import draft_views

app_name = "transparency_drafts"

urlpatterns = [
    path("<iso3:iso3>/", draft_views.chooser, name="chooser"),
    path("<iso3:iso3>/<year:year>/", draft_views.draft_page, name="draft"),
    path("<iso3:iso3>/<year:year>/draft.docx", draft_views.draft_download, {"fmt": "docx"}, name="docx"),
    path("<iso3:iso3>/<year:year>/draft.xlsx", draft_views.draft_download, {"fmt": "xlsx"}, name="xlsx"),
]
