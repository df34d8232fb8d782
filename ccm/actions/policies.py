"""Who sees and changes follow-up actions.

- An action is seen by whoever may see its source (a meeting, a coalition), through the policy the
  source's app registered (``ccm.actions.sources``). An action whose kind of source is not
  registered is seen by nobody.
- Among those who see it, an action is changed (its status, its completion, a note) by the editors
  and managers of its owner organisation, and by whoever may change its source (a meeting's
  conveners, a coalition's coordinators).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.actions import sources
from ccm.actions.models import Action as FollowUp
from ccm.core.policies import Action, Permission, Policy, is_signed_in, organisation_ids


class ActionPolicy(Policy[FollowUp]):
    model = FollowUp
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[FollowUp]:
        registered = sources.registered()
        if not registered:
            return FollowUp.objects.none()
        visible = FollowUp.objects.filter(sources.source_q(user, registered))
        if action == Action.VIEW:
            return visible
        if not is_signed_in(user):
            return FollowUp.objects.none()
        owners = organisation_ids(user, self.roles_for(action))
        return visible.filter(Q(owner_id__in=owners) | sources.source_q(user, registered, changeable=True))

    def allows(self, user: Any, action: str, obj: FollowUp) -> bool:
        """One query for the source at most: the owner's editors are known from the memberships."""
        if obj.pk is None:
            return False
        source = sources.for_content_type_id(obj.source_type_id)
        if source is None:
            return False
        if not source.visible(user).filter(pk=obj.source_id).exists():
            return False
        if action == Action.VIEW:
            return True
        if not is_signed_in(user):
            return False
        if obj.owner_id in organisation_ids(user, self.roles_for(action)):
            return True
        return source.changeable(user).filter(pk=obj.source_id).exists()


actions = ActionPolicy()
