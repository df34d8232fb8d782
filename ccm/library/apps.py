from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "ccm.library"
    verbose_name = _("Practices, offers and search")
