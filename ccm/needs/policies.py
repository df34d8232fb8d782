"""Who sees and does what with needs, obstacles, responses and donor profiles.

- A need in draft: its State's government and the coordinators. Published: by its visibility —
  everyone, signed-in users, or only the chosen donors' members (plus its State and coordinators).
  Withdrawn needs stay visible to whoever saw them, and accept no new responses.
- The State's editors write and publish its needs; its managers too.
- Editors and managers of any other organisation respond (as their organisation).
- A response is seen by whoever sees the need; the editors and managers of the organisation that wrote
  it may change it (attach documents to it).
- Obstacles: public ones by all, the others by the State's government and coordinators.
- Donor profiles: published ones by everyone; edited by the donor organisation's editors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Exists, OuterRef, Q, QuerySet

from ccm.core.policies import (
    Action,
    Permission,
    Policy,
    Visibility,
    is_coordinator,
    is_signed_in,
    memberships,
    organisation_ids,
    roles_with,
    state_ids,
)
from ccm.needs.models import DonorProfile, Need, Obstacle, Response

RESPOND = "respond"
PUBLISH = "publish"
WITHDRAW = "withdraw"
ANSWER = "answer"  # answer a question in the need's thread, in the State's name


def responding_organisation_ids(user: Any, need: Need) -> list[int]:
    """Organisations the user may answer for on this need (editors and managers, not the State's own)."""
    own_state = {need.state_id}
    return [org_id for org_id, state_id in _editor_orgs(user) if state_id not in own_state]


def _editor_orgs(user: Any) -> list[tuple[int, int | None]]:
    roles = roles_with(Permission.CHANGE)
    return [(org, state) for org, role, _kind, state in memberships(user) if role in roles]


class NeedPolicy(Policy[Need]):
    model = Need
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        PUBLISH: Permission.CHANGE,
        WITHDRAW: Permission.CHANGE,
        ANSWER: Permission.CHANGE,
        RESPOND: Permission.CHANGE,  # as an editor or manager of another organisation
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Need]:
        if action == Action.VIEW:
            return self._visible(user)
        if action == RESPOND:
            states = {state_id for _org, state_id in _editor_orgs(user)}
            if not states:
                return Need.objects.none()
            # Any organisation but the need's own State's government: one other is enough.
            other = Q() if None in states or len(states) > 1 else ~Q(state_id__in=states)
            return self._visible(user).filter(other, published_at__isnull=False, withdrawn_at__isnull=True)
        # change, publish, withdraw, answer questions: the State's own editors and managers
        return Need.objects.filter(state_id__in=state_ids(user, self.roles_for(action)))

    def _visible(self, user: Any) -> QuerySet[Need]:
        if is_coordinator(user):
            return Need.objects.all()
        own = Q(state_id__in=state_ids(user))
        published = Q(published_at__isnull=False)
        shared = Q(visibility=Visibility.PUBLIC)
        if is_signed_in(user):
            shared |= Q(visibility=Visibility.PLATFORM)
            chosen = Need.chosen_donors.through.objects.filter(
                need_id=OuterRef("pk"), organisation_id__in=organisation_ids(user)
            )
            shared |= Q(Q(visibility=Visibility.CHOSEN), Exists(chosen))
        # No joins here (Exists instead), so callers can annotate sums without duplicated rows.
        return Need.objects.filter(own | (published & shared))

    def allows(self, user: Any, action: str, obj: Need) -> bool:
        if action in (Action.VIEW, RESPOND):
            return super().allows(user, action, obj)
        return obj.state_id in state_ids(user, self.roles_for(action))


class ObstaclePolicy(Policy[Obstacle]):
    """Public obstacles are seen by all; the others by the State's government and coordinators."""

    model = Obstacle
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Obstacle]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return Obstacle.objects.all()
            return Obstacle.objects.filter(Q(visibility=Visibility.PUBLIC) | Q(state_id__in=state_ids(user)))
        return Obstacle.objects.filter(state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Obstacle) -> bool:
        if action == Action.VIEW:
            return is_coordinator(user) or obj.visibility == Visibility.PUBLIC or obj.state_id in state_ids(user)
        return obj.state_id in state_ids(user, self.roles_for(action))


class ResponsePolicy(Policy[Response]):
    """A response is seen by whoever sees its need. Its text is not changed once sent; "change" is
    attaching documents to it, by the editors and managers of the organisation that wrote it."""

    model = Response
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Response]:
        visible = Response.objects.filter(need__in=needs.visible_to(user))
        if action == Action.VIEW:
            return visible
        return visible.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Response) -> bool:
        """Without a query per response: the organisation first, then whether its need is visible
        (asked once per need and request, so a thread of many responses costs one query)."""
        if action == Action.CHANGE and obj.organisation_id not in organisation_ids(user, self.roles_for(action)):
            return False
        seen: dict[int, bool] = user.__dict__.setdefault("_ccm_visible_need", {}) if is_signed_in(user) else {}
        if obj.need_id not in seen:
            seen[obj.need_id] = needs.visible_to(user).filter(pk=obj.need_id).exists()
        return seen[obj.need_id]


class DonorProfilePolicy(Policy[DonorProfile]):
    """Published profiles are seen by everyone, the others by the donor's members and coordinators;
    the donor organisation's editors and managers change them."""

    model = DonorProfile
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[DonorProfile]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return DonorProfile.objects.all()
            return DonorProfile.objects.filter(Q(is_published=True) | Q(organisation_id__in=organisation_ids(user)))
        return DonorProfile.objects.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: DonorProfile) -> bool:
        """Also answers for a profile not yet written (unsaved), from its organisation."""
        if action == Action.VIEW:
            return obj.pk is not None and super().allows(user, action, obj)
        return obj.organisation_id in organisation_ids(user, self.roles_for(action))


needs = NeedPolicy()
obstacles = ObstaclePolicy()
responses = ResponsePolicy()
donor_profiles = DonorProfilePolicy()
