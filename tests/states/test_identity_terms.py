"""The words that identify a State, for the de-identification check (``identity_terms``)."""

from __future__ import annotations

import pytest

from ccm.core.deidentify import find_identities
from ccm.states.identifiers import IDENTIFIERS, SUPPLEMENT, state_words
from ccm.states.models import State
from ccm.states.selectors import deadline_terms, identity_terms

pytestmark = pytest.mark.django_db


def _by_kind(terms, participant):
    found: dict[str, set[str]] = {}
    for term in terms:
        if term.participant == participant:
            found.setdefault(term.kind, set()).add(term.text)
    return found


def test_the_reference_files_ship_inside_the_package():
    assert IDENTIFIERS.parent.name == "reference" and IDENTIFIERS.parent.parent.name == "states"
    assert IDENTIFIERS.exists() and SUPPLEMENT.exists()
    assert (IDENTIFIERS.parent / "identifiers-SOURCES.md").exists()
    assert (IDENTIFIERS.parent / "identifiers-supplement-SOURCES.md").exists()
    assert len(state_words()) >= 250


def test_every_supplement_row_is_for_a_known_state_and_kind():
    import csv

    known = {row["iso3"] for row in csv.DictReader(IDENTIFIERS.open(encoding="utf-8"))}
    with SUPPLEMENT.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["iso3"] in known, row
        assert row["kind"] in {"adjective", "capital", "other_spelling"}, row
        assert row["lang"] in {"en", "fr", "es"}, row
        assert row["text"].strip() == row["text"] and row["text"], row


def test_lebanon_has_its_words_in_three_languages(django_assert_num_queries):
    lebanon = State.objects.get(iso3="LBN")
    with django_assert_num_queries(0):
        terms = identity_terms([lebanon])
    words = _by_kind(terms, lebanon.name)
    assert {"Lebanon", "Liban", "Líbano"} <= words["name"]
    assert {"Lebanese Republic", "République libanaise", "República Libanesa"} <= words["official_name"]
    assert {"Lebanese", "Libanais", "Libanaise", "libanés", "libanesa"} <= words["adjective"]
    assert {"Beirut", "Beyrouth"} <= words["capital"]
    assert {"LBN", "LB"} <= words["code"]
    assert not any("ʁ" in t.text for t in terms)


def test_lao_pdr_is_found_under_its_usual_names():
    lao = State.objects.get(iso3="LAO")
    terms = identity_terms([lao])
    text = "Lao PDR, the Lao People's Democratic Republic, les autorités laotiennes and Vientiane spoke."
    found = [h.matched for h in find_identities(text, terms)]
    assert found == [
        "Lao PDR",
        "Lao People's Democratic Republic",
        "laotiennes",
        "Vientiane",
    ]
    assert {h.term.participant for h in find_identities(text, terms)} == {lao.name}


def test_the_check_finds_every_demo_state_in_spanish():
    states = list(State.objects.filter(iso3__in=["LBN", "LAO", "IRQ", "TCD", "NOR", "MNE", "COL"]))
    terms = identity_terms(states)
    text = "libaneses, laosianas, iraquíes, chadianos, noruegas, montenegrinos y colombianas"
    hits = find_identities(text, terms)
    assert len(hits) == 7
    assert {h.term.participant for h in hits} == {s.name for s in states}


def test_a_state_only_brings_its_own_words():
    lebanon, norway = State.objects.get(iso3="LBN"), State.objects.get(iso3="NOR")
    hits = find_identities("Norway and Oslo", identity_terms([lebanon]))
    assert hits == []
    assert [h.term.participant for h in find_identities("Norway and Oslo", identity_terms([norway]))] == [
        norway.name,
        norway.name,
    ]


def test_deadline_terms_are_the_current_deadlines_in_a_fixed_number_of_queries(django_assert_num_queries):
    states = list(State.objects.filter(iso3__in=["LBN", "LAO", "TCD", "IRQ", "HRV", "MNE"]))
    with django_assert_num_queries(2):
        terms = deadline_terms(states)
    lebanon = next(s for s in states if s.iso3 == "LBN")
    expected = {
        o.current_deadline.isoformat()
        for o in lebanon.obligations.filter(completed=False)
        if o.current_deadline is not None
    }
    assert expected
    assert {t.text for t in terms if t.participant == lebanon.name} >= expected
    assert all(t.kind == "figure" for t in terms)
