from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "ccm.meetings"
    verbose_name = _("Meetings: closed meetings, agenda, confidential notes and key points")

    def ready(self) -> None:
        from ccm.meetings import (
            follow_up,  # noqa: F401 - registers meetings as a source of follow-up actions
            pack_tasks,  # noqa: F401 - registers the briefing pack's job kind
            tasks,  # noqa: F401 - registers the invitation e-mails
        )
