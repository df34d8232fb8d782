"""A year's figures start with the year and empty figures; a plan gains and loses years; the workbook
preview lists only what changes."""

import re

import pytest

from ccm.reporting.forms import ProgressForm
from ccm.reporting.models import PROGRESS_FIGURES, PlanYear, ProgressReport
from tests.personas import persona

pytestmark = pytest.mark.django_db


def test_a_new_year_starts_with_the_year_and_empty_figures():
    form = ProgressForm()
    assert list(form.fields)[0] == "year"
    for name in PROGRESS_FIGURES:
        assert form[name].value() in (None, ""), name
    page = persona("state_editor").client().get("/states/LBN/progress/new/").content.decode()
    names = re.findall(r'<(?:input|select|textarea)[^>]*name="(\w+)"', page.split('class="stack narrow"', 1)[1])
    assert [n for n in names if n != "csrfmiddlewaretoken"][0] == "year"
    assert not re.search(r'name="cleared_m2"[^>]*value="0"', page)


def test_empty_figures_are_saved_as_none_reported(lebanon_with_baseline):
    client = persona("state_editor").client()
    assert client.post("/states/LBN/progress/new/", {"year": "2022", "cleared_m2": "5000"}).status_code == 302
    report = ProgressReport.objects.get(year=2022)
    assert report.cleared_m2 == 5000 and report.reduced_m2 == 0


def _plan(rows, **extra):
    data = {
        "currency": "USD",
        "visibility": "public",
        "note": "",
        "years-TOTAL_FORMS": str(len(rows)),
        "years-INITIAL_FORMS": "0",
        "years-MIN_NUM_FORMS": "1",
        "years-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data.update({f"years-{i}-{k}": v for k, v in row.items()})
    data.update(extra)
    return data


ROW = {"target_output": "1000", "cost": "5000", "national_funding": "0", "international_funding": "0"}


def test_a_plan_gains_a_year_without_saving_and_loses_one_when_removed(lebanon_with_baseline):
    client = persona("state_editor").client()
    rows = [{"year": "2027", **ROW}, {"year": "2028", **ROW}]
    page = client.post("/states/LBN/plans/clearance/edit/", _plan(rows, add_year="1"))
    assert page.status_code == 200 and not PlanYear.objects.exists()
    html = page.content.decode()
    assert 'name="years-TOTAL_FORMS" value="3"' in html and 'name="years-2-year" value="2029"' in html
    assert "This field is required" not in html
    removed = client.post(
        "/states/LBN/plans/clearance/edit/",
        _plan([*rows, {"year": "2029", **ROW}], **{"years-1-DELETE": "on"}),
    )
    assert removed.status_code == 302
    assert sorted(PlanYear.objects.values_list("year", flat=True)) == [2027, 2029]


def test_adding_a_year_drops_the_rows_ticked_for_removal_and_stops_at_the_limit(lebanon_with_baseline):
    client = persona("state_editor").client()
    rows = [{"year": "2027", **ROW}, {"year": "2028", **ROW}]
    html = client.post(
        "/states/LBN/plans/clearance/edit/", _plan(rows, add_year="1", **{"years-1-DELETE": "on"})
    ).content.decode()
    assert 'name="years-TOTAL_FORMS" value="2"' in html and 'name="years-1-year" value="2028"' in html
    full = [{"year": str(2027 + i), **ROW} for i in range(30)]
    html = client.post("/states/LBN/plans/clearance/edit/", _plan(full, add_year="1")).content.decode()
    assert 'name="years-TOTAL_FORMS" value="30"' in html
