"""Campaign pages (create, change, send, the status board) and the answering pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.accounts.models import Organisation
from ccm.consultations import campaign_services, policies, selectors, services
from ccm.consultations.forms import AnswerForm, CampaignForm
from ccm.consultations.models import Answer, AnswerStatus, Campaign, QuestionType
from ccm.consultations.views import form_errors
from ccm.core.clock import today
from ccm.core.policies import Action, get_for_action, get_for_user, is_coordinator, organisation_ids


def campaign_state(campaign: Campaign, *, on: Any) -> str:
    if campaign.sent_at is None:
        return _("Not sent yet")
    if on < campaign.opens_on:
        return _("Sent; opens on a later date")
    if on > campaign.closes_on:
        return _("Closed")
    return _("Open")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise Http404
    initial: dict[str, Any] = {}
    if request.GET.get("version", "").isdigit():
        initial["version"] = int(request.GET["version"])
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_services.campaign_create(
                title=data["title"],
                version=data["version"],
                message=data["message"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                recipients=form.chosen_recipients(selectors.affected_states_parties()),
                conveners=form.chosen_conveners(),
                actor=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Campaign created. Check it, then send it."))
            return redirect("consultations:campaign", pk=campaign.pk)
    return render(request, "consultations/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_action(policies.campaigns, request.user, Action.CHANGE, pk=pk)
    form = CampaignForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign_services.campaign_update(
                campaign=campaign,
                title=data["title"],
                message=data["message"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                recipients=form.chosen_recipients(selectors.affected_states_parties()),
                conveners=form.chosen_conveners(),
                actor=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("consultations:campaign", pk=campaign.pk)
    return render(request, "consultations/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_action(policies.campaigns, request.user, policies.SEND, pk=pk)
    try:
        campaign_services.campaign_send(campaign=campaign, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Campaign sent: the organisations asked are told by e-mail."))
    return redirect("consultations:campaign", pk=campaign.pk)


@require_safe
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(
        policies.campaigns, request.user, Campaign.objects.select_related("version__question_set"), pk=pk
    )
    on = today()
    coordinator = is_coordinator(request.user)
    attributed = policies.sees_attribution(request.user, campaign, today=on)
    mine = selectors.my_answering_organisations(user=request.user, campaign=campaign)
    my_answers = {
        a.organisation_id: a for a in Answer.objects.filter(campaign=campaign, organisation__in=mine).only("status")
    }
    submitted = [
        a for a in selectors.answers(user=request.user, campaign=campaign) if a.status == AnswerStatus.SUBMITTED
    ]
    return render(
        request,
        "consultations/campaign_detail.html",
        {
            "campaign": campaign,
            "state": campaign_state(campaign, on=on),
            "is_open": campaign.sent_at is not None and campaign.opens_on <= on <= campaign.closes_on,
            "can_change": coordinator,
            "board": selectors.status_board(campaign=campaign) if coordinator else None,
            "mine": [(org, my_answers.get(org.pk)) for org in mine],
            "submitted": submitted if (coordinator or attributed) else [],
            "attributed": attributed,
            "conveners": list(campaign.conveners.select_related("user").order_by("user__full_name")),
        },
    )


def _answering(request: HttpRequest, pk: int, org: str) -> tuple[Campaign, Organisation]:
    """The campaign (visible) and one of the user's organisations asked in it; 404 otherwise."""
    campaign = get_for_user(
        policies.campaigns, request.user, Campaign.objects.select_related("version__question_set"), pk=pk
    )
    organisation = Organisation.objects.filter(slug=org, pk__in=organisation_ids(request.user)).first()
    if organisation is None or not campaign.recipient_rows.filter(organisation=organisation).exists():
        raise Http404
    return campaign, organisation


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int, org: str) -> HttpResponse:
    """The organisation's answer: a form of every question; "Save draft" for editors and managers,
    "Submit" for managers. Read-only once submitted, after closing, or for viewers."""
    campaign, organisation = _answering(request, pk, org)
    on = today()
    current = selectors.answer_of(campaign=campaign, organisation=organisation)
    version = current.version if current else campaign.version
    questions = list(version.questions.order_by("position"))
    may_draft = organisation.pk in policies.may_answer_for(request.user)
    may_submit = organisation.pk in policies.may_submit_for(request.user)
    is_open = campaign.sent_at is not None and campaign.opens_on <= on <= campaign.closes_on
    editable = may_draft and is_open and (current is None or current.status == AnswerStatus.DRAFT)
    form = AnswerForm(request.POST or None, questions=questions, answer=current)
    if request.method == "POST":
        if not may_draft:
            raise PermissionDenied
        submitting = "submit" in request.POST
        if submitting and not may_submit:
            raise PermissionDenied
        saved = None
        if form.is_valid():
            try:
                saved = services.answer_save(
                    campaign=campaign, organisation=organisation, values=form.values(), actor=request.user
                )
                if submitting:
                    services.answer_submit(answer=saved, actor=request.user)
            except ValidationError as error:
                form_errors(form, error)
            else:
                if submitting:
                    messages.success(request, _("Answer submitted. Thank you."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("consultations:answer", pk=campaign.pk, org=organisation.slug)
        if saved is not None:
            messages.warning(request, _("Draft saved, but not submitted: see the problems below."))
            current = saved
        else:
            messages.error(request, _("Nothing was saved: see the problems below."))
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "consultations/answer_form.html",
        {
            "campaign": campaign,
            "organisation": organisation,
            "answer": current,
            "form": form,
            "editable": editable,
            "may_submit": may_submit and editable,
            "is_open": is_open,
            "on": on,
        },
    )


@login_required
@require_safe
def answer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One answer as read: by its organisation, or (once submitted) by coordinators and conveners —
    who see which organisation gave it, and its free text, only when ``sees_attribution``."""
    found = get_for_user(
        policies.answers,
        request.user,
        Answer.objects.select_related("campaign__version__question_set", "organisation", "version"),
        pk=pk,
    )
    own = found.organisation_id in organisation_ids(request.user)
    attributed = own or policies.sees_attribution(request.user, found.campaign, today=today())
    items = {item.question_id: item for item in found.items.all()}
    rows = []
    for q in found.version.questions.order_by("position"):
        item = items.get(q.pk)
        rows.append({"question": q, "item": item, "shown": _shown(q, item, attributed)})
    return render(
        request,
        "consultations/answer_detail.html",
        {"answer": found, "attributed": attributed, "rows": rows, "own": own},
    )


def _shown(question: Any, item: Any, attributed: bool) -> dict[str, Any]:
    """The answer as shown: ``text``, ``number`` or ``labels``; ``withheld`` for free text kept from a
    reader who may not see who gave it (it reaches them only through the synthesis, after the
    de-identification check)."""
    if item is None:
        return {}
    if question.qtype == QuestionType.TEXT:
        return {"text": item.text} if attributed else {"withheld": True}
    if question.qtype in (QuestionType.NUMBER, QuestionType.SCALE):
        return {"number": item.number}
    if question.qtype == QuestionType.YES_NO:
        return {"labels": [_("Yes") if item.choices == ["yes"] else _("No")]}
    return {"labels": [question.option_label(key) for key in item.choices]}
