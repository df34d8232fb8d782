"""The synthesis as XLSX (through core's safe writers) and DOCX: exactly what the reader sees on the
page — de-attributed, held quotes left out, unless the reader sees attribution."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook

from ccm.consultations.synthesis_selectors import QuestionSummary, Synthesis
from ccm.core.spreadsheets import xlsx_append, xlsx_bytes
from ccm.core.templatetags.ccm import share
from ccm.core.text import clean_text


def _t(value: str) -> str:
    return clean_text(str(value), multiline=True)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _number(value: Decimal | None) -> Decimal | None:
    return value.normalize() if isinstance(value, Decimal) else value


def _quote_rows(summary: QuestionSummary, attributed: bool) -> list[list[Any]]:
    rows = []
    for group in summary.groups:
        for quote in group.quotes:
            row: list[Any] = [group.label, quote.text, "; ".join(t.label for t in quote.tags)]
            if attributed:
                row.append(quote.organisation or "")
            rows.append(row)
    return rows


def synthesis_xlsx(synthesis: Synthesis) -> bytes:
    book = Workbook()
    counts = book.active
    counts.title = _("Counts")
    xlsx_append(counts, [_("Question"), _("Type"), _("Option"), _("Answers"), _("Share")])
    figures = book.create_sheet(_("Figures"))
    xlsx_append(figures, [_("Question"), _("Answers"), _("Median"), _("Lowest"), _("Highest")])
    themes = book.create_sheet(_("Themes"))
    heading = [_("Question"), _("Theme"), _("Answer"), _("All themes")]
    xlsx_append(themes, [*heading, _("Organisation")] if synthesis.attributed else heading)
    for summary in synthesis.questions:
        question = summary.question.text
        for option in summary.options:
            xlsx_append(
                counts,
                [
                    question,
                    str(summary.question.get_qtype_display()),
                    option.label,
                    option.count,
                    round(option.share, 4),
                ],
            )
        if summary.figures is not None:
            f = summary.figures
            xlsx_append(figures, [question, f.n, _number(f.median), _number(f.minimum), _number(f.maximum)])
        for row in _quote_rows(summary, synthesis.attributed):
            xlsx_append(themes, [question, *row])
    return xlsx_bytes(book)


def synthesis_docx(synthesis: Synthesis) -> bytes:
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    marking = (
        _("With attribution: for the conveners and the support unit only")
        if synthesis.attributed
        else _("Without attribution")
    )
    section.header.paragraphs[0].text = marking
    title = _t(_("Synthesis: %(c)s") % {"c": synthesis.campaign.title})
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_paragraph(
        ngettext("%(n)s answer submitted.", "%(n)s answers submitted.", synthesis.answers) % {"n": synthesis.answers}
    )
    for summary in synthesis.questions:
        document.add_heading(_t(summary.question.text), level=1)
        if summary.options:
            table = document.add_table(rows=1, cols=3)
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, [_("Option"), _("Answers"), _("Share")], strict=True):
                cell.text = text
            for option in summary.options:
                cells = table.add_row().cells
                cells[0].text = _t(option.label)
                cells[1].text = str(option.count)
                cells[2].text = share(option.share)
        if summary.figures is not None and summary.figures.n:
            f = summary.figures
            document.add_paragraph(
                ngettext(
                    "%(n)s answer; median %(median)s, lowest %(min)s, highest %(max)s.",
                    "%(n)s answers; median %(median)s, lowest %(min)s, highest %(max)s.",
                    f.n,
                )
                % {"n": f.n, "median": _number(f.median), "min": _number(f.minimum), "max": _number(f.maximum)}
            )
        for group in summary.groups:
            document.add_heading(_t(group.label), level=2)
            for quote in group.quotes:
                line = quote.text if not synthesis.attributed else f"{quote.text} — {quote.organisation}"
                document.add_paragraph(_t(line), style="List Bullet")
        if summary.held and not synthesis.attributed:
            document.add_paragraph(
                ngettext(
                    "%(n)s answer held back until a convener reviews it.",
                    "%(n)s answers held back until a convener reviews them.",
                    summary.held,
                )
                % {"n": summary.held}
            )
        if summary.answered == 0:
            document.add_paragraph(_("No answer yet."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def synthesis_response(synthesis: Synthesis, fmt: str) -> HttpResponse:
    if fmt == "docx":
        response = HttpResponse(synthesis_docx(synthesis), content_type=DOCX)
    else:
        response = HttpResponse(synthesis_xlsx(synthesis), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="synthesis-{synthesis.campaign.pk}.{fmt}"'
    return response
