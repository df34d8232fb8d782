"""The Country Brief (ccm.profiles.brief): a PDF and a DOCX holding only what the reader may see."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from tests.personas import persona

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_brief_holds_only_what_the_reader_may_see(lebanon_reported):
    public = persona("anonymous").client().get("/states/LBN/brief.pdf")
    assert public["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(public.content)
    assert 1 <= pages <= 4
    assert "Country Brief: Lebanon" in text and "PUBLISHED-OBSTACLE" in text
    assert "DRAFT-OBSTACLE" not in text and "8,000,000" not in text  # the gap of a restricted plan
    viewer = persona("state_viewer").client().get("/states/LBN/brief.pdf")
    pages, text = _pdf_text(viewer.content)  # the State's own viewer: published figures, the plan kept to the State
    assert "DRAFT-OBSTACLE" not in text and "8,000,000" in text and "9,000,000 m² remaining" in text
    own = persona("state_editor").client().get("/states/LBN/brief.pdf")
    pages, text = _pdf_text(own.content)
    assert 2 <= pages <= 4
    assert "DRAFT-OBSTACLE" in text and "8,000,000" in text and "7,000,000 m² remaining" in text


def test_the_docx_brief_opens_and_carries_the_chart(lebanon_reported):
    response = persona("state_editor").client().get("/states/LBN/brief.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Country Brief: Lebanon" in document.core_properties.title
    assert "DRAFT-OBSTACLE" in text
    assert len(document.inline_shapes) == 1  # the remaining-work chart
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "8,000,000" in cells
