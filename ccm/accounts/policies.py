"""Who may see and do what with organisations, memberships, invitations and API tokens.

What each role allows is ``ROLE_PERMISSIONS``; every action below names the permission it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet

from ccm.accounts.models import ROLE_PERMISSIONS, ApiToken, Invitation, Membership, Organisation, Role
from ccm.core.policies import (
    Action,
    Permission,
    Policy,
    is_administrator,
    is_coordinator,
    is_signed_in,
    organisation_ids,
)


def role_in(user: Any, organisation_id: int) -> str | None:
    if not is_signed_in(user):
        return None
    for role in (Role.MANAGER, Role.EDITOR, Role.VIEWER):
        if organisation_id in organisation_ids(user, (role,)):
            return role
    return None


def _holds(user: Any, organisation_id: int, permission: str) -> bool:
    role = role_in(user, organisation_id)
    return role is not None and permission in ROLE_PERMISSIONS[role]


class OrganisationPolicy(Policy[Organisation]):
    """Signed-in users see the list of organisations; members and coordinators see inside one;
    editors change it, managers manage its members; administrators may do all three."""

    model = Organisation
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.CHANGE,
        Action.MANAGE: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Organisation]:
        if not is_signed_in(user):
            return Organisation.objects.none()
        if is_administrator(user):
            return Organisation.objects.all()
        if action == Action.VIEW:
            return Organisation.objects.filter(is_active=True)
        return Organisation.objects.filter(is_active=True, pk__in=organisation_ids(user, self.roles_for(action)))

    def members_visible_to(self, user: Any) -> QuerySet[Organisation]:
        """Organisations whose inside (members, invitations) the user may see: their own, or all for
        coordinators. Anything else answers 404, exactly like an organisation that does not exist."""
        if is_coordinator(user):
            return self.visible_to(user)
        return self.visible_to(user).filter(pk__in=organisation_ids(user))

    def allows(self, user: Any, action: str, obj: Organisation) -> bool:
        if not is_signed_in(user):
            return False
        if is_administrator(user):
            return True
        if not obj.is_active:
            return False
        return action == Action.VIEW or _holds(user, obj.pk, self.actions[action])


class MembershipPolicy(Policy[Membership]):
    """Members see their organisations' members; coordinators see all; managers (and
    administrators) change them."""

    model = Membership
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.MANAGE,
        Action.MANAGE: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Membership]:
        if not is_signed_in(user):
            return Membership.objects.none()
        if is_administrator(user) or (action == Action.VIEW and is_coordinator(user)):
            return Membership.objects.all()
        return Membership.objects.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Membership) -> bool:
        if action == Action.VIEW:
            return super().allows(user, action, obj)
        return is_administrator(user) or _holds(user, obj.organisation_id, self.actions[action])


class InvitationPolicy(Policy[Invitation]):
    """Only an organisation's managers (and administrators) see and revoke its invitations."""

    model = Invitation
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.MANAGE,
        Action.CHANGE: Permission.MANAGE,
        Action.MANAGE: Permission.MANAGE,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[Invitation]:
        if is_administrator(user):
            return Invitation.objects.all()
        return Invitation.objects.filter(organisation_id__in=organisation_ids(user, self.roles_for(action)))

    def allows(self, user: Any, action: str, obj: Invitation) -> bool:
        return is_administrator(user) or _holds(user, obj.organisation_id, self.actions[action])


class ApiTokenPolicy(Policy[ApiToken]):
    """A token belongs to its user alone: they see and revoke it."""

    model = ApiToken
    actions: ClassVar[Mapping[str, str]] = {
        Action.VIEW: Permission.VIEW,
        Action.CHANGE: Permission.VIEW,
        Action.DELETE: Permission.VIEW,
    }

    def objects_for(self, user: Any, action: str) -> QuerySet[ApiToken]:
        if not is_signed_in(user):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=user)

    def allows(self, user: Any, action: str, obj: ApiToken) -> bool:
        return is_signed_in(user) and obj.user_id == user.pk


organisations = OrganisationPolicy()
memberships = MembershipPolicy()
invitations = InvitationPolicy()
api_tokens = ApiTokenPolicy()
