from django.urls import path

import ccm.core.converters  # noqa: F401 - registers the iso3 and ref converters
from ccm.funding import explorer_views, views

app_name = "funding"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("coverage.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("coverage.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("explorer/", explorer_views.explorer_page, name="explorer"),
    path("explorer/flows.csv", explorer_views.explorer_export, {"fmt": "csv"}, name="explorer-csv"),
    path("explorer/flows.xlsx", explorer_views.explorer_export, {"fmt": "xlsx"}, name="explorer-xlsx"),
    path("states/<iso3:iso3>/", views.state_funding, name="state"),
    path("donors/<ref:ref>/", views.donor_portfolio, name="donor"),
    path("flows/new/", views.flow_new, name="flow-new"),
    path("rates/", views.rates_page, name="rates"),
    path("flows/<id:pk>/follow/", views.flow_follow, name="flow-follow"),
    path("needs/<id:pk>/", views.need_funding, name="need"),
    path("flows/import/", views.flows_import_new, name="flows-import-new"),
    path("flows/import/<id:pk>/", views.flows_import_preview, name="flows-import"),
    path("iati/", views.iati_upload, name="iati"),
    path("iati/jobs/<id:pk>/", views.iati_job, name="iati-job"),
    path("iati/jobs/<id:pk>/report.json", views.iati_report_json, name="iati-report-json"),
]
