"""The published summary as a PDF, printed with the Country Brief's machinery (page layout, page
numbers and a marking on every page)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.core.text import clean_text
from ccm.meetings.publish_models import Summary
from ccm.profiles import brief


def summary_heading(summary: Summary) -> str:
    return summary.title or _("Summary of a closed meeting")


def render_summary_pdf(summary: Summary) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    title = clean_text(summary_heading(summary), multiline=False)
    published = date_format(summary.published_at, "j F Y") if summary.published_at else ""
    marking = _("Public — a de-identified summary, published %(date)s.") % {"date": published}
    buffer = io.BytesIO()
    doc = brief.pdf_document(buffer, title=title)
    styles, small = brief.pdf_styles()
    story: list[Any] = [Paragraph(escape(title), styles["Title"]), Paragraph(escape(marking), small), Spacer(1, 4 * mm)]
    for paragraph in clean_text(summary.text, multiline=True).split("\n\n"):
        if paragraph.strip():
            story.append(Paragraph(escape(paragraph.strip()).replace("\n", "<br/>"), styles["BodyText"]))
    doc.build(story, canvasmaker=brief.marked_canvas(marking=marking, restricted=False))
    return buffer.getvalue()
