"""Audit actions of the States registry: rows brought in line with the reference data."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions

register_actions(
    AuditAction("source.load_reference", _("Source: loaded from the reference data")),
    AuditAction("state.load_reference", _("State: loaded from the reference data")),
    AuditAction("obligation.load_reference", _("Obligation: loaded from the reference data")),
    AuditAction("extension_request.load_reference", _("Extension request: loaded from the reference data")),
)
