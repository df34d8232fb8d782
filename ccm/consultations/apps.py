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
        from ccm.consultations.fieldtools import FieldToolImport
        from ccm.consultations.imports import AnswerWorkbookImport
        from ccm.core.imports import register

        register(AnswerWorkbookImport())  # the answering workbook, filled in offline
        register(FieldToolImport())  # an ODK or KoboToolbox export of an answer
