from django.urls import path

import ccm.core.converters  # noqa: F401 - registers the iso3 converter
from ccm.profiles import views

app_name = "profiles"

urlpatterns = [
    path("<iso3:iso3>/profile/", views.profile, name="profile"),
    path("<iso3:iso3>/brief.pdf", views.country_brief, {"fmt": "pdf"}, name="brief-pdf"),
    path("<iso3:iso3>/brief.docx", views.country_brief, {"fmt": "docx"}, name="brief-docx"),
]
