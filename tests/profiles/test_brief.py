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


@pytest.fixture
def lebanon_funded(lebanon_reported):
    """lebanon_reported with a public need pledged and committed against, a need for chosen donors only, a
    public and a private obstacle, and a donor's disbursement."""
    from datetime import date
    from decimal import Decimal

    from ccm.funding import services as funding
    from tests.factories import NeedFactory, ObstacleFactory
    from tests.personas import organisation

    need = NeedFactory(
        state=lebanon_reported,
        title="PUBLIC-NEED",
        amount=Decimal("500000"),
        currency="USD",
        visibility="public",
        starts_on=date(2026, 1, 1),
    )
    pledge = funding.pledge_create(
        need=need, funder=organisation("io"), amount=Decimal("200000"), actor=None, value_date=date(2026, 1, 5)
    )
    funding.flow_follow_create(follows=pledge, amount=Decimal("150000"), value_date=date(2026, 2, 1), actor=None)
    hidden = NeedFactory(state=lebanon_reported, title="CHOSEN-NEED", visibility="chosen", amount=Decimal("1000"))
    hidden.chosen_donors.set([organisation("operator")])
    ObstacleFactory(state=lebanon_reported, category="security_access", severity="critical", statement="MINES-ON-ROADS")
    ObstacleFactory(
        state=lebanon_reported, category="funding", severity="high", statement="PRIVATE-OBS", visibility="organisation"
    )
    return lebanon_reported


def _docx_text(content: bytes) -> tuple[Document, str]:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return document, "\n".join(parts)


def test_the_brief_for_a_restricted_reader_has_the_new_sections_marking_and_page_numbers(lebanon_funded):
    reader = persona("state_viewer")
    pages, text = _pdf_text(reader.client().get("/states/LBN/brief.pdf").content)
    flat = " ".join(text.split())
    # the sections, in order, after the timeline and progress
    order = [
        flat.index(h)
        for h in (
            "Treaty timeline",
            "Progress by year",
            "Needs",
            "Funding received by donor and year",
            "Coverage by year",
            "Obstacles",
            "Specific asks",
        )
    ]
    assert order == sorted(order)
    assert "PUBLIC-NEED Partly met 500,000 USD 200,000 USD 150,000 USD" in flat  # status, amount, pledged, committed
    assert "CHOSEN-NEED" in flat  # kept to chosen donors, but the State's government sees its own needs
    assert "Security and access Critical" in flat and "MINES-ON-ROADS" in flat and "PRIVATE-OBS" in flat
    assert "PUBLIC-NEED: 300,000 USD still unfunded" in flat  # the specific ask
    assert "International organisation" in flat or "IO" in flat  # the donor of the funding table
    name = reader.user.get_full_name() or reader.user.get_username()
    assert f"Restricted — prepared for {name}" in flat
    assert flat.count("Restricted — prepared for") == pages + 1  # on every page, and under the title
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(reader.client().get("/states/LBN/brief.pdf").content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points

    document, docx = _docx_text(reader.client().get("/states/LBN/brief.docx").content)
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == (pytest.approx(210, abs=0.1), pytest.approx(297, abs=0.1))
    assert f"Restricted — prepared for {name}" in docx and "RESTRICTED" in section.header.paragraphs[0].text
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml
    assert "PUBLIC-NEED" in docx and "MINES-ON-ROADS" in docx and "Critical" in docx
    # a donor's reader sees the needs it may see: not one kept for another donor
    _pages, donor = _pdf_text(persona("io_viewer").client().get("/states/LBN/brief.pdf").content)
    assert "PUBLIC-NEED" in donor and "CHOSEN-NEED" not in donor
    _pages, chosen = _pdf_text(persona("operator_viewer").client().get("/states/LBN/brief.pdf").content)
    assert "CHOSEN-NEED" in chosen and "Restricted" in chosen  # more than the public edition: marked


def test_the_public_brief_is_marked_public_and_holds_only_public_sections(lebanon_funded):
    pages, text = _pdf_text(persona("anonymous").client().get("/states/LBN/brief.pdf").content)
    flat = " ".join(text.split())
    assert "Restricted" not in flat and "Public — published information only." in flat
    assert "PUBLIC-NEED" in flat and "MINES-ON-ROADS" in flat
    assert "PRIVATE-OBS" not in flat and "CHOSEN-NEED" not in flat and "8,000,000" not in flat
    assert f"Page 1 of {pages}" in flat
    # a signed-in reader who sees nothing more than the public is not marked restricted
    _pages, outsider = _pdf_text(persona("outsider").client().get("/states/LBN/brief.pdf").content)
    outsider = " ".join(outsider.split())
    assert "Restricted" not in outsider and "Holds published information only." in outsider


@pytest.mark.parametrize(("language", "name"), [("fr", "Liban"), ("es", "Líbano")])
def test_the_brief_is_made_in_the_language_it_is_asked_in(lebanon_reported, language, name):
    from django.utils import translation

    with translation.override(language):
        title = translation.gettext("Country Brief: %(state)s") % {"state": name}
        heading = translation.gettext("Treaty timeline")
    client = persona("state_editor").client()
    client.cookies["django_language"] = language
    _pages, text = _pdf_text(client.get("/states/LBN/brief.pdf").content)
    assert title in text and "Country Brief: Lebanon" not in text
    assert heading != "Treaty timeline" and heading in text
    document = Document(io.BytesIO(client.get("/states/LBN/brief.docx").content))
    assert document.core_properties.title == title
