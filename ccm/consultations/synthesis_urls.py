from django.urls import path

from ccm.consultations import synthesis_views as views

app_name = "synthesis"

urlpatterns = [
    path("consultations/campaigns/<id:pk>/synthesis/", views.synthesis_page, name="page"),
    path("consultations/campaigns/<id:pk>/synthesis/themes/", views.auto_tag, name="auto-tag"),
    path("consultations/campaigns/<id:pk>/synthesis/quotes/", views.quotes, name="quotes"),
    path("consultations/campaigns/<id:pk>/synthesis/key-points/", views.key_points, name="key-points"),
    path("consultations/campaigns/<id:pk>/synthesis.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("consultations/campaigns/<id:pk>/synthesis.docx", views.export, {"fmt": "docx"}, name="export-docx"),
    path("consultations/synthesis/answers/<id:item_id>/themes/", views.retag, name="retag"),
    path("consultations/synthesis/answers/<id:item_id>/quote/", views.quote_review, name="quote-review"),
]
