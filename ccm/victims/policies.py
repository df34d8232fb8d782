"""Who sees and writes victim assistance (Article 5).

- Everyone, signed in or not, sees every State's profile and its figures **protected** (small numbers
  shown as "fewer than 5", and what would give them away withheld: ``ccm.analytics.suppression``).
- The State's government (members of its State-government organisations, any role) and the
  coordinators see its figures **exact** (the action ``exact``).
- The State's editors and managers write its profile and its years ("change").

Which of protected or exact a reader gets is decided in one place, ``ccm.victims.selectors.reading``,
which asks ``can(user, EXACT, obj)`` here; pages, the API, the exports and the Country Brief all read
through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet

from ccm.core.policies import Action, Permission, Policy, is_coordinator, state_ids
from ccm.victims.models import VictimAssistanceProfile, VictimAssistanceYear

EXACT = "exact"  # see the exact figures, small numbers included


def may_see_exact(user: Any, state_id: int) -> bool:
    """Whether ``user`` reads the State's figures exact (its government, any role, and coordinators)."""
    return is_coordinator(user) or state_id in state_ids(user)


def may_write(user: Any, state_id: int | None) -> bool:
    """Whether ``user`` writes for the State's victim assistance (its government's editors and managers)."""
    return state_id is not None and state_id in state_ids(user, profiles.roles_for(Action.CHANGE))


class ProfilePolicy(Policy[VictimAssistanceProfile]):
    model = VictimAssistanceProfile
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        EXACT: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[VictimAssistanceProfile]:
        if action == Action.VIEW or (action == EXACT and is_coordinator(user)):
            return VictimAssistanceProfile.objects.all()
        return VictimAssistanceProfile.objects.filter(state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: VictimAssistanceProfile) -> bool:
        """Also answers for a profile not yet written (unsaved), from its State."""
        if action == Action.VIEW:
            return True
        if action == EXACT:
            return may_see_exact(user, obj.state_id)
        return may_write(user, obj.state_id)


class YearPolicy(Policy[VictimAssistanceYear]):
    model = VictimAssistanceYear
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        EXACT: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        Action.DELETE: Permission.CHANGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[VictimAssistanceYear]:
        if action == Action.VIEW or (action == EXACT and is_coordinator(user)):
            return VictimAssistanceYear.objects.all()
        return VictimAssistanceYear.objects.filter(state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: VictimAssistanceYear) -> bool:
        if action == Action.VIEW:
            return True
        if action == EXACT:
            return may_see_exact(user, obj.state_id)
        return may_write(user, obj.state_id)


profiles = ProfilePolicy()
years = YearPolicy()
