"""What waits for donors in the funding ledger: pledges to confirm as commitments (worklist)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core import worklist
from ccm.core.policies import EDITOR_ROLES, organisation_ids
from ccm.funding.models import FundingFlow, Stage
from ccm.needs import policies as need_policies
from ccm.needs.models import ResponseKind

PLEDGES = "funding.pledges"


def pledges_to_confirm(user: Any, today: date) -> list[worklist.WorkItem]:
    """The pledges the user's organisations made on needs with no commitment recorded against them.
    Today a pledge is a response on a need; when the ledger holds pledges, this reads
    ``ccm.funding.selectors.pledges_awaiting_commitment(user)`` instead."""
    mine = organisation_ids(user, EDITOR_ROLES)
    if not mine:
        return []
    committed = FundingFlow.objects.filter(
        need_id=OuterRef("need_id"), funder_id=OuterRef("organisation_id"), stage=Stage.COMMITMENT
    )
    pledges = (
        need_policies.responses.visible_to(user)
        .filter(kind=ResponseKind.PLEDGE, organisation_id__in=mine, need__withdrawn_at__isnull=True)
        .exclude(Exists(committed))
        .select_related("need", "need__state", "organisation")
        .order_by("created_at")
    )
    return [
        worklist.WorkItem(
            title=f"{pledge.need.state.name}: {pledge.need.title}",
            url=reverse("funding:flow-new"),
            kind=PLEDGES,
            detail=_("%(donor)s pledged %(amount)s on %(date)s: record the commitment")
            % {
                "donor": pledge.organisation.name,
                "amount": f"{pledge.amount:,.2f} {pledge.need.currency}" if pledge.amount else _("in kind"),
                "date": date_format(pledge.created_at, "j M Y"),
            },
        )
        for pledge in pledges
    ]


worklist.register(PLEDGES, gettext_lazy("Pledges to confirm as commitments"), pledges_to_confirm, order=32)
