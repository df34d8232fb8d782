"""Who sees and does what with a meeting's summary and briefing packs.

- **A published summary** is public: everyone, signed in or not, reads it (it names nobody).
- **A summary before publication** (draft or in review), with the hits of the check, is seen by the
  meeting's conveners whose mandate runs, the implementation support unit and coordinators.
- **Writing** it (text, submitting it for review) is for the conveners whose mandate runs.
- **Reviewing** it (waiving a hit with a reason, publishing) is for the conveners whose mandate runs,
  the editors and managers of the implementation support unit, and coordinators; the service refuses
  a publication by the person who submitted the text (another pair of eyes publishes).
- **A briefing pack** is its reader's own: requested and downloaded by a person who may see the
  meeting's inner circle (conveners, the invited, the implementation support unit, coordinators);
  anyone else gets 404, as for the meeting itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.core import clock
from ccm.core.policies import EDITOR_ROLES, Action, Permission, Policy, is_coordinator, is_signed_in
from ccm.meetings.models import Meeting
from ccm.meetings.policies import circle_q, is_isu_member, managing_q
from ccm.meetings.publish_models import BriefingPack, Summary, SummaryHitDecision, SummaryStatus

REVIEW = "review"


def _managed(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(managing_q(user, today=clock.today()))


def sees_drafts_of_all(user: Any) -> bool:
    return is_coordinator(user) or is_isu_member(user)


def reviews_all(user: Any) -> bool:
    return is_coordinator(user) or is_isu_member(user, EDITOR_ROLES)


class SummaryPolicy(Policy[Summary]):
    model = Summary
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,  # write and submit: conveners
        REVIEW: Permission.CHANGE,  # waive hits and publish: conveners, the ISU's editors, coordinators
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Summary]:
        published = Q(status=SummaryStatus.PUBLISHED)
        if action == Action.VIEW:
            if sees_drafts_of_all(user):
                return Summary.objects.all()
            if not is_signed_in(user):
                return Summary.objects.filter(published)
            return Summary.objects.filter(published | Q(meeting__in=_managed(user)))
        if not is_signed_in(user):
            return Summary.objects.none()
        unpublished = Summary.objects.exclude(published)
        if action == Action.CHANGE:
            return unpublished.filter(meeting__in=_managed(user))
        if action == REVIEW:
            if reviews_all(user):
                return unpublished
            return unpublished.filter(meeting__in=_managed(user))
        return Summary.objects.none()


def may_write_summary(user: Any, meeting: Meeting) -> bool:
    """Whether the user may start or change the meeting's summary (a convener whose mandate runs)."""
    return is_signed_in(user) and _managed(user).filter(pk=meeting.pk).exists()


class SummaryHitDecisionPolicy(Policy[SummaryHitDecision]):
    """Decisions on hits are seen with the summary's draft (never by the public)."""

    model = SummaryHitDecision
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW}

    def objects_for(self, user: Any, action: str) -> QuerySet[SummaryHitDecision]:
        if not is_signed_in(user):
            return SummaryHitDecision.objects.none()
        if sees_drafts_of_all(user):
            return SummaryHitDecision.objects.all()
        return SummaryHitDecision.objects.filter(summary__meeting__in=_managed(user))


def in_circle(user: Any) -> QuerySet[Meeting]:
    """The meetings whose inner circle the user belongs to (who may ask for a briefing pack)."""
    if not is_signed_in(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(circle_q(user))


class BriefingPackPolicy(Policy[BriefingPack]):
    """A reader's own packs, for meetings whose circle they are still in."""

    model = BriefingPack
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW}

    def objects_for(self, user: Any, action: str) -> QuerySet[BriefingPack]:
        if not is_signed_in(user):
            return BriefingPack.objects.none()
        return BriefingPack.objects.filter(user=user, meeting__in=in_circle(user))

    def allows(self, user: Any, action: str, obj: BriefingPack) -> bool:
        return obj.pk is not None and obj.user_id == getattr(user, "pk", None) and super().allows(user, action, obj)


summaries = SummaryPolicy()
hit_decisions = SummaryHitDecisionPolicy()
packs = BriefingPackPolicy()
