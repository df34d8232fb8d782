"""Public API pages in the shared cache: one anonymous reader's page serves the next without a query, a
write shows at once, and nobody signed in is ever served a cached page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import FlowFactory, NeedFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db


def _get(client, path, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return response.json(), len(captured)


def test_an_anonymous_page_is_served_from_the_cache_until_a_write_changes_it():
    NeedFactory(title="First public need")
    client = Client()
    first, cold = _get(client, "/api/v1/needs/?limit=5")
    again, warm = _get(Client(), "/api/v1/needs/?limit=5")
    assert again == first and warm < cold and warm <= 4  # the topics' versions and the page, read from the cache
    NeedFactory(title="Second public need")
    after, _queries = _get(Client(), "/api/v1/needs/?limit=5")
    assert {n["title"] for n in after["results"]} >= {"First public need", "Second public need"}
    assert after["count"] == first["count"] + 1


def test_the_address_and_the_language_are_part_of_the_key():
    NeedFactory(title="A need")
    short, _q = _get(Client(), "/api/v1/needs/?limit=1")
    longer, _q = _get(Client(), "/api/v1/needs/?limit=2")
    assert short["results"] != longer["results"] or short["count"] < 2
    english, _q = _get(Client(), "/api/v1/states/?region=europe&limit=500", HTTP_ACCEPT_LANGUAGE="en")
    french, _q = _get(Client(), "/api/v1/states/?region=europe&limit=500", HTTP_ACCEPT_LANGUAGE="fr")
    assert {s["iso3"] for s in english["results"]} == {s["iso3"] for s in french["results"]}  # names sort per language
    labels = {s["iso3"]: s["ccm_status_label"] for s in english["results"]}
    assert any(labels[s["iso3"]] != s["ccm_status_label"] for s in french["results"])


def test_a_signed_in_reader_is_served_only_their_own_audiences_page():
    draft = NeedFactory(title="Kept as a draft", published=False)
    _get(Client(), "/api/v1/needs/")  # the anonymous page, now cached
    editor = persona("state_editor").client()
    own, cold = _get(editor, "/api/v1/needs/")
    assert draft.title in {n["title"] for n in own["results"]}
    again, warm = _get(editor, "/api/v1/needs/")
    assert again == own and warm < cold
    anonymous, _q = _get(Client(), "/api/v1/needs/")
    assert draft.title not in {n["title"] for n in anonymous["results"]}
    for outsider in ("io_editor", "other_state_manager", "outsider"):
        theirs, _q = _get(persona(outsider).client(), "/api/v1/needs/")
        assert draft.title not in {n["title"] for n in theirs["results"]}, outsider


def test_the_states_list_stays_the_public_page_only():
    """States, practices and offers are kept only for readers not signed in (``public_topics``)."""
    _get(Client(), "/api/v1/states/?limit=3")
    _page, first = _get(persona("state_editor").client(), "/api/v1/states/?limit=3")
    _page, second = _get(persona("state_editor").client(), "/api/v1/states/?limit=3")
    assert second > 4 and first == second


def test_a_funders_confidential_flow_stays_in_its_audiences_page():
    """The flows API keeps a page per audience: the funder's own page holds its confidential flow, and no
    other reader is served that page."""
    FlowFactory(amount=Decimal("777"), visibility="organisation")  # the international organisation's
    funder, cold = _get(persona("io_editor").client(), "/api/v1/flows/")
    assert "777.00" in {f["amount"] for f in funder["results"]}
    again, warm = _get(persona("io_viewer").client(), "/api/v1/flows/")  # same organisation: same audience
    assert again == funder and warm < cold
    for reader in ("anonymous", "operator_editor", "state_manager", "outsider"):
        page, _q = _get(persona(reader).client() if reader != "anonymous" else Client(), "/api/v1/flows/")
        assert "777.00" not in {f["amount"] for f in page["results"]}, reader
    coordinator, _q = _get(persona("coordinator").client(), "/api/v1/flows/")
    assert "777.00" in {f["amount"] for f in coordinator["results"]}
