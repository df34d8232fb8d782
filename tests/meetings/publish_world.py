"""Summaries and a briefing pack for the role matrix, on the meetings of ``tests.meetings.world``:

- the draft meeting: a draft summary (its convener may submit it);
- the closed meeting: a summary in review naming State A ("Lebanon"), one hit not yet waived;
- a second closed meeting: a clean summary in review that any reviewer may publish;
- the open meeting: a published summary;
- State A's viewer's briefing pack for the closed meeting.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from ccm.meetings.models import InvitedOrganisation, Meeting, MeetingConvener
from ccm.meetings.publish_models import BriefingPack, Summary
from tests.personas import organisation, persona

NAMING_TEXT = "Lebanon lacks vehicles."
CLEAN_TEXT = "Delegations asked for multi-year grants for survey."


def naming_fingerprint() -> str:
    """The fingerprint the check gives the one hit of ``NAMING_TEXT`` (``ccm.meetings.summary.fingerprint``)."""
    return hashlib.sha256("|".join(("name", "Lebanon", "lebanon", "", "lacks vehicles.")).encode()).hexdigest()


def make_summaries(meetings: dict[str, Any]) -> dict[str, Any]:
    convener = persona("other_state_manager").user
    Summary.objects.create(meeting_id=meetings["draft_meeting"], text=CLEAN_TEXT, written_by=convener)
    Summary.objects.create(
        meeting_id=meetings["closed_meeting"],
        text=NAMING_TEXT,
        status="in_review",
        written_by=convener,
        submitted_by=convener,
        submitted_at=timezone.now(),
    )
    Summary.objects.create(
        meeting_id=meetings["open_meeting"],
        text=CLEAN_TEXT,
        status="published",
        published_at=timezone.now(),
        published_by=persona("coordinator").user,
    )
    second = Meeting.objects.create(
        title="Second closed meeting",
        kind="closed",
        starts_at=datetime(2030, 9, 4, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 9, 4, 12, 0, tzinfo=UTC),
        time_zone="UTC",
        status="convened",
        visibility="meeting",
    )
    MeetingConvener.objects.create(meeting=second, user=convener)
    InvitedOrganisation.objects.create(meeting=second, organisation=organisation("state"))
    Summary.objects.create(meeting=second, text=CLEAN_TEXT, status="in_review", written_by=convener)
    BriefingPack.objects.create(
        meeting_id=meetings["closed_meeting"],
        user=persona("state_viewer").user,
        pdf=_tiny_pdf(),
        docx=_tiny_docx(),
        built_at=timezone.now(),
    )
    return {"review_meeting": second.pk}


def _tiny_pdf() -> bytes:
    """A real one-page PDF (the pages that serve a pack are checked for readable files)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Briefing pack (test)")
    canvas.save()
    return buffer.getvalue()


def _tiny_docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Briefing pack (test)")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
