from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "ccm.actions"
    verbose_name = _("Follow-up actions")

    def ready(self) -> None:
        from ccm.actions import (
            tasks,  # noqa: F401 - registers the daily reminders
            worklist,  # noqa: F401 - registers "follow-up actions your organisation owns"
        )
