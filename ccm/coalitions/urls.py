from django.urls import path

from ccm.coalitions import views

app_name = "coalitions"

urlpatterns = [
    path("", views.coalition_list, name="list"),
    path("new/", views.coalition_new, name="new"),
    path("interests/", views.interests, name="interests"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/", views.coalition_detail, name="detail"),
    path("<int:pk>/terms/", views.coalition_terms, name="terms"),
    path("<int:pk>/status/", views.coalition_status, name="status"),
    path("<int:pk>/members/", views.member_invite, name="invite"),
    path("<int:pk>/members/<int:member>/answer/", views.member_answer, name="answer"),
    path("<int:pk>/objectives/", views.objective_add, name="objective-add"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone-add"),
    path("<int:pk>/milestones/<int:milestone>/reached/", views.milestone_reach, name="milestone-reach"),
    path("<int:pk>/actions/", views.action_add, name="action-add"),
    path("<int:pk>/actions/<int:action>/", views.action_detail, name="action"),
    path("<int:pk>/visits/", views.visit_add, name="visit-add"),
    path("<int:pk>/reviews/", views.review_add, name="review-add"),
    path("<int:pk>/threads/", views.thread_new, name="thread-new"),
    path("<int:pk>/threads/<int:thread>/", views.thread_detail, name="thread"),
    path("<int:pk>/pack.pdf", views.coalition_pack, {"fmt": "pdf"}, name="pack-pdf"),
    path("<int:pk>/pack.docx", views.coalition_pack, {"fmt": "docx"}, name="pack-docx"),
]
