from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "ccm.reporting"
    verbose_name = _("Progress reporting and completion plans")

    def ready(self) -> None:
        from ccm.core.imports import register
        from ccm.reporting import (
            template_filters,  # noqa: F401 - adds svg_chart to the ccm template library
            worklist,  # noqa: F401 - registers reports to submit and publish with the worklist
        )
        from ccm.reporting.imports import ProgressWorkbookImport

        register(ProgressWorkbookImport())
