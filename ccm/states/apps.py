from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatesConfig(AppConfig):
    name = "ccm.states"
    verbose_name = _("States and treaty obligations")

    def ready(self) -> None:
        from ccm.states import (
            template_filters,  # noqa: F401 - adds status_label to the ccm template library
            worklist,  # noqa: F401 - registers the deadlines with the worklist
        )
