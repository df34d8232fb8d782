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
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/move/<str:direction>/", views.question_move, name="question_move"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/send/", campaign_views.campaign_send, name="campaign_send"),
    path("campaigns/<int:pk>/answer/<slug:org>/", campaign_views.answer, name="answer"),
    path("answers/<int:pk>/", campaign_views.answer_detail, name="answer_detail"),
]
