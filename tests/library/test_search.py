"""Site search (``ccm.library.search``) on the database in use: SQLite FTS5 in the normal run, PostgreSQL
full-text search when ``DATABASE_URL`` points at PostgreSQL."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from ccm.coalitions.policies import coalitions
from ccm.core import cache as aggregate_cache
from ccm.core.policies import Action
from ccm.library.models import Offer, Practice
from ccm.library.policies import offers, practices
from ccm.library.search import MAX_TERMS, SEARCH_TOPIC, SqliteBackend, parse_query, search, snippet
from ccm.library.search_models import SearchEntry, SearchKind
from ccm.meetings.publish_models import Summary, SummaryStatus
from ccm.meetings.publish_policies import summaries
from ccm.needs.models import DonorProfile, Need
from ccm.needs.policies import donor_profiles, needs
from tests.library import search_world
from tests.library.search_world import PRIVATE_WORD, WORD
from tests.personas import ALL_PERSONAS, persona
from tests.worlds import shared_world

pytestmark = pytest.mark.django_db

world = shared_world(search_world.build)


def _found(user: Any, query: str, **filters: Any) -> set[tuple[str, int]]:
    from ccm.library.search import Filters

    return {(h.kind, h.object_id) for h in search(user, query, Filters(**filters)).hits}


def _world_ids(world: dict[str, Any]) -> dict[tuple[str, int], str]:
    return {
        (name.split("_")[0], pk): name
        for name, pk in world.items()
        if name != "counts" and name.split("_")[0] in SearchKind.values
    }


# What each policy says (object by object, through ``can``), for the role matrix below.
_MODELS: dict[str, tuple[Any, Any]] = {
    "practice": (Practice, practices),
    "offer": (Offer, offers),
    "need": (Need, needs),
    "donor": (DonorProfile, donor_profiles),
    "summary": (Summary, summaries),
    "coalition": (Any, coalitions),
}


def _allowed(user: Any, kind: str, pk: int) -> bool:
    from ccm.coalitions.models import Coalition

    model, policy = _MODELS[kind]
    obj = (Coalition if kind == "coalition" else model).objects.get(pk=pk)
    if kind == "summary" and obj.status != SummaryStatus.PUBLISHED:
        return False  # only published summaries are searchable
    return bool(policy.can(user, Action.VIEW, obj))


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_each_persona_finds_exactly_what_each_policy_shows_them(world: dict[str, Any], name: str) -> None:
    user = persona(name).user
    expected = {key for key in _world_ids(world) if _allowed(user, *key)}
    found = _found(user, WORD)
    assert found == expected, {"missing": expected - found, "extra": found - expected}
    # The public objects are always there; the private practice only for its organisation and coordinators
    assert ("practice", world["practice_public"]) in found
    assert (("practice", world["practice_private"]) in found) == (
        name.startswith("operator_") or name in ("coordinator", "administrator")
    )


def test_words_in_the_body_are_found_for_every_kind(world: dict[str, Any]) -> None:
    coordinator = persona("coordinator").user
    found = {kind for kind, _pk in _found(coordinator, WORD)}
    assert found == {"practice", "offer", "need", "donor", "summary", "coalition"}
    assert _found(coordinator, "south teams") >= {("need", world["need_public"])}
    assert ("state", _state_id("LBN")) in _found(None, "Lebanon")


def _state_id(iso3: str) -> int:
    from ccm.states.models import State

    return State.objects.get(iso3=iso3).pk


def test_a_title_hit_ranks_before_a_body_hit(world: dict[str, Any]) -> None:
    from ccm.library.search_index import rebuild

    org = Practice.objects.get(pk=world["practice_public"]).organisation
    common = {"organisation": org, "summary": "s", "pillar": "clearance", "published_on": "2026-01-01"}
    body = Practice.objects.create(title="Field notes", body="The wombat, the wombat and the wombat.", **common)
    title = Practice.objects.create(title="Wombat surveys", body="Notes from the field.", **common)
    rebuild(["practice"])
    hits = [(h.kind, h.object_id) for h in search(None, "wombat").hits]
    assert hits == [("practice", title.pk), ("practice", body.pk)]


def test_every_word_must_match(world: dict[str, Any]) -> None:
    assert _found(None, f"{WORD} survey") == {("practice", world["practice_public"])}
    assert _found(None, f"{WORD} nonsenseword") == set()


def test_filters_by_kind_pillar_country_and_language(world: dict[str, Any]) -> None:
    coordinator = persona("coordinator").user
    assert {k for k, _ in _found(coordinator, WORD, kind="need")} == {"need"}
    assert _found(coordinator, WORD, pillar="survey") == {
        ("offer", world["offer_current"]),
        ("offer", world["offer_expired"]),
        ("offer", world["offer_private"]),
    }
    lebanon = _found(coordinator, WORD, state_id=_state_id("LBN"))
    assert {k for k, _ in lebanon} == {"need", "coalition"}
    assert _found(coordinator, WORD, language="fr") == {("practice", world["practice_french"])}


def test_a_french_entry_is_found_by_its_words(world: dict[str, Any]) -> None:
    assert ("practice", world["practice_french"]) in _found(None, "opérations déminage")


def _page_text(client: Any, query: str) -> str:
    html = client.get(reverse("search:page"), {"q": query}).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_private_word_shows_an_outsider_the_same_page_as_a_nonsense_word(world: dict[str, Any]) -> None:
    client = persona("outsider").client()
    private = _page_text(client, PRIVATE_WORD)
    nonsense = _page_text(client, "qqqzzzwww")
    assert "0 results" in private
    assert private.replace(PRIVATE_WORD, "WORD") == nonsense.replace("qqqzzzwww", "WORD")
    api = client.get(reverse("api-search"), {"q": PRIVATE_WORD}).json()
    assert api["count"] == 0 and api["results"] == []
    # ... while its own organisation finds it
    operator = persona("operator_viewer").user
    assert _found(operator, PRIVATE_WORD) == {("practice", world["practice_private"])}


def test_an_expired_offer_is_found_only_by_its_organisation_and_coordinators(world: dict[str, Any]) -> None:
    key = ("offer", world["offer_expired"])
    assert key not in _found(None, "old survey experts")
    assert key not in _found(persona("operator_manager").user, "old survey experts")
    assert key in _found(persona("io_viewer").user, "old survey experts")


def test_the_page_shows_titles_kinds_highlighted_snippets_and_links(world: dict[str, Any]) -> None:
    response = persona("anonymous").client().get(reverse("search:page"), {"q": "clearance teams"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("needs:detail", args=[world["need_public"]])}"' in html
    assert "Clearance teams" in html and "Need" in html
    assert "1 result" in html
    html = persona("anonymous").client().get(reverse("search:page"), {"q": WORD}).content.decode()
    assert f"<mark>{WORD}</mark>" in html


def test_the_snippet_escapes_the_text_and_marks_the_words() -> None:
    text, html = snippet('<script>alert("x")</script> survey & more', ["survey"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>survey</mark>" in html and "&amp; more" in html
    assert text.startswith("<script>")


def test_the_api_answers_with_the_same_results_paginated(world: dict[str, Any]) -> None:
    client = persona("coordinator").client()
    body = client.get(reverse("api-search"), {"q": WORD, "limit": 2}).json()
    assert body["count"] == len(_found(persona("coordinator").user, WORD))
    assert len(body["results"]) == 2 and body["next"] and body["previous"] is None
    assert body["count_is_lower_bound"] is False
    first = body["results"][0]
    assert set(first) >= {"kind", "kind_label", "id", "title", "snippet", "url", "pillars", "language"}
    assert client.get(reverse("api-search"), {"q": WORD, "kind": "nope"}).status_code == 400
    assert client.get(reverse("api-search"), {"q": WORD, "country": "ZZZ"}).status_code == 400
    assert client.get(reverse("api-search"), {"q": WORD, "limit": "99999999999999"}).status_code == 400
    lebanon = client.get(reverse("api-search"), {"q": WORD, "country": "lbn"}).json()
    assert {r["kind"] for r in lebanon["results"]} == {"need", "coalition"}


def test_bad_filters_on_the_page_say_why_and_search_nothing(world: dict[str, Any]) -> None:
    response = persona("anonymous").client().get(reverse("search:page"), {"q": WORD, "kind": "nope", "country": "ZZ"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "result" not in re.sub(r"<[^>]+>", "", response.content.decode()).split("Search for")[-1].split("Nothing")[0]


HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "survey " * 2_000,
    '"',
    '""',
    "'",
    "NEAR",
    "NEAR(survey clearance)",
    "survey NEAR clearance",
    "*",
    "surv*",
    "-",
    "-survey",
    ":",
    "title:survey",
    "text : survey",
    "^survey",
    "survey OR clearance AND NOT x",
    "(",
    ")",
    "{title text}: x",
    "\x00",
    "survey\x00clearance",
    "\x01\x02\x1f\x7f",
    "\r\n\t",
    "'; DROP TABLE library_searchentry; --",
    "1' OR '1'='1",
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    "\ud800",
    "🙂" * 500,
    "ÆØÅ ß ǅ ﬁ",
    "a & b | c ! d <-> e",
    "&&&",
    "!!",
    "  :*  ",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_query_never_errors(world: dict[str, Any], query: str) -> None:
    search(persona("coordinator").user, query)
    client = persona("anonymous").client()
    # Encoded by hand: a lone surrogate goes out as the bytes a hostile client would send
    page = urlencode({"q": query, "page": query or "x"}, encoding="utf-8", errors="surrogatepass")
    api = urlencode({"q": query}, encoding="utf-8", errors="surrogatepass")
    assert client.get(f"{reverse('search:page')}?{page}").status_code == 200
    assert client.get(f"{reverse('api-search')}?{api}").status_code == 200


def test_the_query_is_parsed_into_few_short_plain_words() -> None:
    assert parse_query('Survey "NEAR" -clear* title:x') == ["survey", "near", "clear", "title", "x"]
    assert len(parse_query(" ".join(f"w{i}" for i in range(100)))) == MAX_TERMS
    assert all(len(t) <= 40 for t in parse_query("y" * 500))
    assert parse_query("\x00;--'") == []
    assert SqliteBackend().match(['a"b']) == '"a""b"'


def test_the_search_page_runs_a_bounded_number_of_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = persona("io_manager").client()
    client.get(reverse("search:page"), {"q": WORD})  # warm the session
    aggregate_cache.bump([SEARCH_TOPIC])  # the results are searched again, not read back
    with django_assert_max_num_queries(24):  # the search, the State chooser, and the cache: versions, a miss, the store
        client.get(reverse("search:page"), {"q": WORD})
    with django_assert_max_num_queries(10):
        client.get(reverse("search:page"), {"q": WORD})  # the page of results read back
    # ... and as many with many more entries
    org = Practice.objects.get(pk=world["practice_public"]).organisation
    for i in range(30):
        Practice.objects.create(
            organisation=org,
            title=f"More {i}",
            summary="s",
            body=WORD,
            pillar="clearance",
            published_on="2026-01-01",
        )
    from ccm.library.search_index import rebuild

    rebuild(["practice"])  # which makes the next search read the index again
    with django_assert_max_num_queries(24):
        response = client.get(reverse("search:page"), {"q": WORD})
    assert "Next" in response.content.decode()


def test_more_than_the_cap_is_said_honestly(world: dict[str, Any], monkeypatch: Any) -> None:
    from ccm.library import search as module

    monkeypatch.setattr(module, "MAX_PER_KIND", 1)
    results = search(persona("coordinator").user, WORD, module.Filters(kind="need"))
    assert results.more and results.count == 1
    html = persona("coordinator").client().get(reverse("search:page"), {"q": WORD, "kind": "need"}).content.decode()
    assert "More than 1 result" in html


def test_entries_follow_writes_once_committed(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    practice = Practice.objects.get(pk=world["practice_public"])
    with django_capture_on_commit_callbacks(execute=True):
        practice.body = "Entirely rewritten: quokkas."
        practice.save()
    assert _found(None, "quokkas") == {("practice", practice.pk)}
    assert _found(None, "survey first") == set()
    with django_capture_on_commit_callbacks(execute=True):
        summary = Summary.objects.get(pk=world["summary_published"])
        summary.status = SummaryStatus.DRAFT
        summary.save()
    assert not SearchEntry.objects.filter(kind="summary", object_id=summary.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        Practice.objects.filter(pk=practice.pk).delete()
    assert not SearchEntry.objects.filter(kind="practice", object_id=practice.pk).exists()
    # What an entry shows from elsewhere: a donor's name, a practice's countries
    donor = DonorProfile.objects.get(pk=world["donor_published"])
    with django_capture_on_commit_callbacks(execute=True):
        donor.organisation.name = "Renamed wallaby fund"
        donor.organisation.save()
    assert _found(None, "wallaby") == {("donor", donor.pk)}
    other = Practice.objects.get(pk=world["practice_platform"])
    with django_capture_on_commit_callbacks(execute=True):
        other.countries.add(_state_id("LAO"))
    assert _found(persona("outsider").user, WORD, state_id=_state_id("LAO")) == {("practice", other.pk)}


def test_a_failed_update_never_breaks_the_write(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: Any, caplog: Any
) -> None:
    from ccm.library import search_index

    def broken(kind: str, ids: Any) -> int:
        raise RuntimeError("index down")

    monkeypatch.setattr(search_index, "index_objects", broken)
    practice = Practice.objects.get(pk=world["practice_public"])
    with django_capture_on_commit_callbacks(execute=True):
        practice.title = "Still saved"
        practice.save()
    assert Practice.objects.get(pk=practice.pk).title == "Still saved"
    assert "Search index: updating practice" in caplog.text


def test_the_rebuild_command_builds_every_kind(world: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command

    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Search index rebuilt" in out.getvalue()
    assert set(SearchEntry.objects.values_list("kind", flat=True)) == set(SearchKind.values)
    assert _found(None, WORD)


def test_the_backend_follows_the_database() -> None:
    from ccm.library.search import PostgresBackend, backend

    expected = PostgresBackend if connection.vendor == "postgresql" else SqliteBackend
    assert isinstance(backend(), expected)
