from django.urls import path

from ccm.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("<id:pk>/", views.action_detail, name="detail"),
]
