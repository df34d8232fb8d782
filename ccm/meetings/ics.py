"""The meeting's iCalendar invitation (RFC 5545, with iTIP's METHOD from RFC 5546).

One UID for the meeting's whole life, and a SEQUENCE that grows with each change of time or place
(and at cancellation), so a calendar replaces the invitation it holds. Times carry the meeting's
time zone (TZID with its VTIMEZONE) or are written in UTC when the meeting is in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from ccm.meetings.models import Meeting, MeetingStatus

PRODID = "-//Country Coalitions//Meetings//EN"


def _site() -> str:
    return str(getattr(settings, "CCM_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def meeting_url(meeting: Meeting) -> str:
    return f"{_site()}/meetings/{meeting.pk}/"


def _local(moment: datetime, meeting: Meeting) -> datetime:
    if meeting.time_zone in ("UTC", "Etc/UTC"):
        return moment.astimezone(UTC)
    return moment.astimezone(meeting.zone)


def calendar_bytes(meeting: Meeting, *, now: datetime | None = None) -> bytes:
    """The ``.ics`` of the meeting as it stands: METHOD:REQUEST, or METHOD:CANCEL once cancelled."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", meeting.ics_uid)
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", (now or datetime.now(tz=UTC)).astimezone(UTC))
    event.add("dtstart", _local(meeting.starts_at, meeting))
    event.add("dtend", _local(meeting.ends_at, meeting))
    event.add("summary", meeting.title)
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    event.add("url", meeting_url(meeting))
    lines = [str(meeting.get_confidentiality_display())]
    if meeting.confidentiality_explanation:
        lines.append(meeting.confidentiality_explanation)
    if meeting.online_link:
        lines.append(_("Online: %(link)s") % {"link": meeting.online_link})
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("class", "CONFIDENTIAL" if meeting.is_closed else "PUBLIC")
    _name, sender = parseaddr(str(settings.DEFAULT_FROM_EMAIL))
    if sender:
        event.add("organizer", f"mailto:{sender}")
    calendar.add_component(event)
    if meeting.time_zone not in ("UTC", "Etc/UTC"):
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def file_name(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}.ics"
