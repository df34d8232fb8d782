from django.urls import path, re_path

from ccm.states import views

app_name = "states"

urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.state_list, name="list"),
    path("states/export.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("states/export.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/$", views.state_detail, name="detail"),
    path("deadlines/", views.deadlines, name="deadlines"),
]
