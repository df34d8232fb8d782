"""Published figures that identify a State, for the de-identification check (``figure_terms``)."""

from __future__ import annotations

from datetime import date

import pytest

from ccm.core.deidentify import find_identities
from ccm.reporting.selectors import figure_terms
from ccm.states.models import State

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


def test_the_public_remaining_area_and_deadlines_are_terms(lebanon_reported, django_assert_max_num_queries):
    # baseline 10,000,000 m²; 2021 published with 1,000,000 cleared; 2022 a draft with 2,000,000
    with django_assert_max_num_queries(5):
        terms = figure_terms([lebanon_reported], today=TODAY)
    texts = {t.text for t in terms}
    assert "9,000,000 m²" in texts  # the draft year is not public
    assert "7,000,000 m²" not in texts
    assert "1,000,000 m²" in texts  # released in the last published year
    deadline = lebanon_reported.obligations.get(kind="clearance").current_deadline
    assert deadline.isoformat() in texts
    assert {t.participant for t in terms} == {lebanon_reported.name}
    assert {t.kind for t in terms} == {"figure"}


def test_figures_are_found_in_a_text(lebanon_reported):
    terms = figure_terms([lebanon_reported], today=TODAY)
    deadline = lebanon_reported.obligations.get(kind="clearance").current_deadline
    written = f"{deadline.day} {deadline.strftime('%B')} {deadline.year}"
    text = f"About 9 km² remain (9,000,000 m²); the deadline is {written}. 9,000,001 m² is another figure."
    hits = find_identities(text, terms)
    assert [h.matched for h in hits] == ["9 km²", "9,000,000", written]


def test_the_queries_do_not_grow_with_the_states(lebanon_reported, django_assert_max_num_queries):
    states = list(State.objects.filter(iso3__in=["LBN", "LAO", "TCD", "IRQ", "HRV", "MNE", "NOR", "COL"]))
    with django_assert_max_num_queries(5):
        figure_terms(states, today=TODAY)


def test_a_state_without_published_figures_gives_only_its_deadlines():
    chad = State.objects.get(iso3="TCD")
    terms = figure_terms([chad], today=TODAY)
    assert all(t.text.count("-") == 2 for t in terms)  # ISO dates only
