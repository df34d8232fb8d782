"""Currencies on the need and donor-profile forms are chosen from a list: the State's usual currency at
the top, then those with exchange rates on file, then the others; never free text."""

import pytest

from ccm.core.money import currency_choices
from ccm.states.currencies import usual_currency
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def _codes(group):
    return [code for code, _label in group[1]]


def test_the_usual_currency_comes_first_then_those_with_rates():
    assert usual_currency("LBN") == "LBP" and usual_currency("LAO") == "LAK" and usual_currency("XXX") == ""
    groups = currency_choices(first="LBP")
    assert _codes(groups[0]) == ["LBP"]
    assert {"EUR", "USD", "JPY"} <= set(_codes(groups[1])) and "LBP" not in _codes(groups[1])
    assert "IQD" in _codes(groups[2]) and "EUR" not in _codes(groups[2])


def test_the_need_form_lists_currencies_and_refuses_free_text():
    client = persona("state_editor").client()
    page = client.get("/needs/new/LBN/").content.decode()
    assert page.index('value="LBP"') < page.index('value="EUR"') < page.index('value="IQD"')
    form = {
        "title": "Survey",
        "pillar": "clearance",
        "modality": "financial",
        "description": "Survey",
        "amount": "500000",
        "currency": "dollars",
        "priority": 1,
        "visibility": "public",
    }
    refused = client.post("/needs/new/LBN/", form)
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()


def test_the_donor_profile_form_lists_currencies():
    slug = organisation("io").slug
    page = persona("io_manager").client().get(f"/donors/{slug}/edit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<select name="currency"' in text and 'value="EUR"' in text
