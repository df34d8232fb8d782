"""The Django admin of funding: flows, loaded exchange rates and the IATI activities imported (audited).

A flow's amount, currency, value date and the conversion to US dollars are read-only here: the USD
figure is computed by the services from the rate table, and an edit by hand would let the two drift
apart. Correct an amount by recording the flow again through the page, the spreadsheet or IATI.
"""

from django.contrib import admin

from ccm.core.admin_audit import AuditedModelAdmin
from ccm.funding.models import ExchangeRate, FundingFlow, IatiActivity


@admin.register(FundingFlow)
class FundingFlowAdmin(AuditedModelAdmin):
    list_display = ["__str__", "stage", "pillar", "value_date", "usd_amount", "source", "visibility"]
    list_filter = ["stage", "pillar", "source", "visibility"]
    search_fields = ["funder_name", "funder_ref", "recipient_label", "iati_activity"]
    list_select_related = ["funder", "recipient_state"]
    raw_id_fields = ["funder", "recipient_state", "need", "created_by"]
    readonly_fields = [
        "amount",
        "currency",
        "value_date",
        "rate",
        "rate_date",
        "rate_source",
        "usd_amount",
        "rate_problem",
        "source",
        "iati_activity",
        "iati_key",
        "created_at",
    ]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedModelAdmin):
    list_display = ["currency", "on", "kind", "to_usd", "source"]
    list_filter = ["kind", "currency"]
    search_fields = ["currency", "source"]


@admin.register(IatiActivity)
class IatiActivityAdmin(admin.ModelAdmin):
    list_display = ["identifier", "reporting_org", "last_updated", "imported_at"]
    search_fields = ["identifier", "reporting_org"]
    readonly_fields = ["identifier", "last_updated", "content_hash", "reporting_org", "imported_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
