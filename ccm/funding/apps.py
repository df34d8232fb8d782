from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "ccm.funding"
    verbose_name = _("Funding ledger, exchange rates and IATI import")

    def ready(self) -> None:
        from ccm.core.imports import register
        from ccm.core.money import register_rated_currencies
        from ccm.funding import (
            tasks,  # noqa: F401 - registers the funding ledger's background jobs
            worklist,  # noqa: F401 - registers pledges to confirm with the worklist
        )
        from ccm.funding.imports import FlowsImport
        from ccm.funding.rates import rated_currencies

        register(FlowsImport())
        register_rated_currencies(rated_currencies)
