"""Audit actions of needs, obstacles, responses, donor profiles, notification preferences and the needs
import; who may see their objects. Confidential fields are declared on the models."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.needs import policies
from ccm.needs.models import DonorProfile, Need, Obstacle, Response

register_actions(
    AuditAction("obstacle.create", _("Obstacle: recorded")),
    AuditAction("need.create", _("Need: created")),
    AuditAction("need.update", _("Need: changed")),
    AuditAction("need.publish", _("Need: published")),
    AuditAction("need.withdraw", _("Need: withdrawn")),
    AuditAction("need.mark_met", _("Need: marked as met")),
    AuditAction("response.add_interest", _("Response: interest expressed")),
    AuditAction("response.add_question", _("Response: question asked")),
    AuditAction("response.add_offer", _("Response: offer made")),
    AuditAction("response.add_pledge", _("Response: pledge made")),
    AuditAction("response.add_decline", _("Response: declined")),
    AuditAction("response.add_answer", _("Response: answered by the State")),
    AuditAction("donor_profile.create", _("Donor profile: created")),
    AuditAction("donor_profile.update", _("Donor profile: changed")),
    AuditAction("notification_preference.update", _("Notification preferences: changed")),
    AuditAction("needs_import.check", _("Needs spreadsheet: checked")),
    AuditAction("needs_import.apply", _("Needs spreadsheet: applied")),
)

register_model(Need, policy=policies.needs)
register_model(Obstacle, policy=policies.obstacles)
register_model(Response, policy=policies.responses)
register_model(DonorProfile, policy=policies.donor_profiles)
