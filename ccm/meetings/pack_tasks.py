"""Building a reader's briefing pack in the background: the request (a service, audited) and the job
kind that writes the PDF and the DOCX (``ccm.core.tasks``)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Organisation, OrganisationKind
from ccm.core import audit, clock, tasks
from ccm.core.task_models import Job
from ccm.meetings.models import Meeting
from ccm.meetings.pack import PackContent, pack_content, render_docx, render_pdf
from ccm.meetings.publish_models import BriefingPack
from ccm.meetings.publish_policies import in_circle
from ccm.states.models import State

BUILD_PACK = "meetings.briefing_pack"


def invited_parties(meeting: Meeting) -> tuple[list[State], list[Organisation]]:
    """The invited affected States (a State government invited whose State has an Article 3 or 4
    obligation not completed) and the other invited organisations (donors, organisations, operators),
    leaving out the implementation support unit."""
    organisations = list(meeting.invited_organisations.select_related("state").order_by("name"))
    state_ids = [o.state_id for o in organisations if o.kind == OrganisationKind.STATE_GOVERNMENT and o.state_id]
    affected_ids = set(
        State.objects.filter(pk__in=state_ids, obligations__completed=False).values_list("pk", flat=True)
    )
    affected = sorted({o.state for o in organisations if o.state_id in affected_ids and o.state}, key=lambda s: s.name)
    donors = [
        o
        for o in organisations
        if o.kind != OrganisationKind.COORDINATORS_OFFICE
        and not (o.kind == OrganisationKind.STATE_GOVERNMENT and o.state_id in affected_ids)
    ]
    return affected, donors


def agenda_rows(meeting: Meeting) -> list[list[str]]:
    return [
        [
            item.starts_at.strftime("%H:%M") if item.starts_at else "—",
            item.title,
            item.lead_organisation.name if item.lead_organisation else "—",
        ]
        for item in meeting.agenda_items.select_related("lead_organisation").order_by("position")
    ]


def meeting_pack(*, meeting: Meeting, user: Any, today: date) -> PackContent:
    """``user``'s pack for ``meeting``: everything read through the reader's own rights."""
    affected, donors = invited_parties(meeting)
    try:
        zone: Any = meeting.zone
    except zoneinfo.ZoneInfoNotFoundError:  # a zone this machine's time-zone database lacks
        zone = UTC
    start = timezone.localtime(meeting.starts_at, zone)
    when = " · ".join(
        x
        for x in (
            f"{date_format(start, 'j F Y, H:i')} ({meeting.time_zone})",
            meeting.place,
            str(meeting.get_confidentiality_display()),
        )
        if x
    )
    return pack_content(
        title=meeting.title,
        when=when,
        affected=affected,
        donors=donors,
        agenda_rows=agenda_rows(meeting),
        user=user,
        today=today,
    )


@transaction.atomic
def pack_request(*, meeting: Meeting, actor: Any) -> BriefingPack:
    """Ask for a fresh briefing pack for ``actor`` (who must be in the meeting's circle); built by a job."""
    if not in_circle(actor).filter(pk=meeting.pk).exists():
        raise Http404
    pack = BriefingPack.objects.create(meeting=meeting, user=actor)
    pack.job = tasks.enqueue(BUILD_PACK, arguments={"pack_id": pack.pk}, label=f"briefing pack #{pack.pk}", actor=actor)
    pack.save(update_fields=["job"])
    audit.record(actor=actor, action="briefing_pack.request", obj=pack, extra={"meeting": meeting.pk})
    return pack


@tasks.job_kind(BUILD_PACK, label=_("Briefing pack for a meeting"))
def _build(job: Job) -> dict[str, Any]:
    pack = BriefingPack.objects.select_related("meeting", "user").get(pk=job.arguments["pack_id"])
    reader = get_user_model().objects.get(pk=pack.user_id)
    if not in_circle(reader).filter(pk=pack.meeting_id).exists():
        raise PermissionError("The reader is no longer among the meeting's participants.")
    today = clock.today()
    tasks.set_progress(job, percent=10, note="gathering")
    content = meeting_pack(meeting=pack.meeting, user=reader, today=today)
    tasks.set_progress(job, percent=50, note="writing")
    pdf, docx = render_pdf(content), render_docx(content)
    BriefingPack.objects.filter(pk=pack.pk).update(pdf=pdf, docx=docx, built_for=today, built_at=timezone.now())
    return {"pdf_bytes": len(pdf), "docx_bytes": len(docx), "briefs": len(content.briefs)}
