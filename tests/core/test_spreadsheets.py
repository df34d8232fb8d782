"""Every spreadsheet the platform writes goes through ccm.core.spreadsheets: no live formulas, no
XML-illegal characters, numbers kept as numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ccm.core.spreadsheets import csv_cell, csv_text, safe_text, xlsx_from_rows
from ccm.states.models import State
from tests.personas import persona

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'
RISKY = [EVIL, "+1", "-5 teams", "@SUM(A1)", "\tcmd", "\rcmd"]


def _cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_text_that_would_run_as_a_formula_is_neutralised_and_numbers_stay_numbers():
    assert [csv_cell(v) for v in RISKY] == [f"'{v}" for v in RISKY]
    assert [csv_cell(v) for v in (-5, Decimal("-2.50"), 3.5, None, "plain")] == ["-5", "-2.50", "3.5", "", "plain"]
    assert safe_text("a\x0bb\x00c\td") == ("abc\td", False)
    assert csv_cell("\x0b=1+1") == "'=1+1"  # stripped first, then checked


def test_an_xlsx_never_holds_a_formula_and_reads_back_unchanged():
    content = xlsx_from_rows("T", [["text", "number"], *[[v, -5] for v in RISKY], ["bad\x0bchar", Decimal("-2.5")]])
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
    assert values[1:] == [[v, -5] for v in RISKY] + [["badchar", -2.5]]
    assert all(isinstance(row[1], int | float) for row in values[1:])


def test_csv_text_quotes_each_risky_cell():
    rows = list(csv.reader(io.StringIO(csv_text([["a", "b"], [EVIL, -1]]))))
    assert rows == [["a", "b"], [f"'{EVIL}", "-1"]]


def test_the_progress_workbook_writes_no_live_hyperlink_formula():
    from ccm.reporting import services

    lebanon = State.objects.get(iso3="LBN")
    services.progress_save(state=lebanon, year=2021, figures={"obstacles": EVIL, "source": "-\x0bsource"}, actor=None)
    response = persona("state_editor").client().get("/states/LBN/workbook.xlsx")
    cells = _cells(response.content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert EVIL in [c.value for c in cells] and "-source" in [c.value for c in cells]


def test_the_needs_exports_neutralise_formulas_and_keep_amounts_as_numbers():
    from tests.factories import NeedFactory

    lebanon = State.objects.get(iso3="LBN")
    NeedFactory(
        state=lebanon,
        title=EVIL,
        pillar="survey",
        description="-1 team",
        amount=Decimal("1500"),
        ends_on=date(2030, 1, 1),
    )
    client = persona("state_editor").client()
    rows = list(csv.reader(io.StringIO(client.get("/needs/export.csv", {"state": "LBN"}).content.decode())))
    header, row = rows[0], rows[1]
    assert row[header.index("title")] == f"'{EVIL}" and row[header.index("description")] == "'-1 team"
    assert row[header.index("amount")] == "1500.00"
    cells = _cells(client.get("/needs/export.xlsx", {"state": "LBN"}).content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    assert by_value[EVIL].data_type == "s" and by_value[1500].data_type == "n"


def test_the_coverage_export_writes_no_formula():
    response = persona("coordinator").client().get("/funding/coverage.xlsx")
    assert response.status_code == 200
    assert not [c.coordinate for c in _cells(response.content) if c.data_type == "f"]
