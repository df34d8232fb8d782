from django.urls import path

import ccm.core.converters  # noqa: F401 - registers the iso3, year and kind converters
from ccm.reporting import views

app_name = "reporting"

urlpatterns = [
    path("<iso3:iso3>/progress/new/", views.progress_edit, name="progress-new"),
    path("<iso3:iso3>/progress/<year:year>/", views.progress_detail, name="progress"),
    path("<iso3:iso3>/progress/<year:year>/edit/", views.progress_edit, name="progress-edit"),
    path("<iso3:iso3>/progress/<year:year>/status/", views.progress_status, name="progress-status"),
    path("<iso3:iso3>/baseline/new/", views.baseline_add, name="baseline-new"),
    path("<iso3:iso3>/plans/<kind:kind>/", views.plan_detail, name="plan"),
    path("<iso3:iso3>/plans/<kind:kind>/edit/", views.plan_edit, name="plan-edit"),
    path("<iso3:iso3>/plans/<id:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<iso3:iso3>/workbook.xlsx", views.spreadsheet_template, name="workbook"),
    path("<iso3:iso3>/imports/new/", views.spreadsheet_upload, name="import-new"),
    path("<iso3:iso3>/imports/<id:pk>/", views.spreadsheet_preview, name="import"),
]
