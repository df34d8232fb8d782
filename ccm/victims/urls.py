from django.urls import path

import ccm.core.converters  # noqa: F401 - registers the iso3 and year converters
from ccm.victims import views

app_name = "victims"

urlpatterns = [
    path("", views.state_list, name="list"),
    path("<iso3:iso3>/", views.state_detail, name="detail"),
    path("<iso3:iso3>/profile/", views.profile_edit, name="profile-edit"),
    path("<iso3:iso3>/years/new/", views.year_edit, name="year-new"),
    path("<iso3:iso3>/years/<year:year>/", views.year_edit, name="year-edit"),
    path("<iso3:iso3>/years/<year:year>/delete/", views.year_delete, name="year-delete"),
    path("<iso3:iso3>/figures.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("<iso3:iso3>/figures.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
]
