from django.urls import path

import ccm.core.converters  # noqa: F401 - registers the iso3 and id converters
from ccm.transparency import views

app_name = "transparency"

urlpatterns = [
    path("", views.board, name="board"),
    path("overdue/", views.overdue, name="overdue"),
    path("import/", views.import_new, name="import-new"),
    path("import/template.csv", views.import_template, name="import-template"),
    path("import/<id:pk>/", views.import_preview, name="import"),
    path("<iso3:iso3>/", views.state_reports, name="state"),
    path("<iso3:iso3>/record/", views.record, name="record"),
    path("reports/<id:pk>/delete/", views.delete, name="delete"),
]
