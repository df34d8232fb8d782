from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "ccm.needs"
    verbose_name = _("Needs, obstacles, donor profiles and responses")

    def ready(self) -> None:
        from ccm.core.imports import register
        from ccm.needs import (
            documents,  # noqa: F401 - needs and responses take attachments
            tasks,  # noqa: F401 - registers the needs' background and periodic jobs
            template_filters,  # noqa: F401 - adds pillar_label to the ccm template library
            worklist,  # noqa: F401 - registers what waits for States, donors and coordinators
        )
        from ccm.needs.imports import NeedsImport

        register(NeedsImport())
