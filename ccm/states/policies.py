"""Who sees and writes for a State.

Every State is public. Its workspace — drafts, imports and the forms that write for it — is seen by
its government (the members of its State-government organisations) and by coordinators; the
government's editors and managers write for it ("change"), its managers publish and approve
("manage"). The State's own record (names, dates) is kept by administrators, through the admin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet

from ccm.core.policies import Action, Permission, Policy, is_coordinator, state_ids
from ccm.states.models import State

WORKSPACE = "workspace"  # see what the platform holds for the State beyond what is public


class StatePolicy(Policy[State]):
    model = State
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        WORKSPACE: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        Action.MANAGE: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[State]:
        if action == Action.VIEW or (action == WORKSPACE and is_coordinator(user)):
            return State.objects.all()
        return State.objects.filter(pk__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: State) -> bool:
        if action == Action.VIEW or (action == WORKSPACE and is_coordinator(user)):
            return True
        return obj.pk in state_ids(user, self.roles_for(action))


states = StatePolicy()
