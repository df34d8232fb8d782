"""Who sees and does what with practices and offers.

- A practice or an offer is seen by its visibility: everyone, signed-in users, or only its organisation's
  members; coordinators see all. An offer past its expiry date or withdrawn stays visible to its
  organisation and the coordinators only (it is no longer offered).
- The organisation's editors and managers write, change and withdraw them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.core.clock import today
from ccm.core.policies import (
    Action,
    Permission,
    Policy,
    Visibility,
    is_coordinator,
    is_signed_in,
    organisation_ids,
)
from ccm.library.models import Offer, Practice


def _shared(user: Any) -> Q:
    levels = [Visibility.PUBLIC]
    if is_signed_in(user):
        levels.append(Visibility.PLATFORM)
    return Q(visibility__in=levels)


class PracticePolicy(Policy[Practice]):
    model = Practice
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Practice]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return Practice.objects.all()
            return Practice.objects.filter(_shared(user) | Q(organisation_id__in=organisation_ids(user)))
        return Practice.objects.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Practice) -> bool:
        if action == Action.VIEW:
            return (
                is_coordinator(user)
                or obj.visibility == Visibility.PUBLIC
                or (obj.visibility == Visibility.PLATFORM and is_signed_in(user))
                or obj.organisation_id in organisation_ids(user)
            )
        return obj.organisation_id in organisation_ids(user, self.roles_for(action))


class OfferPolicy(Policy[Offer]):
    model = Offer
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Offer]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return Offer.objects.all()
            current = Q(withdrawn_at__isnull=True, expires_on__gte=today())
            return Offer.objects.filter((current & _shared(user)) | Q(organisation_id__in=organisation_ids(user)))
        return Offer.objects.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Offer) -> bool:
        if action == Action.VIEW:
            if is_coordinator(user) or obj.organisation_id in organisation_ids(user):
                return True
            current = obj.withdrawn_at is None and obj.expires_on >= today()
            signed_in = is_signed_in(user)
            shared = obj.visibility == Visibility.PUBLIC or (obj.visibility == Visibility.PLATFORM and signed_in)
            return current and shared
        return obj.organisation_id in organisation_ids(user, self.roles_for(action))


practices = PracticePolicy()
offers = OfferPolicy()
