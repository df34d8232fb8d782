"""Writes of the funding ledger (ccm.funding.services)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ccm.funding import services
from ccm.funding import services as funding
from ccm.funding.models import FundingFlow
from ccm.needs.models import Response
from tests.factories import NeedFactory
from tests.personas import organisation

pytestmark = pytest.mark.django_db


def test_a_confidential_ledger_pledge_cannot_enter_a_public_thread(lebanon):
    need = NeedFactory()
    with pytest.raises(ValidationError, match="kept for coordinators"):
        funding.flow_create(
            funder=organisation("io"),
            recipient_state=lebanon,
            pillar="clearance",
            stage="pledge",
            amount=Decimal("100"),
            currency="USD",
            value_date=date(2025, 1, 6),
            need=need,
            visibility="organisation",
            actor=None,
        )
    assert not Response.objects.filter(need=need).exists() and not FundingFlow.objects.exists()


def test_a_ledger_pledge_beyond_the_unfunded_amount_is_refused_and_writes_nothing(lebanon, need):
    with pytest.raises(ValidationError, match=r"unfunded 1,000,000\S*EUR"):
        services.flow_create(
            funder=organisation("io"),
            recipient_state=lebanon,
            pillar="clearance",
            stage="pledge",
            amount=Decimal("1000001"),
            currency="EUR",
            value_date=date(2021, 5, 25),
            need=need,
            actor=None,
        )
    assert not FundingFlow.objects.exists()
    with pytest.raises(ValidationError, match="need's currency"):
        services.flow_create(
            funder=organisation("io"),
            recipient_state=lebanon,
            pillar="clearance",
            stage="pledge",
            amount=Decimal("10"),
            currency="USD",
            value_date=date(2021, 5, 25),
            need=need,
            actor=None,
        )
