"""API of the library: lists with filters, one of each, through the policies; bad filters are 400."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ccm.library import services
from tests.library.helpers import library_world, offer_values, practice_values
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_lists_and_details_follow_the_policies():
    world = library_world()
    client = persona("operator_viewer").client()
    practices = client.get(reverse("api-library-practices")).json()
    assert practices["count"] == 3
    one = client.get(reverse("api-library-practice", args=[world.public_practice.pk])).json()
    assert one["countries"] == ["LBN"] and one["pillar"] == "survey" and one["tags"] == ["land release", "survey"]
    assert "<h2>Steps</h2>" in one["body_html"] and one["body"].startswith("## Steps")
    offers = client.get(reverse("api-library-offers") + "?kind=expertise&pillar=clearance").json()
    assert {o["title"] for o in offers["results"]} == {world.offer.title}
    assert offers["results"][0]["countries"] == [] and offers["results"][0]["organisation"] == "operator"
    mine = client.get(reverse("api-library-offers") + "?include_expired=true").json()
    assert mine["count"] == 3  # the operator's own expired and withdrawn offers too
    outsider = persona("io_viewer").client()
    assert outsider.get(reverse("api-library-practice", args=[world.private_practice.pk])).status_code == 404
    assert outsider.get(reverse("api-library-offer", args=[world.expired_offer.pk])).status_code == 404
    assert outsider.get(reverse("api-library-offers") + "?include_expired=true").json()["count"] == 2


def test_country_and_tag_filters():
    services.practice_save(organisation=organisation("io"), values=practice_values(tags=["é accent"]), actor=None)
    services.offer_save(organisation=organisation("io"), values=offer_values(), actor=None)
    client = persona("state_viewer").client()
    assert client.get(reverse("api-library-practices") + "?tag=%C3%A9%20accent").json()["count"] == 1
    assert client.get(reverse("api-library-practices") + "?country=LBN").json()["count"] == 0
    # an offer for no country in particular is an offer for any country
    assert client.get(reverse("api-library-offers") + "?country=lbn").json()["count"] == 1


@pytest.mark.parametrize(
    "query",
    ["?pillar=x", "?country=LEBANON", "?tag=" + "x" * 41, "?language=de", "?limit=0", "?limit=100000", "?offset=-1"],
)
def test_bad_filters_are_400(query):
    response = persona("state_viewer").client().get(reverse("api-library-practices") + query)
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["?kind=barter", "?include_expired=perhaps", "?country=%00%00%00"])
def test_bad_offer_filters_are_400(query):
    assert persona("state_viewer").client().get(reverse("api-library-offers") + query).status_code == 400


def test_list_queries_do_not_grow_with_the_rows(django_assert_max_num_queries):
    client = persona("io_viewer").client()
    library_world()
    client.get(reverse("api-library-practices"))
    with django_assert_max_num_queries(16) as base:
        client.get(reverse("api-library-offers"))
        client.get(reverse("api-library-practices"))
    for i in range(15):
        services.practice_save(organisation=organisation("io"), values=practice_values(title=f"p{i}"), actor=None)
        services.offer_save(organisation=organisation("io"), values=offer_values(title=f"o{i}"), actor=None)
    with django_assert_max_num_queries(len(base.captured_queries)):
        assert client.get(reverse("api-library-offers")).json()["count"] == 17
        assert client.get(reverse("api-library-practices")).json()["count"] == 17
