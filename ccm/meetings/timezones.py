"""Meeting times in the reader's zone: the user's own time zone where the accounts model keeps one,
else the meeting's; the zone is always named ("4 May 2030, 10:00–14:00 (Europe/Zurich)")."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from ccm.core.templatetags.ccm import date_filter
from ccm.meetings.models import Meeting


def reader_zone(user: Any, meeting: Meeting) -> zoneinfo.ZoneInfo:
    name = getattr(user, "time_zone", "") if user is not None else ""
    if name:
        try:
            return zoneinfo.ZoneInfo(str(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return meeting.zone


def moment_text(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "4 May 2030, 10:00 (Europe/Zurich)"."""
    local = moment.astimezone(zone)
    return f"{date_filter(local.date())}, {local:%H:%M} ({zone.key})"


def local_span(meeting: Meeting, user: Any) -> str:
    """When the meeting takes place, in the reader's zone, the zone named."""
    zone = reader_zone(user, meeting)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    if start.date() == end.date():
        return f"{date_filter(start.date())}, {start:%H:%M}–{end:%H:%M} ({zone.key})"
    return f"{date_filter(start.date())}, {start:%H:%M} – {date_filter(end.date())}, {end:%H:%M} ({zone.key})"
