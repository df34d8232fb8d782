"""Who sees and works on a campaign's synthesis.

- **view**: coordinators (platform role), the members of the implementation support unit (an
  organisation of kind coordinators_office), the campaign's conveners (even after their mandate ended:
  they keep the de-attributed synthesis), and, once the campaign has closed, the members of its
  recipient organisations (participants), who see it de-attributed.
- **tag** (theme and re-theme free-text answers): coordinators, conveners whose mandate runs, and the
  support unit's editors and managers.
- **review** (rewrite or waive held quotes, edit the key points): conveners whose mandate runs.

Who sees who said what is ``sees_attribution`` (cons-core's policy, in ``synthesis_deps``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.consultations.models import Campaign
from ccm.consultations.synthesis_models import KeyPointsDraft, QuoteReview, ThemeTag
from ccm.core import clock
from ccm.core.policies import (
    Action,
    Permission,
    Policy,
    is_coordinator,
    is_signed_in,
    memberships,
    organisation_ids,
    roles_with,
)

TAG = "tag"
REVIEW = "review"
SUPPORT_UNIT = "coordinators_office"


def _support_unit_member(user: Any, roles: tuple[str, ...] | None = None) -> bool:
    return any(kind == SUPPORT_UNIT and (roles is None or role in roles) for _o, role, kind, _s in memberships(user))


def _running(today: date) -> Q:
    return Q(conveners__mandate_ends__isnull=True) | Q(conveners__mandate_ends__gte=today)


class SynthesisPolicy(Policy[Campaign]):
    """The synthesis of a campaign (the object is the campaign)."""

    model = Campaign
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        TAG: Permission.CHANGE,
        REVIEW: Permission.CHANGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Campaign]:
        if not is_signed_in(user):
            return Campaign.objects.none()
        today = clock.today()
        convening = Q(conveners__user=user)
        running = Campaign.objects.filter(convening & _running(today)).values("pk")
        if action == REVIEW:
            return Campaign.objects.filter(pk__in=running)
        if action == TAG:
            if is_coordinator(user) or _support_unit_member(user, roles_with(Permission.CHANGE)):
                return Campaign.objects.all()
            return Campaign.objects.filter(pk__in=running)
        if is_coordinator(user) or _support_unit_member(user):
            return Campaign.objects.all()
        participant = Q(recipient_rows__organisation_id__in=organisation_ids(user), closes_on__lt=today)
        ids = Campaign.objects.filter(convening | participant).values("pk")
        return Campaign.objects.filter(pk__in=ids)


synthesis = SynthesisPolicy()


def is_participant(user: Any, campaign: Campaign) -> bool:
    """A member of one of the campaign's recipient organisations."""
    orgs = organisation_ids(user)
    return bool(orgs) and campaign.recipient_rows.filter(organisation_id__in=orgs).exists()


class _BySynthesis(Policy[Any]):
    """Objects of a campaign's synthesis: seen by those who may take ``via`` on the synthesis."""

    via: str = TAG
    path: str = "item__answer__campaign"
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW}

    def __init__(self, model: Any, *, via: str, path: str) -> None:
        self.model, self.via, self.path = model, via, path

    def objects_for(self, user: Any, action: str) -> QuerySet[Any]:
        return self.model._default_manager.filter(**{f"{self.path}__in": synthesis.visible_to(user, self.via)})


theme_tags = _BySynthesis(ThemeTag, via=TAG, path="item__answer__campaign")
quote_reviews = _BySynthesis(QuoteReview, via=REVIEW, path="item__answer__campaign")
key_points = _BySynthesis(KeyPointsDraft, via=REVIEW, path="campaign")
