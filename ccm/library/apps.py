from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "ccm.library"
    verbose_name = _("Practices, offers and search")

    def ready(self) -> None:
        # Site search: entries updated on writes, the daily rebuild, the demo step (search)
        from ccm.library import search_demo, search_signals, search_tasks  # noqa: F401

        search_signals.connect()
