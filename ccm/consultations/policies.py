"""Who sees and does what with consultations.

- Question sets: a set with a published version, and its published versions, are seen by everyone;
  drafts (and sets never published) by coordinators only. Coordinators create, edit and publish.
- Campaigns: coordinators see every campaign (and create, change and send them); so does the
  implementation support unit; the campaign's conveners see it; the members of a recipient
  organisation see a campaign once it has been sent to them. Nobody else.
- Answers: the answering organisation's members see its answer (draft or submitted); its editors and
  managers change it while the campaign is open; its managers submit it. Coordinators, the
  implementation support unit and the campaign's conveners see submitted answers — but WHICH
  organisation gave an answer is shown only to those for whom ``sees_attribution`` is true: the
  campaign's conveners whose mandate has not ended and the members of the implementation support unit
  (organisations of kind coordinators_office). Every other reader, coordinators included, sees answers
  without who gave them. One organisation never sees another's answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django.db.models import Q, QuerySet

from ccm.consultations.models import (
    Answer,
    AnswerStatus,
    Campaign,
    Convener,
    QuestionSet,
    QuestionSetVersion,
    VersionStatus,
)
from ccm.core import clock
from ccm.core.policies import (
    Action,
    Permission,
    Policy,
    is_coordinator,
    is_signed_in,
    memberships,
    organisation_ids,
)

PUBLISH = "publish"
SEND = "send"
SUBMIT = "submit"

SUPPORT_UNIT_KIND = "coordinators_office"


def in_support_unit(user: Any) -> bool:
    """Whether ``user`` works for the implementation support unit (an organisation of kind
    coordinators_office)."""
    return any(kind == SUPPORT_UNIT_KIND for _org, _role, kind, _state in memberships(user))


def _convening(user: Any, *, today: date) -> dict[int, bool]:
    """Campaign id → whether the user's mandate on it is running, for every campaign the user convenes
    (one query, cached on the user object per day)."""
    if not is_signed_in(user):
        return {}
    cache: dict[date, dict[int, bool]] = user.__dict__.setdefault("_ccm_convening", {})
    if today not in cache:
        cache[today] = {
            campaign_id: ends is None or ends >= today
            for campaign_id, ends in Convener.objects.filter(user_id=user.pk).values_list("campaign_id", "mandate_ends")
        }
    return cache[today]


def is_convener(user: Any, campaign: Campaign, *, today: date | None = None) -> bool:
    """Whether ``user`` convenes ``campaign`` with a mandate that has not ended."""
    return _convening(user, today=today or clock.today()).get(campaign.pk, False)


def sees_attribution(user: Any, campaign: Campaign, *, today: date) -> bool:
    """Whether ``user`` may see which organisation gave an answer to ``campaign``: the campaign's
    conveners whose mandate has not ended, and the implementation support unit. Nobody else —
    coordinators included."""
    if not is_signed_in(user):
        return False
    return in_support_unit(user) or is_convener(user, campaign, today=today)


class QuestionSetPolicy(Policy[QuestionSet]):
    """Sets with a published version are public; the others (drafts only) are the coordinators'."""

    model = QuestionSet
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        PUBLISH: Permission.CHANGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[QuestionSet]:
        if is_coordinator(user):
            return QuestionSet.objects.all()
        if action == Action.VIEW:
            published = QuestionSetVersion.objects.filter(status=VersionStatus.PUBLISHED).values("question_set_id")
            return QuestionSet.objects.filter(pk__in=published)
        return QuestionSet.objects.none()

    def allows(self, user: Any, action: str, obj: QuestionSet) -> bool:
        if obj.pk is None:
            return False
        if is_coordinator(user):
            return True
        return action == Action.VIEW and super().allows(user, action, obj)


class QuestionSetVersionPolicy(Policy[QuestionSetVersion]):
    """Published versions are public; drafts are the coordinators'."""

    model = QuestionSetVersion
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[QuestionSetVersion]:
        if is_coordinator(user):
            if action == Action.CHANGE:
                return QuestionSetVersion.objects.filter(status=VersionStatus.DRAFT)
            return QuestionSetVersion.objects.all()
        if action == Action.VIEW:
            return QuestionSetVersion.objects.filter(status=VersionStatus.PUBLISHED)
        return QuestionSetVersion.objects.none()

    def allows(self, user: Any, action: str, obj: QuestionSetVersion) -> bool:
        if obj.pk is None:
            return False
        if action == Action.VIEW:
            return obj.status == VersionStatus.PUBLISHED or is_coordinator(user)
        return is_coordinator(user) and obj.status == VersionStatus.DRAFT


class CampaignPolicy(Policy[Campaign]):
    """Coordinators see every campaign and run them; the support unit sees every one; conveners see
    theirs; a recipient organisation's members see a campaign once it was sent to them."""

    model = Campaign
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        SEND: Permission.CHANGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Campaign]:
        if is_coordinator(user):
            return Campaign.objects.all()
        if action != Action.VIEW or not is_signed_in(user):
            return Campaign.objects.none()
        if in_support_unit(user):
            return Campaign.objects.all()
        convened = Convener.objects.filter(user_id=user.pk).values("campaign_id")
        received = Q(sent_at__isnull=False, recipient_rows__organisation_id__in=organisation_ids(user))
        ids = Campaign.objects.filter(received | Q(pk__in=convened)).values("pk")
        return Campaign.objects.filter(pk__in=ids)

    def allows(self, user: Any, action: str, obj: Campaign) -> bool:
        if obj.pk is None:
            return False
        if is_coordinator(user):
            return True
        if action != Action.VIEW or not is_signed_in(user):
            return False
        if in_support_unit(user) or obj.pk in _convening(user, today=clock.today()):
            return True
        return super().allows(user, action, obj)


class AnswerPolicy(Policy[Answer]):
    """An organisation's members see its answer; editors and managers change it; managers submit it.
    Coordinators and the campaign's conveners see submitted answers (de-attributed unless
    ``sees_attribution``). Another organisation never sees it."""

    model = Answer
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        SUBMIT: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Answer]:
        if not is_signed_in(user):
            return Answer.objects.none()
        own = Q(organisation_id__in=organisation_ids(user, self.roles_for(action)))
        if action != Action.VIEW:
            return Answer.objects.filter(own)
        readers = Q(status=AnswerStatus.SUBMITTED)
        if not (is_coordinator(user) or in_support_unit(user)):
            readers &= Q(campaign_id__in=Convener.objects.filter(user_id=user.pk).values("campaign_id"))
        return Answer.objects.filter(own | readers)

    def allows(self, user: Any, action: str, obj: Answer) -> bool:
        if obj.pk is None or not is_signed_in(user):
            return False
        if obj.organisation_id in organisation_ids(user, self.roles_for(action)):
            return True
        if action != Action.VIEW or obj.status != AnswerStatus.SUBMITTED:
            return False
        return is_coordinator(user) or in_support_unit(user) or obj.campaign_id in _convening(user, today=clock.today())


class AttributedAnswerPolicy(AnswerPolicy):
    """Answers seen together with who gave them: by the answering organisation's members, and (once
    submitted) by the implementation support unit and the conveners whose mandate runs. Used for what
    would give the organisation away, such as the documents attached to an answer."""

    def objects_for(self, user: Any, action: str) -> QuerySet[Answer]:
        if action != Action.VIEW or not is_signed_in(user):
            return super().objects_for(user, action)
        own = Q(organisation_id__in=organisation_ids(user))
        if in_support_unit(user):
            return Answer.objects.filter(own | Q(status=AnswerStatus.SUBMITTED))
        running = [pk for pk, runs in _convening(user, today=clock.today()).items() if runs]
        return Answer.objects.filter(own | Q(status=AnswerStatus.SUBMITTED, campaign_id__in=running))

    def allows(self, user: Any, action: str, obj: Answer) -> bool:
        if action != Action.VIEW:
            return super().allows(user, action, obj)
        if obj.pk is None or not is_signed_in(user):
            return False
        if obj.organisation_id in organisation_ids(user):
            return True
        return obj.status == AnswerStatus.SUBMITTED and (
            in_support_unit(user) or _convening(user, today=clock.today()).get(obj.campaign_id, False)
        )


def may_answer_for(user: Any) -> list[int]:
    """Organisations whose answers the user may draft (editors and managers)."""
    return organisation_ids(user, answers.roles_for(Action.CHANGE))


def may_submit_for(user: Any) -> list[int]:
    """Organisations whose answers the user may submit (managers)."""
    return organisation_ids(user, answers.roles_for(SUBMIT))


question_sets = QuestionSetPolicy()
versions = QuestionSetVersionPolicy()
campaigns = CampaignPolicy()
answers = AnswerPolicy()
attributed_answers = AttributedAnswerPolicy()
