from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "ccm.meetings"
    verbose_name = _("Meetings: closed meetings, agenda, confidential notes and key points")
