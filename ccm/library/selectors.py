"""Reads of the library for pages, API, exports and the need page's suggestions, always through the
policies (``ccm.library.policies``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from ccm.core.policies import EDITOR_ROLES, is_coordinator, organisation_ids
from ccm.library import policies
from ccm.library.models import Offer, Practice


@dataclass(frozen=True)
class PracticeFilters:
    pillar: str = ""
    country: str = ""  # ISO3
    tag: str = ""
    language: str = ""


@dataclass(frozen=True)
class OfferFilters:
    kind: str = ""
    pillar: str = ""
    country: str = ""  # ISO3: offers for that country, or for any country
    include_expired: bool = False


def _tag_q(tag: str) -> Q:
    """A practice carrying ``tag`` (tags are stored lower-case, as a JSON list of strings). The JSON text is
    matched with the tag in quotes, as stored escaped (SQLite) and as printed (PostgreSQL)."""
    tag = " ".join(tag.lower().split())
    return Q(tags__icontains=json.dumps(tag)) | Q(tags__icontains=f'"{tag}"')


def practices(*, user: Any, filters: PracticeFilters | None = None) -> QuerySet[Practice]:
    """The practices ``user`` may see, filtered, newest first, with their organisation and countries."""
    f = filters or PracticeFilters()
    rows = policies.practices.visible_to(user)
    if f.pillar:
        rows = rows.filter(pillar=f.pillar)
    if f.language:
        rows = rows.filter(language=f.language)
    if f.country:
        rows = rows.filter(
            pk__in=Practice.countries.through.objects.filter(state__iso3=f.country).values("practice_id")
        )
    if f.tag:
        rows = rows.filter(_tag_q(f.tag))
    return rows.select_related("organisation").prefetch_related("countries").order_by("-published_on", "title", "pk")


def current_q(today: date) -> Q:
    """Offers still offered on ``today``."""
    return Q(withdrawn_at__isnull=True, expires_on__gte=today)


def offers(*, user: Any, today: date, filters: OfferFilters | None = None) -> QuerySet[Offer]:
    """The offers ``user`` may see, filtered: only those still offered unless ``include_expired`` (which adds
    the expired and withdrawn offers the policy shows them: their own organisation's, all for coordinators)."""
    f = filters or OfferFilters()
    rows = policies.offers.visible_to(user)
    if not f.include_expired:
        rows = rows.filter(current_q(today))
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.pillar:
        rows = rows.filter(pillar=f.pillar)
    if f.country:
        for_country = Offer.countries.through.objects.filter(state__iso3=f.country).values("offer_id")
        with_countries = Offer.countries.through.objects.values("offer_id")
        rows = rows.filter(Q(pk__in=for_country) | ~Q(pk__in=with_countries))
    return rows.select_related("organisation").prefetch_related("countries").order_by("expires_on", "title", "pk")


def may_see_expired(user: Any) -> bool:
    """Whether "include expired" means anything to ``user``: members of an organisation, coordinators."""
    return is_coordinator(user) or bool(organisation_ids(user))


def writing_organisation_ids(user: Any) -> list[int]:
    """The organisations ``user`` may write practices and offers for (as an editor or a manager)."""
    return organisation_ids(user, EDITOR_ROLES)
