from django.urls import re_path

from ccm.states.api import StateDetailApi, StateListApi

urlpatterns = [
    re_path(r"^states/$", StateListApi.as_view(), name="api-states-list"),
    re_path(r"^states/(?P<iso3>[A-Za-z]{3})/$", StateDetailApi.as_view(), name="api-states-detail"),
]
