from datetime import date

import pytest

from ccm.states.models import State


@pytest.fixture
def norway():
    """Bound from 1 August 2010 (initial report due 28 January 2011; first annual report for 2010)."""
    state = State.objects.get(iso3="NOR")
    assert state.entry_into_force == date(2010, 8, 1)
    return state


@pytest.fixture
def lebanon():
    """Bound from 1 May 2011 (initial report due 28 October 2011; first annual report for 2011)."""
    state = State.objects.get(iso3="LBN")
    assert state.entry_into_force == date(2011, 5, 1)
    return state
