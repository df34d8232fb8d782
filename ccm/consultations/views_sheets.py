"""Pages for answering offline and for field tools: the answering workbook, the answer upload (checked
whole, previewed, applied), and a question set version's XLSForm."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ccm.accounts.models import Organisation
from ccm.consultations import sheets, sheets_selectors, xlsform
from ccm.consultations.fieldtools import FieldToolImport, read_headings
from ccm.consultations.imports import AnswerWorkbookImport, answers_check, refusal
from ccm.consultations.models import Answer, Campaign, QuestionSetVersion
from ccm.consultations.sheets_forms import FIELD_TOOL, AnswerUploadForm
from ccm.core.clock import today
from ccm.core.import_views import import_preview_page
from ccm.core.imports import imports as import_policy
from ccm.core.policies import get_for_user, is_coordinator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def workbook_download(user: object, campaign: Campaign, slug: str | None) -> HttpResponse:
    """The answering workbook, pre-filled with the draft of the recipient organisation the user answers
    for (``slug``, or their only one); blank for coordinators."""
    mine = sheets_selectors.answering_organisations(user, campaign)
    organisation = next((o for o in mine if o.slug == slug), None) if slug else (mine[0] if len(mine) == 1 else None)
    rows = sheets_selectors.questions(campaign)
    current = sheets_selectors.draft_values(user, campaign, organisation, rows)
    name = f"{campaign.version.question_set.slug}-v{campaign.version.number}-campaign-{campaign.pk}"
    if organisation is not None:
        name += f"-{organisation.slug}"
    return xlsx_response(sheets.answer_workbook(campaign, rows, current), f"{name}.xlsx")


@login_required
@require_safe
def workbook(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = sheets_selectors.campaign_for(request.user, pk)
    return workbook_download(request.user, campaign, request.GET.get("organisation"))


def _answering(request: HttpRequest, pk: int, organisation: str) -> tuple[Campaign, Organisation]:
    """The campaign (404 when hidden) and the recipient organisation the user edits answers for (404 when
    not a recipient the user belongs to; 403 when the user may only read)."""
    campaign = sheets_selectors.campaign_for(request.user, pk)
    editable = sheets_selectors.answering_organisations(request.user, campaign, editors=True)
    found = next((o for o in editable if o.slug == organisation), None)
    if found is not None:
        return campaign, found
    members = sheets_selectors.answering_organisations(request.user, campaign)
    if is_coordinator(request.user) or any(o.slug == organisation for o in members):
        raise PermissionDenied
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int, organisation: str) -> HttpResponse:
    campaign, org = _answering(request, pk, organisation)
    form = AnswerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if form.cleaned_data["source"] == FIELD_TOOL:
            kind, headings = FieldToolImport.kind, read_headings(file)
        else:
            kind, headings = AnswerWorkbookImport.kind, ()
        sheet_import = answers_check(
            kind=kind, campaign=campaign, organisation=org, upload=file, actor=request.user, headings=headings
        )
        return redirect("consultation-sheets:import", pk=campaign.pk, organisation=org.slug, import_pk=sheet_import.pk)
    answer = Answer.objects.filter(campaign=campaign, organisation=org).first()
    return render(
        request,
        "consultations/sheets/upload.html",
        {
            "campaign": campaign,
            "organisation": org,
            "form": form,
            "closed": refusal(campaign, answer, on=today()),
            "answer_url": reverse("consultations:answer", args=[campaign.pk, org.slug]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int, organisation: str, import_pk: int) -> HttpResponse:
    campaign, org = _answering(request, pk, organisation)
    sheet_import = get_for_user(
        import_policy,
        request.user,
        pk=import_pk,
        organisation=org,
        kind__in=[AnswerWorkbookImport.kind, FieldToolImport.kind],
    )
    if sheet_import.payload and sheet_import.payload.get("campaign") != campaign.pk:
        raise PermissionDenied
    back = reverse("consultation-sheets:upload", args=[campaign.pk, org.slug])
    return import_preview_page(
        request,
        sheet_import,
        state=None,
        done_url=reverse("consultations:answer", args=[campaign.pk, org.slug]),  # the answering page
        success_message=_(
            "Applied: %(changed)s answers changed in your organisation's draft, %(unchanged)s unchanged. "
            "The answer is still a draft until a manager submits it."
        ),
        retry_url=back,
        key_heading=_("Question"),
    )


@require_safe
def xlsform_download(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return xlsform_response(sheets_selectors.version_for(request.user, slug, number))


def xlsform_response(version: QuestionSetVersion) -> HttpResponse:
    return xlsx_response(xlsform.xlsform(version), xlsform.file_name(version))
