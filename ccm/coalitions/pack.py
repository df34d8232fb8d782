"""The coalition pack for partners' capitals (PDF and DOCX), laid out by the Country Brief's writers
(``ccm.profiles.brief``): what the reader may see of the coalition, with its distribution marking —
the public summary for outsiders; members and coordinators get the work plan, visits and scorecard
(never the threads: they stay in the workspace)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ccm.coalitions import policies, selectors
from ccm.coalitions import scorecard as scorecard_selectors
from ccm.coalitions.models import Coalition
from ccm.core.templatetags.ccm import date_filter
from ccm.profiles.brief import BriefContent, Table, render_docx, render_pdf

__all__ = ["pack_content", "render_docx", "render_pdf"]


def _d(value: date | None) -> str:
    return date_filter(value) if value else _("not on record")


def _figure(value: Any) -> str:
    """A target as written: 500,000 or 1.72 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pack_content(coalition: Coalition, user: Any, *, today: date) -> BriefContent:
    ws = selectors.workspace(coalition, user, today=today)
    row = ws.row
    inside = policies.coalitions.can(user, policies.WORKSPACE, coalition)
    summary = [
        _("Affected State: %(state)s. Status: %(status)s.")
        % {"state": coalition.state.display_name, "status": coalition.get_status_display()},
        _("Partners: %(names)s.")
        % {"names": ", ".join(m.organisation.name for m in row.partners) or _("none named publicly")},
    ]
    if row.headline.total:
        summary.append(
            _("Progress: %(done)s of %(total)s milestones and actions done.")
            % {"done": row.headline.done, "total": row.headline.total}
        )
    if row.next_deadline:
        summary.append(_("Next treaty deadline: %(day)s.") % {"day": _d(row.next_deadline)})
    if coalition.is_concluded:
        summary.append(
            _("Concluded on %(day)s: %(reason)s")
            % {"day": _d(coalition.concluded_on), "reason": coalition.conclusion_reason}
        )
    if coalition.illustrative:
        summary.append(_("Illustrative demo data where figures are not from the sources."))
    content = BriefContent(state=coalition.state, day=today, audience="", summary=summary)
    content.title = _("Coalition pack: %(name)s") % {"name": coalition.name}
    content.tables.append(
        Table(
            _("Objectives"),
            [_("Objective"), _("Target")],
            [[o.text, f"{_figure(o.target)} {o.unit}".strip()] for o in ws.objectives],
        )
    )
    if inside:
        content.tables.append(
            Table(
                _("Members"),
                [_("Organisation"), _("Role"), _("Invitation")],
                [[m.organisation.name, m.get_role_display(), m.get_status_display()] for m in ws.members],
            )
        )
        content.tables.append(
            Table(
                _("Work plan"),
                [_("Item"), _("Owner"), _("Due"), _("Status")],
                [[m.title, "", _d(m.due_date), _("Reached") if m.done_on else _("Open")] for m in ws.milestones]
                + [[a.title, a.owner.name, _d(a.due_date), a.get_status_display()] for a in ws.actions],
            )
        )
        content.tables.append(
            Table(
                _("Field visits"),
                [_("Date"), _("Place"), _("Findings")],
                [[_d(v.visited_on), v.place, v.findings] for v in ws.visits],
            )
        )
        content.tables.append(
            Table(
                _("Scorecard: computed indicators"),
                [_("Element"), _("Indicator (1–5)")],
                [
                    [str(line.label), str(line.indicator.score) if line.indicator.score else _("not enough data")]
                    for line in scorecard_selectors.lines(coalition, user, today=today)
                ],
                note=str(scorecard_selectors.COMMON),
            )
        )
        content.asks = [f"{a.title} ({a.owner.name}, {_d(a.due_date)})" for a in ws.actions if a.is_open][:10]
        content.marking = _("Restricted — for the coalition's members and coordinators.")
        content.restricted = True
    else:
        content.marking = _("Public — published information only.")
    return content
