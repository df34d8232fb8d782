"""Audit actions of core's own objects (documents); who may see them."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.core.documents.policies import documents
from ccm.core.documents.services import ATTACH, WITHDRAW
from ccm.core.models import Document

register_actions(
    AuditAction(ATTACH, _("Document: attached")),
    AuditAction(WITHDRAW, _("Document: withdrawn")),
)

register_model(Document, policy=documents)
