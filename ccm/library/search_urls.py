from django.urls import path

from ccm.library import search_views

app_name = "search"

urlpatterns = [
    path("", search_views.search_page, name="page"),
]
