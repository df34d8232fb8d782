from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionsConfig(AppConfig):
    name = "ccm.coalitions"
    verbose_name = _("Country coalitions")

    def ready(self) -> None:
        from ccm.coalitions import (  # noqa: F401 - register audit actions, documents, mail jobs, demo data
            audit_actions,
            demo,
            registrations,
            tasks,
            worklist,
        )
