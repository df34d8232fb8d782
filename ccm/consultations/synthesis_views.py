"""The synthesis pages: the synthesis, themes corrected, quotes reviewed, key points, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.consultations import synthesis_exports as exports
from ccm.consultations import synthesis_policies as policies
from ccm.consultations import synthesis_selectors as selectors
from ccm.consultations import synthesis_services as services
from ccm.consultations.models import AnswerItem, Campaign
from ccm.consultations.synthesis_charts import question_chart
from ccm.consultations.synthesis_deps import identity_terms
from ccm.consultations.synthesis_forms import KeyPointsForm, RetagForm, RewriteForm, WaiveForm
from ccm.core.clock import today
from ccm.core.policies import Action, get_for_action, get_for_user


def _campaign(request: HttpRequest, pk: int, action: str = Action.VIEW) -> Campaign:
    if action == Action.VIEW:
        return get_for_user(policies.synthesis, request.user, pk=pk)
    return get_for_action(policies.synthesis, request.user, action, pk=pk)


@login_required
@require_safe
def synthesis_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    synthesis = selectors.campaign_synthesis(campaign=campaign, user=request.user, today=today())
    # every text in the SVG is escaped by the chart writer
    charts = {s.question.pk: mark_safe(question_chart(s)) for s in synthesis.questions if s.has_chart}  # noqa: S308
    return render(
        request,
        "consultations/synthesis.html",
        {"campaign": campaign, "synthesis": synthesis, "charts": charts, "retag_form": RetagForm()},
    )


@login_required
@require_POST
def auto_tag(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, policies.TAG)
    changed = services.themes_auto_tag(campaign=campaign, actor=request.user)
    messages.success(
        request,
        ngettext(
            "Themes found again: %(n)s tag written or changed.",
            "Themes found again: %(n)s tags written or changed.",
            changed,
        )
        % {"n": changed},
    )
    return redirect("synthesis:page", pk=campaign.pk)


def _item(request: HttpRequest, item_id: int, action: str) -> AnswerItem:
    item = selectors.text_item_for(user=request.user, item_id=item_id, action=action)
    if item is None:
        if selectors.text_item_for(user=request.user, item_id=item_id, action=Action.VIEW) is not None:
            raise PermissionDenied
        raise Http404
    return item


@login_required
@require_POST
def retag(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id, policies.TAG)
    form = RetagForm(request.POST)
    target = reverse("synthesis:page", args=[item.answer.campaign_id]) + f"#item-{item.pk}"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    try:
        services.themes_retag(
            item=item, themes=form.cleaned_data["themes"], note=form.cleaned_data["note"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Themes saved."))
    return redirect(target)


@login_required
@require_safe
def quotes(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, policies.REVIEW)
    rows = selectors.held_quotes(campaign=campaign, today=today())
    return render(
        request,
        "consultations/synthesis_quotes.html",
        {"campaign": campaign, "quotes": rows, "rewrite_form": RewriteForm(), "waive_form": WaiveForm()},
    )


@login_required
@require_POST
def quote_review(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id, policies.REVIEW)
    campaign = item.answer.campaign
    decision = request.POST.get("decision")
    form: RewriteForm | WaiveForm = RewriteForm(request.POST) if decision == "rewrite" else WaiveForm(request.POST)
    if decision not in ("rewrite", "waive"):
        messages.error(request, _("Choose to rewrite the quote or to waive the check."))
    elif form.is_valid():
        try:
            if isinstance(form, RewriteForm):
                services.quote_rewrite(
                    item=item,
                    text=form.cleaned_data["rewritten_text"],
                    actor=request.user,
                    terms=identity_terms(campaign, today=today()),
                )
            else:
                services.quote_waive(item=item, reason=form.cleaned_data["waiver_reason"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Quote reviewed."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("synthesis:quotes", args=[campaign.pk]) + f"#item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def key_points(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, policies.REVIEW)
    draft = selectors.key_points(campaign)
    form = KeyPointsForm(request.POST or None, initial={"text": draft.text if draft else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.key_points_save(campaign=campaign, text=form.cleaned_data["text"], actor=request.user)
            if "ready" in request.POST:
                services.key_points_mark_ready(
                    campaign=campaign, actor=request.user, terms=identity_terms(campaign, today=today())
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            done = _("Key points saved and marked ready.") if "ready" in request.POST else _("Key points saved.")
            messages.success(request, done)
            return redirect("synthesis:key-points", pk=campaign.pk)
    return render(
        request, "consultations/synthesis_key_points.html", {"campaign": campaign, "draft": draft, "form": form}
    )


@login_required
@require_safe
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    campaign = _campaign(request, pk)
    synthesis = selectors.campaign_synthesis(campaign=campaign, user=request.user, today=today())
    return exports.synthesis_response(synthesis, fmt)
