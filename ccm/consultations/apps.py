from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "ccm.consultations"
    verbose_name = _("Consultations: question sets, campaigns, answers and their synthesis")

    def ready(self) -> None:
        from ccm.consultations import (  # noqa: F401 - registers attachments, jobs and worklist groups
            documents,
            tasks,
            worklist,
        )
