from django.urls import path

from ccm.library import views

app_name = "library"

urlpatterns = [
    path("", views.practice_list, name="practices"),
    path("practices.csv", views.practice_export, {"fmt": "csv"}, name="practices-csv"),
    path("practices.xlsx", views.practice_export, {"fmt": "xlsx"}, name="practices-xlsx"),
    path("practices/new/", views.practice_new, name="practice-new"),
    path("practices/<id:pk>/", views.practice_detail, name="practice"),
    path("practices/<id:pk>/edit/", views.practice_edit, name="practice-edit"),
    path("practices/<id:pk>/delete/", views.practice_delete, name="practice-delete"),
    path("offers/", views.offer_list, name="offers"),
    path("offers.csv", views.offer_export, {"fmt": "csv"}, name="offers-csv"),
    path("offers.xlsx", views.offer_export, {"fmt": "xlsx"}, name="offers-xlsx"),
    path("offers/new/", views.offer_new, name="offer-new"),
    path("offers/<id:pk>/", views.offer_detail, name="offer"),
    path("offers/<id:pk>/edit/", views.offer_edit, name="offer-edit"),
    path("offers/<id:pk>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("offers/<id:pk>/propose/<id:need>/", views.offer_propose, name="offer-propose"),
]
