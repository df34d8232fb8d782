"""Access policies: one per model, answering both "what may this user see?" and "may they do this?".

Every page, API endpoint, export and analysis resolves objects through a policy:

- ``policy.visible_to(user)`` → the QuerySet the user may see (lists, search, exports, analytics);
- ``policy.can(user, action, obj)`` → whether the user may take ``action`` on a visible object;
- ``get_for_user(policy, user, **lookup)`` → the object, or 404 when it is missing *or* not visible
  (the two are indistinguishable by design);
- ``get_for_action(policy, user, action, **lookup)`` → as above, then 403 when the object is visible
  but the action is not allowed.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

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
    """Who may see an object, from the widest to the narrowest circle."""

    PUBLIC = "public", _("Public")
    PLATFORM = "platform", _("Signed-in users of the platform")
    COALITION = "coalition", _("Members of the coalition")
    MEETING = "meeting", _("Participants in the meeting")
    ORGANISATION = "organisation", _("The owning organisation")


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_coordinator(user: Any) -> bool:
    """CCM Coordinators / ISU and administrators see across States."""
    return is_signed_in(user) and user.platform_role in ("coordinator", "administrator")


def is_administrator(user: Any) -> bool:
    return is_signed_in(user) and user.platform_role == "administrator"


def organisation_ids(user: Any, roles: tuple[str, ...] | None = None) -> list[int]:
    """Ids of the organisations the user belongs to (optionally only with one of ``roles``).

    Cached on the user object for the request, so a page asks the database once.
    """
    if not is_signed_in(user):
        return []
    cache: dict[tuple[str, ...] | None, list[int]] = user.__dict__.setdefault("_ccm_org_ids", {})
    if roles not in cache:
        memberships = user.memberships.filter(organisation__is_active=True)
        if roles is not None:
            memberships = memberships.filter(role__in=roles)
        cache[roles] = list(memberships.values_list("organisation_id", flat=True))
    return cache[roles]


def state_ids(user: Any, roles: tuple[str, ...] | None = None) -> list[int]:
    """Ids of the States whose government the user works for (through a State-government
    organisation), optionally only with one of ``roles``. Cached for the request like
    ``organisation_ids``."""
    if not is_signed_in(user):
        return []
    cache: dict[tuple[str, ...] | None, list[int]] = user.__dict__.setdefault("_ccm_state_ids", {})
    if roles not in cache:
        memberships = user.memberships.filter(
            organisation__is_active=True, organisation__kind="state_government", organisation__state__isnull=False
        )
        if roles is not None:
            memberships = memberships.filter(role__in=roles)
        cache[roles] = sorted(set(memberships.values_list("organisation__state_id", flat=True)))
    return cache[roles]


EDITOR_ROLES = ("editor", "manager")
MANAGER_ROLES = ("manager",)


def visibility_q(
    user: Any,
    *,
    visibility: str = "visibility",
    organisation: str | None = "organisation",
    coalition_members: str | None = None,
    meeting_participants: str | None = None,
) -> Q:
    """A filter for models with a ``Visibility`` field.

    ``organisation`` is the path to the owning organisation; ``coalition_members`` and
    ``meeting_participants`` are paths to the organisations that are members of the object's
    coalition or participants in its meeting. A level whose path is not given is visible only to
    coordinators (and the owning organisation). Coordinators see everything.
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
    return allowed


class Policy(Generic[M]):
    """Base class: subclasses set ``model`` and implement ``visible_to`` and ``can``."""

    model: type[M]

    def visible_to(self, user: Any) -> QuerySet[M]:
        raise NotImplementedError

    def can(self, user: Any, action: str, obj: M) -> bool:
        raise NotImplementedError


class PublicReadPolicy(Policy[M]):
    """Everyone may see every row; only administrators change them (through the admin)."""

    def __init__(self, model: type[M]):
        self.model = model

    def visible_to(self, user: Any) -> QuerySet[M]:
        return self.model._default_manager.all()

    def can(self, user: Any, action: str, obj: M) -> bool:
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
    """Coordinators see every entry; an organisation's managers see the entries about it — except
    those about an object they may not see themselves (e.g. their organisation's response on a need
    whose chosen donors no longer include it). Who sees an object is the policy its app registered
    with ``ccm.core.audit.register_model``; an entry about a model without one, or about no object,
    follows the organisation alone."""

    def __init__(self) -> None:
        from ccm.core.models import AuditEntry

        self.model = AuditEntry

    def visible_to(self, user: Any) -> QuerySet[Any]:
        if is_coordinator(user):
            return self.model.objects.all()
        managed = organisation_ids(user, ("manager",))
        if not managed:
            return self.model.objects.none()
        return self.model.objects.filter(Q(organisation_id__in=managed) & _audited_objects_visible_to(user))

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == Action.VIEW and self.visible_to(user).filter(pk=obj.pk).exists()


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


audit_entries = AuditEntryPolicy()
