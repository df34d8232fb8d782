from datetime import date
from io import StringIO

import pycountry
import pytest
from django.core.management import call_command

from ccm.states.models import ExtensionRequest, Obligation, State


@pytest.mark.django_db
def test_every_iso_3166_country_is_a_state_with_a_region():
    assert State.objects.count() == len(pycountry.countries)
    assert not State.objects.filter(region="").exists()
    assert State.objects.get(iso3="FRA").region == "europe"
    assert State.objects.get(iso3="LAO").subregion == "South-eastern Asia"


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "Nothing changed" in out.getvalue()
    assert " 0 created, 0 updated" in out.getvalue()


@pytest.mark.django_db
def test_a_changed_fact_is_put_back_and_counted():
    Obligation.objects.filter(state__iso3="LBN").update(original_deadline=date(2020, 1, 1))
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "obligations: 0 created, 1 updated" in out.getvalue()
    assert Obligation.objects.get(state__iso3="LBN").original_deadline == date(2021, 5, 1)


@pytest.mark.django_db
def test_lebanon_clearance_deadline_and_extension_with_sources():
    obligation = Obligation.objects.get(state__iso3="LBN", kind="clearance")
    assert obligation.original_deadline == date(2021, 5, 1)
    assert obligation.current_deadline == date(2026, 5, 1)
    granted = ExtensionRequest.objects.get(obligation=obligation, sequence=1)
    assert granted.decision == "granted"
    assert "lebanon/impact" in granted.source.url


@pytest.mark.django_db
def test_bosnia_and_herzegovina_entered_into_force_on_1_march_2011():
    state = State.objects.get(iso3="BIH")
    assert state.entry_into_force == date(2011, 3, 1)
    assert state.treaty_source is not None and state.treaty_confidence == "confirmed"


@pytest.mark.django_db
def test_entry_into_force_is_derived_from_deposit_when_not_given():
    # every State whose deposit is on record has the Article 17 date
    for state in State.objects.exclude(deposit_date=None):
        assert state.entry_into_force == state.entry_into_force_by_rule, state.iso3


@pytest.mark.django_db
def test_unknowns_stay_empty():
    angola = State.objects.get(iso3="AGO")  # a signatory: no consent, no entry into force
    assert angola.ccm_status == "signatory" and angola.deposit_date is None and angola.entry_into_force is None
    albania_clearance = Obligation.objects.get(state__iso3="ALB", kind="clearance")
    assert albania_clearance.completed and albania_clearance.completed_on is None
    assert State.objects.get(iso3="USA").ccm_status == ""
