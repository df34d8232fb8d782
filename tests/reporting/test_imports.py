"""Plan rows and progress figures are normalised by one function each, so the preview of a workbook and
what applying it stores cannot disagree (blank funding is 0, blank text is "", currencies in capitals)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccm.core.models import SpreadsheetImport
from ccm.reporting import services
from tests.personas import persona

pytestmark = pytest.mark.django_db


def test_plan_rows_fill_blank_funding_and_sort_by_year():
    rows = services.plan_rows(
        [
            {"year": "2028", "target_output": 5.0, "cost": "10.5", "national_funding": None},
            {"year": 2027, "target_output": "7", "cost": 3, "national_funding": "1", "international_funding": ""},
        ]
    )
    assert rows == [
        (2027, 7, Decimal("3"), Decimal("1"), Decimal("0")),
        (2028, 5, Decimal("10.5"), Decimal(0), Decimal(0)),
    ]


def test_progress_figures_give_blank_text_and_counts_their_defaults():
    figures = services.progress_figures(
        {"cleared_m2": None, "obstacles": None, "national_resources": "12.346", "national_resources_currency": "usd"}
    )
    assert figures == {
        "cleared_m2": 0,
        "national_resources": Decimal("12.35"),
        "national_resources_currency": "USD",
        "obstacles": "",
    }
    assert services.progress_figures({"victim_assistance_beneficiaries": None}) == {
        "victim_assistance_beneficiaries": None
    }


def test_a_workbook_with_blank_cells_previews_exactly_what_applying_stores(lebanon_with_baseline):
    editor = persona("state_editor").client()
    book = load_workbook(io.BytesIO(editor.get("/states/LBN/workbook.xlsx").content))
    book["Progress"].append([2022, None, None, 100, None, None, None, None, 10, "eur", None, None, None, None])
    book["Plan"].append(["clearance", 2027, 1000, 5000, None, None, "usd"])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()

    def upload():
        response = editor.post("/states/LBN/imports/new/", {"file": SimpleUploadedFile("w.xlsx", content)})
        return SpreadsheetImport.objects.latest("id"), response["Location"]

    first, location = upload()
    assert first.status == "ready", first.errors
    assert {c["action"] for c in first.changes} == {"create", "new_version"}
    editor.post(location)
    again, _location = upload()
    assert [c["action"] for c in again.changes] == ["unchanged", "unchanged"]
    assert not again.has_changes
