"""Audit actions of consultations (question sets, campaigns, answers); who may see their objects.
Confidential fields are declared on the models: the audit trail never holds what an organisation said."""

from django.utils.translation import gettext_lazy as _

from ccm.consultations import policies
from ccm.consultations.models import Answer, Campaign, QuestionSet, QuestionSetVersion
from ccm.core.audit import AuditAction, register_actions, register_model

register_actions(
    AuditAction("question_set.create", _("Question set: created")),
    AuditAction("question_set.update", _("Question set: changed")),
    AuditAction("question_set.publish", _("Question set: version published")),
    AuditAction("question_set.new_draft", _("Question set: new draft started")),
    AuditAction("question.create", _("Question: added")),
    AuditAction("question.update", _("Question: changed")),
    AuditAction("question.move", _("Question: moved")),
    AuditAction("question.delete", _("Question: removed")),
    AuditAction("campaign.create", _("Consultation campaign: created")),
    AuditAction("campaign.update", _("Consultation campaign: changed")),
    AuditAction("campaign.send", _("Consultation campaign: sent")),
    AuditAction("answer.save", _("Consultation answer: draft saved")),
    AuditAction("answer.submit", _("Consultation answer: submitted")),
)

register_model(QuestionSet, policy=policies.question_sets)
register_model(QuestionSetVersion, policy=policies.versions)
register_model(Campaign, policy=policies.campaigns)
register_model(Answer, policy=policies.answers)
