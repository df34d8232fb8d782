"""The pages: the public board, overdue list, a State's reports and its section on the State page; recording
(coordinators, and the State's own managers); bounded queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import reset_queries

from ccm.transparency import services
from ccm.transparency.models import TransparencyReport
from tests.personas import persona

pytestmark = pytest.mark.django_db


def _record(state, year, **fields):
    values = {"status": "submitted", "submitted_on": date(year + 1, 4, 1), "source": "UN Article 7 database"}
    values.update(fields)
    return services.report_record(state=state, kind="annual", year=year, actor=None, **values).report


def test_the_board_is_public_with_filters_pages_and_rates(norway, lebanon):
    _record(norway, 2023)
    _record(lebanon, 2023, submitted_on=date(2024, 6, 1))
    client = persona("anonymous").client()
    page = client.get("/transparency/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Rate among known reports" in body and "Known share" in body
    assert "Page 1 of" in body
    filtered = client.get("/transparency/?status=late&region=asia&year=2024").content.decode()
    assert "Lebanon" in filtered and "Norway" not in filtered and "32 days late" in filtered


def test_bad_filters_and_pages_never_fail(norway):
    client = persona("anonymous").client()
    for query in ("year=99999999999999999999", "status=<script>", "region=mars", "page=-1", "page=9999999", "year=abc"):
        assert client.get(f"/transparency/?{query}").status_code == 200, query


def test_the_overdue_list_shows_reports_checked_and_not_received(lebanon, norway):
    _record(lebanon, 2022, status="not_received", submitted_on=None, checked_on=date(2023, 6, 1))
    _record(norway, 2022, status="not_received", submitted_on=None, checked_on=date(2023, 3, 1))  # before due
    body = persona("anonymous").client().get("/transparency/overdue/").content.decode()
    assert "Lebanon" in body and "Norway" not in body


def test_a_states_page_lists_its_reports_with_sources(lebanon):
    _record(lebanon, 2023, source="Note verbale of 1 April 2024", source_url="https://example.org/nv")
    body = persona("anonymous").client().get("/transparency/LBN/").content.decode()
    assert "Note verbale of 1 April 2024" in body and 'href="https://example.org/nv"' in body
    assert "Record a report" not in body


def test_the_state_page_shows_a_reporting_section(lebanon):
    _record(lebanon, 2023)
    body = persona("anonymous").client().get("/states/LBN/").content.decode()
    assert "Article 7 reporting" in body and "/transparency/LBN/" in body


def test_a_state_that_owes_no_report_has_no_page():
    assert persona("anonymous").client().get("/transparency/USA/").status_code == 404


def test_the_states_own_manager_records_a_submission_marked_as_reported_by_the_state(lebanon):
    client = persona("state_manager").client()
    response = client.post(
        "/transparency/LBN/record/",
        {"kind": "annual", "year": "2024", "status": "submitted", "submitted_on": "2025-04-28", "source": "Our note"},
    )
    assert response.status_code == 302
    report = TransparencyReport.objects.get(state=lebanon, year=2024)
    assert report.self_reported and report.submitted_on == date(2025, 4, 28)
    assert "reported by the State" in client.get("/transparency/LBN/").content.decode()


def test_the_form_is_prefilled_from_the_record(lebanon):
    _record(lebanon, 2023, source="Prefilled source")
    body = persona("coordinator").client().get("/transparency/LBN/record/?kind=annual&year=2023").content.decode()
    assert "Prefilled source" in body


def test_bad_input_shows_the_reason_and_writes_nothing(lebanon):
    client = persona("coordinator").client()
    response = client.post(
        "/transparency/LBN/record/",
        {"kind": "annual", "year": "2023", "status": "submitted", "submitted_on": "2023-06-01", "source": "s"},
    )
    assert response.status_code == 200 and "1 January 2024" in response.content.decode()
    for data in (
        {"kind": "annual", "year": "999999999999", "status": "submitted", "source": "s"},
        {"kind": "annual", "year": "2023", "status": "submitted", "submitted_on": "2024-13-45", "source": "s"},
        {"kind": "annual", "year": "2023", "status": "submitted", "submitted_on": "2024-05-01", "source": "a\nb"},
        {"kind": "annual", "year": "2023", "status": "submitted", "submitted_on": "2024-05-01", "source": "x" * 5000},
    ):
        assert client.post("/transparency/LBN/record/", data).status_code == 200
    assert not TransparencyReport.objects.exists()


def test_an_editor_may_not_record_and_another_states_manager_may_not_either(lebanon):
    data = {"kind": "annual", "year": "2023", "status": "submitted", "submitted_on": "2024-04-01", "source": "s"}
    assert persona("state_editor").client().post("/transparency/LBN/record/", data).status_code == 403
    assert persona("other_state_manager").client().post("/transparency/LBN/record/", data).status_code == 403
    assert not TransparencyReport.objects.exists()


def test_removing_a_record_makes_the_report_unknown_again(lebanon):
    report = _record(lebanon, 2023)
    assert persona("state_editor").client().post(f"/transparency/reports/{report.pk}/delete/").status_code == 403
    response = persona("coordinator").client().post(f"/transparency/reports/{report.pk}/delete/")
    assert response.status_code == 302 and not TransparencyReport.objects.exists()


def test_the_board_runs_the_same_few_queries_however_many_records(norway, lebanon, django_assert_max_num_queries):
    client = persona("coordinator").client()
    client.get("/transparency/")  # warm the session and caches
    reset_queries()  # (the query log keeps 9,000 entries: counting from a full log would count nothing)
    # another page: the lines from the shared cache, this page's table computed and stored as a page part
    with django_assert_max_num_queries(16) as few:
        client.get("/transparency/?page=2")
    warm = len(few.captured_queries)  # now: the log moves on as the writes below are made
    for year in range(2011, 2025):
        _record(norway, year)
        _record(lebanon, year)
    client.get("/transparency/")  # the lines computed again after the writes, into the shared cache
    client.get("/transparency/overdue/")
    assert warm > 0
    reset_queries()
    with django_assert_max_num_queries(warm):
        assert client.get("/transparency/?page=3").status_code == 200
    with django_assert_max_num_queries(warm):
        assert client.get("/transparency/overdue/").status_code == 200


def test_coordinators_see_how_many_reports_are_overdue_on_their_worklist(lebanon):
    _record(lebanon, 2022, status="not_received", submitted_on=None, checked_on=date(2023, 6, 1))
    body = persona("coordinator").client().get("/me/").content.decode()
    assert "1 Article 7 report overdue" in body
    assert "Article 7 report overdue" not in persona("state_manager").client().get("/me/").content.decode()


def test_the_demo_records_illustrative_statuses_some_late_some_overdue_the_rest_unknown():
    from ccm.core.clock import today
    from ccm.transparency import demo, selectors

    assert demo.seed()[0].startswith("Article 7 demo: ")
    assert demo.seed() == ["Article 7 demo: already present."]
    assert TransparencyReport.objects.exists()
    assert not TransparencyReport.objects.filter(illustrative=False).exists()
    statuses = {line.status for line in selectors.report_lines(user=None, today=today())}
    assert {"on_time", "late", "overdue", "unknown"} <= statuses
