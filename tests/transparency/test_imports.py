"""Reporting status from a CSV file: checked whole, previewed, applied; every bad row named by row and column."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccm.core.clock import today
from ccm.core.models import SpreadsheetImport
from ccm.transparency.imports import COLUMNS
from ccm.transparency.models import TransparencyReport
from tests.hostile_files import MB, _workbook, max_dimension_xlsx
from tests.personas import persona

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS) + "\n"
KIND = "transparency_reports"


def _upload(client, content: bytes, name: str = "reports.csv") -> tuple[SpreadsheetImport, str]:
    response = client.post("/transparency/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.status_code
    return SpreadsheetImport.objects.filter(kind=KIND).latest("pk"), response["Location"]


GOOD = (
    HEADER
    + "LBN,initial,,submitted,2011-12-07,,UN Article 7 database,https://example.org/art7\n"
    + "lbn,annual,2023,submitted,2024-05-15,,UN Article 7 database,\n"
    + "NOR,annual,2024,not_received,,2025-06-01,UN Article 7 database,\n"
)


def test_a_good_file_is_previewed_then_applied_and_the_same_file_again_changes_nothing(lebanon, norway):
    coordinator = persona("coordinator").client()
    record, location = _upload(coordinator, GOOD.encode())
    assert record.status == "ready", record.errors
    assert [c["action"] for c in record.changes] == ["create", "create", "create"]
    assert not TransparencyReport.objects.exists()  # nothing written before apply
    page = coordinator.get(location)
    assert page.status_code == 200 and "LBN · Annual report 2023" in page.content.decode()
    response = coordinator.post(location)
    assert response.status_code == 302
    lebanon_2023 = TransparencyReport.objects.get(state=lebanon, kind="annual", year=2023)
    assert lebanon_2023.submitted_on == date(2024, 5, 15) and not lebanon_2023.self_reported
    assert TransparencyReport.objects.get(state=norway, year=2024).status == "not_received"
    again, _location = _upload(coordinator, GOOD.encode())
    assert again.status == "ready" and not again.has_changes


def test_a_changed_row_is_previewed_as_a_change(lebanon):
    coordinator = persona("coordinator").client()
    _record, location = _upload(coordinator, GOOD.encode())
    coordinator.post(location)
    changed = GOOD.replace("2024-05-15", "2024-04-20")
    record, _location = _upload(coordinator, changed.encode())
    actions = {c["key"]: c["action"] for c in record.changes}
    assert list(actions.values()).count("update") == 1
    [update] = [c for c in record.changes if c["action"] == "update"]
    assert update["fields"] == [["submitted_on", "2024-05-15", "2024-04-20"]]


BAD_ROWS = [
    ("XXX,annual,2023,submitted,2024-05-01,,s,", "A", "iso3"),
    ("USA,annual,2023,submitted,2024-05-01,,s,", "A", "iso3"),  # not bound by the Convention
    ("LBN,final,2023,submitted,2024-05-01,,s,", "B", "report"),
    ("LBN,annual,23,submitted,2024-05-01,,s,", "C", "year"),
    ("LBN,annual,2009,submitted,2010-05-01,,s,", "C", "year"),  # before the State was bound
    ("LBN,annual,2099,not_received,,2025-01-01,s,", "C", "year"),  # in the future
    ("LBN,initial,2023,submitted,2011-12-01,,s,", "C", "year"),  # the initial report has no year
    ("LBN,annual,2023,lost,2024-05-01,,s,", "D", "status"),
    ("LBN,annual,2023,submitted,,,s,", "E", "submitted_on"),
    ("LBN,annual,2023,submitted,01/05/2024,,s,", "E", "submitted_on"),
    ("LBN,annual,2023,submitted,2023-12-31,,s,", "E", "submitted_on"),  # before the year is over
    ("LBN,initial,,submitted,2011-01-01,,s,", "E", "submitted_on"),  # before entry into force
    ("LBN,annual,2023,submitted,2099-01-01,,s,", "E", "submitted_on"),  # in the future
    ("LBN,annual,2023,not_received,,,s,", "F", "checked_on"),
    ("LBN,annual,2023,not_received,,2099-01-01,s,", "F", "checked_on"),
    ("LBN,annual,2023,submitted,2024-05-01,,,", "G", "source"),
    ("LBN,annual,2023,submitted,2024-05-01,,s,javascript:alert(1)", "H", "source_url"),
    ("LBN,annual,2023,submitted,2024-05-01,,s,https://" + "x" * 600 + ".org", "H", "source_url"),
]


@pytest.mark.parametrize(("row", "column", "heading"), BAD_ROWS)
def test_every_bad_row_is_refused_with_its_row_and_column(lebanon, row, column, heading):
    coordinator = persona("coordinator").client()
    content = HEADER + "NOR,annual,2023,submitted,2024-04-01,,s,\n" + row + "\n"
    record, location = _upload(coordinator, content.encode())
    assert record.status == "invalid"
    assert any((e["row"], e["column"], e["header"]) == (3, column, heading) for e in record.errors), record.errors
    assert not TransparencyReport.objects.exists()
    assert coordinator.get(location).status_code == 200


def test_the_same_report_twice_in_a_file_is_refused(lebanon):
    content = HEADER + "LBN,annual,2023,submitted,2024-04-01,,s,\n" + "LBN,annual,2023,submitted,2024-04-02,,s,\n"
    record, _location = _upload(persona("coordinator").client(), content.encode())
    assert record.status == "invalid" and "row 2" in record.errors[0]["message"]


def test_a_missing_column_and_an_empty_file_are_refused():
    coordinator = persona("coordinator").client()
    record, _location = _upload(coordinator, b"iso3,report,year\nLBN,initial,\n")
    assert record.status == "invalid" and any("missing" in e["message"] for e in record.errors)
    record, _location = _upload(coordinator, HEADER.encode())
    assert record.status == "invalid"


def test_an_xlsx_file_works_too(lebanon):
    content = _workbook(list(COLUMNS), [["LBN", "annual", 2023, "submitted", date(2024, 4, 1), None, "s", None]])
    record, _location = _upload(persona("coordinator").client(), content, "reports.xlsx")
    assert record.status == "ready", record.errors


def test_hostile_files_are_refused_with_a_message_and_nothing_written():
    coordinator = persona("coordinator").client()
    record, location = _upload(coordinator, max_dimension_xlsx(list(COLUMNS)), "r.xlsx")
    assert record.status == "invalid" and record.errors
    assert coordinator.get(location).status_code == 200
    rows = HEADER.encode() + b"XXX,final,abc,lost,nodate,nodate,\x1b=cmd,javascript:x\n" * 350_000
    assert 15 * MB < len(rows) < 20 * MB  # under the upload limit: the row limit must stop it
    record, location = _upload(coordinator, rows)
    assert record.status == "invalid" and record.errors[0]["message"].startswith("more than")
    assert len(record.errors) <= 200 < record.problem_count
    assert coordinator.get(location).status_code == 200
    record, _location = _upload(coordinator, HEADER.encode() + b"LBN,annual,2023,\x00submitted,,,s,\n")
    assert record.status == "invalid" and record.errors
    assert not TransparencyReport.objects.exists()


def test_the_template_downloads_and_passes_the_check(lebanon):
    response = persona("anonymous").client().get("/transparency/import/template.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == COLUMNS
    if today() >= date(2025, 6, 15):
        record, _location = _upload(persona("coordinator").client(), response.content)
        assert record.status == "ready", record.errors


def test_only_coordinators_import(lebanon):
    manager = persona("state_manager").client()
    response = manager.post("/transparency/import/", {"file": SimpleUploadedFile("r.csv", GOOD.encode())})
    assert response.status_code == 404
    assert not SpreadsheetImport.objects.filter(kind=KIND).exists()
