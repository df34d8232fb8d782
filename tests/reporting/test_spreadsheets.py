import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccm.core.models import SpreadsheetImport
from ccm.reporting import services
from ccm.reporting.models import CompletionPlan, ProgressReport
from tests.personas import persona

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def lebanon(lebanon_with_baseline):
    services.progress_save(
        state=lebanon_with_baseline, year=2021, figures={"cleared_m2": 500_000, "obstacles": "Funding"}, actor=None
    )
    return lebanon_with_baseline


@pytest.fixture
def editor():
    return persona("state_editor").client()


def _download(client) -> bytes:
    response = client.get("/states/LBN/workbook.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return response.content


def _edit(content: bytes, changes) -> bytes:
    book = load_workbook(io.BytesIO(content))
    changes(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes, name="progress.xlsx"):
    response = client.post("/states/LBN/imports/new/", {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    assert response.status_code == 302
    return SpreadsheetImport.objects.latest("id"), response


def test_the_template_is_pre_filled_with_the_states_figures(lebanon, editor):
    book = load_workbook(io.BytesIO(_download(editor)))
    assert book.sheetnames == ["About", "Progress", "Plan"]
    assert book["About"]["B1"].value == "LBN"
    assert [c.value for c in book["Progress"][2]][:4] == [2021, 0, 0, 500_000]


def test_upload_check_preview_apply_and_reupload_changes_nothing(lebanon, editor):
    def add_rows(book):
        book["Progress"].append(
            [2022, 100_000, 200_000, 700_000, 900, 10, None, None, 250000, "usd", None, None, "Security", "Art 7 2022"]
        )
        book["Plan"].append(["clearance", 2027, 2_000_000, 5_000_000, 1_000_000, 2_500_000, "USD"])
        book["Plan"].append(["clearance", 2028, 2_000_000, 5_000_000, 1_000_000, 0, "USD"])

    content = _edit(_download(editor), add_rows)
    sheet_import, response = _upload(editor, content)
    assert sheet_import.status == "ready" and sheet_import.errors == []
    preview = editor.get(response["Location"]).content.decode()
    body = preview.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    unchanged = sum(1 for change in sheet_import.changes if change["action"] == "unchanged")
    assert ">New<" in body and "New version" in body and "Clearance (Art 4)" in body
    assert unchanged and f"{unchanged} row{'s' if unchanged > 1 else ''} unchanged, not listed" in preview
    assert body.count("<tr>") == len(sheet_import.changes) - unchanged  # only what changes is listed
    assert "new_version" not in preview and "<code>" not in body
    assert not ProgressReport.objects.filter(state=lebanon, year=2022).exists()  # nothing written yet

    assert editor.post(response["Location"]).status_code == 302
    report = ProgressReport.objects.get(state=lebanon, year=2022)
    assert (report.land_released_m2, report.national_resources_currency) == (1_000_000, "USD")
    plan = CompletionPlan.objects.get(obligation__state=lebanon)
    assert [y.gap for y in plan.years.all()] == [1_500_000, 4_000_000]

    again, response = _upload(editor, content)
    assert all(change["action"] == "unchanged" for change in again.changes)
    editor.post(response["Location"])
    assert CompletionPlan.objects.filter(obligation__state=lebanon).count() == 1
    assert ProgressReport.objects.get(state=lebanon, year=2022).versions.count() == 1


def test_every_problem_names_its_sheet_row_and_column_and_nothing_is_written(lebanon, editor):
    def spoil(book):
        book["Progress"].append(
            [2022, "abc", None, 20_000_000, None, None, None, None, None, None, None, None, None, None]
        )
        book["Progress"].append([2005, None, -3, None, None, None, None, None, None, None, None, None, None, None])
        book["Plan"].append(["demining", 2027, 1, 1, None, None, "USD"])

    sheet_import, _response = _upload(editor, _edit(_download(editor), spoil))
    texts = [e["text"] for e in sheet_import.errors]
    assert "Sheet 'Progress', row 3, column B (Cancelled (m²)): 'abc' is not a whole number" in texts
    assert any(t.startswith("Sheet 'Progress', row 4, column A (Year): 2005 is before") for t in texts)
    assert any(
        t.startswith("Sheet 'Progress', row 4, column C (Reduced (m²)): A figure cannot be negative") for t in texts
    )
    assert any(t.startswith("Sheet 'Plan', row 2, column A (Obligation)") for t in texts)
    assert sheet_import.status == "invalid"
    assert editor.post(f"/states/LBN/imports/{sheet_import.pk}/").status_code == 200  # cannot be applied
    assert ProgressReport.objects.filter(state=lebanon).count() == 1


def test_released_area_beyond_what_remains_is_refused_with_its_cell(lebanon, editor):
    def too_much(book):
        book["Progress"].append(
            [2022, None, None, 9_600_000, None, None, None, None, None, None, None, None, None, None]
        )

    sheet_import, _response = _upload(editor, _edit(_download(editor), too_much))
    # together with the 500,000 m² of 2021 (row 2) it is more than the baseline: both rows are named
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in sheet_import.errors}
    assert "9,500,000" in errors[("Progress", 3, "D")]
    assert "400,000" in errors[("Progress", 2, "D")]


def test_a_renamed_sheet_is_reported(lebanon, editor):
    def rename(book):
        book["Plan"].title = "Plans 2027"

    sheet_import, _response = _upload(editor, _edit(_download(editor), rename))
    assert [e["text"] for e in sheet_import.errors] == [
        "Sheet 'Plan': the sheet is missing (was it renamed?); keep the names About, Progress and Plan"
    ]


def test_a_file_that_is_not_xlsx_is_refused(lebanon, editor):
    sheet_import, _response = _upload(editor, b"year,cleared\n2022,5\n", name="figures.xlsx")
    assert sheet_import.status == "invalid"
    assert "not of an accepted type" in sheet_import.errors[0]["message"]


def test_a_workbook_for_another_state_is_refused(lebanon, editor):
    def other(book):
        book["About"]["B1"] = "NOR"

    sheet_import, _response = _upload(editor, _edit(_download(editor), other))
    assert "this workbook is for NOR, not LBN" in sheet_import.errors[0]["message"]


def test_an_import_belongs_to_its_states_editors(lebanon, editor):
    sheet_import, _response = _upload(editor, _download(editor))
    assert persona("state_viewer").client().get(f"/states/LBN/imports/{sheet_import.pk}/").status_code == 404
    assert persona("coordinator").client().post(f"/states/LBN/imports/{sheet_import.pk}/").status_code == 404
    assert persona("state_manager").client().get(f"/states/LBN/imports/{sheet_import.pk}/").status_code == 200
