"""A meeting's briefing pack: for one reader, what THAT reader may see, as one PDF and one DOCX.

``pack_content`` gathers, always through the selectors and policies of profiles, needs and funding:
the Country Briefs of the invited affected States (``ccm.profiles.brief.brief_content``), a donor
overview (the invited donors' profiles the reader may see, and the funding by State the reader may
see), coverage and the unanswered needs of the invited States, and the agenda. The renderers reuse the
Country Brief's printing (``marked_canvas``, ``pdf_story``, ``docx_body``): the distribution marking
naming the reader is on every page. Built by a background task (``ccm.meetings.pack_tasks``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.accounts.models import Organisation
from ccm.core.templatetags.ccm import number, share
from ccm.core.text import clean_text
from ccm.profiles import brief
from ccm.profiles.brief import BriefContent, Table
from ccm.states.models import State


@dataclass
class PackContent:
    title: str
    when: str
    day: date
    reader: str
    marking: str
    agenda: Table
    briefs: list[BriefContent] = field(default_factory=list)
    donors: list[Table] = field(default_factory=list)
    needs: list[Table] = field(default_factory=list)


def _n(value: int | float | Decimal | None) -> str:
    return "—" if value is None else number(value)


def reader_line(user: Any) -> tuple[str, str]:
    """The reader's name and organisations, as the marking names them."""
    name = user.get_full_name() or user.get_username()
    organisations = ", ".join(sorted(m.organisation.name for m in user.memberships.select_related("organisation")))
    return name, organisations


def marking_for(user: Any, *, today: date) -> str:
    """ "Prepared for <name>, <organisation>, <date> — do not forward"."""
    name, organisations = reader_line(user)
    who = f"{name}, {organisations}" if organisations else name
    return _("Prepared for %(who)s, %(date)s — do not forward") % {"who": who, "date": date_format(today, "j F Y")}


def donor_tables(*, donors: Sequence[Organisation], states: Sequence[State], user: Any) -> list[Table]:
    """The invited donors' profiles the reader may see, and the funding to the invited States the reader
    may see, by funder (USD, every stage)."""
    from ccm.funding import selectors as funding
    from ccm.needs.policies import donor_profiles

    profiles = (
        donor_profiles.visible_to(user)
        .filter(organisation__in=[d.pk for d in donors])
        .select_related("organisation")
        .prefetch_related("priority_states")
        .order_by("organisation__name")
    )
    profile_rows = [
        [
            p.organisation.name,
            p.get_pillars_display() or "—",
            ", ".join(s.name for s in p.priority_states.all()) or "—",
            p.get_modalities_display() or "—",
            (
                f"{_n(p.grant_min)}–{_n(p.grant_max)} {p.currency}"
                if p.grant_min is not None or p.grant_max is not None
                else "—"
            ),
            p.funding_cycle or "—",
        ]
        for p in profiles
    ]
    funding_rows: list[list[str]] = []
    donor_ids = {d.pk for d in donors}
    for state in states:
        totals: dict[str, list[Decimal]] = {}
        for year in funding.donor_years(user=user, state_iso3=state.iso3):
            t = totals.setdefault(year.donor, [Decimal(0)] * 3)
            t[0] += year.pledged
            t[1] += year.committed
            t[2] += year.disbursed
        for donor, (pledged, committed, disbursed) in sorted(totals.items()):
            funding_rows.append([state.display_name, donor, _n(pledged), _n(committed), _n(disbursed)])
    invited = ", ".join(sorted(d.name for d in donors if d.pk in donor_ids)) or "—"
    return [
        Table(
            _("Donor profiles"),
            [_("Donor"), _("Pillars"), _("Priority countries"), _("Modalities"), _("Typical grant"), _("Cycle")],
            profile_rows,
            note=_("Invited donors: %(names)s. Only the profiles this reader may see are shown.") % {"names": invited},
        ),
        Table(
            _("Funding by State and donor (USD)"),
            [_("State"), _("Donor"), _("Pledged"), _("Committed"), _("Disbursed")],
            funding_rows,
            note=_("Every year on record, as this reader may see it."),
        ),
    ]


def needs_tables(*, states: Sequence[State], user: Any, today: date) -> list[Table]:
    """Coverage of each invited State, and its needs still open that no donor has answered."""
    from ccm.funding import selectors as funding
    from ccm.funding.rates import rate_table
    from ccm.needs import selectors as needs

    table = rate_table()
    coverage_rows = []
    unanswered_rows = []
    for state in states:
        cells, _unconverted = funding.coverage_cells(user=user, table=table, state_iso3=state.iso3)
        for total in funding.by_state(cells):
            coverage_rows.append(
                [
                    state.display_name,
                    _n(total.required),
                    _n(total.funded),
                    share(total.coverage) if total.coverage is not None else "—",
                    str(total.donors),
                ]
            )
        rows = needs.board(
            user=user, today=today, filters=needs.BoardFilters(state=state.iso3, unanswered=True), donors=[]
        )
        for row in rows[:50]:
            unanswered_rows.append(
                [
                    state.display_name,
                    row.need.title,
                    row.status_label,
                    f"{_n(row.need.amount)} {row.need.currency}" if row.need.amount is not None else _("in kind"),
                    row.silence_note,
                ]
            )
    return [
        Table(
            _("Coverage of the invited States (USD)"),
            [_("State"), _("Required"), _("Funded"), _("Coverage"), _("Donors")],
            coverage_rows,
        ),
        Table(
            _("Unanswered needs"),
            [_("State"), _("Need"), _("Status"), _("Amount"), _("Waiting")],
            unanswered_rows,
            note=_("Open needs no donor has answered yet, as this reader may see them."),
        ),
    ]


def pack_content(
    *,
    title: str,
    when: str,
    affected: Iterable[State],
    donors: Iterable[Organisation],
    agenda_rows: Iterable[Sequence[str]],
    user: Any,
    today: date,
) -> PackContent:
    """The pack for ``user``: nothing in it that ``user`` could not open on the platform."""
    affected = list(affected)
    donors = list(donors)
    marking = marking_for(user, today=today)
    briefs = []
    for state in affected:
        content = brief.brief_content(state=state, user=user, today=today)
        briefs.append(replace(content, marking=marking))
    return PackContent(
        title=title,
        when=when,
        day=today,
        reader=", ".join(x for x in reader_line(user) if x),
        marking=marking,
        agenda=Table(_("Agenda"), [_("Time"), _("Item"), _("Lead")], [list(r) for r in agenda_rows]),
        briefs=briefs,
        donors=donor_tables(donors=donors, states=affected, user=user),
        needs=needs_tables(states=affected, user=user, today=today),
    )


def _t(text: str) -> str:
    return clean_text(str(text), multiline=True)


def _printable(content: PackContent) -> PackContent:
    return replace(
        content,
        title=_t(content.title),
        when=_t(content.when),
        reader=_t(content.reader),
        marking=clean_text(content.marking, multiline=False),
        agenda=brief._printable_table(content.agenda),
        briefs=[brief.printable(b) for b in content.briefs],
        donors=[brief._printable_table(t) for t in content.donors],
        needs=[brief._printable_table(t) for t in content.needs],
    )


def pack_title(content: PackContent) -> str:
    return _("Briefing pack: %(meeting)s") % {"meeting": content.title}


def render_pdf(content: PackContent) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    content = _printable(content)
    buffer = io.BytesIO()
    title = pack_title(content)
    doc = brief.pdf_document(buffer, title=title)
    styles, small = brief.pdf_styles()
    story: list[Any] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(content.when), styles["BodyText"]),
        Paragraph(escape(content.marking), small),
        Spacer(1, 4 * mm),
        *brief.pdf_table(content.agenda, small),
        Paragraph(escape(_("Donor overview")), styles["Heading1"]),
    ]
    for table in content.donors:
        story += brief.pdf_table(table, small)
    story.append(Paragraph(escape(_("Coverage and unanswered needs")), styles["Heading1"]))
    for table in content.needs:
        story += brief.pdf_table(table, small)
    for chapter in content.briefs:
        story += [PageBreak(), *brief.pdf_story(chapter, title_style="Heading1")]
    doc.build(story, canvasmaker=brief.marked_canvas(marking=content.marking, restricted=True))
    return buffer.getvalue()


def render_docx(content: PackContent) -> bytes:
    content = _printable(content)
    title = pack_title(content)
    document = brief.docx_document(title=title, marking=content.marking, restricted=True)
    document.add_heading(title, level=0)
    document.add_paragraph(content.when)
    document.add_paragraph(content.marking)
    brief.docx_table(document, content.agenda)
    document.add_heading(_("Donor overview"), level=1)
    for table in content.donors:
        brief.docx_table(document, table, level=2)
    document.add_heading(_("Coverage and unanswered needs"), level=1)
    for table in content.needs:
        brief.docx_table(document, table, level=2)
    for chapter in content.briefs:
        document.add_page_break()
        brief.docx_body(document, chapter, level=1)
    return brief.docx_bytes(document)
