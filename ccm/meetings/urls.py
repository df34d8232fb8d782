from django.urls import path

from ccm.meetings import follow_up, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/", views.meeting_new, name="new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("meetings/<int:pk>/reply/", views.reply, name="reply"),
    path("meetings/<int:pk>/manage/", views.manage, name="manage"),
    path("meetings/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("meetings/<int:pk>/key-points/", views.key_points, name="key-points"),
    path("meetings/<int:pk>/notes/", views.notes, name="notes"),
    path("meetings/<int:pk>/actions/", follow_up.create, name="actions"),
]

from ccm.meetings import urls_publish  # noqa: E402

urlpatterns += urls_publish.urlpatterns  # the summary and the briefing packs (meet-publish)
