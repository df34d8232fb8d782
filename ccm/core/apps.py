from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ccm.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ccm.core import audit, checks  # noqa: F401 - checks registers the system checks
        from ccm.core.documents import checks as document_checks  # noqa: F401

        audit.autodiscover()  # each app's audit_actions module declares its actions and models
