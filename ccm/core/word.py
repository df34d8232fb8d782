"""Word documents (DOCX, python-docx) the platform writes: the A4 page with a distribution marking in the
header and "Page n of N" in the footer, and the bytes to send. Shared by every app that writes one (the
Country Brief, a meeting's briefing pack, the Article 7 draft); moved here from ``ccm.profiles.brief`` so
that apps below ``profiles`` use the same layout."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from ccm.core.text import clean_text


def page_field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``paragraph``: the page numbers Word fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def docx_document(*, title: str, marking: str, restricted: bool) -> Any:
    """An A4 Word document with the distribution ``marking`` in the header of every page and "Page n of N"
    in the footer (Word fills the numbers in)."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.left_margin = section.right_margin = Mm(18)
    section.header.paragraphs[0].text = (_("RESTRICTED") + " · " if restricted else "") + clean_text(
        str(marking), multiline=False
    )
    footer = section.footer.paragraphs[0]
    page_words = _("Page %(n)s of %(total)s").split("%(n)s")
    footer.add_run(page_words[0])
    page_field(footer, "PAGE")
    rest = page_words[1].split("%(total)s") if len(page_words) > 1 else ["", ""]
    footer.add_run(rest[0])
    page_field(footer, "NUMPAGES")
    footer.add_run(rest[1] if len(rest) > 1 else "")
    document.core_properties.title = clean_text(str(title), multiline=False)
    document.core_properties.author = "Country Coalitions"
    return document


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
