from django.urls import path

from ccm.core import views

app_name = "core"

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
    path("export.csv", views.audit_export, name="audit-export"),
]
