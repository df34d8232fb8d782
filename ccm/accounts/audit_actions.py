"""Audit actions of accounts, organisations, memberships, invitations, API tokens and second factors."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.core.audit import AuditAction, register_actions, register_model

register_actions(
    AuditAction("organisation.create", _("Organisation: created")),
    AuditAction("user.create", _("User: created")),
    AuditAction("user.update_profile", _("User: profile changed")),
    AuditAction("user.set_platform_role", _("User: platform role changed")),
    AuditAction("user.set_password", _("User: password set")),
    AuditAction("user.enable_second_factor", _("User: second factor enabled")),
    AuditAction("membership.add", _("Membership: added")),
    AuditAction("membership.change_role", _("Membership: role changed")),
    AuditAction("membership.remove", _("Membership: removed")),
    AuditAction("invitation.create", _("Invitation: sent")),
    AuditAction("invitation.accept", _("Invitation: accepted")),
    AuditAction("invitation.revoke", _("Invitation: revoked")),
    AuditAction("api_token.create", _("API token: created")),
    AuditAction("api_token.revoke", _("API token: revoked")),
)

# The TOTP secret would otherwise be copied into the trail when the device is edited in the admin.
register_model(TOTPDevice, confidential={"key": "changed"})
