"""The Article 7 draft's pages, downloads and API: what they show, the files open with the figures, and
bad input (years out of range, unknown languages) answers 404/400, never 500."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from ccm.reporting import services as reporting
from ccm.reporting.models import ReportStatus
from ccm.states.models import State
from tests.factories import FlowFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

PAGE = "/transparency/drafts/LBN/2025/"
API = "/api/v1/transparency/drafts/LBN/2025/"


@pytest.fixture
def lebanon():
    state = State.objects.get(iso3="LBN")
    reporting.baseline_add(
        obligation=state.obligations.get(kind="clearance"),
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=16_300_000,
        source="CMM 2016",
        actor=None,
    )
    report = reporting.progress_save(
        state=state,
        year=2025,
        figures={"cleared_m2": 520_000, "reduced_m2": 160_000, "submunitions_destroyed": 310, "source": "LMAC 2025"},
        actor=None,
    ).report
    reporting.progress_set_status(report=report, status=ReportStatus.SUBMITTED, actor=None)
    reporting.progress_set_status(report=report, status=ReportStatus.PUBLISHED, actor=None)
    return state


def test_the_page_previews_the_draft_with_its_downloads(lebanon):
    response = persona("state_viewer").client().get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Lebanon: Article 7 report for 2025 (draft)" in text
    assert "Draft — prepared from Country Coalitions data on" in text
    assert "520,000\u00a0m²" in text and "Progress report 2025 (LMAC 2025)" in text
    assert "Left for the State to complete." in text
    assert "/transparency/drafts/LBN/2025/draft.docx" in text and "/transparency/drafts/LBN/2025/draft.xlsx" in text


def test_the_docx_opens_with_the_marking_and_the_figures(lebanon):
    response = persona("state_editor").client().get(PAGE + "draft.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="article7-draft-LBN-2025-')
    document = Document(io.BytesIO(response.content))
    assert "Draft — prepared from Country Coalitions data on" in document.sections[0].header.paragraphs[0].text
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "(i) Clearance programmes (Article 4): status and progress during the year" in paragraphs
    assert "(a) National implementation measures (Article 9)" in paragraphs
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "520,000\u00a0m²" in cells and "310" in cells and "Progress report 2025 (LMAC 2025)" in cells


def test_the_xlsx_opens_with_the_figures_as_numbers(lebanon):
    response = persona("coordinator").client().get(PAGE + "draft.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0].startswith("Draft — prepared from Country Coalitions data on")
    cleared = next(r for r in rows if r[0] == "i" and r[2] == "Cleared")
    assert cleared[3] == 520_000 and cleared[4] == "m²" and cleared[6] == "Progress report 2025 (LMAC 2025)"
    todo = {r[0] for r in rows if r[0] and len(r) > 9 and r[2] is None and r[9]}
    assert {"a", "l"} <= todo


def test_the_api_returns_the_items(lebanon):
    response = persona("state_manager").client().get(API)
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "LBN" and data["year"] == 2025 and data["language"] == "en"
    assert [item["key"] for item in data["items"]] == list("abcdefghijklmn")
    item_i = next(item for item in data["items"] if item["key"] == "i")
    cleared = next(f for f in item_i["figures"] if f["label"] == "Cleared")
    assert cleared == {
        "label": "Cleared",
        "value": "520000",
        "text": "520,000\u00a0m²",
        "unit": "m²",
        "source": "Progress report 2025 (LMAC 2025)",
        "unpublished": False,
        "illustrative": False,
    }
    assert next(item for item in data["items"] if item["key"] == "a")["to_complete"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/transparency/drafts/LBN/2007/",
        "/transparency/drafts/LBN/2027/",
        "/transparency/drafts/LBN/99999/",
        "/transparency/drafts/LBN/0000/",
        "/transparency/drafts/LBN/9999/draft.docx",
        "/transparency/drafts/LBN/1900/draft.xlsx",
        "/transparency/drafts/XXX/2025/",
        "/transparency/drafts/NOR/2025/",  # a State whose government the reader is not
        "/api/v1/transparency/drafts/LBN/2007/",
        "/api/v1/transparency/drafts/LBN/3000/",
        "/api/v1/transparency/drafts/LBN/123456789012345678901/",
        "/api/v1/transparency/drafts/NOR/2025/",
    ],
)
def test_years_out_of_range_and_other_states_are_not_found(path):
    assert persona("state_viewer").client().get(path).status_code == 404


@pytest.mark.parametrize("lang", ["xx", "en\x00", "f" * 5000, "<script>", "../../etc"])
def test_an_unknown_language_is_refused_with_the_reason(lebanon, lang):
    client = persona("state_viewer").client()
    page = client.get(PAGE, {"lang": lang})
    assert page.status_code == 400 and "Unknown language" in page.content.decode()
    assert client.get(PAGE + "draft.docx", {"lang": lang}).status_code == 400
    api = client.get(API, {"lang": lang})
    assert api.status_code == 400 and "lang" in api.json()


def test_a_ccm_language_is_accepted_and_answered_in_english_with_a_note(lebanon):
    client = persona("state_viewer").client()
    page = client.get(PAGE, {"lang": "es"})
    assert page.status_code == 200
    assert "The draft is in English: a draft in Spanish will follow" in page.content.decode()
    assert "draft.docx?lang=es" in page.content.decode()
    assert client.get(API, {"lang": "fr"}).json()["language_note"].startswith("The draft is in English")


def test_the_chooser_sends_to_the_chosen_year_and_refuses_others():
    client = persona("state_viewer").client()
    page = client.get("/transparency/drafts/LBN/")
    assert page.status_code == 200 and '<option value="2008">' in page.content.decode()
    assert client.get("/transparency/drafts/LBN/", {"year": "2025"})["Location"] == PAGE
    assert client.get("/transparency/drafts/LBN/", {"year": "2025", "lang": "fr"})["Location"] == PAGE + "?lang=fr"
    for bad in ("1999", "2999", "abc", "9" * 400, "2025\x00"):
        refused = client.get("/transparency/drafts/LBN/", {"year": bad})
        assert refused.status_code == 400 and "Choose a year between 2008 and" in refused.content.decode()


def test_the_api_costs_the_same_queries_whatever_the_number_of_flows(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = persona("other_state_manager").client()
    url = "/api/v1/transparency/drafts/NOR/2025/"
    FlowFactory(funder=organisation("other_state"), value_date=date(2025, 2, 1))
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(40):
        FlowFactory(funder=organisation("other_state"), amount=Decimal(100 + i), value_date=date(2025, 3, 1 + i % 28))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    lines = next(item for item in response.json()["items"] if item["key"] == "n")["flow_lines"]
    assert sum(line["flows"] for line in lines) == 41


def test_the_draft_says_when_the_year_is_before_entry_into_force():
    text = persona("coordinator").client().get("/transparency/drafts/PER/2010/").content.decode()
    assert "The Convention entered into force for Peru on 1 March 2013, after the year 2010." in text
    text = persona("coordinator").client().get("/transparency/drafts/USA/2025/").content.decode()
    assert "Article 7 reports are for States Parties" in text
