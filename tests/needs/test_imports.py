import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccm.core.models import SpreadsheetImport
from ccm.needs.models import Need
from tests.factories import NeedFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db

HEADER = "title,pillar,modality,description,amount,currency,in_kind,ends_on,priority,visibility,obligation\n"


def _upload(client, content: bytes, name: str = "needs.csv"):
    response = client.post("/needs/import/LBN/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    return SpreadsheetImport.objects.filter(kind="needs").latest("id"), response["Location"]


def test_csv_import_check_preview_apply_and_again_changes_nothing(lebanon):
    editor = persona("state_editor").client()
    content = (
        HEADER + "Survey teams,survey,financial,Two teams,150000,usd,,2027-06-30,1,public,clearance\n"
        "Trainers,risk_education,technical_expertise,Trainers,,,Two trainers,,2,platform,\n"
    ).encode()
    sheet_import, location = _upload(editor, content)
    assert sheet_import.status == "ready", sheet_import.errors
    assert [c["action"] for c in sheet_import.changes] == ["create", "create"]
    assert not Need.objects.filter(state=lebanon).exists()
    editor.post(location)
    survey = Need.objects.get(state=lebanon, title="Survey teams")
    assert (survey.amount, survey.currency, survey.obligation.kind, survey.published_at) == (
        Decimal("150000.00"),
        "USD",
        "clearance",
        None,
    )
    again, location = _upload(editor, content)
    assert [c["action"] for c in again.changes] == ["unchanged", "unchanged"]
    editor.post(location)
    assert Need.objects.filter(state=lebanon).count() == 2


def test_an_exported_xlsx_comes_back_as_updates(lebanon):
    need = NeedFactory(title="Vehicles", amount=Decimal("100000"))
    editor = persona("state_editor").client()
    book = load_workbook(io.BytesIO(editor.get("/needs/export.xlsx", {"state": "LBN"}).content))
    sheet = book["Needs"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("amount") + 1, value=120000)
    buffer = io.BytesIO()
    book.save(buffer)
    sheet_import, location = _upload(editor, buffer.getvalue(), "needs.xlsx")
    assert sheet_import.status == "ready", sheet_import.errors
    [change] = sheet_import.changes
    assert change["action"] == "update" and change["fields"][0][0] == "amount"
    editor.post(location)
    need.refresh_from_db()
    assert need.amount == Decimal("120000.00")


def test_every_bad_cell_is_named_and_nothing_is_written(lebanon):
    content = (
        HEADER + "A,demining,financial,x,abc,USD,,2027-13-01,7,public,\n,survey,financial,x,100,ZZZ,,,1,public,\n"
    ).encode()
    sheet_import, _location = _upload(persona("state_editor").client(), content)
    texts = [e["text"] for e in sheet_import.errors]
    assert (
        "row 2, column B (pillar): 'demining' is not one of: "
        + ", ".join(
            ["clearance", "stockpile_destruction", "risk_education", "victim_assistance", "survey", "capacity_building"]
        )
        in texts
    )
    assert "row 2, column E (amount): 'abc' is not an amount" in texts
    assert "row 2, column H (ends_on): '2027-13-01' is not a date (YYYY-MM-DD)" in texts
    assert "row 2, column I (priority): '7' is not 1, 2 or 3" in texts
    assert "row 3, column A (title): a value is required" in texts
    assert "row 3, column F (currency): 'ZZZ' is not an ISO 4217 currency code" in texts
    assert not Need.objects.filter(state=lebanon).exists()


def test_a_missing_column_and_a_binary_file_are_refused(lebanon):
    editor = persona("state_editor").client()
    missing, _location = _upload(editor, b"title,pillar\nA,survey\n")
    assert {e["header"] for e in missing.errors} == {"modality", "description"}
    binary, _location = _upload(editor, b"\x00\x01\x02" * 50, "needs.csv")
    assert "not of an accepted type" in binary.errors[0]["message"]


def test_nan_and_huge_amounts_are_cell_problems_not_crashes(lebanon):
    client = persona("state_editor").client()
    client.post(
        "/needs/import/LBN/",
        {
            "file": SimpleUploadedFile(
                "n.csv",
                b"title,pillar,modality,description,amount,currency\nA,survey,financial,d,NaN,USD\n"
                b"B,survey,financial,d,1E+99999,USD\n",
            )
        },
    )
    result = SpreadsheetImport.objects.filter(kind="needs").latest("id")
    assert [e["row"] for e in result.errors if e["header"] == "amount"] == [2, 3]
