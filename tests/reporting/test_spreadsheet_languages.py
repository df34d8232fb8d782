"""A workbook in French or Spanish: written in the reader's language, read in any language."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from ccm.core.models import SpreadsheetImport
from ccm.reporting.models import ProgressReport
from tests.personas import persona

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_french_workbook_imports_on_an_english_page(lebanon_with_baseline):
    editor = persona("state_editor").client()
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = editor.get("/states/LBN/workbook.xlsx")
    book = load_workbook(io.BytesIO(french.content))
    with translation.override("fr"):
        progress = translation.gettext("Progress")
        year = translation.gettext("Year")
    assert progress != "Progress" and book.sheetnames[1] == progress
    assert book[progress]["A1"].value == year != "Year"
    book[progress].append([2023, None, None, 250_000])
    buffer = io.BytesIO()
    book.save(buffer)

    english = persona("state_editor").client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = english.post(
        "/states/LBN/imports/new/",
        {"file": SimpleUploadedFile("avancement.xlsx", buffer.getvalue(), content_type=XLSX)},
    )
    assert response.status_code == 302
    record = SpreadsheetImport.objects.latest("id")
    assert record.status == "ready", record.errors
    english.post(response["Location"])
    assert ProgressReport.objects.get(state__iso3="LBN", year=2023).cleared_m2 == 250_000


def test_a_problem_in_a_spanish_workbook_names_the_heading_in_the_readers_language(lebanon_with_baseline):
    editor = persona("state_editor").client()
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    book = load_workbook(io.BytesIO(editor.get("/states/LBN/workbook.xlsx").content))
    with translation.override("es"):
        progress = translation.gettext("Progress")
    book[progress].append([2023, "mucho"])
    buffer = io.BytesIO()
    book.save(buffer)
    editor.post(
        "/states/LBN/imports/new/", {"file": SimpleUploadedFile("a.xlsx", buffer.getvalue(), content_type=XLSX)}
    )
    record = SpreadsheetImport.objects.latest("id")
    assert record.status == "invalid"
    [problem] = record.errors
    with translation.override("es"):
        assert problem["column"] == "B" and translation.gettext("a whole number") in problem["message"]
    assert "a whole number" not in problem["message"]
