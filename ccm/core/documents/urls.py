from django.urls import path

from ccm.core.documents import views

app_name = "documents"

urlpatterns = [
    path("attach/<str:parent_type>/<int:parent_id>/", views.attach, name="attach"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/<str:name>", views.download, name="download"),
]
