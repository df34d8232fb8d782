"""What waits for people around consultations (registered with ``ccm.core.worklist``): the editors and
managers of an organisation asked in an open campaign it has not submitted yet."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.consultations import selectors
from ccm.core import worklist
from ccm.core.policies import EDITOR_ROLES, organisation_ids
from ccm.core.templatetags.ccm import date_filter

TO_ANSWER = "consultations.to_answer"


def campaigns_to_answer(user: Any, today: date) -> list[worklist.WorkItem]:
    if not organisation_ids(user, EDITOR_ROLES):
        return []
    return [
        worklist.WorkItem(
            title=f"{row.organisation.name}: {row.campaign.title}",
            url=reverse("consultations:answer", kwargs={"pk": row.campaign.pk, "org": row.organisation.slug}),
            kind=TO_ANSWER,
            detail=(_("Draft saved; closes %(date)s") if row.status == "draft" else _("Not started; closes %(date)s"))
            % {"date": date_filter(row.campaign.closes_on)},
            due=row.campaign.closes_on,
        )
        for row in selectors.to_answer(user=user, today=today)
    ]


worklist.register(TO_ANSWER, gettext_lazy("Consultations to answer"), campaigns_to_answer, order=15)
