from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "ccm.transparency"
    verbose_name = _("Transparency reports (Article 7)")
