"""Which campaigns a meeting's agenda item may take (``ccm.meetings.selectors.choosable_campaigns``): the
campaign policy decides what a person sees; among those, a convener gets the campaigns it convenes while
its mandate lasts, coordinators every one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ccm.core import clock
from ccm.meetings.selectors import choosable_campaigns
from tests.personas import persona

pytestmark = pytest.mark.django_db


def test_a_convener_chooses_its_campaign_only_while_its_mandate_lasts(campaign):
    convener = persona("io_manager").user  # convenes the fixture's campaign for 100 days
    today = clock.today()
    assert list(choosable_campaigns(convener, today=today)) == [campaign]
    assert list(choosable_campaigns(convener, today=today + timedelta(days=101))) == []
    assert list(choosable_campaigns(persona("coordinator").user)) == [campaign]
    # a recipient sees the campaign (it was sent to it) but does not convene it: nothing to attach
    assert list(choosable_campaigns(persona("state_manager").user)) == []
    assert list(choosable_campaigns(persona("outsider").user)) == []
