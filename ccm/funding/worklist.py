"""What waits for donors in the funding ledger: pledges to confirm as commitments (worklist)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core import worklist
from ccm.core.policies import EDITOR_ROLES, organisation_ids
from ccm.core.templatetags.ccm import date_filter, money
from ccm.funding import selectors

PLEDGES = "funding.pledges"


def pledges_to_confirm(user: Any, today: date) -> list[worklist.WorkItem]:
    """The pledges in the ledger that the user's organisations (where the user may record flows) made and
    have recorded no commitment against yet; each links to the form that records the commitment."""
    mine = organisation_ids(user, EDITOR_ROLES)
    if not mine:
        return []
    pledges = selectors.pledges_awaiting_commitment(user).filter(funder_id__in=mine)[: worklist.ITEMS_PER_GROUP + 1]
    items = []
    for pledge in pledges:
        place = pledge.recipient_state.display_name if pledge.recipient_state else pledge.recipient_label
        need = pledge.need if getattr(pledge, "need_visible", False) else None
        title = f"{place}: {need.title}" if need is not None else place
        items.append(
            worklist.WorkItem(
                title=title,
                url=reverse("funding:flow-follow", args=[pledge.pk]),
                kind=PLEDGES,
                detail=_("%(donor)s pledged %(amount)s on %(date)s: record the commitment")
                % {
                    "donor": pledge.funder_name or pledge.funder_ref,
                    "amount": money(pledge.amount, pledge.currency),
                    "date": date_filter(pledge.value_date),
                },
            )
        )
    return items


worklist.register(PLEDGES, gettext_lazy("Pledges to confirm as commitments"), pledges_to_confirm, order=32)
