"""The Django admin of needs: needs, obstacles, responses and donor profiles (changes are audited).

The pages and the API are where people work; the admin is for administrators who must correct a record
by hand. Dates set by the workflow (published, withdrawn, met) are read-only here: they change through
the services, which notify and audit the step.
"""

from django.contrib import admin

from ccm.core.admin_audit import AuditedModelAdmin
from ccm.needs.models import DonorProfile, Need, Obstacle, Response


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    fields = ["organisation", "kind", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True


@admin.register(Need)
class NeedAdmin(AuditedModelAdmin):
    list_display = ["title", "state", "pillar", "priority", "amount", "currency", "visibility", "published_at"]
    list_filter = ["pillar", "priority", "visibility", "illustrative"]
    search_fields = ["title", "state__name", "state__iso3"]
    list_select_related = ["state"]
    autocomplete_fields = ["obstacles", "chosen_donors"]
    raw_id_fields = ["obligation"]
    readonly_fields = ["published_at", "withdrawn_at", "met_at", "created_by", "created_at", "updated_at"]
    inlines = [ResponseInline]


@admin.register(Obstacle)
class ObstacleAdmin(AuditedModelAdmin):
    list_display = ["__str__", "state", "category", "severity", "visibility"]
    list_filter = ["category", "severity", "visibility"]
    search_fields = ["statement", "state__name", "state__iso3"]
    list_select_related = ["state"]
    raw_id_fields = ["obligation"]
    readonly_fields = ["created_by"]


@admin.register(Response)
class ResponseAdmin(AuditedModelAdmin):
    list_display = ["need", "organisation", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["need__title", "organisation__name"]
    list_select_related = ["need__state", "organisation"]
    raw_id_fields = ["need", "author"]
    readonly_fields = ["created_at"]


@admin.register(DonorProfile)
class DonorProfileAdmin(AuditedModelAdmin):
    list_display = ["organisation", "currency", "grant_min", "grant_max", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["priority_states"]
