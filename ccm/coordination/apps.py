from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "ccm.coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from ccm.coordination import (  # noqa: F401 - register audit actions, the forecast job, demo data, worklist
            audit_actions,
            demo,
            tasks,
            worklist,
        )
