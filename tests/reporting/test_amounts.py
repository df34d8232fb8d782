"""Amounts above the one bound are refused with a message in the progress and plan forms and in the
workbook upload; values at the bound are kept exactly (issue 11)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccm.core.models import SpreadsheetImport
from ccm.reporting.models import PlanYear, ProgressReport
from tests.personas import ALL_PERSONAS, persona

pytestmark = pytest.mark.django_db

AT_BOUND = Decimal("999999999999999.99")
ISSUE_EXAMPLE = "9999999999999999.99"
MESSAGE = "at most 999,999,999,999,999.99"


def _progress(amount):
    return {"year": 2024, "cleared_m2": 1000, "national_resources": amount, "national_resources_currency": "LBP"}


def test_the_progress_form_refuses_above_the_bound_and_keeps_the_bound(lebanon_with_baseline):
    client = persona("state_editor").client()
    refused = client.post("/states/LBN/progress/new/", _progress(ISSUE_EXAMPLE))
    assert refused.status_code == 200 and MESSAGE in refused.content.decode()
    assert not ProgressReport.objects.exists()
    assert client.post("/states/LBN/progress/new/", _progress("999999999999999.99")).status_code == 302
    assert ProgressReport.objects.get().national_resources == AT_BOUND


def _plan(cost):
    return {
        "currency": "LBP",
        "visibility": "public",
        "note": "",
        "years-TOTAL_FORMS": "1",
        "years-INITIAL_FORMS": "0",
        "years-MIN_NUM_FORMS": "1",
        "years-MAX_NUM_FORMS": "30",
        "years-0-year": "2027",
        "years-0-target_output": "1000",
        "years-0-cost": cost,
        "years-0-national_funding": "999999999999999.99",
        "years-0-international_funding": "0",
    }


def test_the_plan_form_refuses_above_the_bound_and_every_page_answers_at_the_bound(lebanon_with_baseline):
    client = persona("state_editor").client()
    refused = client.post("/states/LBN/plans/clearance/edit/", _plan(ISSUE_EXAMPLE))
    assert refused.status_code == 200 and MESSAGE in refused.content.decode()
    assert not PlanYear.objects.exists()
    assert client.post("/states/LBN/plans/clearance/edit/", _plan("999999999999999.99")).status_code == 302
    year = PlanYear.objects.get()
    assert (year.cost, year.national_funding) == (AT_BOUND, AT_BOUND)
    manager = persona("state_manager").client()
    assert manager.post(f"/states/LBN/plans/{year.plan.pk}/approve/").status_code == 302
    for name in ALL_PERSONAS:
        client = persona(name).client()
        for url in ("/states/LBN/plans/clearance/", "/api/v1/states/LBN/plans/", "/funding/", "/funding/states/LBN/"):
            assert client.get(url).status_code == 200, (name, url)


def test_the_workbook_refuses_an_amount_above_the_bound(lebanon_with_baseline):
    editor = persona("state_editor").client()
    book = load_workbook(io.BytesIO(editor.get("/states/LBN/workbook.xlsx").content))
    book["Plan"].append(["clearance", 2027, 1000, ISSUE_EXAMPLE, None, None, "lbp"])
    buffer = io.BytesIO()
    book.save(buffer)
    editor.post("/states/LBN/imports/new/", {"file": SimpleUploadedFile("w.xlsx", buffer.getvalue())})
    sheet_import = SpreadsheetImport.objects.latest("id")
    assert sheet_import.status == "invalid"
    assert any(MESSAGE in e["text"] for e in sheet_import.errors), sheet_import.errors
