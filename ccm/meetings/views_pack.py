"""A reader's briefing pack: ask for it, follow its job, download the PDF or the DOCX. Anyone outside
the meeting's circle gets 404, as for the meeting itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ccm.meetings.models import Meeting
from ccm.meetings.pack_tasks import pack_request
from ccm.meetings.publish_models import BriefingPack
from ccm.meetings.publish_policies import in_circle, packs

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def circle_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = in_circle(request.user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def latest_pack(*, meeting: Meeting, user: object) -> BriefingPack | None:
    return packs.visible_to(user).filter(meeting=meeting).select_related("job").defer("pdf", "docx").first()


@login_required
@require_http_methods(["GET", "POST"])
def pack_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = circle_meeting(request, pk)
    if request.method == "POST":
        pack_request(meeting=meeting, actor=request.user)
        messages.success(request, _("Your briefing pack is being prepared."))
        return redirect("meetings:pack", pk=meeting.pk)
    pack = latest_pack(meeting=meeting, user=request.user)
    response = render(request, "meetings/pack.html", {"meeting": meeting, "pack": pack})
    if pack is not None and not pack.is_ready and pack.job is not None and not pack.job.is_finished:
        response["Refresh"] = "3"  # no JavaScript needed: the browser asks again
    return response


@login_required
@require_safe
def pack_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = circle_meeting(request, pk)
    pack = packs.visible_to(request.user).filter(meeting=meeting, built_at__isnull=False).first()
    if pack is None or fmt not in CONTENT_TYPES:
        raise Http404
    body = bytes(pack.pdf if fmt == "pdf" else pack.docx)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    day = pack.built_for.isoformat() if pack.built_for else "undated"
    response["Content-Disposition"] = f'attachment; filename="briefing-pack-{meeting.pk}-{day}.{fmt}"'
    return response
