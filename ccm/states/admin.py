from django.contrib import admin

from ccm.core.admin_audit import AuditedModelAdmin
from ccm.states.models import ExtensionRequest, Obligation, Source, State


@admin.register(Source)
class SourceAdmin(AuditedModelAdmin):
    list_display = ["key", "citation", "as_of"]
    search_fields = ["key", "citation", "url"]


class ObligationInline(admin.TabularInline):
    model = Obligation
    extra = 0
    fields = ["kind", "original_deadline", "completed", "completed_on", "confidence", "source"]
    autocomplete_fields = ["source"]


@admin.register(State)
class StateAdmin(AuditedModelAdmin):
    list_display = ["name", "iso3", "is_state", "region", "ccm_status", "entry_into_force"]
    list_filter = ["is_state", "ccm_status", "region"]
    search_fields = ["name", "iso3", "iso2"]
    autocomplete_fields = ["treaty_source"]
    inlines = [ObligationInline]


class ExtensionInline(admin.TabularInline):
    model = ExtensionRequest
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(Obligation)
class ObligationAdmin(AuditedModelAdmin):
    list_display = ["state", "kind", "original_deadline", "completed", "completed_on"]
    list_filter = ["kind", "completed"]
    search_fields = ["state__name", "state__iso3"]
    autocomplete_fields = ["state", "source", "completion_source"]
    inlines = [ExtensionInline]
