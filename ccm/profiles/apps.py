from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "ccm.profiles"
    verbose_name = _("Country profiles and the Country Brief")
