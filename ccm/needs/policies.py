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

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ccm.core.policies import (
    EDITOR_ROLES,
    Action,
    Policy,
    is_coordinator,
    is_signed_in,
    organisation_ids,
    state_ids,
)
from ccm.needs.models import DonorProfile, Need, NeedVisibility, Obstacle, Response

RESPOND = "respond"
PUBLISH = "publish"


def responding_organisation_ids(user: Any, need: Need) -> list[int]:
    """Organisations the user may answer for on this need (editors and managers, not the State's own)."""
    own_state = {need.state_id}
    return [org_id for org_id, state_id in _editor_orgs(user) if state_id not in own_state]


def _editor_orgs(user: Any) -> list[tuple[int, int | None]]:
    if not is_signed_in(user):
        return []
    cache: list[tuple[int, int | None]] | None = user.__dict__.get("_ccm_editor_orgs")
    if cache is None:
        cache = list(
            user.memberships.filter(role__in=EDITOR_ROLES, organisation__is_active=True).values_list(
                "organisation_id", "organisation__state_id"
            )
        )
        user.__dict__["_ccm_editor_orgs"] = cache
    return cache


class NeedPolicy(Policy[Need]):
    model = Need

    def visible_to(self, user: Any) -> QuerySet[Need]:
        if is_coordinator(user):
            return Need.objects.all()
        own = Q(state_id__in=state_ids(user))
        published = Q(published_at__isnull=False)
        shared = Q(visibility=NeedVisibility.PUBLIC)
        if is_signed_in(user):
            shared |= Q(visibility=NeedVisibility.PLATFORM)
            chosen = Need.chosen_donors.through.objects.filter(
                need_id=OuterRef("pk"), organisation_id__in=organisation_ids(user)
            )
            shared |= Q(Q(visibility=NeedVisibility.CHOSEN), Exists(chosen))
        # No joins here (Exists instead), so callers can annotate sums without duplicated rows.
        return Need.objects.filter(own | (published & shared))

    def can(self, user: Any, action: str, obj: Need) -> bool:
        if action == Action.VIEW:
            return self.visible_to(user).filter(pk=obj.pk).exists()
        if action == RESPOND:
            return (
                obj.published_at is not None
                and obj.withdrawn_at is None
                and bool(responding_organisation_ids(user, obj))
                and self.visible_to(user).filter(pk=obj.pk).exists()
            )
        # change, publish, withdraw, answer questions: the State's own editors and managers
        return obj.state_id in state_ids(user, EDITOR_ROLES)


class ObstaclePolicy(Policy[Obstacle]):
    model = Obstacle

    def visible_to(self, user: Any) -> QuerySet[Obstacle]:
        if is_coordinator(user):
            return Obstacle.objects.all()
        return Obstacle.objects.filter(Q(is_public=True) | Q(state_id__in=state_ids(user)))

    def can(self, user: Any, action: str, obj: Obstacle) -> bool:
        if action == Action.VIEW:
            return self.visible_to(user).filter(pk=obj.pk).exists()
        return obj.state_id in state_ids(user, EDITOR_ROLES)


class ResponsePolicy(Policy[Response]):
    model = Response

    def visible_to(self, user: Any) -> QuerySet[Response]:
        return Response.objects.filter(need__in=needs.visible_to(user))

    def can(self, user: Any, action: str, obj: Response) -> bool:
        if action == Action.CHANGE:  # attach documents: the editors and managers of the organisation that wrote it
            return obj.organisation_id in organisation_ids(user, EDITOR_ROLES)
        return action == Action.VIEW and self.visible_to(user).filter(pk=obj.pk).exists()


class DonorProfilePolicy(Policy[DonorProfile]):
    model = DonorProfile

    def visible_to(self, user: Any) -> QuerySet[DonorProfile]:
        if is_coordinator(user):
            return DonorProfile.objects.all()
        return DonorProfile.objects.filter(Q(is_published=True) | Q(organisation_id__in=organisation_ids(user)))

    def can(self, user: Any, action: str, obj: DonorProfile) -> bool:
        if action == Action.VIEW:
            return self.visible_to(user).filter(pk=obj.pk).exists()
        return obj.organisation_id in organisation_ids(user, EDITOR_ROLES)


needs = NeedPolicy()
obstacles = ObstaclePolicy()
responses = ResponsePolicy()
donor_profiles = DonorProfilePolicy()
