"""Pages for answering offline and for field tools (``ccm.consultations.views_sheets``)."""

from django.urls import path

from ccm.consultations import views_sheets

app_name = "consultation-sheets"

urlpatterns = [
    path("campaigns/<id:pk>/workbook.xlsx", views_sheets.workbook, name="workbook"),
    path("campaigns/<id:pk>/upload/<slug:organisation>/", views_sheets.upload, name="upload"),
    path(
        "campaigns/<id:pk>/upload/<slug:organisation>/<id:import_pk>/",
        views_sheets.import_preview,
        name="import",
    ),
    path("sets/<slug:slug>/v<id:number>/xlsform.xlsx", views_sheets.xlsform_download, name="xlsform"),
]
