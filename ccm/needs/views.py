"""Needs board, a need and its thread, silence, obstacles, donor profiles, notification preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.accounts import policies as account_policies
from ccm.accounts.models import Organisation
from ccm.core.clock import today
from ccm.core.import_views import import_preview_page
from ccm.core.imports import imports as import_policy
from ccm.core.policies import (
    Action,
    get_for_action,
    get_for_user,
    is_coordinator,
    organisation_ids,
)
from ccm.core.templatetags.ccm import number
from ccm.needs import exports, imports, notifications, panels, policies, selectors, services
from ccm.needs.forms import (
    AnswerForm,
    BoardFilterForm,
    DonorProfileForm,
    NeedForm,
    ObstacleForm,
    PledgeForm,
    PreferenceForm,
    ResponseForm,
)
from ccm.needs.models import DonorProfile, Need, NotificationPreference, ResponseKind, ResponseNotice
from ccm.reporting.forms import UploadForm as NeedsUploadForm
from ccm.states import selectors as state_selectors
from ccm.states.models import State


def _filters(request: HttpRequest) -> tuple[BoardFilterForm, selectors.BoardFilters]:
    form = BoardFilterForm(request.GET or None, show_matching=selectors.has_donor_profile(request.user))
    if not form.is_valid():
        return form, selectors.BoardFilters()
    data = form.cleaned_data
    return form, selectors.BoardFilters(
        pillar=data["pillar"],
        modality=data["modality"],
        state=data["state"],
        status=data["status"],
        min_age_days=data["min_age_days"],
        unanswered=data["unanswered"],
        matching_me=data.get("matching_me", False),
    )


BOARD_PER_PAGE = 50


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = Paginator(selectors.board(user=request.user, today=today(), filters=filters), BOARD_PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request, "needs/board.html", {"form": form, "rows": page.object_list, "page": page, "query": params.urlencode()}
    )


@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, filters = _filters(request)
    rows = selectors.board(user=request.user, today=today(), filters=filters)
    return exports.needs_response(rows, fmt)


def _editable_state(request: HttpRequest, iso3: str) -> State:
    return state_selectors.state_for_editor(iso3=iso3, user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _editable_state(request, iso3)
    return _need_form(request, state, None)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_for_action(policies.needs, request.user, Action.CHANGE, pk=pk)
    return _need_form(request, need.state, need)


def _need_form(request: HttpRequest, state: State, need: Need | None) -> HttpResponse:
    form = NeedForm(request.POST or None, instance=need, state=state)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.need_save(
                state=state,
                need=need,
                actor=request.user,
                values={k: v for k, v in data.items() if k not in ("obstacles", "chosen_donors")},
                obstacles=list(data["obstacles"]),
                chosen_donors=list(data["chosen_donors"]),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Need saved.") if need else _("Need saved as a draft: publish it when ready."))
            return redirect("needs:detail", pk=saved.pk)
    return render(request, "needs/need_form.html", {"form": form, "state": state, "need": need})


@require_http_methods(["GET"])
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.need_detail(user=request.user, need_id=pk, today=today())
    if row is None:
        raise Http404
    need = row.need
    # a pledge's amount is its flow in the funding ledger (``ledger_flow``, declared by funding)
    thread = (
        policies.responses.visible_to(request.user)
        .filter(need=need)
        .select_related("organisation", "author", "ledger_flow")
    )
    responders = Organisation.objects.filter(pk__in=policies.responding_organisation_ids(request.user, need))
    can_respond = policies.needs.can(request.user, policies.RESPOND, need)
    can_change = policies.needs.can(request.user, Action.CHANGE, need)
    return render(
        request,
        "needs/need_detail.html",
        {
            "row": row,
            "need": need,
            "thread": thread,
            "can_respond": can_respond,
            "can_change": can_change,
            "response_form": ResponseForm(organisations=responders) if can_respond else None,
            "pledge_form": PledgeForm(organisations=responders) if can_respond else None,
            "answer_form": AnswerForm() if can_change and need.published_at and not need.withdrawn_at else None,
            "obstacles": policies.obstacles.visible_to(request.user).filter(needs=need),
            "panels": panels.panels_for(request, need),  # from apps above needs (ccm/needs/panels.py)
        },
    )


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_for_user(policies.needs, request.user, pk=pk)
    responders = Organisation.objects.filter(pk__in=policies.responding_organisation_ids(request.user, need))
    answering = request.POST.get("kind") == ResponseKind.ANSWER
    if answering:
        if not policies.needs.can(request.user, policies.ANSWER, need):
            raise PermissionDenied
        form: Any = AnswerForm(request.POST)
        answering_for = organisation_ids(request.user, policies.needs.roles_for(policies.ANSWER))
        organisation = need.state.organisations.filter(kind="state_government", pk__in=answering_for).first()
    else:
        if not policies.needs.can(request.user, policies.RESPOND, need):
            if need.withdrawn_at:
                messages.error(request, _("This need was withdrawn: it accepts no new responses."))
                return redirect("needs:detail", pk=need.pk)
            raise PermissionDenied
        data = request.POST.copy()
        if not data.get("organisation") and responders.count() == 1:
            data["organisation"] = str(responders.get().pk)  # one organisation: no need to choose
        form = ResponseForm(data, organisations=responders)
        organisation = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.response_create(
                need=need,
                organisation=organisation or data["organisation"],
                kind=ResponseKind.ANSWER if answering else data["kind"],
                actor=request.user,
                message=data.get("message", ""),
                decline_reason=data.get("decline_reason", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your response is in the thread."))
    else:
        messages.error(request, _("The response was not sent: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("needs:detail", pk=need.pk)


@login_required
@require_POST
def need_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    policy_action = {"publish": policies.PUBLISH, "withdraw": policies.WITHDRAW}.get(action, Action.CHANGE)
    need = get_for_action(policies.needs, request.user, policy_action, pk=pk)
    operations: dict[str, Any] = {
        "publish": services.need_publish,
        "withdraw": services.need_withdraw,
        "met": services.need_mark_met,
    }
    try:
        operations[action](need=need, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _published_message(need)
            if action == "publish"
            else {"withdraw": _("Withdrawn."), "met": _("Marked as met.")}[action],
        )
    return redirect("needs:detail", pk=need.pk)


def _published_message(need: Need) -> str:
    """What publishing did, truly: how many donors whose profile matches are told by e-mail, or that none is."""
    donors = len(notifications.donors_to_tell(need))
    if donors == 0:
        return _(
            "Published. No donor's profile matches this need yet, so nobody was told by e-mail; "
            "it is on the needs board for everyone who may see it."
        )
    return ngettext(
        "Published. %(n)s donor whose profile matches this need is told by e-mail.",
        "Published. %(n)s donors whose profiles match this need are told by e-mail.",
        donors,
    ) % {"n": number(donors)}


@login_required
@require_safe
def silence(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise Http404
    data = selectors.silence(user=request.user, today=today())
    states = {s.iso3: s for s in State.objects.filter(iso3__in=data.by_state)}
    return render(request, "needs/silence.html", {"silence": data, "states": states})


@login_required
@require_http_methods(["GET", "POST"])
def obstacle_new(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _editable_state(request, iso3)
    form = ObstacleForm(request.POST or None, state=state)
    if request.method == "POST" and form.is_valid():
        services.obstacle_create(state=state, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Obstacle recorded."))
        return redirect("profiles:profile", iso3=state.iso3)
    return render(request, "needs/obstacle_form.html", {"form": form, "state": state})


@require_safe
def donors(request: HttpRequest) -> HttpResponse:
    profiles = (
        policies.donor_profiles.visible_to(request.user)
        .select_related("organisation", "organisation__state")
        .prefetch_related("priority_states")
    )
    return render(request, "needs/donors.html", {"profiles": profiles})


@require_safe
def donor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = get_for_user(policies.donor_profiles, request.user, organisation__slug=slug)
    return render(
        request,
        "needs/donor_detail.html",
        {
            "profile": profile,
            "can_edit": policies.donor_profiles.can(request.user, Action.CHANGE, profile),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def donor_edit(request: HttpRequest, slug: str) -> HttpResponse:
    # The page belongs to the organisation's workspace: hidden (404) from all but its members and
    # coordinators; among them, whoever may not write the profile gets 403, whether or not it exists yet.
    organisations = account_policies.organisations
    organisation = get_for_user(
        organisations, request.user, organisations.members_visible_to(request.user), slug=slug, is_active=True
    )
    profile = DonorProfile.objects.filter(organisation=organisation).first()
    if not policies.donor_profiles.can(request.user, Action.CHANGE, profile or DonorProfile(organisation=organisation)):
        raise PermissionDenied
    form = DonorProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "priority_states"}
        try:
            services.donor_profile_save(
                organisation=organisation,
                values=values,
                actor=request.user,
                priority_states=list(form.cleaned_data["priority_states"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Donor profile saved."))
            return redirect("needs:donor", slug=slug)
    return render(request, "needs/donor_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = NotificationPreference.objects.filter(user=user).first()
    initial = {
        "matching_needs": current.matching_needs if current else True,
        "weekly_digest": current.weekly_digest if current else True,
        "responses": current.responses if current else ResponseNotice.IMMEDIATE,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.preference_save(
            user=user,
            matching_needs=data["matching_needs"],
            weekly_digest=data["weekly_digest"],
            responses=data["responses"] or None,
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("needs:notifications")
    return render(request, "needs/notifications.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _editable_state(request, iso3)
    form = NeedsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sheet_import = imports.needs_check(state=state, upload=form.cleaned_data["file"], actor=request.user)
        return redirect("needs:import", iso3=state.iso3, pk=sheet_import.pk)
    return render(request, "needs/import_form.html", {"state": state, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, iso3: str, pk: int) -> HttpResponse:
    sheet_import = get_for_user(import_policy, request.user, pk=pk, state__iso3=iso3, kind="needs")
    return import_preview_page(
        request,
        sheet_import,
        state=sheet_import.state,
        done_url=reverse("needs:board"),
        success_message=_(
            "Applied. Needs added (as drafts): %(created)s; updated: %(updated)s; unchanged: %(unchanged)s."
        ),
        retry_url=reverse("needs:import-new", args=[iso3]),
    )
