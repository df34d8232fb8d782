from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.accounts import services
from ccm.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from ccm.core import audit
from ccm.core.admin_audit import AuditedModelAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "platform_role", "is_active", "last_login"]
    list_filter = ["platform_role", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "platform_role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """E-mail addresses are kept in lower case; a platform role goes through its service, which
        also sets staff access and revokes the user's API tokens."""
        obj.email = obj.email.strip().lower()
        role = obj.platform_role
        if change:
            obj.platform_role = type(obj)._default_manager.get(pk=obj.pk).platform_role
        super().save_model(request, obj, form, change)
        if role != obj.platform_role or obj.is_staff != (role == "administrator"):
            services.user_set_platform_role(user=obj, platform_role=role, actor=request.user)  # type: ignore[arg-type]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                audit.record(actor=request.user, action="user.set_password", obj=user, extra={"via": "admin"})
        return response


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "state", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["state"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    """Invitations are sent from the organisation page (which makes the secret link)."""

    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Tokens are made by their owners on their tokens page (the only place the key is shown)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# Second-factor devices: the key must never be shown, and every change is audited. Replace the
# admin that django-otp registers with a read-only one (deleting a device resets a lost phone).
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedModelAdmin):
    list_display = ["user", "name", "confirmed", "last_used_at"]
    fields = ["user", "name", "confirmed", "last_used_at"]
    readonly_fields = ["user", "name", "confirmed", "last_used_at"]
    search_fields = ["user__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
