from django.urls import path

from ccm.core import worklist_views

app_name = "me"

urlpatterns = [
    path("", worklist_views.home, name="home"),
]
