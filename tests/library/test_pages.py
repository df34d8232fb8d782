"""Library pages: lists with filters and pages, details, the forms (without JavaScript), bad input,
exports and query counts that do not grow with the rows."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ccm.core import cache as aggregate_cache
from ccm.core import clock
from ccm.library import services
from ccm.library.models import Offer, Practice
from ccm.states.models import State
from tests.library.helpers import library_world, offer_values, practice_values
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_an_editor_writes_a_practice_through_the_form_and_everyone_reads_it_rendered():
    client = persona("operator_editor").client()
    lebanon = State.objects.get(iso3="LBN")
    response = client.post(
        reverse("library:practice-new"),
        {
            "title": "Survey with communities",
            "summary": "Ask those who farm the land.",
            "body": "## Steps\n\n- ask\n- record\n\n<script>alert(1)</script> [bad](javascript:alert(1))",
            "pillar": "survey",
            "tags": "Land release, survey, , land release",
            "countries": [str(lebanon.pk)],
            "published_on": "2025-04-01",
            "language": "en",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    practice = Practice.objects.get(title="Survey with communities")
    assert practice.organisation == organisation("operator")  # the only organisation: not asked
    assert practice.tags == ["land release", "survey"]
    page = persona("anonymous").client().get(reverse("library:practice", args=[practice.pk]))
    html = page.content.decode()
    assert "<h2>Steps</h2>" in html and "<li>ask</li>" in html
    assert "<script>alert(1)</script>" not in html and 'href="javascript' not in html
    assert "Lebanon" in html


def test_the_form_refuses_bad_input_with_messages_and_writes_nothing():
    client = persona("operator_editor").client()
    response = client.post(
        reverse("library:practice-new"),
        {
            "title": "",
            "summary": "s",
            "body": "b",
            "pillar": "nonsense",
            "tags": "fine, <bad>",
            "countries": ["999999999"],
            "published_on": "not a date",
            "language": "en",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "pillar", "countries", "published_on"}
    assert not Practice.objects.exists()
    # a tag with characters that are not allowed is refused by the service, with the field named
    response = client.post(
        reverse("library:practice-new"),
        {
            "title": "t",
            "summary": "s",
            "body": "b",
            "pillar": "survey",
            "tags": "fine, <bad>",
            "published_on": "2025-01-01",
            "language": "en",
            "visibility": "public",
        },
    )
    assert response.status_code == 200 and "tags" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_an_editor_makes_changes_and_withdraws_an_offer_through_the_pages():
    client = persona("io_editor").client()
    response = client.post(
        reverse("library:offer-new"),
        {
            "kind": "equipment",
            "title": "Twelve detectors",
            "description": "Used, serviceable.",
            "pillar": "clearance",
            "modality": "equipment",
            "quantity": "12",
            "condition": "used",
            "skills": "",
            "languages": "",
            "expires_on": (clock.today() + timedelta(days=30)).isoformat(),
            "visibility": "platform",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get(title="Twelve detectors")
    assert client.get(reverse("library:offer-edit", args=[offer.pk])).status_code == 200
    assert client.post(reverse("library:offer-withdraw", args=[offer.pk])).status_code == 302
    offer.refresh_from_db()
    assert offer.withdrawn_at is not None
    # no longer offered: others do not see it, its organisation does (with the box ticked)
    assert persona("operator_viewer").client().get(reverse("library:offer", args=[offer.pk])).status_code == 404
    assert "Twelve detectors" not in client.get(reverse("library:offers")).content.decode()
    listed = client.get(reverse("library:offers") + "?include_expired=on").content.decode()
    assert "Twelve detectors" in listed and "withdrawn" in listed


def test_the_offer_form_asks_for_what_each_kind_needs():
    client = persona("io_editor").client()
    response = client.post(
        reverse("library:offer-new"),
        {
            "kind": "expertise",
            "title": "Adviser",
            "description": "d",
            "pillar": "clearance",
            "modality": "technical_expertise",
            "expires_on": (clock.today() - timedelta(days=1)).isoformat(),
            "visibility": "platform",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"expert_name", "expires_on"}
    assert not Offer.objects.exists()


def test_lists_filter_by_pillar_country_tag_language_and_kind():
    world = library_world()
    client = persona("coordinator").client()
    url = reverse("library:practices")
    titles = lambda response: {p.title for p in response.context["page"]}  # noqa: E731
    assert titles(client.get(url + "?pillar=survey")) == {world.public_practice.title}
    assert titles(client.get(url + "?country=Lebanon")) == {world.public_practice.title}
    assert titles(client.get(url + "?country=lbn")) == {world.public_practice.title}
    assert titles(client.get(url + "?tag=Land%20Release")) == {
        world.public_practice.title,
        world.private_practice.title,
        world.platform_practice.title,
    }
    assert titles(client.get(url + "?tag=land")) == set()  # a whole tag, not a part of one
    assert titles(client.get(url + "?language=fr")) == set()
    redirect = client.get(url + "?kind=offer&pillar=clearance&country=LBN")
    assert redirect.status_code == 302 and redirect["Location"].endswith(
        "/library/offers/?pillar=clearance&country=LBN"
    )
    offers = reverse("library:offers")
    assert {o.title for o in client.get(offers + "?kind=expertise&pillar=clearance").context["page"]} == {
        world.offer.title,
        world.private_offer.title,
    }
    assert client.get(offers + "?kind=equipment").context["page"].paginator.count == 0
    everything = client.get(offers + "?include_expired=on").context["page"].paginator.count
    assert everything == 4  # coordinators: the expired and the withdrawn offers too


@pytest.mark.parametrize(
    "query",
    [
        "?pillar=%00",
        "?country=" + "x" * 5000,
        "?tag=" + "%E2%80%AE" * 100,
        "?language=zz&page=-1",
        "?page=99999999999999999999",
        "?page=abc",
        "?include_expired=maybe&kind=%F0%9F%92%A3",
    ],
)
def test_bad_filters_never_fail(query):
    library_world()
    for name in ("library:practices", "library:offers", "library:practices-csv", "library:offers-xlsx"):
        assert persona("state_viewer").client().get(reverse(name) + query).status_code == 200


def test_a_list_pages_through_its_rows():
    for i in range(23):
        services.practice_save(
            organisation=organisation("io"), values=practice_values(title=f"Practice {i:02}"), actor=None
        )
    client = persona("anonymous").client()
    first = client.get(reverse("library:practices"))
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("library:practices") + "?page=2")
    assert len(second.context["page"].object_list) == 3
    assert 'rel="prev"' in second.content.decode()
    assert client.get(reverse("library:practices") + "?page=900").context["page"].number == 2


def _fill(n: int) -> None:
    lebanon = State.objects.get(iso3="LBN")
    for i in range(n):
        services.practice_save(
            organisation=organisation("io"),
            values=practice_values(title=f"P{i}", tags=["a", "b"]),
            countries=[lebanon],
            actor=None,
        )
        services.offer_save(
            organisation=organisation("operator"), values=offer_values(title=f"O{i}"), countries=[lebanon], actor=None
        )


@pytest.mark.parametrize(
    "name", ["library:practices", "library:offers", "library:practices-xlsx", "library:offers-csv"]
)
def test_list_and_export_queries_do_not_grow_with_the_rows(name, django_assert_max_num_queries):
    client = persona("operator_editor").client()
    _fill(2)
    client.get(reverse(name))  # warm the session and caches
    aggregate_cache.bump(["library"])  # the rows are read again, not the kept page part
    with django_assert_max_num_queries(18) as few:  # twelve, and the shared cache: a miss, the store
        assert client.get(reverse(name)).status_code == 200
    _fill(15)  # which bumps the topic too
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_exports_hold_the_visible_rows_with_human_labels():
    world = library_world()
    response = persona("io_viewer").client().get(reverse("library:practices-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "title", "summary", "pillar")
    titles = {row[1] for row in rows[1:]}
    assert titles == {world.public_practice.title, world.platform_practice.title}
    assert "Survey" in {row[3] for row in rows[1:]}
    csv_text = persona("anonymous").client().get(reverse("library:offers-csv")).content.decode()
    assert world.offer.title not in csv_text  # signed-in users only
    assert world.expired_offer.title not in csv_text and world.withdrawn_offer.title not in csv_text
