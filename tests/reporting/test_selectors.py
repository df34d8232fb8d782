"""Reads of reporting (ccm.reporting.selectors): the country profile's remaining work."""

from datetime import date

import pytest

from ccm.reporting import services as reporting
from ccm.reporting.selectors import country_profile
from ccm.states.models import State

pytestmark = pytest.mark.django_db


def test_every_stockpile_baseline_counts_in_what_remains():
    state = State.objects.get(iso3="BGR")
    obligation = state.obligations.get(kind="stockpile_destruction")
    type(obligation).objects.filter(pk=obligation.pk).update(completed=False, completed_on=None)
    obligation.refresh_from_db()
    for kind, amount in (("A", 1000), ("B", 9000)):
        reporting.baseline_add(
            obligation=obligation,
            kind="baseline",
            recorded_on=date(2012, 1, 1),
            munition_type=kind,
            submunitions=amount,
            source="s",
            actor=None,
        )
    [work] = country_profile(state=state, user=None, today=date(2026, 1, 1)).work
    assert work.work.remaining == 10_000
