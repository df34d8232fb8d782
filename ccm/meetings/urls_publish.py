"""Page routes of the summary and the briefing packs (added to ``ccm.meetings.urls``)."""

from django.urls import path

from ccm.meetings import views_pack, views_summary

urlpatterns = [
    path("meetings/summaries/", views_summary.summary_index, name="summary-index"),
    path("meetings/<id:pk>/summary/", views_summary.summary_page, name="summary"),
    path("meetings/<id:pk>/summary.pdf", views_summary.summary_pdf, name="summary-pdf"),
    path("meetings/<id:pk>/summary/edit/", views_summary.summary_edit, name="summary-edit"),
    path("meetings/<id:pk>/summary/review/", views_summary.summary_review, name="summary-review"),
    path("meetings/<id:pk>/summary/submit/", views_summary.summary_submit, name="summary-submit"),
    path("meetings/<id:pk>/summary/waive/", views_summary.summary_waive, name="summary-waive"),
    path("meetings/<id:pk>/summary/publish/", views_summary.summary_publish, name="summary-publish"),
    path("meetings/<id:pk>/pack/", views_pack.pack_page, name="pack"),
    path("meetings/<id:pk>/pack.pdf", views_pack.pack_download, {"fmt": "pdf"}, name="pack-pdf"),
    path("meetings/<id:pk>/pack.docx", views_pack.pack_download, {"fmt": "docx"}, name="pack-docx"),
]
