"""The Country Brief: a short document for a closed meeting, as PDF and as DOCX (for editing in Word).

``brief_content`` gathers only what the requesting user may see (through the same selectors and
policies as the pages); the two renderers lay out the same content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.core.text import clean_text
from ccm.reporting.charts import LineChart, to_drawing, to_png
from ccm.reporting.selectors import CountryProfile, country_profile
from ccm.states import selectors as state_selectors
from ccm.states.models import State


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class BriefContent:
    state: State
    day: date
    audience: str
    summary: list[str]
    tables: list[Table] = field(default_factory=list)
    charts: list[LineChart] = field(default_factory=list)
    obstacles: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)


def _n(value: int | float | Decimal | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _d(value: date | None) -> str:
    return date_format(value, "j M Y") if value else _("not on record")


def brief_content(*, state: State, user: Any, today: date) -> BriefContent:
    profile: CountryProfile = country_profile(state=state, user=user, today=today)
    row = state_selectors.state_row(state=state, today=today)
    audience = (
        _("Prepared for %(who)s. It holds only what this account may see.") % {"who": user.get_full_name()}
        if getattr(user, "is_authenticated", False)
        else _("Public edition: published information only.")
    )
    content = BriefContent(state=state, day=today, audience=audience, summary=[])
    for o in row.obligations:
        content.summary.append(
            _("%(obligation)s — %(status)s: %(sentence)s")
            % {"obligation": o.obligation.get_kind_display(), "status": o.status_label, "sentence": o.sentence}
        )
    if not row.obligations:
        content.summary.append(_("Articles 3 and 4: no obligation on record in the sources."))
    timeline = state_selectors.state_timeline(state=state)
    content.tables.append(
        Table(
            _("Treaty timeline"),
            [_("Date"), _("Event"), _("Source")],
            [
                [_d(e.when) if e.when else _("not on record"), e.title, e.source.citation if e.source else ""]
                for e in timeline
            ],
        )
    )
    for work in profile.work:
        w = work.work
        unit = work.unit
        values = {
            "obligation": work.obligation.get_kind_display(),
            "remaining": _n(w.remaining),
            "unit": unit,
            "needed": _n(w.rate_needed),
            "recent": _n(w.recent_rate),
        }
        if w.remaining is None:
            line = _("%(obligation)s: no baseline on record, so the remaining work is not known.") % values
        elif w.rate_needed is None:
            line = (
                _("%(obligation)s: %(remaining)s %(unit)s remaining; recent pace %(recent)s %(unit)s a year.") % values
            )
        else:
            line = (
                _(
                    "%(obligation)s: %(remaining)s %(unit)s remaining; %(needed)s %(unit)s a year needed to finish "
                    "by the deadline, against %(recent)s %(unit)s a year recently."
                )
                % values
            )
        content.summary.append(line)
        if work.baseline is not None:
            content.charts.append(work.chart())
        plan = work.plan
        if plan is not None:
            rows = []
            for item in work.plan_rows():
                y = item["year"]
                rows.append(
                    [
                        str(y.year),
                        _n(y.target_output),
                        _n(item["actual"]),
                        _n(y.cost),
                        _n(y.national_funding),
                        _n(y.international_funding),
                        _n(y.gap),
                    ]
                )
                if y.gap > 0 and y.year >= today.year:
                    content.asks.append(
                        _(
                            "%(year)s: %(gap)s %(currency)s of %(obligation)s work is not yet funded (completion plan, "
                            "version %(v)s)."
                        )
                        % {
                            "year": y.year,
                            "gap": _n(y.gap),
                            "currency": plan.currency,
                            "obligation": work.obligation.get_kind_display().lower(),
                            "v": plan.version,
                        }
                    )
            content.tables.append(
                Table(
                    _("Completion plan in force (version %(v)s, %(currency)s)")
                    % {"v": plan.version, "currency": plan.currency},
                    [
                        _("Year"),
                        _("Target"),
                        _("Actual"),
                        _("Cost"),
                        _("National"),
                        _("International (expected)"),
                        _("Gap"),
                    ],
                    rows,
                    note=_("Targets and actual output in %(unit)s.") % {"unit": unit},
                )
            )
    if profile.reports:
        content.tables.append(
            Table(
                _("Progress by year"),
                [
                    _("Year"),
                    _("Status"),
                    _("Land released (m²)"),
                    _("of which cleared (m²)"),
                    _("Submunitions destroyed"),
                    _("Stockpile destroyed"),
                    _("National resources"),
                ],
                [
                    [
                        str(r.year),
                        r.get_status_display(),
                        _n(r.land_released_m2),
                        _n(r.cleared_m2),
                        _n(r.submunitions_destroyed),
                        _n(r.stockpile_destroyed),
                        f"{_n(r.national_resources)} {r.national_resources_currency}".strip()
                        if r.national_resources is not None
                        else "—",
                    ]
                    for r in profile.reports
                ],
            )
        )
    content.obstacles = [f"{r.year}: {r.obstacles}" for r in profile.obstacles[:3]]
    return content


def _t(text: str) -> str:
    return clean_text(str(text), multiline=True)


def printable(content: BriefContent) -> BriefContent:
    """The content with every text through ``clean_text``: whatever is stored (rows written before text
    was cleaned on the way in, too), the PDF and DOCX writers get only characters they can write."""
    return replace(
        content,
        audience=_t(content.audience),
        summary=[_t(line) for line in content.summary],
        tables=[
            Table(
                title=_t(t.title),
                header=[_t(h) for h in t.header],
                rows=[[_t(cell) for cell in row] for row in t.rows],
                note=_t(t.note),
            )
            for t in content.tables
        ],
        charts=[replace(chart, description=_t(chart.description)) for chart in content.charts],
        obstacles=[_t(line) for line in content.obstacles],
        asks=[_t(line) for line in content.asks],
    )


def _state_name(content: BriefContent) -> str:
    return clean_text(content.state.name, multiline=False)


def render_pdf(content: BriefContent) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    content = printable(content)
    buffer = io.BytesIO()
    title = _("Country Brief: %(state)s") % {"state": _state_name(content)}
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="Country Coalitions",
        lang="en",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story: list[Any] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(f"{_d(content.day)} · {content.audience}"), small),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Summary")), styles["Heading2"]),
    ]
    story += [Paragraph("• " + escape(line), styles["BodyText"]) for line in content.summary]
    for chart in content.charts:
        story += [Spacer(1, 3 * mm), to_drawing(chart, width=170 * mm), Paragraph(escape(chart.description), small)]
    for table in content.tables:
        story.append(Paragraph(escape(table.title), styles["Heading2"]))
        data = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in table.header]]
        data += [[Paragraph(escape(cell), small) for cell in row] for row in table.rows]
        rl_table = RLTable(data, repeatRows=1)
        rl_table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(rl_table)
        if table.note:
            story.append(Paragraph(escape(table.note), small))
    for heading, lines in ((_("Obstacles"), content.obstacles), (_("Specific asks"), content.asks)):
        story.append(Paragraph(escape(heading), styles["Heading2"]))
        story += [Paragraph("• " + escape(line), styles["BodyText"]) for line in lines] or [
            Paragraph(escape(_("None recorded.")), styles["BodyText"])
        ]
    doc.build(story)
    return buffer.getvalue()


def render_docx(content: BriefContent) -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    content = printable(content)
    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Mm(18)
    document.core_properties.title = _("Country Brief: %(state)s") % {"state": _state_name(content)}
    document.core_properties.author = "Country Coalitions"
    document.add_heading(document.core_properties.title, level=0)
    meta = document.add_paragraph(f"{_d(content.day)} · {content.audience}")
    meta.runs[0].font.size = Pt(8)
    document.add_heading(_("Summary"), level=1)
    for line in content.summary:
        document.add_paragraph(line, style="List Bullet")
    for chart in content.charts:
        document.add_picture(io.BytesIO(to_png(chart)), width=Mm(170))
        document.add_paragraph(chart.description).runs[0].font.size = Pt(8)
    for table in content.tables:
        document.add_heading(table.title, level=1)
        word_table = document.add_table(rows=1, cols=len(table.header))
        word_table.style = "Light Grid Accent 1"
        for cell, text in zip(word_table.rows[0].cells, table.header, strict=True):
            cell.text = text
        for row in table.rows:
            cells = word_table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        if table.note:
            document.add_paragraph(table.note).runs[0].font.size = Pt(8)
    for heading, lines in ((_("Obstacles"), content.obstacles), (_("Specific asks"), content.asks)):
        document.add_heading(heading, level=1)
        for line in lines or [_("None recorded.")]:
            document.add_paragraph(line, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
