"""Pages of a meeting's de-identified summary: the public index and page (and PDF) of published
summaries; for the conveners and reviewers, writing, the check with each hit in context, waivers and
publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.core import clock
from ccm.core.policies import Action, get_for_user
from ccm.meetings import summary as service
from ccm.meetings.policies import meetings as meeting_policy
from ccm.meetings.publish_models import Summary
from ccm.meetings.publish_policies import REVIEW, may_write_summary, summaries
from ccm.meetings.summary_forms import SummaryForm, WaiveForm
from ccm.meetings.summary_pdf import render_summary_pdf


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_safe
def summary_index(request: HttpRequest) -> HttpResponse:
    """Every published summary, newest first (public)."""
    page = Paginator(service.published(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "meetings/summary_index.html", {"page": page})


def _summary(request: HttpRequest, pk: int) -> Summary:
    found = service.summary_for(meeting_id=pk, user=request.user)
    if found is None:
        raise Http404
    return found


@require_safe
def summary_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The published summary (public); its conveners and reviewers see the draft with its status."""
    found = _summary(request, pk)
    return render(
        request,
        "meetings/summary_page.html",
        {
            "summary": found,
            "can_change": summaries.can(request.user, Action.CHANGE, found),
            "can_review": summaries.can(request.user, REVIEW, found),
        },
    )


@require_safe
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = _summary(request, pk)
    if not found.is_published:
        raise Http404
    response = HttpResponse(render_summary_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-summary-{found.meeting_id}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write or change the summary (the meeting's conveners; not once published)."""
    meeting = get_for_user(meeting_policy, request.user, pk=pk)
    if not may_write_summary(request.user, meeting):
        raise PermissionDenied
    existing = Summary.objects.filter(meeting=meeting).first()
    if existing is not None and existing.is_published:
        messages.info(request, _("The summary is published; it can no longer be changed."))
        return redirect("meetings:summary", pk=meeting.pk)
    initial = {"title": existing.title, "text": existing.text} if existing else {"title": ""}
    form = SummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service.summary_save(
                meeting=meeting, text=form.cleaned_data["text"], title=form.cleaned_data["title"], actor=request.user
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Summary saved. The check below shows what still identifies a participant."))
            return redirect("meetings:summary-review", pk=meeting.pk)
    return render(request, "meetings/summary_form.html", {"form": form, "meeting": meeting, "summary": existing})


@login_required
@require_safe
def summary_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The check: each hit in context, its waiver or a form to waive it; submit and publish."""
    found = _summary(request, pk)
    if found.is_published:
        return redirect("meetings:summary", pk=pk)
    if not (summaries.can(request.user, Action.CHANGE, found) or summaries.can(request.user, REVIEW, found)):
        raise PermissionDenied
    result = service.check(found, today=clock.today())
    can_review = summaries.can(request.user, REVIEW, found)
    return render(
        request,
        "meetings/summary_review.html",
        {
            "summary": found,
            "meeting": found.meeting,
            "check": result,
            "can_change": summaries.can(request.user, Action.CHANGE, found),
            "can_review": can_review,
            "waive_forms": {h.fingerprint: WaiveForm(initial={"fingerprint": h.fingerprint}) for h in result.open}
            if can_review
            else {},
            "decisions": service.decisions_for(summary=found, user=request.user),
        },
    )


def _acting_on(request: HttpRequest, pk: int, action: str) -> Summary:
    found = _summary(request, pk)
    if not summaries.can(request.user, action, found):
        raise PermissionDenied
    return found


@login_required
@require_POST
def summary_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _acting_on(request, pk, Action.CHANGE)
    try:
        service.summary_submit(summary=found, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Submitted for review."))
    return redirect("meetings:summary-review", pk=pk)


@login_required
@require_POST
def summary_waive(request: HttpRequest, pk: int) -> HttpResponse:
    found = _acting_on(request, pk, REVIEW)
    form = WaiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why these words may stay."))
        return redirect("meetings:summary-review", pk=pk)
    try:
        service.hit_waive(
            summary=found,
            fingerprint_key=form.cleaned_data["fingerprint"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Waived, with your reason on record."))
    return redirect("meetings:summary-review", pk=pk)


@login_required
@require_POST
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _acting_on(request, pk, REVIEW)
    try:
        service.summary_publish(summary=found, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("meetings:summary-review", pk=pk)
    messages.success(request, _("The summary is published."))
    return redirect("meetings:summary", pk=pk)
