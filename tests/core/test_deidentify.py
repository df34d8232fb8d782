"""The de-identification check (``ccm.core.deidentify``): what it finds, what it leaves alone.

The terms are the real ones (``identifiers.csv`` and its supplement through
``ccm.states.selectors.identity_terms``) for unsaved States, so these tests need no database.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm.core.deidentify import Hit, Term, find_identities, fold, in_context
from ccm.states.models import State
from ccm.states.selectors import identity_terms

STATES = {
    "LBN": State(name="Lebanon", official_name="Lebanese Republic", iso3="LBN", iso2="LB"),
    "LAO": State(name="Lao PDR", official_name="Lao People's Democratic Republic", iso3="LAO", iso2="LA"),
    "TCD": State(name="Chad", official_name="Republic of Chad", iso3="TCD", iso2="TD"),
    "NOR": State(name="Norway", official_name="Kingdom of Norway", iso3="NOR", iso2="NO"),
    "IRQ": State(name="Iraq", official_name="Republic of Iraq", iso3="IRQ", iso2="IQ"),
}
PEOPLE_AND_ORGANISATIONS = [
    Term("Amal Haddad", "person", "Amal Haddad"),
    Term("Kim Ng", "person", "Kim Ng"),
    Term("Lebanon Mine Action Centre", "organisation", "Lebanon Mine Action Centre"),
    Term("LMAC", "organisation", "Lebanon Mine Action Centre"),
    Term("Mines Advisory Group", "organisation", "Mines Advisory Group"),
    Term("MAG", "organisation", "Mines Advisory Group"),
]
FIGURES = [
    Term("2,350,000 m²", "figure", "Lebanon"),  # remaining area
    Term("2026-08-01", "figure", "Lebanon"),  # a deadline
]
TERMS = [*identity_terms(STATES.values()), *PEOPLE_AND_ORGANISATIONS, *FIGURES]


def found(text: str, terms=None) -> list[str]:
    return [hit.matched for hit in find_identities(text, TERMS if terms is None else terms)]


def only_hit(text: str) -> Hit:
    hits = find_identities(text, TERMS)
    assert len(hits) == 1, [h.matched for h in hits]
    return hits[0]


# --- Names, official names, adjectives, capitals, other spellings ----------------------------------


@pytest.mark.parametrize(
    ("text", "matched", "kind"),
    [
        ("Lebanon reported progress.", "Lebanon", "name"),
        ("LEBANON REPORTED PROGRESS.", "LEBANON", "name"),
        ("Le Liban a progressé.", "Liban", "name"),
        ("El Líbano informó.", "Líbano", "name"),
        ("El Libano informó.", "Libano", "name"),  # written without its accent
        ("Le Tchad a demandé un délai.", "Tchad", "name"),
        ("La Norvège finance.", "Norvège", "name"),
        ("Noruega financia.", "Noruega", "name"),
        ("L'Irak a répondu.", "Irak", "name"),
        ("Laos reported.", "Laos", "name"),
    ],
)
def test_a_name_in_english_french_or_spanish_is_found(text, matched, kind):
    hit = only_hit(text)
    assert (hit.matched, hit.term.kind) == (matched, kind)
    assert text[hit.start : hit.end] == hit.matched


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Statement by the Lebanese Republic.", "Lebanese Republic"),
        ("Déclaration de la République libanaise.", "République libanaise"),
        ("Declaración de la República Libanesa.", "República Libanesa"),
        ("The Lao People's Democratic Republic asked.", "Lao People's Democratic Republic"),
        ("The Lao People’s Democratic Republic asked.", "Lao People’s Democratic Republic"),
        ("The Lao Peoples Democratic Republic asked.", "Lao Peoples Democratic Republic"),
        ("La République démocratique populaire lao a demandé.", "République démocratique populaire lao"),
        ("La República Democrática Popular Lao pidió.", "República Democrática Popular Lao"),
        ("The Republic of Chad asked.", "Republic of Chad"),
        ("La République du Tchad a demandé.", "République du Tchad"),
        ("The Kingdom of Norway gave.", "Kingdom of Norway"),
        ("El Reino de Noruega dio.", "Reino de Noruega"),
    ],
)
def test_an_official_name_is_found_whole(text, matched):
    hit = only_hit(text)
    assert hit.matched == matched
    assert hit.term.kind == "official_name"


@pytest.mark.parametrize(
    ("text", "matched", "participant"),
    [
        ("Lao PDR asked for more time.", "Lao PDR", "Lao PDR"),
        ("La RDP lao a demandé.", "RDP lao", "Lao PDR"),
        ("The Lao authorities asked.", "Lao", "Lao PDR"),
        ("Norge og Noreg.", None, "Norway"),
        ("Flights to Ndjamena stopped.", "Ndjamena", "Chad"),
    ],
)
def test_other_spellings_are_found(text, matched, participant):
    hits = find_identities(text, TERMS)
    assert hits and {h.term.participant for h in hits} == {participant}
    if matched:
        assert [h.matched for h in hits] == [matched]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("the Lebanese authorities", "Lebanese"),
        ("The Lebanese said so.", "Lebanese"),
        ("Two Norwegians and a Norwegian.", ("Norwegians", "Norwegian")),
        ("Iraqis returned.", "Iraqis"),
        ("Laotian villages", "Laotian"),
        ("Chadian deminers", "Chadian"),
        ("les autorités libanaises", "libanaises"),
        ("un démineur libanais", "libanais"),
        ("une équipe libanaise", "libanaise"),
        ("des experts norvégiens", "norvégiens"),
        ("les équipes norvégiennes", "norvégiennes"),
        ("les familles irakiennes", "irakiennes"),
        ("las autoridades libanesas", "libanesas"),
        ("el gobierno libanés", "libanés"),
        ("la autoridad libanesa", "libanesa"),
        ("los expertos libaneses", "libaneses"),
        ("los donantes noruegos", "noruegos"),
        ("las familias iraquíes", "iraquíes"),
        ("los campesinos laosianos", "laosianos"),
        ("los desminadores chadianos", "chadianos"),
    ],
)
def test_an_adjective_is_found_in_its_inflected_forms(text, matched):
    expected = list(matched) if isinstance(matched, tuple) else [matched]
    hits = find_identities(text, TERMS)
    assert [h.matched for h in hits] == expected
    assert {h.term.kind for h in hits} == {"adjective"}


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Lebanon's deadline", "Lebanon's"),
        ("Lebanon’s deadline", "Lebanon’s"),
        ("Norway's pledge", "Norway's"),
        ("Chad's request", "Chad's"),
        ("Laos' plan", "Laos"),
    ],
)
def test_a_possessive_is_found_with_its_name(text, matched):
    assert found(text) == [matched]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("A meeting in Beirut.", "Beirut"),
        ("Une réunion à Beyrouth.", "Beyrouth"),
        ("Talks in Oslo.", "Oslo"),
        ("Offices in Vientiane.", "Vientiane"),
        ("Oficinas en Vientián.", "Vientián"),
        ("Offices in Baghdad.", "Baghdad"),
        ("Bureaux à Bagdad.", "Bagdad"),
        ("Offices in N'Djamena.", "N'Djamena"),
        ("Offices in N’Djamena.", "N’Djamena"),
        ("Bureaux à N'Djaména.", "N'Djaména"),
    ],
)
def test_a_capital_is_found(text, matched):
    hit = only_hit(text)
    assert (hit.matched, hit.term.kind) == (matched, "capital")


# --- Codes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Row LBN: 2 areas", ["LBN"]),
        ("LB and IQ replied", ["LB", "IQ"]),
        ("Teams from NOR, TCD and LAO", ["NOR", "TCD", "LAO"]),
        ("The answer from NO was late.", ["NO"]),
        ("(LB)", ["LB"]),
    ],
)
def test_a_code_in_capitals_standing_alone_is_found(text, matched):
    hits = find_identities(text, TERMS)
    assert [h.matched for h in hits] == matched
    assert {h.term.kind for h in hits} == {"code"}


@pytest.mark.parametrize(
    "text",
    [
        "There is no money for it.",  # "no" in lower case is not Norway
        "No, thank you.",  # nor with a capital initial only
        "NO ACCESS TO THE FIELD",  # nor in a run of capitals (a heading, shouting)
        "THE ANSWER IS NO",
        "lbn and lb in lower case",
        "Lb and Iq",
    ],
)
def test_a_code_is_not_found_in_ordinary_words(text):
    assert found(text) == []


def test_a_code_inside_a_longer_token_is_not_found():
    assert found("LBNX, XLB, LB2, 2LB, LBs") == []


# --- Organisations and people -----------------------------------------------------------------------


def test_an_organisation_is_found_by_name_and_acronym_the_longest_kept():
    hits = find_identities("The Lebanon Mine Action Centre (LMAC) and MAG's team; mag wheels are not.", TERMS)
    assert [(h.matched, h.term.kind) for h in hits] == [
        ("Lebanon Mine Action Centre", "organisation"),
        ("LMAC", "organisation"),
        ("MAG's", "organisation"),
    ]


def test_a_person_is_found_by_full_name_and_by_surname_of_four_letters_or_more():
    assert found("Amal Haddad said; Haddad agreed; AMAL HADDAD signed.") == ["Amal Haddad", "Haddad", "AMAL HADDAD"]
    assert found("the haddad (a lower-case word) is not her surname alone") == []
    assert found("Kim Ng spoke; Ng agreed.") == ["Kim Ng"]  # "Ng" alone is too short to tell


# --- Figures -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2,350,000 m²",
        "2,350,000 m2",
        "2 350 000 m²",
        "2\u00a0350\u00a0000 m²",
        "2\u202f350\u202f000 m²",
        "2.350.000 m²",
        "2350000",
        "2.35 km²",
        "2,35 km²",
        "2.35 km2",
        "2.35 square kilometres",
        "2,35 kilomètres carrés",
        "2,35 kilómetros cuadrados",
        "2.4 km²",  # the figure as a page rounds it
        "235 hectares",
        "235 ha",
        "2.35 million m²",
        "2.35 million square metres",
    ],
)
def test_the_remaining_area_is_found_in_its_notations(written):
    hit = only_hit(f"The remaining area is {written} at the end of the year.")
    assert hit.term.kind == "figure" and hit.term.participant == "Lebanon"
    assert hit.matched.startswith(written.split(" ")[0].split("\u00a0")[0].split("\u202f")[0])


@pytest.mark.parametrize(
    "written",
    [
        "2,350,001 m²",  # one digit differs
        "2,340,000 m²",
        "12,350,000 m²",
        "2,350,0000",
        "23,500,000",
        "2.36 km²",
        "2.3 km²",
        "2350 m²",
        "235,000",
        "2.350",
        "3.35 km²",
    ],
)
def test_a_different_figure_is_not_found(written):
    assert found(f"The remaining area is {written} at the end of the year.") == []


@pytest.mark.parametrize(
    "written",
    [
        "1 August 2026",
        "1st August 2026",
        "August 1, 2026",
        "August 1 2026",
        "1 Aug 2026",
        "Aug. 2026",
        "August 2026",
        "01/08/2026",
        "1/8/2026",
        "01.08.2026",
        "2026-08-01",
        "2026/08/01",
        "08/01/2026",  # month first
        "1er août 2026",
        "1 août 2026",
        "août 2026",
        "1 de agosto de 2026",
        "agosto de 2026",
        "AUGUST 2026",
    ],
)
def test_the_deadline_is_found_in_its_notations(written):
    hit = only_hit(f"The deadline is {written}, they said.")
    assert hit.matched == written
    assert hit.term.kind == "figure"


@pytest.mark.parametrize(
    "written",
    [
        "2 August 2026",
        "September 2026",
        "August 2027",
        "01/09/2026",
        "11/08/2026",
        "2026-08-011",
        "2027-08-01",
        "12026-08-01",
        "31 August 2026",
    ],
)
def test_another_date_is_not_found(written):
    assert found(f"The deadline is {written}, they said.") == []


def test_small_figures_are_found_only_with_their_unit():
    terms = [Term("850 m²", "figure", "Chad")]
    assert found("It took 850 days; 850 m² remain; 850 square metres.", terms) == ["850 m²", "850 square metres"]


def test_an_unreadable_figure_term_finds_nothing():
    terms = [Term("about two", "figure", "Chad"), Term("2026-02-30", "figure", "Chad"), Term("0 m²", "figure", "X")]
    assert found("about two, 2026-02-30, 0 m²", terms) == []


# --- Near misses, and what is decided --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chadwick presented the report.",  # "Chad" inside a longer word
        "The Chadic languages.",
        "Norwood and Norse sagas.",
        "Libanaisement n'est pas un mot.",
        "Osloveien is a street name.",
        "Iraqiya and Lebanonville are invented.",
        "A male survivor and female survivors.",  # not Malé: the Maldives are not a participant here
    ],
)
def test_a_near_miss_is_not_found(text):
    assert found(text) == []


def test_iran_is_not_found_in_iranian_but_the_adjective_is():
    iran = [Term("Iran", "name", "Iran")]
    assert found("Iranian deminers", iran) == []
    assert found("Iran's deminers", iran) == ["Iran's"]
    both = [*iran, Term("Iranian", "adjective", "Iran")]
    assert [(h.matched, h.term.kind) for h in find_identities("Iranian deminers", both)] == [("Iranian", "adjective")]


def test_a_hyphenated_compound_with_an_adjective_is_found():
    # Decided: "Norwegian-born" tells where someone comes from, so it is a hit (on "Norwegian").
    assert found("A Norwegian-born adviser and a Lebanon-based team.") == ["Norwegian", "Lebanon"]


def test_a_common_word_term_needs_its_capital():
    terms = [Term("Malé", "capital", "Maldives"), Term("Turkey", "name", "Türkiye")]
    assert found("male and female; a turkey; in Malé and Male; Turkey's deadline", terms) == [
        "Malé",
        "Male",
        "Turkey's",
    ]


# --- Overlaps, order and context ----------------------------------------------------------------------


def test_overlapping_hits_keep_the_longest_and_come_sorted():
    text = "Oslo said the Lebanese Republic and Lebanon Mine Action Centre met in Lao PDR."
    hits = find_identities(text, TERMS)
    assert [h.matched for h in hits] == [
        "Oslo",
        "Lebanese Republic",
        "Lebanon Mine Action Centre",
        "Lao PDR",
    ]
    assert [h.start for h in hits] == sorted(h.start for h in hits)


def test_the_same_words_for_two_participants_give_one_hit():
    terms = [Term("Congo", "name", "Congo"), Term("Congo", "name", "DR Congo")]
    assert len(find_identities("Congo", terms)) == 1


def test_context_shows_the_hit_between_its_neighbours():
    text = "In 2025 the national authority of Lebanon's government reported steady progress in the south."
    hit = only_hit(text)
    before, matched, after = hit.context(text, width=20)
    assert matched == "Lebanon's"
    assert before.startswith("…") and before.endswith("authority of ")
    assert after.startswith(" government") and after.endswith("…")
    assert len(before) <= 21 and len(after) <= 21
    short = "Lebanon."
    assert find_identities(short, TERMS)[0].context(short) == ("", "Lebanon", ".")


def test_in_context_carries_the_kind_and_whom_it_identifies():
    text = "Beyrouth et Oslo"
    rows = in_context(text, find_identities(text, TERMS))
    assert [(r.matched, r.participant, r.kind_label) for r in rows] == [
        ("Beyrouth", "Lebanon", "capital"),
        ("Oslo", "Norway", "capital"),
    ]


def test_the_include_shows_each_hit_marked(settings):
    from django.template.loader import render_to_string

    text = "The Lebanese authorities met in Oslo."
    html = render_to_string("core/identity_hits.html", {"hits": in_context(text, find_identities(text, TERMS))})
    assert html.count("<mark>") == 2
    assert "Lebanese" in html and "identifies Lebanon" in html and "identifies Norway" in html
    assert "Adjective of nationality" in html
    empty = render_to_string("core/identity_hits.html", {"hits": [], "show_none": True})
    assert "<mark>" not in empty and "no word or figure" in empty


def test_an_empty_text_or_no_terms_find_nothing():
    assert find_identities("", TERMS) == []
    assert find_identities("Lebanon", []) == []
    assert find_identities("Lebanon", [Term("  ", "name", "Nobody")]) == []


def test_folding_removes_accents_case_and_typographic_apostrophes():
    assert fold("Líbano") == "libano"
    assert fold("NORVÈGE") == "norvege"
    assert fold("N’Djaména") == "n'djamena"
    assert fold("Straße") == "strasse"


def test_positions_stay_right_when_folding_changes_lengths():
    text = "Straße ﬁ Ǆ — Li\u0301bano's team in Beyrouth"
    hits = find_identities(text, TERMS)
    assert [h.matched for h in hits] == ["Li\u0301bano's", "Beyrouth"]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.matched


# --- Properties ----------------------------------------------------------------------------------------

SAFE_WORDS = [
    "the",
    "a",
    "and",
    "no",
    "No",
    "not",
    "deadline",
    "remaining",
    "area",
    "survey",
    "clearance",
    "donors",
    "affected",
    "State",
    "States",
    "Chadwick",
    "Norwood",
    "Iranian",
    "Malaysia",
    "mine",
    "les",
    "autorités",
    "zones",
    "las",
    "autoridades",
    "zonas",
    "km²",
    "m²",
    "August",
    "2025",
    "2027",
    "May",
    "août",
    "agosto",
    "de",
    "12",
    "1,000",
    "2,350,001",
    "Lab",
    "Leb",
    "Laotia",
    "Irk",
    "MAGIC",
    "ISO",
    "UN",
    "EU",
    "HALO",
    "Haddadi",
    "Amalia",
]
SEPARATORS = [" ", ", ", ". ", "\n", "; ", " (", ") "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SAFE_WORDS), st.sampled_from(SEPARATORS)), max_size=60))
def test_a_text_built_without_a_participant_term_gives_no_hit(parts):
    text = "".join(word + separator for word, separator in parts)
    assert find_identities(text, TERMS) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(SAFE_WORDS), st.sampled_from(SEPARATORS)), max_size=30),
    st.sampled_from(
        ["Lebanon", "libanaises", "Lao PDR", "Beyrouth", "LBN", "Amal Haddad", "2,350,000 m²", "1 August 2026"]
    ),
    st.integers(min_value=0, max_value=30),
)
def test_a_participant_term_put_into_a_safe_text_is_found_where_it_was_put(parts, term, at):
    at = min(at, len(parts))
    before = "".join(w + s for w, s in parts[:at])
    text = before + term + " " + "".join(w + s for w, s in parts[at:])
    hits = find_identities(text, TERMS)
    assert [(h.start, h.matched) for h in hits] == [(len(before), term)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_hits_on_any_text_are_sorted_disjoint_and_point_into_the_text(noise):
    text = noise + " Lebanon's Libanaises LB 2,350,000 m² " + noise
    hits = find_identities(text, TERMS)
    assert len(hits) >= 1
    for hit in hits:
        assert text[hit.start : hit.end] == hit.matched and hit.matched
    for first, second in zip(hits, hits[1:], strict=False):
        assert first.end <= second.start


def test_a_rounded_area_is_found_however_the_half_was_rounded():
    terms = [Term("2,250,000 m²", "figure", "Chad")]
    assert found("2.3 km² or 2.2 km² (a half rounded up or to even), not 2.1 km²", terms) == ["2.3 km²", "2.2 km²"]


def test_a_three_letter_code_that_is_a_word_is_not_found_among_capitals():
    assert found("NEITHER THE DONORS NOR THE OPERATORS") == []
    assert found("Replies: NOR, LBN.") == ["NOR", "LBN"]
    assert found("TEAMS FROM LBN") == ["LBN"]  # a code that is no word hits even among capitals


def test_a_term_of_one_letter_or_only_punctuation_is_ignored():
    terms = [Term("A", "person", "A"), Term("-", "other_spelling", "X"), Term("Chad", "name", "Chad")]
    assert found("A team from Chad - a report", terms) == ["Chad"]
