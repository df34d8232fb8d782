from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "ccm.transparency"
    verbose_name = _("Transparency reports (Article 7)")

    def ready(self) -> None:
        from ccm.core.imports import register
        from ccm.transparency import audit_actions, demo, worklist  # noqa: F401 - audit actions, demo data, worklist
        from ccm.transparency.imports import ReportsImport

        register(ReportsImport())
