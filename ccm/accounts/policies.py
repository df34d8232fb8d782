"""Who may see and do what with organisations, memberships, invitations and API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ccm.accounts.models import ROLE_PERMISSIONS, ApiToken, Invitation, Membership, Organisation, Role
from ccm.core.policies import Action, Policy, is_administrator, is_coordinator, is_signed_in, organisation_ids


def role_in(user: Any, organisation_id: int) -> str | None:
    if not is_signed_in(user):
        return None
    for role in (Role.MANAGER, Role.EDITOR, Role.VIEWER):
        if organisation_id in organisation_ids(user, (role,)):
            return role
    return None


class OrganisationPolicy(Policy[Organisation]):
    """Signed-in users see the list of organisations; members and coordinators see inside one."""

    model = Organisation

    def visible_to(self, user: Any) -> QuerySet[Organisation]:
        if not is_signed_in(user):
            return Organisation.objects.none()
        if is_administrator(user):
            return Organisation.objects.all()
        return Organisation.objects.filter(is_active=True)

    def members_visible_to(self, user: Any) -> QuerySet[Organisation]:
        """Organisations whose inside (members, invitations) the user may see: their own, or all for
        coordinators. Anything else answers 404, exactly like an organisation that does not exist."""
        if is_coordinator(user):
            return self.visible_to(user)
        return self.visible_to(user).filter(pk__in=organisation_ids(user))

    def can(self, user: Any, action: str, obj: Organisation) -> bool:
        if is_administrator(user):
            return True
        role = role_in(user, obj.pk)
        if action == Action.VIEW:
            return is_signed_in(user)
        return role is not None and action in ROLE_PERMISSIONS[role]


class MembershipPolicy(Policy[Membership]):
    """Members see their organisations' members; coordinators see all; managers change them."""

    model = Membership

    def visible_to(self, user: Any) -> QuerySet[Membership]:
        if not is_signed_in(user):
            return Membership.objects.none()
        if is_coordinator(user):
            return Membership.objects.all()
        return Membership.objects.filter(organisation_id__in=organisation_ids(user))

    def can(self, user: Any, action: str, obj: Membership) -> bool:
        if action == Action.VIEW:
            return self.visible_to(user).filter(pk=obj.pk).exists()
        return is_administrator(user) or role_in(user, obj.organisation_id) == Role.MANAGER


class InvitationPolicy(Policy[Invitation]):
    """Only an organisation's managers (and administrators) see and revoke its invitations."""

    model = Invitation

    def visible_to(self, user: Any) -> QuerySet[Invitation]:
        if is_administrator(user):
            return Invitation.objects.all()
        return Invitation.objects.filter(organisation_id__in=organisation_ids(user, (Role.MANAGER,)))

    def can(self, user: Any, action: str, obj: Invitation) -> bool:
        return is_administrator(user) or role_in(user, obj.organisation_id) == Role.MANAGER


class ApiTokenPolicy(Policy[ApiToken]):
    """A token belongs to its user alone."""

    model = ApiToken

    def visible_to(self, user: Any) -> QuerySet[ApiToken]:
        if not is_signed_in(user):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=user)

    def can(self, user: Any, action: str, obj: ApiToken) -> bool:
        return is_signed_in(user) and obj.user_id == user.pk


organisations = OrganisationPolicy()
memberships = MembershipPolicy()
invitations = InvitationPolicy()
api_tokens = ApiTokenPolicy()
