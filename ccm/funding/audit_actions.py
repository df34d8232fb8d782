"""Audit actions of the funding ledger, exchange rates and the flows and IATI imports; who may see a
flow. Confidential fields are declared on the models."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.funding import policies
from ccm.funding.models import FundingFlow

register_actions(
    AuditAction("funding_flow.create", _("Funding flow: recorded")),
    AuditAction("funding_flow.reconvert", _("Funding flow: converted again with newer rates")),
    AuditAction("exchange_rate.load", _("Exchange rates: loaded")),
    AuditAction("iati_import.apply", _("IATI file: imported")),
    AuditAction("flows_import.check", _("Flows spreadsheet: checked")),
    AuditAction("flows_import.apply", _("Flows spreadsheet: applied")),
)

register_model(FundingFlow, policy=policies.flows)
