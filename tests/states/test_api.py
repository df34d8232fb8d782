from datetime import UTC, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def test_state_detail_json_has_the_documented_fields(client):
    with time_machine.travel(datetime(2026, 11, 28, 12, tzinfo=UTC), tick=False):
        data = client.get("/api/v1/states/LBN/").json()
    assert {"iso3", "name", "ccm_status", "deposit_date", "entry_into_force", "obligations"} <= data.keys()
    assert data["entry_into_force"] == "2011-05-01"
    [clearance] = data["obligations"]
    assert clearance["kind"] == "clearance"
    assert clearance["original_deadline"] == "2021-05-01"
    assert clearance["current_deadline"] == "2026-05-01"
    assert clearance["status"] == "decision_not_on_record"  # considered at the 13MSP; the decision is not on record
    assert clearance["status_label"] == "Extension request considered; decision not on record"
    assert "Thirteenth Meeting of States Parties, 16–19 September 2025" in clearance["status_sentence"]
    assert clearance["completed_on"] is None
    assert [e["granted_until"] for e in clearance["extensions"]] == ["2026-05-01", None]


def test_lowercase_codes_are_accepted(client):
    assert client.get("/api/v1/states/bih/").json()["entry_into_force"] == "2011-03-01"


def test_an_unknown_code_is_a_json_404(client):
    response = client.get("/api/v1/states/QQQ/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No State with this code."}


def test_list_filters_like_the_page(client):
    data = client.get("/api/v1/states/", {"obligation": "stockpile_destruction", "region": "americas"}).json()
    assert {s["iso3"] for s in data["results"]} == {"CHL", "PER"}
    assert data["count"] == 2


def test_a_bad_filter_value_is_a_400_naming_the_parameter(client):
    response = client.get("/api/v1/states/", {"status": "bogus"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_list_is_paginated_with_a_fixed_number_of_queries(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    # States, obligations, extension requests; then the list and the page are stored in the shared cache (a
    # table here: drawing the topics' versions and storing a value take a few queries each, once)
    with django_assert_max_num_queries(20):
        client.get("/api/v1/states/", {"limit": 10, "offset": 40})
    with django_assert_max_num_queries(10):  # another page: the list from the shared cache, the page stored
        data = client.get("/api/v1/states/", {"limit": 10, "offset": 20}).json()
    assert data["count"] == 197  # States only: no territory or area
    assert len(data["results"]) == 10
    with django_assert_num_queries(2):  # the same page again, for anyone not signed in: the versions, the page
        assert client.get("/api/v1/states/", {"limit": 10, "offset": 20}).json() == data


def test_the_openapi_schema_describes_the_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    if schema is None:
        import yaml  # drf-spectacular depends on PyYAML

        schema = yaml.safe_load(response.content)
    assert "/api/v1/states/" in schema["paths"]
    assert "/api/v1/states/{iso3}/" in schema["paths"]


def test_the_api_docs_page_loads_without_a_cdn(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
