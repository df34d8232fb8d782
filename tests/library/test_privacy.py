"""A private practice or offer never reaches another organisation: not in lists, counts, exports, the
API or suggestions; an expired or withdrawn offer is no longer offered to anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import NeedFactory
from tests.library.helpers import library_world
from tests.personas import ALL_PERSONAS, persona

pytestmark = pytest.mark.django_db

OPERATOR = {"operator_viewer", "operator_editor", "operator_manager"}
IO = {"io_viewer", "io_editor", "io_manager"}
COORDINATORS = {"coordinator", "administrator"}


def _surfaces(client, need_pk: int) -> str:
    """Everything a person can read about the library, concatenated."""
    parts = [
        client.get(reverse("library:practices") + "?pillar=clearance").content.decode(),
        client.get(reverse("library:offers")).content.decode(),
        client.get(reverse("library:offers") + "?include_expired=on").content.decode(),
        client.get(reverse("library:practices-csv")).content.decode(),
        client.get(reverse("library:offers-csv") + "?include_expired=on").content.decode(),
        client.get(reverse("api-library-practices")).content.decode(),
        client.get(reverse("api-library-offers") + "?include_expired=true").content.decode(),
        client.get(reverse("needs:detail", args=[need_pk])).content.decode(),
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_private_and_expired_entries_reach_only_their_organisation_and_the_coordinators(name):
    world = library_world()
    need = NeedFactory(
        title="Clearance adviser for records",
        description="An information-management adviser for clearance records.",
        pillar="clearance",
        modality="technical_expertise",
    )
    text = _surfaces(persona(name).client(), need.pk)
    assert (world.private_practice.title in text) == (name in OPERATOR | COORDINATORS)
    assert (world.private_offer.title in text) == (name in IO | COORDINATORS)
    # expired and withdrawn offers: only the operator (with include_expired) and the coordinators
    assert (world.expired_offer.title in text) == (name in OPERATOR | COORDINATORS)
    assert (world.withdrawn_offer.title in text) == (name in OPERATOR | COORDINATORS)
    # and never as a suggestion, whoever looks
    need_page = persona(name).client().get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert world.expired_offer.title not in need_page and world.withdrawn_offer.title not in need_page


def test_counts_do_not_include_what_the_reader_may_not_see():
    library_world()
    outsider = persona("outsider").client()
    assert outsider.get(reverse("library:practices")).context["page"].paginator.count == 2  # public, platform
    assert outsider.get(reverse("api-library-practices")).json()["count"] == 2
    operator = persona("operator_viewer").client()
    assert operator.get(reverse("library:practices")).context["page"].paginator.count == 3
    anonymous = persona("anonymous").client()
    assert anonymous.get(reverse("api-library-practices")).json()["count"] == 1
    assert anonymous.get(reverse("api-library-offers")).json()["count"] == 0


def test_include_expired_shows_others_nothing_more():
    world = library_world()
    client = persona("io_editor").client()
    plain = {o.pk for o in client.get(reverse("library:offers")).context["page"]}
    more = {o.pk for o in client.get(reverse("library:offers") + "?include_expired=on").context["page"]}
    assert plain == more == {world.offer.pk, world.private_offer.pk}
    # someone in no organisation is not even offered the box
    assert "include_expired" not in persona("outsider").client().get(reverse("library:offers")).context["form"].fields
