from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "ccm.victims"
    verbose_name = _("Victim assistance")

    def ready(self) -> None:
        from ccm.victims import audit_actions, demo  # noqa: F401 - register audit actions and demo data
