"""Audit actions of follow-up actions; who may see them (whoever sees their source)."""

from django.utils.translation import gettext_lazy as _

from ccm.actions import policies
from ccm.actions.models import Action
from ccm.core.audit import AuditAction, register_actions, register_model

register_actions(
    AuditAction("action.create", _("Follow-up action: created")),
    AuditAction("action.update", _("Follow-up action: changed")),
)

register_model(Action, policy=policies.actions)
