from django.urls import path

import ccm.core.converters  # noqa: F401 - registers the iso3 converter
from ccm.needs import views

app_name = "needs"

urlpatterns = [
    path("needs/", views.board, name="board"),
    path("needs/export.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("needs/export.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("needs/silence/", views.silence, name="silence"),
    path("needs/notifications/", views.notification_preferences, name="notifications"),
    path("needs/new/<iso3:iso3>/", views.need_new, name="new"),
    path("needs/<id:pk>/", views.need_detail, name="detail"),
    path("needs/<id:pk>/edit/", views.need_edit, name="edit"),
    path("needs/<id:pk>/respond/", views.respond, name="respond"),
    path("needs/<id:pk>/publish/", views.need_action, {"action": "publish"}, name="publish"),
    path("needs/<id:pk>/withdraw/", views.need_action, {"action": "withdraw"}, name="withdraw"),
    path("needs/<id:pk>/met/", views.need_action, {"action": "met"}, name="met"),
    path("obstacles/new/<iso3:iso3>/", views.obstacle_new, name="obstacle-new"),
    path("needs/import/<iso3:iso3>/", views.import_new, name="import-new"),
    path("needs/import/<iso3:iso3>/<id:pk>/", views.import_preview, name="import"),
    path("donors/", views.donors, name="donors"),
    path("donors/<slug:slug>/", views.donor_detail, name="donor"),
    path("donors/<slug:slug>/edit/", views.donor_edit, name="donor-edit"),
]
