"""Reads for accounts pages, always through the policies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from ccm.accounts import policies
from ccm.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from ccm.core.deidentify import Term, fold
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


# --- Names that identify an organisation or a person (for ``ccm.core.deidentify``) ----------------

_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "Clearance Operator (demo)" -> "Clearance Operator"


def _organisation_words(organisation: Organisation) -> list[str]:
    name = organisation.name.strip()
    words = [name, _TRAILING_NOTE.sub("", name)]
    slug = organisation.slug.strip()
    if slug and "-" not in slug and len(slug) <= 6:
        words.append(slug.upper())  # a short name such as "mag" is an acronym: "MAG"
    elif slug and fold(slug.replace("-", " ")) != fold(words[-1]):
        words.append(slug.replace("-", " "))
    initials = [w[0] for w in re.findall(r"[^\W\d_][\w'-]*", words[1]) if w[0].isupper()]
    if 3 <= len(initials) <= 6:
        words.append("".join(initials))  # "Lebanon Mine Action Centre" -> "LMAC"
    return [w for w in dict.fromkeys(words) if w]


def identity_terms_for(*, organisations: Iterable[Organisation] = (), users: Iterable[User] = ()) -> list[Term]:
    """The words that identify these organisations (name, name without a trailing note such as
    "(demo)", short name, initials) and people (full name; the check also finds the surname alone).
    One query per argument given as a queryset, none for lists."""
    terms: list[Term] = []
    for organisation in organisations:
        for text in _organisation_words(organisation):
            terms.append(Term(text=text, kind="organisation", participant=organisation.name))
    for user in users:
        name = " ".join(user.full_name.split())
        if name:
            terms.append(Term(text=name, kind="person", participant=name))
    return list(dict.fromkeys(terms))
