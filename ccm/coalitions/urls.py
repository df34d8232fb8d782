from django.urls import path

from ccm.coalitions import views

app_name = "coalitions"

urlpatterns = [
    path("", views.coalition_list, name="list"),
    path("new/", views.coalition_new, name="new"),
    path("interests/", views.interests, name="interests"),
    path("preferences/", views.preferences, name="preferences"),
    path("<id:pk>/", views.coalition_detail, name="detail"),
    path("<id:pk>/terms/", views.coalition_terms, name="terms"),
    path("<id:pk>/status/", views.coalition_status, name="status"),
    path("<id:pk>/members/", views.member_invite, name="invite"),
    path("<id:pk>/members/<id:member>/answer/", views.member_answer, name="answer"),
    path("<id:pk>/objectives/", views.objective_add, name="objective-add"),
    path("<id:pk>/milestones/", views.milestone_add, name="milestone-add"),
    path("<id:pk>/milestones/<id:milestone>/reached/", views.milestone_reach, name="milestone-reach"),
    path("<id:pk>/actions/", views.action_add, name="action-add"),
    path("<id:pk>/actions/<id:action>/", views.action_detail, name="action"),
    path("<id:pk>/visits/", views.visit_add, name="visit-add"),
    path("<id:pk>/reviews/", views.review_add, name="review-add"),
    path("<id:pk>/threads/", views.thread_new, name="thread-new"),
    path("<id:pk>/threads/<id:thread>/", views.thread_detail, name="thread"),
    path("<id:pk>/pack.pdf", views.coalition_pack, {"fmt": "pdf"}, name="pack-pdf"),
    path("<id:pk>/pack.docx", views.coalition_pack, {"fmt": "docx"}, name="pack-docx"),
]
