from datetime import date

import pytest

from ccm.states.models import State
from tests.factories import NeedFactory


@pytest.fixture
def lebanon():
    return State.objects.get(iso3="LBN")


@pytest.fixture
def need(lebanon):
    return NeedFactory(state=lebanon, title="Teams", currency="EUR", starts_on=date(2021, 1, 1))
