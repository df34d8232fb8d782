from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "ccm.library"
    verbose_name = _("Practices, offers and search")

    def ready(self) -> None:
        from ccm.library import (  # noqa: F401 - register audit actions, documents, demo data
            audit_actions,
            demo,
            documents,
            panels,
        )

        panels.register()  # suggestions on a need's page (ccm/needs/panels.py)

        # Site search: entries updated on writes, the daily rebuild, the demo step (imported after the
        # library's own demo step, so the demo's index is built last)
        from ccm.library import search_demo, search_signals, search_tasks  # noqa: F401

        search_signals.connect()
