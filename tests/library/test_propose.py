"""An offer proposed as a response to a need, in one step from the need's page: a response of kind
offer in the thread and a recorded proposal, once per offer and need, audited; refused (nothing
written) when the proposer is not the offering organisation, the need is not open, or it was done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccm.core import clock
from ccm.core.models import AuditEntry
from ccm.library import services
from ccm.library.models import OfferProposal
from ccm.needs import services as need_services
from ccm.needs.models import Response, ResponseKind
from tests.factories import NeedFactory
from tests.library.helpers import offer_values
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def _need(**kwargs):
    return NeedFactory(
        title="Information-management adviser",
        description="An adviser for clearance records.",
        pillar="clearance",
        modality="technical_expertise",
        **kwargs,
    )


def _offer(org: str = "operator", **values):
    return services.offer_save(organisation=organisation(org), values=offer_values(**values), actor=None)


def _propose(name: str, offer, need):
    return persona(name).client().post(reverse("library:offer-propose", args=[offer.pk, need.pk]))


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_donor_turns_its_offer_into_a_response_from_the_need_page():
    need, offer = _need(), _offer()
    client = persona("operator_editor").client()
    page = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert reverse("library:offer-propose", args=[offer.pk, need.pk]) in page
    response = client.post(reverse("library:offer-propose", args=[offer.pk, need.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("needs:detail", args=[need.pk])
    assert "Your offer is proposed in the need's thread." in _messages(response)
    proposal = OfferProposal.objects.get(offer=offer, need=need)
    assert proposal.response.kind == ResponseKind.OFFER
    assert proposal.response.organisation == organisation("operator")
    assert offer.title in proposal.response.message
    assert AuditEntry.objects.filter(action="offer.propose", object_id=str(offer.pk)).exists()
    assert AuditEntry.objects.filter(action="response.add_offer").exists()
    # the State sees it in the thread; the proposer's panel now says it was proposed
    thread = persona("state_viewer").client().get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert offer.title in thread
    again = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "Your organisation proposed this offer in the thread." in again
    # and the offer's page lists the need
    assert need.title in client.get(reverse("library:offer", args=[offer.pk])).content.decode()


def test_the_same_offer_is_proposed_once_per_need():
    need, offer = _need(), _offer()
    assert _propose("operator_editor", offer, need).status_code == 302
    response = _propose("operator_manager", offer, need)
    assert response.status_code == 302
    assert "This offer was already proposed for this need." in _messages(response)
    assert OfferProposal.objects.count() == 1
    assert Response.objects.filter(need=need, kind=ResponseKind.OFFER).count() == 1


@pytest.mark.parametrize("name", ["operator_viewer", "io_editor", "state_manager", "coordinator", "outsider"])
def test_only_the_offering_organisations_editors_propose(name):
    need, offer = _need(), _offer()
    assert _propose(name, offer, need).status_code == 403
    assert not OfferProposal.objects.exists() and not Response.objects.filter(kind=ResponseKind.OFFER).exists()


def test_a_need_that_is_withdrawn_or_a_draft_accepts_no_proposal():
    offer = _offer()
    withdrawn = _need()
    need_services.need_withdraw(need=withdrawn, actor=None)
    response = _propose("operator_editor", offer, withdrawn)
    assert response.status_code == 302
    assert any("withdrawn" in m or "no responses" in m for m in _messages(response))
    draft = _need(published=False)
    assert _propose("operator_editor", offer, draft).status_code == 404  # a draft is not visible to donors
    assert not OfferProposal.objects.exists() and not Response.objects.filter(kind=ResponseKind.OFFER).exists()


def test_an_expired_or_withdrawn_offer_cannot_be_proposed():
    need = _need()
    past = clock.today() - timedelta(days=50)
    expired = services.offer_save(
        organisation=organisation("operator"),
        values=offer_values(expires_on=past + timedelta(days=1)),
        actor=None,
        today=past,
    )
    withdrawn = _offer()
    services.offer_withdraw(offer=withdrawn, actor=None)
    for offer in (expired, withdrawn):
        response = _propose("operator_editor", offer, need)
        assert "This offer is no longer offered." in _messages(response)
    assert not OfferProposal.objects.exists()


def test_a_state_cannot_propose_its_own_offer_on_its_own_need():
    need = _need()
    offer = _offer("state")
    with pytest.raises(ValidationError):
        services.offer_propose(offer=offer, need=need, actor=persona("state_editor").user)
    assert _propose("state_editor", offer, need).status_code == 302
    assert not OfferProposal.objects.exists()
