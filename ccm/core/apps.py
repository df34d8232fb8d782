from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ccm.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from ccm.core import audit, checks, converters  # noqa: F401 - checks, converters register themselves
        from ccm.core.documents import checks as document_checks  # noqa: F401
        from ccm.core.text import clean_model_text

        # Every text field of the platform's models is cleaned before it is written (ccm.core.text).
        pre_save.connect(clean_model_text, dispatch_uid="ccm.core.text.clean_model_text")
        # The database cache's table (settings.CACHES) is made by every `migrate`, so no extra step is needed.
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="ccm.core.create_cache_table")
        audit.autodiscover()  # each app's audit_actions module declares its actions and models


def _create_cache_table(using: str = "default", **kwargs: object) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
