from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "ccm.needs"
    verbose_name = _("Needs, obstacles, donor profiles and responses")

    def ready(self) -> None:
        from ccm.needs import tasks  # noqa: F401 - registers the needs' background and periodic jobs
