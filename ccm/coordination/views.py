"""Coordination pages: the dashboard with the map, the attention gap and its weights, forecasts, allocation
runs (list, new, detail, share, line → pledge), matching for a need and for a donor.

Coordinators (and administrators) see every page; a shared run is also seen by its donors' members, whose
editors and managers turn their own lines into pledges. No access → 404; visible but not allowed → 403."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.accounts.models import Organisation
from ccm.coordination import maps, policies, selectors, services
from ccm.coordination.forms import AllocationForm, MapForm, PledgeLineForm, WeightsForm
from ccm.coordination.labels import component_label
from ccm.core.clock import today
from ccm.core.policies import get_for_user
from ccm.needs.policies import needs as need_policy

DASHBOARD_UNANSWERED = 10
DASHBOARD_RUNS = 5


# What the dashboard's and the attention page's parts are computed from (the runs and weights are
# coordination's): they are kept for coordinators until a write to one of these.
PAGE_TOPICS = selectors.DASHBOARD_TOPICS


def _coordinator(request: HttpRequest) -> None:
    if not policies.may_coordinate(request.user):
        raise Http404


def _errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def component_rows(dashboard: selectors.Dashboard) -> list[dict[str, Any]]:
    """The attention ranking for the table: each State with its components in the method's order."""
    from ccm.analytics import attention as att

    rows = []
    for line in dashboard.states:
        score = line.score
        by_name = {c.name: c for c in score.components} if score else {}
        weighted = sorted(
            (
                (dashboard.weights.get(c.name, 0.0) * c.normalised, c.name)
                for c in (score.components if score else ())
                if c.normalised is not None and dashboard.weights.get(c.name, 0.0) > 0
            ),
            reverse=True,
        )
        rows.append(
            {
                "line": line,
                "components": [by_name.get(name) for name in att.COMPONENTS],
                "missing": [component_label(m) for m in (score.missing if score else ())],
                # the two components that weigh most in this State's score, in words
                "reasons": [component_label(name) for part, name in weighted[:2] if part > 0],
            }
        )
    return rows


def _weights_from_query(request: HttpRequest) -> tuple[WeightsForm, dict[str, float] | None]:
    """Weights given in the query string (a preview), or the weights in use."""
    from ccm.analytics import attention as att

    if any(name in request.GET for name in att.COMPONENTS):
        form = WeightsForm(request.GET)
        if form.is_valid():
            try:
                return form, services.check_weights(form.weights())
            except ValidationError as error:
                _errors(form, error)
        return form, None
    return WeightsForm(initial=selectors.current_weights()), None


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    day = today()
    map_form = MapForm(request.GET or None)
    shade = map_form.cleaned_data.get("shade") if map_form.is_valid() else ""
    shade = shade or "attention"
    # Everything below is read only when the page part is not in the shared cache (coordinators share it
    # until a write to what it is computed from): the template calls each of these once.
    data = functools.cache(lambda: selectors.dashboard(user=request.user, today=day))
    return render(
        request,
        "coordination/dashboard.html",
        {
            "data": data,
            "at_risk": functools.cache(lambda: [r for r in data().forecasts.rows if r.at_risk or r.thin]),
            "components": functools.cache(lambda: component_rows(data())),
            "component_names": [component_label(n) for n in _component_names()],
            "map": functools.cache(lambda: maps.dashboard_map(data(), shade=shade)),
            "shade": shade,
            "map_form": map_form,
            "unanswered": functools.cache(lambda: data().unanswered[:DASHBOARD_UNANSWERED]),
            "unanswered_count": functools.cache(lambda: len(data().unanswered)),
            "runs": functools.cache(lambda: list(selectors.run_rows(user=request.user)[:DASHBOARD_RUNS])),
            "today": day,
            "topics": ",".join(PAGE_TOPICS),
        },
    )


def _component_names() -> tuple[str, ...]:
    from ccm.analytics import attention as att

    return tuple(att.COMPONENTS)


@login_required
@require_http_methods(["GET", "POST"])
def attention(request: HttpRequest) -> HttpResponse:
    """The attention gap with the weights form: GET previews weights from the query, POST saves them."""
    _coordinator(request)
    status = 200
    preview = None
    if request.method == "POST":
        form = WeightsForm(request.POST)
        if form.is_valid():
            try:
                services.weights_save(weights=form.weights(), note=form.cleaned_data["note"], actor=request.user)
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("The new weights are saved and in use."))
                return redirect("coordination:attention")
        status = 400
    else:
        form, preview = _weights_from_query(request)
        if form.is_bound and not form.is_valid():
            status = 400
    data = functools.cache(lambda: selectors.dashboard(user=request.user, today=today(), weights=preview))
    return render(
        request,
        "coordination/attention.html",
        {
            "data": data,
            "form": form,
            "preview": preview is not None,
            "preview_weights": sorted((preview or {}).items()),
            "components": functools.cache(lambda: component_rows(data())),
            "component_names": [component_label(n) for n in _component_names()],
            "history": functools.cache(selectors.weights_history),
            "topics": ",".join(PAGE_TOPICS),
        },
        status=status,
    )


@login_required
@require_safe
def forecasts(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    view = selectors.forecasts(user=request.user, today=today())
    latest = policies.forecast_runs.visible_to(request.user).select_related("created_by").first()
    return render(request, "coordination/forecasts.html", {"view": view, "latest": latest})


@login_required
@require_safe
def forecast_detail(request: HttpRequest, key: str) -> HttpResponse:
    _coordinator(request)
    detail = selectors.forecast_detail(user=request.user, today=today(), key=key)
    if detail is None:
        raise Http404
    return render(request, "coordination/forecast.html", {"d": detail, "row": detail.row, "given": detail.given})


@login_required
@require_POST
def forecast_run(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    run = services.forecast_request(actor=request.user)
    messages.success(
        request, _("The forecast is queued (run #%(n)s); the figures below follow once it is done.") % {"n": run.pk}
    )
    return redirect("coordination:forecasts")


@login_required
@require_safe
def allocations(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    return render(
        request,
        "coordination/allocations.html",
        {"runs": list(selectors.run_rows(user=request.user)[:200]), "form": AllocationForm()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_new(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    if request.method == "POST":
        form = AllocationForm(request.POST)
        if form.is_valid():
            try:
                run = services.allocation_create(
                    title=form.cleaned_data["title"], percent=form.cleaned_data["percent"], actor=request.user
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("The allocation run is saved."))
                return redirect("coordination:allocation", run.pk)
        return render(request, "coordination/allocation_new.html", {"form": form}, status=400)
    initial = {"title": _("Allocation of %(day)s") % {"day": today().isoformat()}, "percent": 100}
    return render(request, "coordination/allocation_new.html", {"form": AllocationForm(initial=initial)})


@login_required
@require_safe
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_for_user(policies.runs, request.user, pk=pk)
    view = selectors.run_view(user=request.user, run=run)
    pledgeable = {line.pk for line in view.lines if policies.lines.can(request.user, policies.PLEDGE, line)}
    return render(
        request,
        "coordination/allocation.html",
        {
            "view": view,
            "pledgeable": pledgeable,
            "pledge_form": PledgeLineForm(),
            "may_share": policies.runs.can(request.user, policies.SHARE, run) and not run.shared,
        },
    )


@login_required
@require_POST
def allocation_share(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_for_user(policies.runs, request.user, pk=pk)
    if not policies.runs.can(request.user, policies.SHARE, run):
        raise PermissionDenied
    try:
        services.allocation_share(run=run, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The run is shared: each donor in it sees its own lines."))
    return redirect("coordination:allocation", run.pk)


@login_required
@require_POST
def line_pledge(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    run = get_for_user(policies.runs, request.user, pk=pk)
    row = get_for_user(policies.lines, request.user, run=run, pk=line)
    if not policies.lines.can(request.user, policies.PLEDGE, row):
        raise PermissionDenied
    form = PledgeLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message could not be read."))
        return redirect("coordination:allocation", run.pk)
    try:
        services.line_pledge(line=row, actor=request.user, message=form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pledged: the pledge is in the funding ledger and on the need's page."))
    return redirect("coordination:allocation", run.pk)


@login_required
@require_safe
def need_donors(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator(request)
    need = get_for_user(need_policy, request.user, pk=pk)
    info, rows = selectors.need_matches(user=request.user, need=need, today=today())
    return render(request, "coordination/need_donors.html", {"need": need, "info": info, "rows": rows})


@login_required
@require_safe
def donor_needs(request: HttpRequest, org: str) -> HttpResponse:
    _coordinator(request)
    organisation = Organisation.objects.filter(slug=org).first()
    if organisation is None:
        raise Http404
    donor, rows = selectors.donor_matches(user=request.user, organisation=organisation, today=today())
    if donor is None:
        raise Http404
    return render(
        request,
        "coordination/donor_needs.html",
        {"organisation": organisation, "donor": donor, "rows": rows, "profile_url": reverse("needs:donors")},
    )
