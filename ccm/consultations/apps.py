from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "ccm.consultations"
    verbose_name = _("Consultations: question sets, campaigns, answers and their synthesis")
