"""The meetings of the role matrix and the policy rules: one closed meeting convened by State B's
manager (a Coordinator State), State A's government and the operator invited, the international
organisation not; a draft one; and an open one, public once convened."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ccm.meetings.models import (
    AgendaItem,
    InvitedOrganisation,
    InvitedPerson,
    KeyPoint,
    Meeting,
    MeetingConvener,
    Note,
    Reply,
)
from tests.personas import organisation, persona

NOTE_TEXT = "Delegate of State A said the survey team lacks vehicles (confidential)."


def make_meetings() -> dict[str, Any]:
    convener = persona("other_state_manager").user
    closed = Meeting.objects.create(
        title="Closed meeting on cooperation",
        kind="closed",
        starts_at=datetime(2030, 5, 4, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 5, 4, 12, 0, tzinfo=UTC),
        time_zone="Europe/Zurich",
        place="Palais des Nations, Room XII",
        status="convened",
        visibility="meeting",
    )
    MeetingConvener.objects.create(meeting=closed, user=convener)
    for short in ("state", "operator"):
        InvitedOrganisation.objects.create(meeting=closed, organisation=organisation(short))
    InvitedPerson.objects.create(meeting=closed, name="Guest expert", email="expert@example.org")
    Reply.objects.create(
        meeting=closed,
        organisation=organisation("operator"),
        response="attending",
        delegate_name="A. Delegate",
        replied_at=datetime(2030, 4, 1, tzinfo=UTC),
    )
    item = AgendaItem.objects.create(meeting=closed, position=1, title="Obstacles to meeting deadlines")
    note = Note.objects.create(agenda_item=item, text=NOTE_TEXT, author=convener)
    key_point = KeyPoint.objects.create(meeting=closed, position=1, text="Funding is the main obstacle.")
    draft = Meeting.objects.create(
        title="Draft closed meeting",
        kind="closed",
        starts_at=datetime(2030, 6, 1, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 6, 1, 9, 0, tzinfo=UTC),
        time_zone="UTC",
        visibility="meeting",
    )
    MeetingConvener.objects.create(meeting=draft, user=convener)
    InvitedOrganisation.objects.create(meeting=draft, organisation=organisation("state"))
    open_meeting = Meeting.objects.create(
        title="Open briefing",
        kind="open",
        starts_at=datetime(2030, 7, 1, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 7, 1, 9, 0, tzinfo=UTC),
        time_zone="America/New_York",
        status="convened",
        visibility="public",
    )
    MeetingConvener.objects.create(meeting=open_meeting, user=convener)
    return {
        "closed_meeting": closed.pk,
        "draft_meeting": draft.pk,
        "open_meeting": open_meeting.pk,
        "agenda_item": item.pk,
        "note": note.pk,
        "key_point": key_point.pk,
    }
