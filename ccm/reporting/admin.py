from django.contrib import admin

from ccm.core.admin_audit import AuditedModelAdmin
from ccm.reporting.models import BaselineFigure, CompletionPlan, PlanYear, ProgressReport


@admin.register(BaselineFigure)
class BaselineFigureAdmin(AuditedModelAdmin):
    list_display = [
        "obligation",
        "kind",
        "recorded_on",
        "sha_m2",
        "cha_m2",
        "munitions",
        "submunitions",
        "illustrative",
    ]
    list_filter = ["kind", "illustrative"]


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedModelAdmin):
    list_display = ["state", "year", "status", "land_released_m2", "needs_review", "illustrative"]
    list_filter = ["status", "needs_review", "illustrative"]
    search_fields = ["state__name", "state__iso3"]
    readonly_fields = ["status", "published_at"]


class PlanYearInline(admin.TabularInline):
    model = PlanYear
    extra = 0


@admin.register(CompletionPlan)
class CompletionPlanAdmin(AuditedModelAdmin):
    list_display = ["obligation", "version", "status", "currency", "visibility", "illustrative"]
    list_filter = ["status", "visibility"]
    inlines = [PlanYearInline]
