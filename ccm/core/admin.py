from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ccm.core.models import AuditEntry, SpreadsheetImport


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ["timestamp", "actor_label", "action", "object_label"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_label", "action", "request_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SpreadsheetImport)
class SpreadsheetImportAdmin(admin.ModelAdmin):
    list_display = ["kind", "state", "organisation", "original_name", "status", "created_at", "applied_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["errors", "payload", "changes", "result"]
