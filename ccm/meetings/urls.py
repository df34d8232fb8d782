from ccm.meetings import urls_publish

app_name = "meetings"

urlpatterns: list = []
urlpatterns += urls_publish.urlpatterns  # the summary and the briefing packs (meet-publish)
