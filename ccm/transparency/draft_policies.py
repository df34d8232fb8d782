"""Who may have the platform draft a State's Article 7 report: the members of the State's own government
organisations (any role) and the coordinators. For anyone else the State's draft does not exist (404).

The draft itself holds only what the requesting user may see: the reporting, victim-assistance and funding
policies decide each figure (``ccm.transparency.draft``); this policy decides only who may ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet

from ccm.core.policies import Action, Permission, Policy, is_coordinator, state_ids
from ccm.states.models import State


class ReportDraftPolicy(Policy[State]):
    """The States whose Article 7 draft a user may open ("view": open, preview and download it)."""

    model = State
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW}

    def objects_for(self, user: Any, action: str) -> QuerySet[State]:
        if is_coordinator(user):
            return State.objects.all()
        return State.objects.filter(pk__in=state_ids(user))

    def allows(self, user: Any, action: str, obj: State) -> bool:
        return is_coordinator(user) or obj.pk in state_ids(user)


report_drafts = ReportDraftPolicy()


def may_draft(user: Any, state: State) -> bool:
    """Whether ``user`` may open ``state``'s Article 7 draft (for links on other pages)."""
    return report_drafts.can(user, Action.VIEW, state)
