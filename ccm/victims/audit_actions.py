"""Audit actions of victim assistance; who may see its objects."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.victims import policies
from ccm.victims.models import VictimAssistanceProfile, VictimAssistanceYear

register_actions(
    AuditAction("victim_assistance_profile.create", _("Victim assistance profile: created")),
    AuditAction("victim_assistance_profile.update", _("Victim assistance profile: changed")),
    AuditAction("victim_assistance_year.create", _("Victim assistance year: figures entered")),
    AuditAction("victim_assistance_year.update", _("Victim assistance year: figures changed")),
    AuditAction("victim_assistance_year.delete", _("Victim assistance year: deleted")),
)

register_model(VictimAssistanceProfile, policy=policies.profiles)
register_model(VictimAssistanceYear, policy=policies.years)
