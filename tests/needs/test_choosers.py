"""States chosen by name: the needs board's State filter and a donor's priority countries by region."""

import re

import pytest

from ccm.needs.forms import BoardFilterForm, DonorProfileForm
from ccm.states.models import State
from ccm.states.selectors import choosable_states
from tests.factories import DonorProfileFactory, NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_choosable_states_are_the_states_by_name_with_their_region():
    states = list(choosable_states())
    assert len(states) == State.objects.states().count() < State.objects.count()
    assert not {"ATA", "ABW"} & {s.iso3 for s in states}  # territories and areas are not States
    names = [s.name for s in states]
    assert names == sorted(names, key=lambda n: (n is None, n)) or names == list(
        State.objects.order_by("name").values_list("name", flat=True)
    )
    assert all(hasattr(s, "region") for s in states)


@pytest.mark.parametrize("typed", ["Lebanon", "lebanon", "  LEBANON ", "LBN", "lbn"])
def test_the_board_filter_takes_a_name_or_a_code(typed):
    form = BoardFilterForm({"state": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["state"] == "LBN"


def test_an_unknown_state_is_a_clear_error_and_filters_nothing():
    form = BoardFilterForm({"state": "Atlantis"})
    assert not form.is_valid() and "state" in form.errors


def test_the_board_offers_states_by_name_grouped_by_region_and_filters_by_name():
    NeedFactory(title="Lebanese need")
    NeedFactory(title="Chadian need", state=State.objects.get(iso3="TCD"))
    client = persona("anonymous").client()
    page = client.get("/needs/").content.decode()
    select = re.search(r'<select name="state".*?</select>', page, re.S).group(0)
    assert '<optgroup label="Asia">' in select and '<optgroup label="Africa">' in select
    assert '<option value="LBN">Lebanon</option>' in select
    filtered = client.get("/needs/", {"state": "Lebanon"}).content.decode()
    assert "Lebanese need" in filtered and "Chadian need" not in filtered
    assert '<option value="LBN" selected>Lebanon</option>' in filtered


def test_priority_countries_are_checkboxes_in_a_fieldset_per_region_and_no_antarctica():
    form = DonorProfileForm()
    html = str(form["priority_states"])
    assert "<select" not in html and html.count("<fieldset") >= 5
    assert "<legend>Africa</legend>" in html and 'type="checkbox"' in html
    regions = [code for code, _label in form.fields["priority_regions"].choices]
    assert "antarctica" not in regions and {"africa", "asia", "europe"} <= set(regions)


def test_a_donor_saves_priority_countries_from_the_grouped_chooser():
    DonorProfileFactory()
    slug = organisation("io").slug
    client = persona("io_editor").client()
    lebanon = State.objects.get(iso3="LBN")
    response = client.post(
        f"/donors/{slug}/edit/",
        {"priority_states": [lebanon.pk], "priority_regions": ["asia"], "currency": "USD", "is_published": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = organisation("io").donor_profile
    assert list(profile.priority_states.all()) == [lebanon] and profile.priority_regions == ["asia"]
    page = client.get(f"/donors/{slug}/").content.decode()
    assert "Asia" in page and "asia</dd>" not in page
