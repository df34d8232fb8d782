"""Audit actions of core's own objects (documents, imports, background tasks); who may see them."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.core.documents.policies import documents
from ccm.core.documents.services import ATTACH, WITHDRAW
from ccm.core.imports import imports
from ccm.core.models import Document, SpreadsheetImport
from ccm.core.tasks import TASK_FAILED

register_actions(
    AuditAction(ATTACH, _("Document: attached")),
    AuditAction(WITHDRAW, _("Document: withdrawn")),
    AuditAction(TASK_FAILED, _("Background task: failed")),
)

register_model(Document, policy=documents)
register_model(SpreadsheetImport, policy=imports)
