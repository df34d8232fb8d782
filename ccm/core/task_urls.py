from django.urls import path

from ccm.core import task_views

app_name = "tasks"

urlpatterns = [
    path("", task_views.job_list, name="list"),
]
