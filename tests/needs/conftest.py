from decimal import Decimal

import pytest

from ccm.needs import services
from ccm.states.models import State
from tests.personas import organisation


@pytest.fixture
def lebanon():
    return State.objects.get(iso3="LBN")


@pytest.fixture
def make_need(lebanon):
    def make(publish=True, **values):
        defaults = {
            "title": "Clearance teams",
            "pillar": "clearance",
            "modality": "financial",
            "description": "d",
            "amount": Decimal("1000000"),
            "currency": "USD",
            "visibility": "public",
        }
        defaults.update(values)
        need = services.need_save(state=lebanon, values=defaults, actor=None)
        if publish:
            services.need_publish(need=need, actor=None)
        return need

    return make


@pytest.fixture
def io_donor():
    """The international organisation persona's organisation, with a donor profile for clearance in Asia."""
    return services.donor_profile_save(
        organisation=organisation("io"),
        actor=None,
        values={
            "pillars": ["clearance"],
            "priority_regions": ["asia"],
            "currency": "USD",
            "grant_min": Decimal("1000"),
        },
    )
