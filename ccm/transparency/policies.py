"""Who sees and records what about Article 7 reports.

- The status of every State's reports is public (the UN publishes the reports and their dates): everyone,
  signed in or not, sees every record.
- Coordinators and administrators record and change any State's reports, and import them from a CSV file.
- A State's own managers (of its government's organisation) record and change their State's reports too:
  the State knows first when it sent its report. What they record is marked as reported by the State
  (``self_reported``), with its source, until a coordinator changes it. Editors and viewers do not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet

from ccm.core.models import SpreadsheetImport
from ccm.core.policies import Action, Permission, Policy, is_coordinator, state_ids
from ccm.transparency.models import TransparencyReport

IMPORT_KIND = "transparency_reports"


class TransparencyReportPolicy(Policy[TransparencyReport]):
    model = TransparencyReport
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.MANAGE,
        Action.DELETE: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[TransparencyReport]:
        if action == Action.VIEW or is_coordinator(user):
            return TransparencyReport.objects.all()
        return TransparencyReport.objects.filter(state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: TransparencyReport) -> bool:
        if action == Action.VIEW or is_coordinator(user):
            return True
        return obj.state_id in state_ids(user, self.roles_for(action))


def may_record(user: Any, state: Any) -> bool:
    """Whether ``user`` may record a report of ``state`` (a new one, or change one on record)."""
    return is_coordinator(user) or state.pk in state_ids(user, reports.roles_for(Action.CHANGE))


def records_for_others(user: Any) -> bool:
    """Coordinators' records are theirs; anyone else's are marked as reported by the State."""
    return is_coordinator(user)


class TransparencyImportPolicy(Policy[SpreadsheetImport]):
    """Reporting-status files are imported by coordinators (they cover every State): a coordinator sees
    and applies every such import."""

    model = SpreadsheetImport
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.MANAGE, Action.CHANGE: Permission.MANAGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[SpreadsheetImport]:
        if is_coordinator(user):
            return SpreadsheetImport.objects.filter(kind=IMPORT_KIND)
        return SpreadsheetImport.objects.none()

    def allows(self, user: Any, action: str, obj: SpreadsheetImport) -> bool:
        return is_coordinator(user) and obj.kind == IMPORT_KIND


reports = TransparencyReportPolicy()
report_imports = TransparencyImportPolicy()
