from django.urls import path

from ccm.meetings import follow_up, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/", views.meeting_new, name="new"),
    path("meetings/<id:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<id:pk>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<id:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("meetings/<id:pk>/reply/", views.reply, name="reply"),
    path("meetings/<id:pk>/manage/", views.manage, name="manage"),
    path("meetings/<id:pk>/agenda/", views.agenda, name="agenda"),
    path("meetings/<id:pk>/key-points/", views.key_points, name="key-points"),
    path("meetings/<id:pk>/notes/", views.notes, name="notes"),
    path("meetings/<id:pk>/actions/", follow_up.create, name="actions"),
]

from ccm.meetings import urls_publish  # noqa: E402

urlpatterns += urls_publish.urlpatterns  # the summary and the briefing packs (meet-publish)
