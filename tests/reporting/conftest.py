from datetime import date

import pytest

from ccm.reporting import services
from ccm.states.models import State


@pytest.fixture
def lebanon_with_baseline():
    """Lebanon with a clearance baseline of 10 km² at the end of 2015."""
    state = State.objects.get(iso3="LBN")
    services.baseline_add(
        obligation=state.obligations.get(kind="clearance"),
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=10_000_000,
        source="test",
        actor=None,
    )
    return state
