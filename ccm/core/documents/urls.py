from django.urls import path

from ccm.core.documents import views

app_name = "documents"

urlpatterns = [
    path("attach/<str:parent_type>/<id:parent_id>/", views.attach, name="attach"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<id:pk>/<str:name>", views.download, name="download"),
]
