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

from django.utils.translation import gettext as _

from ccm.core.templatetags.ccm import date_filter, number, share
from ccm.core.text import clean_text
from ccm.core.word import docx_bytes as docx_bytes  # shared with other apps
from ccm.core.word import docx_document as docx_document
from ccm.reporting.charts import LineChart, to_drawing, to_png
from ccm.reporting.selectors import CountryProfile, country_profile
from ccm.states import selectors as state_selectors
from ccm.states.models import State
from ccm.victims import selectors as victim_selectors


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
    # after the timeline and progress: needs, funding by donor and year with coverage, obstacles
    money_tables: list[Table] = field(default_factory=list)
    obstacle_table: Table | None = None
    # victim assistance (Article 5): protected unless the reader may see the State's figures exact
    victim_assistance: list[str] = field(default_factory=list)
    # the distribution marking, on every page: "Restricted — prepared for …" when the brief holds
    # anything the public edition does not
    marking: str = ""
    restricted: bool = False
    # the document's title; empty: "Country Brief: <State>" (other packs, e.g. a coalition's, set their own)
    title: str = ""

    def _substance(self) -> tuple[Any, ...]:
        return (
            self.summary,
            self.tables,
            self.charts,
            self.obstacles,
            self.asks,
            self.money_tables,
            self.obstacle_table,
            self.victim_assistance,
        )


def _n(value: int | float | Decimal | None) -> str:
    """Every number in the brief: whole units with thousands separators, in the reader's style ("1,234,567",
    "1 234 567")."""
    return "—" if value is None else number(value)


def _d(value: date | None) -> str:
    """Every date in the brief: "5 Mar 2026"."""
    return date_filter(value) if value else _("not on record")


def _reader(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    organisations = ", ".join(sorted(m.organisation.name for m in user.memberships.select_related("organisation")))
    return f"{name} ({organisations})" if organisations else name


def brief_content(*, state: State, user: Any, today: date) -> BriefContent:
    """What ``user`` may see, laid out for the brief, with its distribution marking: a signed-in reader's
    brief is compared with the public edition, and marked "Restricted — prepared for …" when it holds
    anything the public edition does not."""
    from django.contrib.auth.models import AnonymousUser

    content = _gather(state=state, user=user, today=today)
    if not getattr(user, "is_authenticated", False):
        content.marking = _("Public — published information only.")
        return content
    public = _gather(state=state, user=AnonymousUser(), today=today)
    reader = _reader(user)
    content.restricted = content._substance() != public._substance()
    content.marking = (
        _("Restricted — prepared for %(who)s. Not for distribution beyond the meeting.") % {"who": reader}
        if content.restricted
        else _("Prepared for %(who)s. Holds published information only.") % {"who": reader}
    )
    return content


def _gather(*, state: State, user: Any, today: date) -> BriefContent:
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
                        _("%(status)s; a correction is under review") % {"status": r.get_status_display()}
                        if r.correction_under_review
                        else r.get_status_display(),
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
    _add_money(content, state=state, user=user, today=today)
    content.victim_assistance = victim_selectors.brief_lines(user, state)
    return content


def _add_money(content: BriefContent, *, state: State, user: Any, today: date) -> None:
    """The needs the reader may see (status, amount, pledged, committed), funding received by donor and
    year with coverage, the obstacles (category, severity), and the needs still unfunded as asks."""
    from ccm.funding import selectors as funding
    from ccm.funding.rates import rate_table
    from ccm.needs import selectors as needs
    from ccm.needs.policies import obstacles as obstacle_policy

    rows = needs.board(user=user, today=today, filters=needs.BoardFilters(state=state.iso3), donors=[])[:50]
    money = funding.need_money(user=user, need_ids=[r.need.pk for r in rows])
    content.money_tables.append(
        Table(
            _("Needs"),
            [_("Need"), _("Status"), _("Amount"), _("Pledged"), _("Committed")],
            [
                [
                    r.need.title,
                    r.status_label,
                    f"{_n(r.need.amount)} {r.need.currency}" if r.need.amount is not None else _("in kind"),
                    f"{_n(money[r.need.pk][0])} {r.need.currency}" if r.need.amount is not None else "—",
                    f"{_n(money[r.need.pk][1])} {r.need.currency}" if r.need.amount is not None else "—",
                ]
                for r in rows
            ],
            note=_("Pledged: pledges recorded on the need. Committed: commitments recorded against those pledges."),
        )
    )
    for r in rows:
        if r.status in ("open", "partly_met") and r.remaining:
            content.asks.append(
                _("%(title)s: %(remaining)s %(currency)s still unfunded (need, %(status)s).")
                % {
                    "title": r.need.title,
                    "remaining": _n(r.remaining),
                    "currency": r.need.currency,
                    "status": r.status_label.lower(),
                }
            )
        elif r.status in ("open", "partly_met") and r.need.amount is None:
            content.asks.append(_("%(title)s: in kind — %(what)s") % {"title": r.need.title, "what": r.need.in_kind})
    donors = funding.donor_years(user=user, state_iso3=state.iso3)
    content.money_tables.append(
        Table(
            _("Funding received by donor and year (USD)"),
            [_("Year"), _("Donor"), _("Pledged"), _("Committed"), _("Disbursed")],
            [[str(d.year), d.donor, _n(d.pledged), _n(d.committed), _n(d.disbursed)] for d in donors],
        )
    )
    cells, unconverted = funding.coverage_cells(user=user, table=rate_table(), state_iso3=state.iso3)
    years: dict[int, list[Decimal]] = {}
    for cell in cells:
        year = years.setdefault(cell.year, [Decimal(0)] * 4)
        for index, value in enumerate((cell.required_plan, cell.required_needs, cell.required, cell.funded)):
            year[index] += value
    content.money_tables.append(
        Table(
            _("Coverage by year (USD)"),
            [_("Year"), _("Plan gap"), _("Needs not in the plan"), _("Required"), _("Funded"), _("Coverage")],
            [
                [
                    str(y),
                    _n(v[0]),
                    _n(v[1]),
                    _n(v[2]),
                    _n(v[3]),
                    share(v[3] / v[2]) if v[2] else "—",
                ]
                for y, v in sorted(years.items())
            ],
            note=_(
                "Required = the plan gap (cost less national funding in the approved completion plan) + the needs not "
                "in the plan. Funded counts each funder's money once (commitments, and disbursements against them)."
            )
            + (
                " " + _("%(n)s flows without a US-dollar amount are not counted.") % {"n": unconverted}
                if unconverted
                else ""
            ),
        )
    )
    obstacles = obstacle_policy.visible_to(user).filter(state=state).order_by("-observed_on", "pk")[:30]
    content.obstacle_table = Table(
        _("Obstacles"),
        [_("Category"), _("Severity"), _("As of"), _("Statement")],
        [[o.get_category_display(), o.get_severity_display(), _d(o.observed_on), o.statement] for o in obstacles],
    )


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
        money_tables=[_printable_table(t) for t in content.money_tables],
        obstacle_table=_printable_table(content.obstacle_table) if content.obstacle_table else None,
        victim_assistance=[_t(line) for line in content.victim_assistance],
        marking=_t(content.marking),
    )


def _printable_table(t: Table) -> Table:
    return Table(
        title=_t(t.title),
        header=[_t(h) for h in t.header],
        rows=[[_t(cell) for cell in row] for row in t.rows],
        note=_t(t.note),
    )


def _state_name(content: BriefContent) -> str:
    return clean_text(content.state.display_name, multiline=False)


def _sections(content: BriefContent) -> list[tuple[str, list[str]]]:
    lines = [(_("Obstacles reported by the State"), content.obstacles)] if content.obstacles else []
    if content.victim_assistance:
        lines.append((_("Victim assistance (Article 5)"), content.victim_assistance))
    return [*lines, (_("Specific asks"), content.asks)]


def marked_canvas(*, marking: str, restricted: bool) -> Any:
    """A reportlab canvas class that writes each page once the total is known: "Page n of N" and the
    distribution ``marking`` at the foot of every page, "RESTRICTED" at the head when ``restricted``.
    Shared by every document the platform prints (the Country Brief, a meeting's briefing pack, a
    published summary)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    page_label = _("Page %(n)s of %(total)s")
    marking = clean_text(str(marking), multiline=False)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 7)
                self.drawString(18 * mm, 9 * mm, marking[:150])
                self.drawRightString(A4[0] - 18 * mm, 9 * mm, page_label % {"n": self._pageNumber, "total": total})
                if restricted:
                    self.setFont("Helvetica-Bold", 8)
                    self.drawCentredString(A4[0] / 2, A4[1] - 9 * mm, _("RESTRICTED"))
                super().showPage()
            super().save()

    return NumberedCanvas


def pdf_document(buffer: io.BytesIO, *, title: str) -> Any:
    """The A4 page layout of the platform's printed documents."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
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


def pdf_styles() -> tuple[Any, Any]:
    """The sample style sheet and the small style used for notes and table cells."""
    from reportlab.lib.styles import getSampleStyleSheet

    styles = getSampleStyleSheet()
    return styles, styles["BodyText"].clone("small", fontSize=8, leading=10)


def pdf_table(table: Table, small: Any) -> list[Any]:
    """One table of a printed document: its title, a grid with a header row repeated on each page, its note."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, TableStyle
    from reportlab.platypus import Table as RLTable

    styles = getSampleStyleSheet()
    flow: list[Any] = [Paragraph(escape(table.title), styles["Heading2"])]
    data = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in table.header]]
    data += [[Paragraph(escape(cell), small) for cell in row] for row in table.rows]
    if not table.rows:
        data.append([Paragraph(escape(_("None recorded.")), small)] + [""] * (len(table.header) - 1))
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
    flow.append(rl_table)
    if table.note:
        flow.append(Paragraph(escape(table.note), small))
    return flow


def brief_title(content: BriefContent) -> str:
    if content.title:
        return str(content.title)
    return _("Country Brief: %(state)s") % {"state": _state_name(content)}


def pdf_story(content: BriefContent, *, title_style: str = "Title") -> list[Any]:
    """The flowables of one brief (``content`` already through ``printable``), for a document of its own
    or as a chapter of a larger one (a meeting's briefing pack)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    styles, small = pdf_styles()
    story: list[Any] = [
        Paragraph(escape(brief_title(content)), styles[title_style]),
        Paragraph(escape(f"{_d(content.day)} · {content.marking}"), small),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Summary")), styles["Heading2"]),
    ]
    story += [Paragraph("• " + escape(line), styles["BodyText"]) for line in content.summary]
    for chart in content.charts:
        story += [Spacer(1, 3 * mm), to_drawing(chart, width=170 * mm), Paragraph(escape(chart.description), small)]
    tables = [*content.tables, *content.money_tables, *([content.obstacle_table] if content.obstacle_table else [])]
    for table in tables:
        story += pdf_table(table, small)
    for heading, lines in _sections(content):
        story.append(Paragraph(escape(heading), styles["Heading2"]))
        story += [Paragraph("• " + escape(line), styles["BodyText"]) for line in lines] or [
            Paragraph(escape(_("None recorded.")), styles["BodyText"])
        ]
    return story


def render_pdf(content: BriefContent) -> bytes:
    content = printable(content)
    buffer = io.BytesIO()
    doc = pdf_document(buffer, title=brief_title(content))
    doc.build(pdf_story(content), canvasmaker=marked_canvas(marking=content.marking, restricted=content.restricted))
    return buffer.getvalue()


def docx_table(document: Any, table: Table, *, level: int = 1) -> None:
    """One table of a Word document: its heading, the grid, its note."""
    from docx.shared import Pt

    document.add_heading(table.title, level=level)
    if not table.rows:
        document.add_paragraph(_("None recorded."))
        return
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


def docx_body(document: Any, content: BriefContent, *, level: int = 0) -> None:
    """One brief (``content`` already through ``printable``) written into ``document``: on its own, or as
    a chapter of a larger document (``level`` 1: its headings one step down)."""
    from docx.shared import Mm, Pt

    document.add_heading(brief_title(content), level=level)
    meta = document.add_paragraph(f"{_d(content.day)} · {content.marking}")
    meta.runs[0].font.size = Pt(8)
    sub = min(level + 1, 9)
    document.add_heading(_("Summary"), level=sub)
    for line in content.summary:
        document.add_paragraph(line, style="List Bullet")
    for chart in content.charts:
        document.add_picture(io.BytesIO(to_png(chart)), width=Mm(170))
        document.add_paragraph(chart.description).runs[0].font.size = Pt(8)
    tables = [*content.tables, *content.money_tables, *([content.obstacle_table] if content.obstacle_table else [])]
    for table in tables:
        docx_table(document, table, level=sub)
    for heading, lines in _sections(content):
        document.add_heading(heading, level=sub)
        for line in lines or [_("None recorded.")]:
            document.add_paragraph(line, style="List Bullet")


def render_docx(content: BriefContent) -> bytes:
    content = printable(content)
    document = docx_document(title=brief_title(content), marking=content.marking, restricted=content.restricted)
    docx_body(document, content)
    return docx_bytes(document)
