"""Reads for coalition pages, API and the pack, always through the policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ccm.actions.models import Action as FollowUp
from ccm.actions.models import ActionStatus
from ccm.actions.policies import actions as action_policy
from ccm.coalitions import policies
from ccm.coalitions.models import (
    Coalition,
    ExpressionOfInterest,
    Member,
    MemberStatus,
    Message,
    Milestone,
    ReadMarker,
    Thread,
)
from ccm.core.policies import Action, is_coordinator


@dataclass
class Headline:
    """Headline progress: milestones reached and work plan actions done, of all (counts only: public)."""

    milestones: int
    milestones_reached: int
    actions: int
    actions_done: int
    actions_overdue: int

    @property
    def done(self) -> int:
        return self.milestones_reached + self.actions_done

    @property
    def total(self) -> int:
        return self.milestones + self.actions

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass
class CoalitionRow:
    coalition: Coalition
    partners: list[Member]
    headline: Headline
    in_workspace: bool
    next_deadline: date | None = None


def coalitions_for(user: Any, *, today: date) -> QuerySet[Coalition]:
    """The coalitions ``user`` may see, with counts for the headline progress (a fixed number of queries)."""
    ct = ContentType.objects.get_for_model(Coalition)
    open_actions = Q(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    actions = FollowUp.objects.filter(source_type=ct, source_id=OuterRef("pk")).exclude(status=ActionStatus.CANCELLED)
    milestones = Milestone.objects.filter(coalition_id=OuterRef("pk"))

    def count(qs: QuerySet[Any], key: str) -> Any:
        return Coalesce(
            Subquery(qs.order_by().values(key).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        )

    return (
        policies.coalitions.visible_to(user)
        .select_related("state")
        .annotate(
            n_milestones=count(milestones, "coalition_id"),
            n_milestones_reached=count(milestones.filter(done_on__isnull=False), "coalition_id"),
            n_actions=count(actions, "source_id"),
            n_actions_done=count(actions.filter(status=ActionStatus.DONE), "source_id"),
            n_actions_overdue=count(actions.filter(open_actions, due_date__lt=today), "source_id"),
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Member.objects.filter(status=MemberStatus.ACCEPTED).select_related("organisation"),
                to_attr="accepted_members",
            ),
            "obligations__extensions",
        )
    )


def _headline(c: Coalition) -> Headline:
    return Headline(
        c.n_milestones,  # type: ignore[attr-defined]
        c.n_milestones_reached,  # type: ignore[attr-defined]
        c.n_actions,  # type: ignore[attr-defined]
        c.n_actions_done,  # type: ignore[attr-defined]
        c.n_actions_overdue,  # type: ignore[attr-defined]
    )


def _row(c: Coalition, user: Any, workspace_ids: set[int], coordinator: bool) -> CoalitionRow:
    inside = coordinator or c.pk in workspace_ids
    accepted = c.accepted_members  # type: ignore[attr-defined]
    partners = accepted if inside else [m for m in accepted if m.named_publicly]
    deadlines = [d for d in (o.current_deadline for o in c.obligations.all() if not o.completed) if d]
    return CoalitionRow(c, partners, _headline(c), inside, min(deadlines) if deadlines else None)


def coalition_rows(user: Any, *, today: date, status: str = "") -> list[CoalitionRow]:
    queryset = coalitions_for(user, today=today)
    if status:
        queryset = queryset.filter(status=status)
    workspace_ids = policies.member_coalition_ids(user)
    coordinator = is_coordinator(user)
    return [_row(c, user, workspace_ids, coordinator) for c in queryset]


def coalition_row(coalition: Coalition, user: Any, *, today: date) -> CoalitionRow:
    c = coalitions_for(user, today=today).get(pk=coalition.pk)
    return _row(c, user, policies.member_coalition_ids(user), is_coordinator(user))


@dataclass
class ThreadRow:
    thread: Thread
    messages: int
    unread: int
    decisions: int


@dataclass
class Workspace:
    coalition: Coalition
    row: CoalitionRow
    members: list[Member] = field(default_factory=list)
    objectives: list[Any] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    actions: list[FollowUp] = field(default_factory=list)
    threads: list[ThreadRow] = field(default_factory=list)
    visits: list[Any] = field(default_factory=list)
    reviews: list[Any] = field(default_factory=list)
    my_invitations: list[Member] = field(default_factory=list)


def workspace(coalition: Coalition, user: Any, *, today: date) -> Workspace:
    """What ``user`` may see of the coalition: the public summary, and for workspace readers the rest
    (threads only for members)."""
    data = Workspace(coalition=coalition, row=coalition_row(coalition, user, today=today))
    data.objectives = list(coalition.objectives.all())
    data.my_invitations = list(
        policies.members.visible_to(user, policies.ANSWER)
        .filter(coalition=coalition, status__in=["invited", "accepted"])
        .select_related("organisation")
    )
    if not policies.coalitions.can(user, policies.WORKSPACE, coalition):
        return data
    data.members = list(
        coalition.members.select_related("organisation").order_by("status", "role", "organisation__name")
    )
    data.milestones = list(policies.milestones.visible_to(user).filter(coalition=coalition))
    data.actions = list(
        action_policy.visible_to(user)
        .filter(source_type=ContentType.objects.get_for_model(Coalition), source_id=coalition.pk)
        .select_related("owner", "need", "flow", "follows")
    )
    for action in data.actions:
        action.overdue = action.is_open and action.due_date < today  # type: ignore[attr-defined]
    data.visits = list(policies.visits.visible_to(user).filter(coalition=coalition))
    data.reviews = list(
        policies.reviews.visible_to(user).filter(coalition=coalition).prefetch_related("ratings__organisation")
    )
    data.threads = thread_rows(coalition, user)
    return data


def thread_rows(coalition: Coalition, user: Any) -> list[ThreadRow]:
    if not policies.coalitions.can(user, policies.CONVERSE, coalition):
        return []
    threads = (
        policies.threads.visible_to(user)
        .filter(coalition=coalition)
        .annotate(
            n_messages=Count("messages", distinct=True),
            n_decisions=Count("messages", filter=Q(messages__is_decision=True), distinct=True),
        )
    )
    read_at = dict(
        ReadMarker.objects.filter(user_id=user.pk, thread__coalition=coalition).values_list("thread_id", "read_at")
    )
    last = {
        t: list(v)
        for t, v in _group(
            Message.objects.filter(thread__coalition=coalition)
            .exclude(author_id=user.pk)
            .values_list("thread_id", "created_at")
        ).items()
    }
    rows = []
    for t in threads:
        seen = read_at.get(t.pk)
        unread_count = sum(1 for at in last.get(t.pk, []) if seen is None or at > seen)
        rows.append(ThreadRow(t, t.n_messages, unread_count, t.n_decisions))
    return rows


def _group(pairs: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def thread_messages(thread: Thread, user: Any) -> list[Message]:
    return list(policies.messages.visible_to(user).filter(thread=thread).select_related("author", "organisation"))


def interests_for(user: Any, *, state_id: int | None = None) -> QuerySet[ExpressionOfInterest]:
    queryset = policies.interests.visible_to(user).select_related("organisation", "state")
    return queryset.filter(state_id=state_id) if state_id else queryset


def workplan_item(coalition: Coalition, user: Any, pk: int) -> FollowUp | None:
    """One action of the work plan, through the action policy (None: not there or hidden)."""
    return (
        action_policy.visible_to(user, Action.VIEW)
        .filter(source_type=ContentType.objects.get_for_model(Coalition), source_id=coalition.pk, pk=pk)
        .select_related("owner")
        .first()
    )


def organisations_to_invite(coalition: Coalition) -> QuerySet[Any]:
    from ccm.accounts.models import Organisation

    current = coalition.members.filter(status__in=[MemberStatus.INVITED, MemberStatus.ACCEPTED]).values(
        "organisation_id"
    )
    return Organisation.objects.filter(is_active=True).exclude(pk__in=current).order_by("name")
