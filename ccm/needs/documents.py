"""Needs and responses take attachments (a State's government endorsement, a donor's letter).

A need's documents are seen by whoever sees the need and attached by whoever may change it (its
State's editors and managers); a response's by whoever sees the thread, attached by the editors and
managers of the organisation that wrote it. Imported by ``NeedsConfig.ready``.
"""

from __future__ import annotations

from django.urls import reverse

from ccm.core.documents import registry
from ccm.needs import policies
from ccm.needs.models import Need, Response
from ccm.states.selectors import government_organisation_id


def _need_url(need: Need) -> str:
    return reverse("needs:detail", args=[need.pk]) + f"#documents-needs-need-{need.pk}"


def _response_url(response: Response) -> str:
    return reverse("needs:detail", args=[response.need_id]) + f"#response-{response.pk}"


registry.register(
    Need,
    policy=policies.needs,
    page_url=_need_url,
    organisation_id=lambda need: government_organisation_id(need.state),
)
registry.register(
    Response,
    policy=policies.responses,
    page_url=_response_url,
    organisation_id=lambda response: response.organisation_id,
)
