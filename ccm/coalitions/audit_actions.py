"""Audit actions of coalitions; who may see their objects. Confidential fields are declared on the models."""

from django.utils.translation import gettext_lazy as _

from ccm.coalitions import policies
from ccm.coalitions.models import (
    Coalition,
    ExpressionOfInterest,
    FieldVisit,
    Member,
    Message,
    Milestone,
    Review,
    Thread,
)
from ccm.core.audit import AuditAction, register_actions, register_model

register_actions(
    AuditAction("coalition_interest.create", _("Expression of interest in a coalition: recorded")),
    AuditAction("coalition.propose", _("Coalition: proposed")),
    AuditAction("coalition.update", _("Coalition: terms changed")),
    AuditAction("coalition.activate", _("Coalition: activated")),
    AuditAction("coalition.conclude", _("Coalition: concluded")),
    AuditAction("coalition.objective_add", _("Coalition: objective added")),
    AuditAction("coalition_member.invite", _("Coalition member: invited")),
    AuditAction("coalition_member.accept", _("Coalition member: accepted")),
    AuditAction("coalition_member.decline", _("Coalition member: declined")),
    AuditAction("coalition_member.leave", _("Coalition member: left")),
    AuditAction("coalition_member.naming", _("Coalition member: public naming changed")),
    AuditAction("coalition_milestone.create", _("Coalition milestone: added")),
    AuditAction("coalition_milestone.reach", _("Coalition milestone: reached")),
    AuditAction("coalition_thread.create", _("Coalition thread: started")),
    AuditAction("coalition_message.create", _("Coalition message: posted")),
    AuditAction("coalition_visit.create", _("Coalition field visit: recorded")),
    AuditAction("coalition_review.create", _("Coalition review: held")),
    AuditAction("coalition_rating.create", _("Coalition rating: given")),
    AuditAction("coalition_action.create", _("Coalition work plan: action added")),
    AuditAction("coalition_notice.update", _("Coalition e-mail preference: changed")),
)

register_model(Coalition, policy=policies.coalitions)
register_model(Member, policy=policies.members)
register_model(Milestone, policy=policies.milestones)
register_model(Thread, policy=policies.threads)
register_model(Message, policy=policies.messages)
register_model(FieldVisit, policy=policies.visits)
register_model(Review, policy=policies.reviews)
register_model(ExpressionOfInterest, policy=policies.interests)
