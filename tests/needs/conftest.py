from decimal import Decimal

import pytest

from ccm.states.models import State
from tests.factories import DonorProfileFactory


@pytest.fixture
def lebanon():
    return State.objects.get(iso3="LBN")


@pytest.fixture
def io_donor():
    """The international organisation persona's organisation, with a donor profile for clearance in Asia."""
    return DonorProfileFactory(priority_regions=["asia"], currency="USD", grant_min=Decimal("1000"))
