from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ccm.accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from ccm.accounts import tasks  # noqa: F401 - registers the accounts' background jobs
