"""Audit actions of a meeting's summary, the decisions on its hits and the briefing packs; who may see
their entries (imported by ``ccm.meetings.audit_actions``)."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.meetings import publish_policies
from ccm.meetings.publish_models import BriefingPack, Summary, SummaryHitDecision

register_actions(
    AuditAction("summary.create", _("Meeting summary: written")),
    AuditAction("summary.update", _("Meeting summary: changed")),
    AuditAction("summary.submit", _("Meeting summary: submitted for review")),
    AuditAction("summary.waive_hit", _("Meeting summary: a passage that identifies a participant waived")),
    AuditAction("summary.publish", _("Meeting summary: published")),
    AuditAction("briefing_pack.request", _("Briefing pack: requested")),
)

register_model(Summary, policy=publish_policies.summaries)
register_model(SummaryHitDecision, policy=publish_policies.hit_decisions)
register_model(BriefingPack, policy=publish_policies.packs)
