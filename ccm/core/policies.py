"""Access policies: one per model, answering both "what may this user see?" and "may they do this?".

Every page, API endpoint, export and analysis resolves objects through a policy:

- ``policy.visible_to(user)`` → the QuerySet the user may see (lists, search, exports, analytics);
  ``policy.visible_to(user, "change")`` (or any other action) → the objects they may take that action on;
- ``policy.can(user, action, obj)`` → whether the user may take ``action`` on a visible object;
- an action a policy does not declare is refused (deny by default); what a role in an organisation
  allows is declared once, in ``ROLE_PERMISSIONS``;
- ``get_for_user(policy, user, **lookup)`` → the object, or 404 when it is missing *or* not visible
  (the two are indistinguishable by design);
- ``get_for_action(policy, user, action, **lookup)`` → as above, then 403 when the object is visible
  but the action is not allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)


class Action:
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    MANAGE = "manage"  # membership, invitations and settings of an organisation


class Visibility(models.TextChoices):
    """Who may see an object, from the widest to the narrowest circle: the one vocabulary of every
    object that has an audience (a model keeps the levels it needs, with ``Visibility.subset``).

    Coordinators see every level. What "the owning organisation" is depends on the object: for a
    need, an obstacle or a completion plan, the government of its State; for a funding flow, the
    funder. ``CHOSEN`` adds the organisations chosen on the object (a need's chosen donors).
    """

    PUBLIC = "public", _("Public")
    PLATFORM = "platform", _("Signed-in users of the platform")
    COALITION = "coalition", _("Members of the coalition")
    MEETING = "meeting", _("Participants in the meeting")
    CHOSEN = "chosen", _("Chosen organisations")
    ORGANISATION = "organisation", _("The owning organisation")

    @classmethod
    def subset(cls, *levels: str, labels: Mapping[str, Any] | None = None) -> list[tuple[str, Any]]:
        """Choices for a model field that uses only ``levels`` (in the vocabulary's order), with
        optional wording for this kind of object (``labels``: level → label)."""
        wanted = set(levels)
        unknown = wanted - set(cls.values)
        if unknown:
            raise ValueError(f"Not visibility levels: {sorted(unknown)}")
        return [(value, (labels or {}).get(value, label)) for value, label in cls.choices if value in wanted]


VISIBILITY_MAX_LENGTH = 20


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_coordinator(user: Any) -> bool:
    """CCM Coordinators / ISU and administrators see across States."""
    return is_signed_in(user) and user.platform_role in ("coordinator", "administrator")


def shared_audience(user: Any) -> str:
    """A name for the readers who see exactly the same rows of the funding ledger, the needs and the
    completion plans, so that a figure computed from those rows for one of them may be served to the others
    from the shared cache (``ccm.core.cache``): "everything" for coordinators (their policies show them every
    row of the three), "public" for readers not signed in, and for anyone else the organisations they belong
    to (with each one's kind and State: what the three policies read; the role in it changes nothing they
    see). tests/core/test_shared_audience.py holds the policies to this."""
    if is_coordinator(user):
        return "everything"
    if not is_signed_in(user):
        return "public"
    held = sorted({(org, kind, state or 0) for org, _role, kind, state in memberships(user)})
    return "members:" + ";".join(f"{org}/{kind}/{state}" for org, kind, state in held)


def shares_pages(audience: str) -> bool:
    """Whether a page part may be shared by this audience's readers (``{% shared_fragment %}``): only for
    readers not signed in and for coordinators. Members of the same organisations see the same rows but not
    the same page: their role decides which actions it offers."""
    return audience in ("public", "everything")


def reader_key(user: Any) -> tuple[object, ...]:
    """What a value computed from what ``user`` may see is kept under in the shared cache: the shared
    audience for readers not signed in and for coordinators (``shares_pages``), and otherwise the one
    person (``person_key``), never shared with another."""
    audience = shared_audience(user)
    if shares_pages(audience):
        return (audience, sorted(organisation_ids(user)) if audience != "public" else [])
    return person_key(user)


def person_key(user: Any) -> tuple[object, ...]:
    """What a value kept for one signed-in person is keyed by: their id, platform role, and memberships with
    their roles (which decide what the person sees and which actions a page offers them)."""
    return ("person", user.pk, user.platform_role, sorted(memberships(user)))


def is_administrator(user: Any) -> bool:
    return is_signed_in(user) and user.platform_role == "administrator"


def memberships(user: Any) -> list[tuple[int, str, str, int | None]]:
    """The user's memberships of active organisations as ``(organisation id, role, organisation kind,
    State id)``: one query, cached on the user object for the request, which every helper below reads."""
    if not is_signed_in(user):
        return []
    cached: list[tuple[int, str, str, int | None]] | None = user.__dict__.get("_ccm_memberships")
    if cached is None:
        cached = list(
            user.memberships.filter(organisation__is_active=True).values_list(
                "organisation_id", "role", "organisation__kind", "organisation__state_id"
            )
        )
        user.__dict__["_ccm_memberships"] = cached
    return cached


def organisation_ids(user: Any, roles: tuple[str, ...] | None = None) -> list[int]:
    """Ids of the organisations the user belongs to (optionally only with one of ``roles``)."""
    return [org for org, role, _kind, _state in memberships(user) if roles is None or role in roles]


def state_ids(user: Any, roles: tuple[str, ...] | None = None) -> list[int]:
    """Ids of the States whose government the user works for (through a State-government
    organisation), optionally only with one of ``roles``."""
    return sorted(
        {
            state
            for _org, role, kind, state in memberships(user)
            if kind == "state_government" and state is not None and (roles is None or role in roles)
        }
    )


class Permission:
    """What a role in an organisation allows (``ROLE_PERMISSIONS``); each policy action needs one."""

    VIEW = "view"
    CHANGE = "change"
    MANAGE = "manage"


# The role → permission matrix, declared once (the roles are ``ccm.accounts.models.Role``; checked by
# tests/accounts/test_memberships.py). Every policy asks it, through ``roles_with``.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({Permission.VIEW}),
    "editor": frozenset({Permission.VIEW, Permission.CHANGE}),
    "manager": frozenset({Permission.VIEW, Permission.CHANGE, Permission.MANAGE}),
}


def roles_with(permission: str) -> tuple[str, ...]:
    """The roles whose members hold ``permission``."""
    return tuple(role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions)


EDITOR_ROLES = roles_with(Permission.CHANGE)
MANAGER_ROLES = roles_with(Permission.MANAGE)


def visibility_q(
    user: Any,
    *,
    visibility: str = "visibility",
    organisation: str | None = "organisation",
    coalition_members: str | None = None,
    meeting_participants: str | None = None,
    chosen: str | None = None,
) -> Q:
    """A filter for models with a ``Visibility`` field.

    ``organisation`` is the path to the owning organisation; ``coalition_members`` and
    ``meeting_participants`` are paths to the organisations that are members of the object's
    coalition or participants in its meeting; ``chosen`` the path to the organisations chosen on the
    object (a path through a many-to-many relation may repeat rows: add ``.distinct()``). A level
    whose path is not given is visible only to coordinators (and the owning organisation).
    Coordinators see everything.
    """
    if is_coordinator(user):
        return Q()
    allowed = Q(**{visibility: Visibility.PUBLIC})
    if not is_signed_in(user):
        return allowed
    orgs = organisation_ids(user)
    allowed |= Q(**{visibility: Visibility.PLATFORM})
    if organisation:
        allowed |= Q(**{f"{organisation}__in": orgs})
    if coalition_members:
        allowed |= Q(**{visibility: Visibility.COALITION, f"{coalition_members}__in": orgs})
    if meeting_participants:
        allowed |= Q(**{visibility: Visibility.MEETING, f"{meeting_participants}__in": orgs})
    if chosen:
        allowed |= Q(**{visibility: Visibility.CHOSEN, f"{chosen}__in": orgs})
    return allowed


class Policy(Generic[M]):
    """Base class. A subclass sets ``model``, declares its ``actions`` and implements ``objects_for``
    (and ``allows`` when a cheaper check than a query is wanted).

    Deny by default: an action the policy does not declare is refused — ``can`` answers False and
    ``visible_to`` an empty QuerySet — whoever asks, administrators included.
    """

    model: type[M]
    #: Every action the policy answers, with the role permission (``ROLE_PERMISSIONS``) it needs from
    #: the member of the organisation concerned (the State's government, the funder, the donor...).
    actions: ClassVar[Mapping[str, str]] = {}

    def visible_to(self, user: Any, action: str = Action.VIEW) -> QuerySet[M]:
        """The objects ``user`` may take ``action`` on: with "view" (the default), those they may see."""
        if action not in self.actions:
            return self.model._default_manager.none()
        return self.objects_for(user, action)

    def can(self, user: Any, action: str, obj: M) -> bool:
        """Whether ``user`` may take ``action`` on ``obj``; always the same answer as ``visible_to``."""
        if action not in self.actions:
            return False
        return self.allows(user, action, obj)

    def objects_for(self, user: Any, action: str) -> QuerySet[M]:
        """The objects ``user`` may take the declared ``action`` on."""
        return self.model._default_manager.none()

    def allows(self, user: Any, action: str, obj: M) -> bool:
        """Whether ``user`` may take the declared ``action`` on ``obj`` (by default: ``obj`` is among
        ``objects_for``; a subclass may answer without a query, as long as the answers agree)."""
        if obj.pk is None:
            return False
        return self.objects_for(user, action).filter(pk=obj.pk).exists()

    def roles_for(self, action: str) -> tuple[str, ...]:
        """The roles that hold the permission ``action`` needs (none for an undeclared action)."""
        permission = self.actions.get(action)
        return roles_with(permission) if permission else ()


class PublicReadPolicy(Policy[M]):
    """Everyone may see every row; only administrators change them (through the admin)."""

    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.MANAGE,
        Action.DELETE: Permission.MANAGE,
    }

    def __init__(self, model: type[M]):
        self.model = model

    def objects_for(self, user: Any, action: str) -> QuerySet[M]:
        if action == Action.VIEW or is_administrator(user):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def allows(self, user: Any, action: str, obj: M) -> bool:
        return action == Action.VIEW or is_administrator(user)


def get_for_user(policy: Policy[M], user: Any, queryset: QuerySet[M] | None = None, **lookup: Any) -> M:
    """The object matching ``lookup`` among those ``user`` may see; 404 otherwise (missing or hidden)."""
    visible = policy.visible_to(user)
    if queryset is not None:
        visible = visible & queryset
    obj = visible.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_for_action(policy: Policy[M], user: Any, action: str, queryset: QuerySet[M] | None = None, **lookup: Any) -> M:
    """As ``get_for_user``, then 403 if the user may see the object but not take ``action`` on it."""
    obj = get_for_user(policy, user, queryset, **lookup)
    if not policy.can(user, action, obj):
        raise PermissionDenied
    return obj


class AuditEntryPolicy(Policy[Any]):
    """Coordinators see every entry (but those about an object of a model registered ``strict`` that
    they may not see: a closed meeting's notes); an organisation's managers see the entries about it — except
    those about an object they may not see themselves (e.g. their organisation's response on a need
    whose chosen donors no longer include it). Who sees an object is the policy its app registered
    with ``ccm.core.audit.register_model``; an entry about a model without one, or about no object,
    follows the organisation alone."""

    actions: ClassVar[Mapping[str, str]] = {Action.VIEW: Permission.MANAGE}

    def __init__(self) -> None:
        from ccm.core.models import AuditEntry

        self.model = AuditEntry

    def objects_for(self, user: Any, action: str) -> QuerySet[Any]:
        if is_coordinator(user):
            return self.model.objects.filter(_strict_objects_visible_to(user))
        managed = organisation_ids(user, self.roles_for(action))
        if not managed:
            return self.model.objects.none()
        return self.model.objects.filter(Q(organisation_id__in=managed) & _audited_objects_visible_to(user))


def _audited_objects_visible_to(user: Any) -> Q:
    """Entries about no object, about a model without a registered policy, or about an object of a
    registered model that ``user`` may see (an object that no longer exists counts as unseen)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from ccm.core.audit import audience_policies

    pairs = audience_policies()
    if not pairs:
        return Q()
    types = ContentType.objects.get_for_models(*(model for model, _policy in pairs))
    allowed = Q(content_type__isnull=True) | ~Q(content_type__in=list(types.values()))
    for model, policy in pairs:
        ids = policy.visible_to(user).annotate(audit_object_id=Cast("pk", CharField())).values("audit_object_id")
        allowed |= Q(content_type=types[model], object_id__in=ids)
    return allowed


def _strict_objects_visible_to(user: Any) -> Q:
    """For coordinators: every entry but those about an object of a model registered ``strict`` that
    ``user`` may not see (a closed meeting's notes are not for every coordinator)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from ccm.core.audit import strict_audience_policies

    pairs = strict_audience_policies()
    if not pairs:
        return Q()
    types = ContentType.objects.get_for_models(*(model for model, _policy in pairs))
    allowed = Q(content_type__isnull=True) | ~Q(content_type__in=list(types.values()))
    for model, policy in pairs:
        ids = policy.visible_to(user).annotate(audit_object_id=Cast("pk", CharField())).values("audit_object_id")
        allowed |= Q(content_type=types[model], object_id__in=ids)
    return allowed


audit_entries = AuditEntryPolicy()
