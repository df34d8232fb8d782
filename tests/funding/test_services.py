"""Writes of the funding ledger (ccm.funding.services)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

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
