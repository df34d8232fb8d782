"""Reads for accounts pages, always through the policies."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from ccm.accounts import policies
from ccm.accounts.models import ApiToken, Invitation, Membership, Organisation
from ccm.core.policies import is_coordinator, organisation_ids


def organisations_for_user(*, user: Any) -> QuerySet[Organisation]:
    """The user's own organisations; coordinators get every organisation."""
    queryset = (
        policies.organisations.visible_to(user).select_related("state").annotate(member_count=Count("memberships"))
    )
    if is_coordinator(user):
        return queryset
    return queryset.filter(pk__in=organisation_ids(user))


def members_of(*, organisation: Organisation, user: Any) -> QuerySet[Membership]:
    return policies.memberships.visible_to(user).filter(organisation=organisation).select_related("user")


def open_invitations_of(*, organisation: Organisation, user: Any) -> QuerySet[Invitation]:
    return (
        policies.invitations.visible_to(user)
        .filter(organisation=organisation, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
        .select_related("invited_by")
    )


def api_tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    return policies.api_tokens.visible_to(user)
