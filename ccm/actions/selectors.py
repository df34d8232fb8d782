"""Reads of follow-up actions for the tracker, an action's page, the API, the worklist and reminders —
always through ``ActionPolicy`` (whoever sees an action's source sees the action)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.actions import sources
from ccm.actions.models import OPEN_STATUSES, Action, ActionStatus
from ccm.actions.policies import actions as action_policy
from ccm.core.models import AuditEntry
from ccm.core.policies import Action as Verb
from ccm.core.policies import is_coordinator, organisation_ids

# The tracker's status filter: by default the open ones (open and in progress).
OPEN = "open_any"
ALL = "all"
MINE = "mine"


@dataclass(frozen=True)
class TrackerFilters:
    owner: str = ""  # organisation slug
    state: str = ""  # ISO code
    source: str = ""  # source kind, e.g. "meetings.meeting"
    status: str = OPEN  # OPEN, ALL or an ActionStatus value
    overdue: bool = False
    scope: str = ALL  # ALL or MINE (the reader's organisations' actions)


@dataclass
class ActionRow:
    """An action with what a list shows about it."""

    action: Action
    today: date
    source_name: str = ""
    source_url: str = ""
    source_kind: str = ""

    @property
    def is_overdue(self) -> bool:
        return self.action.is_open and self.action.due_date < self.today

    @property
    def days_overdue(self) -> int:
        return (self.today - self.action.due_date).days if self.is_overdue else 0

    @property
    def days_left(self) -> int:
        return (self.action.due_date - self.today).days


@dataclass
class ActionDetail(ActionRow):
    may_change: bool = False
    need_visible: bool = False
    history: list[HistoryEntry] = field(default_factory=list)
    follows_visible: bool = False
    followed_by: list[Action] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    who: str
    label: str
    changes: list[str]
    note: str


def _shown(field_name: str, value: Any) -> str:
    from ccm.core.templatetags.ccm import date_filter

    if value in (None, ""):
        return "—"
    if field_name == "status":
        return str(ActionStatus(value).label) if value in ActionStatus.values else str(value)
    if field_name in ("due_date", "completed_on"):
        try:
            return date_filter(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """A change in words: "Status: Open → Done" (only the status and the dates; other values are
    the creation's and shown on the page)."""
    from django.utils.text import capfirst

    lines = []
    for name in ("status", "due_date", "completed_on"):
        if name in new and old.get(name) != new.get(name):
            label = capfirst(getattr(Action._meta.get_field(name), "verbose_name", name))
            before = _shown(name, old.get(name)) if name in old else ""
            after = _shown(name, new.get(name))
            lines.append(f"{label}: {before} → {after}" if before else f"{label}: {after}")
    return lines


def default_scope(user: Any) -> str:
    """Members of an organisation start with their own organisations' actions; coordinators and
    people without an organisation with everything they may see."""
    return MINE if organisation_ids(user) and not is_coordinator(user) else ALL


def visible(user: Any) -> QuerySet[Action]:
    return action_policy.visible_to(user)


def filtered(user: Any, *, filters: TrackerFilters, today: date) -> QuerySet[Action]:
    """The actions ``user`` may see that pass ``filters``, soonest due first (one query when evaluated)."""
    rows = visible(user)
    if filters.scope == MINE:
        rows = rows.filter(owner_id__in=organisation_ids(user))
    if filters.owner:
        rows = rows.filter(owner__slug=filters.owner)
    if filters.state:
        rows = rows.filter(state__iso3=filters.state.upper())
    if filters.source:
        entry = sources.for_key(filters.source)
        rows = rows.filter(source_type=entry.content_type()) if entry else rows.none()
    if filters.status == OPEN:
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.status in ActionStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.overdue:  # only an open action can be late
        rows = rows.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    return rows.select_related("owner", "state").order_by("due_date", "id")


def owners_choosable(user: Any) -> QuerySet[Organisation]:
    """The organisations owning an action ``user`` may see (for the owner filter)."""
    return Organisation.objects.filter(pk__in=visible(user).values("owner_id")).order_by("name")


def rows_for(actions: list[Action], *, today: date) -> list[ActionRow]:
    """Rows with their sources named and linked: one query per kind of source on the page."""
    rows = [ActionRow(action=a, today=today) for a in actions]
    _name_sources(rows)
    return rows


def _name_sources(rows: list[ActionRow]) -> None:
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.action.source_type_id].add(row.action.source_id)
    found: dict[tuple[int, int], tuple[sources.Source, Any]] = {}
    for type_id, ids in wanted.items():
        entry = sources.for_content_type_id(type_id)
        if entry is None:
            continue
        for pk, obj in entry.in_bulk(ids).items():
            found[(type_id, pk)] = (entry, obj)
    for row in rows:
        hit = found.get((row.action.source_type_id, row.action.source_id))
        if hit is None:
            continue
        entry, obj = hit
        row.source_name, row.source_url, row.source_kind = entry.name(obj), entry.page_url(obj), entry.kind_label


def action_detail(user: Any, *, pk: int, today: date) -> ActionDetail | None:
    """One action ``user`` may see, with its source, what may be changed, its links and history."""
    action = (
        visible(user).select_related("owner", "state", "need", "obligation__state", "follows").filter(pk=pk).first()
    )
    if action is None:
        return None
    detail = ActionDetail(action=action, today=today)
    _name_sources([detail])
    detail.may_change = action_policy.can(user, Verb.CHANGE, action)
    if action.need_id:
        from ccm.needs.policies import needs as need_policy

        detail.need_visible = need_policy.visible_to(user).filter(pk=action.need_id).exists()
    if action.follows_id:
        detail.follows_visible = visible(user).filter(pk=action.follows_id).exists()
    detail.followed_by = list(visible(user).filter(follows=action).order_by("due_date", "id"))
    detail.history = history(action)
    return detail


def history(action: Action) -> list[HistoryEntry]:
    """The action's audit entries, oldest first (who, when, what changed, the note)."""
    from django.contrib.contenttypes.models import ContentType

    from ccm.core import audit

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id=str(action.pk)
    ).order_by("timestamp", "id")
    users = _user_names(entries)
    return [
        HistoryEntry(
            when=entry.timestamp,
            who=users.get(entry.actor_id or 0, "") or (str(_("the platform")) if entry.actor_label == "system" else ""),
            label=audit.action_label(entry.action),
            changes=describe_changes((entry.data or {}).get("old") or {}, (entry.data or {}).get("new") or {}),
            note=((entry.data or {}).get("extra") or {}).get("note", ""),
        )
        for entry in entries
    ]


def _user_names(entries: QuerySet[AuditEntry]) -> dict[int, str]:
    from ccm.accounts.models import User

    ids = {e.actor_id for e in entries if e.actor_id}
    return {u.pk: u.full_name or u.email for u in User.objects.filter(pk__in=ids)}


def open_owned_by(user: Any, *, roles: tuple[str, ...] | None = None) -> QuerySet[Action]:
    """Open actions owned by the user's organisations (optionally where they hold one of ``roles``)
    that they may see, soonest due first."""
    orgs = organisation_ids(user, roles)
    if not orgs:
        return Action.objects.none()
    return (
        visible(user)
        .filter(owner_id__in=orgs, status__in=OPEN_STATUSES)
        .select_related("owner", "state")
        .order_by("due_date", "id")
    )


def due_for_reminder(*, today: date, before_days: int, after_days: int, window: int = 14) -> QuerySet[Action]:
    """Open actions due within ``before_days`` days, or whose due date passed ``after_days`` days ago
    or more but less than ``window`` days ago (a late run still catches them; an action long overdue
    is not reminded again every day — the ledger makes each reminder go once anyway). No reader here:
    the reminders go to each owner's members who may see the action."""
    from datetime import timedelta

    return (
        Action.objects.filter(status__in=OPEN_STATUSES, owner__is_active=True)
        .filter(
            Q(due_date__gte=today, due_date__lte=today + timedelta(days=before_days))
            | Q(due_date__lte=today - timedelta(days=after_days), due_date__gt=today - timedelta(days=window))
        )
        .exclude(sources.not_live())  # e.g. a concluded coalition's
        .select_related("owner", "state")
        .order_by("due_date", "id")
    )
