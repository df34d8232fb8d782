"""The Article 7 draft as DOCX (to edit and send: python-docx, with the platform's page layout from
``ccm.core.word``) and as XLSX (through core's safe spreadsheet writers), each marked "Draft — prepared from
Country Coalitions data on <date>". Both lay out the same ``ReportDraft``; every text goes through
``clean_text`` (whatever is stored, the writers get only characters they can write)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook

from ccm.core.spreadsheets import xlsx_append, xlsx_bytes
from ccm.core.templatetags.ccm import date_filter, money
from ccm.core.text import clean_text
from ccm.core.word import docx_bytes, docx_document
from ccm.transparency.draft import Figure, Item, ReportDraft

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _t(value: Any) -> str:
    return clean_text(str(value), multiline=True)


def _line(value: Any) -> str:
    return clean_text(str(value), multiline=False)


def filename(draft: ReportDraft, extension: str) -> str:
    return f"article7-draft-{draft.state.iso3}-{draft.year}-{draft.prepared_on.isoformat()}.{extension}"


def item_heading(item: Item) -> str:
    return f"({item.key}) {item.title}"


def preamble(draft: ReportDraft) -> list[str]:
    """What a reader must know before using the draft (also on the page)."""
    lines = [
        _(
            "Assembled from what is recorded on the platform and visible to you. Every figure names its source; "
            "items without data are left for the State to complete. Check every figure before sending."
        )
    ]
    eif = draft.state.entry_into_force
    if eif is None:
        lines.append(
            _(
                "No entry into force of the Convention is on record for %(state)s: "
                "Article 7 reports are for States Parties."
            )
            % {"state": draft.state.display_name}
        )
    elif draft.year < eif.year:
        lines.append(
            _("The Convention entered into force for %(state)s on %(day)s, after the year %(year)s.")
            % {"state": draft.state.display_name, "day": date_filter(eif), "year": draft.year}
        )
    if draft.uses_unpublished:
        lines.append(
            _("Some figures come from a report the State has not published yet: they are marked “unpublished”.")
        )
    if draft.year_under_way:
        lines.append(_("The year %(year)s is not over: its figures are not final.") % {"year": draft.year})
    if draft.language_note:
        lines.append(draft.language_note)
    return lines


def figure_flags(figure: Figure) -> str:
    flags = []
    if figure.unpublished:
        flags.append(_("unpublished"))
    if figure.illustrative:
        flags.append(_("illustrative"))
    return f" ({', '.join(flags)})" if flags else ""


def usd_text(value: Decimal | None) -> str:
    return money(value, "USD") if value is not None else _("not converted (no rate)")


# --- DOCX -------------------------------------------------------------------------------------------


def _grid(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = _line(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = _t(text)


def render_docx(draft: ReportDraft) -> bytes:
    from docx.shared import Pt

    document = docx_document(title=_line(draft.title), marking=draft.marking, restricted=False)
    document.add_heading(_line(draft.title), level=0)
    marking = document.add_paragraph(_line(draft.marking))
    marking.runs[0].bold = True
    for line in preamble(draft):
        document.add_paragraph(_t(line)).runs[0].font.size = Pt(9)
    for item in draft.items:
        document.add_heading(_line(item_heading(item)), level=1)
        if item.to_complete:
            document.add_paragraph(_t(_("Left for the State to complete.") + " " + item.left_for_state))
        if item.figures:
            _grid(
                document,
                [_("Figure"), _("Value"), _("Source")],
                [[f.label, f.text + figure_flags(f), f.source] for f in item.figures],
            )
        if item.flow_lines:
            _grid(
                document,
                [_("Recipient"), _("Pillar"), _("Stage"), _("Amount"), _("In US dollars"), _("Source")],
                [
                    [
                        line.recipient,
                        line.pillar_label,
                        line.stage_label,
                        money(line.amount, line.currency),
                        usd_text(line.usd),
                        line.sources,
                    ]
                    for line in item.flow_lines
                ],
            )
            for total in draft.flow_totals:
                document.add_paragraph(_t(total_sentence(total)))
        for note in item.notes:
            document.add_paragraph(_t(note)).runs[0].font.size = Pt(9)
        if not item.to_complete and item.left_for_state:
            document.add_paragraph(_t(_("For the State to add:") + " " + item.left_for_state)).runs[0].italic = True
    return docx_bytes(document)


def total_sentence(total: Any) -> str:
    """A stage's total of item (n) in words ("Total disbursed: 1,200,000 USD (3 flows)")."""
    text = ngettext(
        "Total, %(stage)s: %(usd)s (%(n)s flow)", "Total, %(stage)s: %(usd)s (%(n)s flows)", total.flows
    ) % {
        "stage": total.label.lower(),
        "usd": money(total.usd, "USD"),
        "n": total.flows,
    }
    if total.unconverted:
        text += " " + ngettext(
            "%(n)s without a US-dollar amount is not in the total.",
            "%(n)s without a US-dollar amount are not in the total.",
            total.unconverted,
        ) % {"n": total.unconverted}
    return text


# --- XLSX -------------------------------------------------------------------------------------------


def render_xlsx(draft: ReportDraft) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Draft")
    xlsx_append(sheet, [draft.title])
    xlsx_append(sheet, [draft.marking])
    for line in preamble(draft):
        xlsx_append(sheet, [line])
    xlsx_append(sheet, [])
    xlsx_append(
        sheet,
        [
            _("Item"),
            _("Item title"),
            _("Figure"),
            _("Value"),
            _("Unit"),
            _("As written"),
            _("Source"),
            _("Unpublished"),
            _("Illustrative"),
            _("Left for the State to complete"),
        ],
    )
    yes, no = _("yes"), _("no")
    for item in draft.items:
        if item.to_complete:
            xlsx_append(sheet, [item.key, item.title, "", None, "", "", "", "", "", item.left_for_state])
        for f in item.figures:
            xlsx_append(
                sheet,
                [
                    item.key,
                    item.title,
                    f.label,
                    f.value,
                    f.unit,
                    f.text,
                    f.source,
                    yes if f.unpublished else no,
                    yes if f.illustrative else no,
                    "",
                ],
            )
        if not item.to_complete:
            xlsx_append(sheet, [item.key, item.title, "", None, "", "", "", "", "", item.left_for_state])
    flows = book.create_sheet(_("Assistance provided (n)"))
    xlsx_append(flows, [draft.marking])
    xlsx_append(
        flows,
        [
            _("Recipient"),
            _("Recipient ISO code"),
            _("Pillar"),
            _("Stage"),
            _("Currency"),
            _("Amount"),
            _("In US dollars"),
            _("Flows"),
            _("Source"),
        ],
    )
    item_n = next(item for item in draft.items if item.key == "n")
    for flow_line in item_n.flow_lines:
        xlsx_append(
            flows,
            [
                flow_line.recipient,
                flow_line.recipient_iso3,
                flow_line.pillar_label,
                flow_line.stage_label,
                flow_line.currency,
                flow_line.amount,
                flow_line.usd,
                flow_line.flows,
                flow_line.sources,
            ],
        )
    for total in draft.flow_totals:
        xlsx_append(flows, [_("Total"), "", "", total.label, "USD", None, total.usd, total.flows, ""])
    return xlsx_bytes(book)
