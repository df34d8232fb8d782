"""The API: the reports list with filters, one State's reports, the yearly rates (public, as the pages)."""

from __future__ import annotations

from datetime import date

import pytest

from ccm.transparency import services
from tests.personas import persona

pytestmark = pytest.mark.django_db


def _record(state, year, **fields):
    values = {"status": "submitted", "submitted_on": date(year + 1, 4, 1), "source": "UN Article 7 database"}
    values.update(fields)
    services.report_record(state=state, kind="annual", year=year, actor=None, **values)


def test_the_list_is_public_paginated_and_filtered(norway, lebanon):
    _record(norway, 2023)
    _record(lebanon, 2023, submitted_on=date(2024, 5, 10))
    client = persona("anonymous").client()
    page = client.get("/api/v1/transparency/reports/?limit=5").json()
    assert page["count"] > 1000 and len(page["results"]) == 5
    late = client.get("/api/v1/transparency/reports/?status=late&year=2024").json()
    assert [(r["state"], r["year"], r["days_late"], r["recorded_status"]) for r in late["results"]] == [
        ("LBN", 2023, 10, "submitted")
    ]
    one = client.get("/api/v1/transparency/reports/?state=nor&year=2024").json()["results"]
    assert [(r["kind"], r["status"], r["source"]) for r in one] == [("annual", "on_time", "UN Article 7 database")]


def test_bad_filters_answer_400_with_the_reason():
    client = persona("anonymous").client()
    for query, field in (
        ("status=lost", "status"),
        ("region=mars", "region"),
        ("year=99999999999999999999", "year"),
        ("state=%00%00%00", "state"),
        ("limit=100000000", "limit"),
    ):
        response = client.get(f"/api/v1/transparency/reports/?{query}")
        assert response.status_code == 400 and field in response.json(), query


def test_one_states_reports_newest_first_and_404_for_a_state_that_owes_none(lebanon):
    _record(lebanon, 2023)
    client = persona("anonymous").client()
    rows = client.get("/api/v1/transparency/states/LBN/").json()
    assert rows[-1]["kind"] == "initial" and rows[0]["status"] == "not_yet_due"
    assert client.get("/api/v1/transparency/states/USA/").status_code == 404


def test_the_rates_count_unknown_apart(norway, lebanon):
    _record(norway, 2023)
    _record(lebanon, 2023, submitted_on=date(2024, 5, 10))
    rates = {r["year"]: r for r in persona("anonymous").client().get("/api/v1/transparency/rates/").json()}
    year = rates[2024]
    assert (year["on_time"], year["late"], year["known"], year["rate"]) == (1, 1, 2, 0.5)
    assert year["unknown"] == year["due"] - 2 and year["known_share"] == pytest.approx(2 / year["due"])
    assert persona("anonymous").client().get("/api/v1/transparency/rates/?region=mars").status_code == 400


def test_the_list_reads_a_bounded_number_of_queries(norway, django_assert_max_num_queries):
    client = persona("anonymous").client()
    client.get("/api/v1/transparency/reports/?limit=10")  # the lines computed once, into the shared cache
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/transparency/reports/?limit=500").status_code == 200
