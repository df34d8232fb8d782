"""The words for an obligation's status, in one place: every page, the Country Brief, the charts,
the API and the exports call these functions with a ``ccm.treaty.ObligationDescription``.

``status_label`` gives the short label (one table: ``ccm.states.models.ObligationStatus``);
``obligation_sentence`` the full sentence with its dates (deadline, completion, the meeting that
considered a request, the end by withdrawal).
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm import treaty
from ccm.states.models import ObligationStatus

_FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


def _d(value: date | None, precision: str = "day") -> str:
    return date_format(value, _FORMATS.get(precision, "j F Y")) if value else ""


def status_label(status: str) -> str:
    """The status in words ("Overdue"), never its code."""
    try:
        return str(ObligationStatus(status).label)
    except ValueError:
        return str(status)


# The Meetings of States Parties by number, each a whole phrase (ordinals agree with the noun in French and
# Spanish: "Treizième Assemblée", "Decimotercera Reunión").
MEETING_NAMES = {
    1: gettext_lazy("First Meeting of States Parties"),
    2: gettext_lazy("Second Meeting of States Parties"),
    3: gettext_lazy("Third Meeting of States Parties"),
    4: gettext_lazy("Fourth Meeting of States Parties"),
    5: gettext_lazy("Fifth Meeting of States Parties"),
    6: gettext_lazy("Sixth Meeting of States Parties"),
    7: gettext_lazy("Seventh Meeting of States Parties"),
    8: gettext_lazy("Eighth Meeting of States Parties"),
    9: gettext_lazy("Ninth Meeting of States Parties"),
    10: gettext_lazy("Tenth Meeting of States Parties"),
    11: gettext_lazy("Eleventh Meeting of States Parties"),
    12: gettext_lazy("Twelfth Meeting of States Parties"),
    13: gettext_lazy("Thirteenth Meeting of States Parties"),
    14: gettext_lazy("Fourteenth Meeting of States Parties"),
    15: gettext_lazy("Fifteenth Meeting of States Parties"),
    16: gettext_lazy("Sixteenth Meeting of States Parties"),
    17: gettext_lazy("Seventeenth Meeting of States Parties"),
    18: gettext_lazy("Eighteenth Meeting of States Parties"),
    19: gettext_lazy("Nineteenth Meeting of States Parties"),
    20: gettext_lazy("Twentieth Meeting of States Parties"),
}


def _meeting_name(m: treaty.Meeting) -> str:
    return str(MEETING_NAMES[m.number]) if m.number in MEETING_NAMES else m.name


def _meeting(m: treaty.Meeting) -> str:
    if m.opened_on and m.closed_on:
        if (m.opened_on.year, m.opened_on.month) == (m.closed_on.year, m.closed_on.month):
            dates = f"{m.opened_on.day}–{_d(m.closed_on)}"
        else:
            dates = f"{_d(m.opened_on)} – {_d(m.closed_on)}"
        return _("the %(meeting)s, %(dates)s") % {"meeting": _meeting_name(m), "dates": dates}
    if m.opened_on:
        return _("the %(meeting)s (opened %(date)s)") % {"meeting": _meeting_name(m), "date": _d(m.opened_on)}
    return _("the %(meeting)s") % {"meeting": _meeting_name(m)}


def obligation_sentence(d: treaty.ObligationDescription) -> str:
    """One sentence that says where the obligation stands, with the dates that matter."""
    S = treaty.ObligationStatus
    deadline = _d(d.deadline)
    if d.status is S.COMPLETED:
        if not d.completed_on:
            return _("Completed (the date is not on record).")
        when = _d(d.completed_on, d.completed_on_precision)
        if d.completed_on_precision == "day":
            return _("Completed on %(date)s.") % {"date": when}
        return _("Completed in %(date)s.") % {"date": when}
    if d.status is S.ENDED:
        return _("Ended on %(date)s, when the State's withdrawal from the Convention took effect.") % {
            "date": _d(d.ended_on)
        }
    if d.status is S.DECISION_NOT_ON_RECORD:
        considered = (
            _("a request to extend it was considered at %(meeting)s") % {"meeting": _meeting(d.request_meeting)}
            if d.request_meeting
            else _("a request to extend it was considered")
        )
        if d.deadline:
            return _("Deadline %(deadline)s; %(considered)s; decision not on record.") % {
                "deadline": deadline,
                "considered": considered,
            }
        return _("Deadline not on record; %(considered)s; decision not on record.") % {"considered": considered}
    if d.status is S.EXTENSION_PENDING:
        until = (
            _("until %(date)s") % {"date": _d(d.requested_until)} if d.requested_until else _("to a date not on record")
        )
        where = (
            _(", to be decided at %(meeting)s") % {"meeting": _meeting(d.request_meeting)} if d.request_meeting else ""
        )
        return _("Deadline %(deadline)s; a request to extend it %(until)s awaits a decision%(where)s.") % {
            "deadline": deadline or _("not on record"),
            "until": until,
            "where": where,
        }
    if d.status is S.OVERDUE:
        return _("Deadline %(deadline)s has passed; not completed, and no pending extension request is on record.") % {
            "deadline": deadline
        }
    if d.status is S.DUE_SOON:
        return _("Deadline %(deadline)s, within the next twelve months.") % {"deadline": deadline}
    if d.status is S.ON_TRACK:
        return _("Deadline %(deadline)s.") % {"deadline": deadline}
    return _("Deadline not on record.")


def obligation_wording(d: treaty.ObligationDescription) -> tuple[str, str]:
    """(label, sentence): what every surface shows for one obligation."""
    return status_label(d.status), obligation_sentence(d)
