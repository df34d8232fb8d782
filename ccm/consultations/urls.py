from django.urls import path

from ccm.consultations import campaign_views, views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("sets/new/", views.set_new, name="set_new"),
    path("sets/<slug:slug>/", views.set_detail, name="set_detail"),
    path("sets/<slug:slug>/edit/", views.set_edit, name="set_edit"),
    path("sets/<slug:slug>/draft/", views.draft_start, name="draft_start"),
    path("sets/<slug:slug>/publish/", views.set_publish, name="set_publish"),
    path("sets/<slug:slug>/questions/new/", views.question_new, name="question_new"),
    path("questions/<id:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<id:pk>/move/<str:direction>/", views.question_move, name="question_move"),
    path("questions/<id:pk>/delete/", views.question_delete, name="question_delete"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<id:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<id:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<id:pk>/send/", campaign_views.campaign_send, name="campaign_send"),
    path("campaigns/<id:pk>/answer/<slug:org>/", campaign_views.answer, name="answer"),
    path("answers/<id:pk>/", campaign_views.answer_detail, name="answer_detail"),
]
