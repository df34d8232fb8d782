"""Audit actions of coordination; who may see its objects. Confidential fields are declared on the models."""

from django.utils.translation import gettext_lazy as _

from ccm.coordination import policies
from ccm.coordination.models import AllocationLine, AllocationRun, AttentionWeights, ForecastRun
from ccm.core.audit import AuditAction, register_actions, register_model

register_actions(
    AuditAction("attention_weights.create", _("Attention-gap weights: saved")),
    AuditAction("forecast_run.create", _("Completion forecast: requested")),
    AuditAction("forecast_run.finish", _("Completion forecast: computed")),
    AuditAction("allocation_run.create", _("Allocation run: saved")),
    AuditAction("allocation_run.share", _("Allocation run: shared with its donors")),
    AuditAction("allocation_line.pledge", _("Allocation line: turned into a pledge")),
)

register_model(AttentionWeights, policy=policies.weights)
register_model(ForecastRun, policy=policies.forecast_runs)
register_model(AllocationRun, policy=policies.runs)
register_model(AllocationLine, policy=policies.lines)
