"""The library's panel on a need's page: suggested practices and offers, with why, and a button to
propose one's own offer as a response. Registered with ``ccm.needs.panels`` by ``LibraryConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.core.clock import today
from ccm.library import suggestions
from ccm.library.models import OfferProposal
from ccm.needs import panels
from ccm.needs import policies as need_policies
from ccm.needs.models import Need


def need_panel(request: HttpRequest, need: Need) -> panels.Panel | None:
    user = request.user
    day = today()
    # the organisations whose offers the viewer may propose here (no query for those who respond for none)
    own = set(need_policies.responding_organisation_ids(user, need))
    if own and not need_policies.needs.can(user, need_policies.RESPOND, need):
        own = set()
    practices = suggestions.practices_for(need, user=user)
    offers = suggestions.offers_for(need, user=user, today=day, own=own)
    if not practices and not offers:
        return None
    mine = [s.item.pk for s in offers if s.item.organisation_id in own]
    proposed = (
        set(OfferProposal.objects.filter(need=need, offer_id__in=mine).values_list("offer_id", flat=True))
        if mine
        else set()
    )
    rows: list[dict[str, Any]] = [
        {
            "suggestion": s,
            "offer": s.item,
            "proposed": s.item.pk in proposed,
            "may_propose": s.item.pk in mine and s.item.pk not in proposed,
        }
        for s in offers
    ]
    return panels.Panel(
        template="library/need_panel.html",
        context={"need": need, "practices": practices, "offers": rows},
    )


def register() -> None:
    panels.register("library.suggestions", need_panel, order=50)
