"""Who sees and does what in a coalition.

- **Public summary** (name, State, status, partners that agreed to be named, headline progress):
  everyone, when the coalition's visibility is public; otherwise its members, invited organisations,
  the State's government and the coordinators.
- **Workspace** (every member, the work plan, field visits, reviews and the scorecard): the accepted
  members' people and the coordinators.
- **Threads, messages and their documents**: the accepted members' people only. Coordinators who are
  not members are treated as non-members here (404): the dialogue is the partners' own. They still
  see the work plan, visits and scorecard, which they follow across coalitions.
- **Writing** to the workspace (objectives, milestones, actions, threads, visits, ratings): editors and
  managers of accepted member organisations. A concluded coalition refuses every write (services).
- **Steering** (invite, activate, conclude, edit the terms): coordinators and the managers of the
  affected State's government.
- **Answering an invitation**, leaving, choosing to be named: managers of the member organisation.
- **Expressions of interest**: the organisation that expressed it, the State's government and the
  coordinators; written by the organisation's editors and managers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Exists, OuterRef, Q, QuerySet

from ccm.coalitions.models import (
    Coalition,
    ExpressionOfInterest,
    FieldVisit,
    Member,
    MemberStatus,
    Message,
    Milestone,
    Review,
    Thread,
)
from ccm.core.policies import (
    Action,
    Permission,
    Policy,
    Visibility,
    is_coordinator,
    is_signed_in,
    organisation_ids,
    roles_with,
    state_ids,
)

WORKSPACE = "workspace"  # see the whole workspace
CONVERSE = "converse"  # read and write the threads
STEER = "steer"  # invite, activate, conclude
ANSWER = "answer"  # accept or decline an invitation, leave, choose to be named

EDITORS = roles_with(Permission.CHANGE)
MANAGERS = roles_with(Permission.MANAGE)


def _members(
    user: Any, *, roles: tuple[str, ...] | None = None, statuses: tuple[str, ...] = (MemberStatus.ACCEPTED,)
) -> Exists:
    return Exists(
        Member.objects.filter(
            coalition_id=OuterRef("pk"), organisation_id__in=organisation_ids(user, roles), status__in=statuses
        )
    )


def member_coalition_ids(user: Any, roles: tuple[str, ...] | None = None) -> set[int]:
    """Ids of the coalitions of which one of the user's organisations is an accepted member (one query,
    cached on the user for the request)."""
    if not is_signed_in(user):
        return set()
    cache: dict[Any, set[int]] = user.__dict__.setdefault("_ccm_coalition_members", {})
    if roles not in cache:
        cache[roles] = set(
            Member.objects.filter(
                organisation_id__in=organisation_ids(user, roles), status=MemberStatus.ACCEPTED
            ).values_list("coalition_id", flat=True)
        )
    return cache[roles]


class CoalitionPolicy(Policy[Coalition]):
    model = Coalition
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        WORKSPACE: Permission.VIEW,
        CONVERSE: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        STEER: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Coalition]:
        objects = Coalition.objects.all()
        if action == Action.VIEW:
            if is_coordinator(user):
                return objects
            shown = Q(visibility=Visibility.PUBLIC)
            if is_signed_in(user):
                shown |= _members(user, statuses=tuple(MemberStatus.values)) | Q(state_id__in=state_ids(user))
            return objects.filter(shown)
        if action == WORKSPACE:
            return objects if is_coordinator(user) else objects.filter(pk__in=member_coalition_ids(user))
        if action == CONVERSE:
            return objects.filter(pk__in=member_coalition_ids(user))
        if action == Action.CHANGE:
            return objects.filter(pk__in=member_coalition_ids(user, self.roles_for(action)))
        # steer
        if is_coordinator(user):
            return objects
        return objects.filter(state_id__in=state_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Coalition) -> bool:
        if obj.pk is None:
            return False
        if action == WORKSPACE:
            return is_coordinator(user) or obj.pk in member_coalition_ids(user)
        if action == CONVERSE:
            return obj.pk in member_coalition_ids(user)
        if action == Action.CHANGE:
            return obj.pk in member_coalition_ids(user, self.roles_for(action))
        if action == STEER:
            return is_coordinator(user) or obj.state_id in state_ids(user, self.roles_for(action))
        return super().allows(user, action, obj)


class _InWorkspace(Policy[Any]):
    """Objects of a coalition's workspace (milestones, visits, reviews): seen by whoever sees the
    workspace, changed by whoever may change the coalition."""

    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Any]:
        wanted = WORKSPACE if action == Action.VIEW else Action.CHANGE
        return self.model._default_manager.filter(coalition__in=coalitions.visible_to(user, wanted))

    def allows(self, user: Any, action: str, obj: Any) -> bool:
        wanted = WORKSPACE if action == Action.VIEW else Action.CHANGE
        return obj.pk is not None and coalitions.allows(user, wanted, obj.coalition)


class MilestonePolicy(_InWorkspace):
    model = Milestone


class FieldVisitPolicy(_InWorkspace):
    model = FieldVisit


class ReviewPolicy(_InWorkspace):
    model = Review


class MemberPolicy(Policy[Member]):
    """In the workspace: every member. Outside it: accepted members that chose to be named, of a
    coalition the reader may see. Managers of the member organisation answer for it."""

    model = Member
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, ANSWER: Permission.MANAGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Member]:
        if action == ANSWER:
            return Member.objects.filter(
                organisation_id__in=organisation_ids(user, self.roles_for(action)),
                coalition__status__in=("proposed", "active"),
            )
        inside = Q(coalition__in=coalitions.visible_to(user, WORKSPACE))
        named = Q(
            coalition__in=coalitions.visible_to(user),
            status=MemberStatus.ACCEPTED,
            named_publicly=True,
        )
        own = Q(organisation_id__in=organisation_ids(user))
        return Member.objects.filter(inside | named | own)

    def allows(self, user: Any, action: str, obj: Member) -> bool:
        if action == ANSWER:
            return (
                obj.pk is not None
                and obj.organisation_id in organisation_ids(user, self.roles_for(action))
                and not obj.coalition.is_concluded
            )
        return super().allows(user, action, obj)


class ThreadPolicy(Policy[Thread]):
    """Accepted members only: coordinators who are not members get 404, as any outsider."""

    model = Thread
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Thread]:
        roles = None if action == Action.VIEW else self.roles_for(action)
        return Thread.objects.filter(coalition_id__in=member_coalition_ids(user, roles))

    def allows(self, user: Any, action: str, obj: Thread) -> bool:
        roles = None if action == Action.VIEW else self.roles_for(action)
        return obj.pk is not None and obj.coalition_id in member_coalition_ids(user, roles)


class MessagePolicy(Policy[Message]):
    """Seen by whoever sees its thread; documents are attached to a message by its organisation's
    editors and managers."""

    model = Message
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[Message]:
        visible = Message.objects.filter(thread__coalition_id__in=member_coalition_ids(user))
        if action == Action.VIEW:
            return visible
        return visible.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Message) -> bool:
        if obj.pk is None:
            return False
        if action == Action.CHANGE and obj.organisation_id not in organisation_ids(user, self.roles_for(action)):
            return False
        return threads.allows(user, Action.VIEW, obj.thread)


class InterestPolicy(Policy[ExpressionOfInterest]):
    model = ExpressionOfInterest
    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.VIEW, Action.CHANGE: Permission.CHANGE}

    def objects_for(self, user: Any, action: str) -> QuerySet[ExpressionOfInterest]:
        if action == Action.VIEW:
            if is_coordinator(user):
                return ExpressionOfInterest.objects.all()
            return ExpressionOfInterest.objects.filter(
                Q(organisation_id__in=organisation_ids(user)) | Q(state_id__in=state_ids(user))
            )
        return ExpressionOfInterest.objects.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))


coalitions = CoalitionPolicy()
members = MemberPolicy()
milestones = MilestonePolicy()
visits = FieldVisitPolicy()
reviews = ReviewPolicy()
threads = ThreadPolicy()
messages = MessagePolicy()
interests = InterestPolicy()


def may_propose(user: Any, state_id: int | None = None) -> bool:
    """Coordinators propose for any State; a State's government editors and managers for their own."""
    if is_coordinator(user):
        return True
    own = state_ids(user, EDITORS)
    return bool(own) if state_id is None else state_id in own


def interest_organisations(user: Any) -> list[int]:
    """The organisations for which ``user`` may express an interest (as editor or manager)."""
    return organisation_ids(user, EDITORS)
