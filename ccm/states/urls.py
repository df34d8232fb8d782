from django.urls import path, re_path

from ccm.states import views

app_name = "states"

urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.state_list, name="list"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/$", views.state_detail, name="detail"),
    path("deadlines/", views.deadlines, name="deadlines"),
]
