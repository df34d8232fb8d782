"""Audit actions of baselines, progress reports, completion plans and the progress spreadsheet import;
who may see their objects."""

from django.utils.translation import gettext_lazy as _

from ccm.core.audit import AuditAction, register_actions, register_model
from ccm.reporting import policies
from ccm.reporting.models import CompletionPlan, ProgressReport

register_actions(
    AuditAction("baseline_figure.record_baseline", _("Baseline: recorded")),
    AuditAction("baseline_figure.record_addition", _("Baseline: newly discovered work recorded")),
    AuditAction("progress_report.create", _("Progress report: created")),
    AuditAction("progress_report.update", _("Progress report: figures changed")),
    AuditAction("progress_report.set_status", _("Progress report: status changed")),
    AuditAction("completion_plan.create_version", _("Completion plan: new version")),
    AuditAction("completion_plan.change_visibility", _("Completion plan: audience changed")),
    AuditAction("completion_plan.approve", _("Completion plan: approved")),
    AuditAction("progress_import.check", _("Progress spreadsheet: checked")),
    AuditAction("progress_import.apply", _("Progress spreadsheet: applied")),
)

register_model(ProgressReport, policy=policies.progress_reports)
register_model(CompletionPlan, policy=policies.plans)
