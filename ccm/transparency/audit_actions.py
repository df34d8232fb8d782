"""Audit actions of transparency reporting (Article 7); who may see its objects."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.transparency import policies
from ccm.transparency.models import TransparencyReport

register_actions(
    AuditAction("transparency_report.record", _("Article 7 report: status recorded")),
    AuditAction("transparency_report.delete", _("Article 7 report: record removed (back to unknown)")),
    AuditAction("transparency_import.check", _("Article 7 reporting file: checked")),
    AuditAction("transparency_import.apply", _("Article 7 reporting file: applied")),
)

register_model(TransparencyReport, policy=policies.reports)
