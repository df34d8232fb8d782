"""Country profile, progress reports, baselines, completion plans, spreadsheets and the Country Brief."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.core.clock import today
from ccm.core.import_views import import_preview_page
from ccm.core.imports import imports as import_policy
from ccm.core.policies import Action, get_for_action, get_for_user
from ccm.reporting import policies, selectors, services
from ccm.reporting.forms import BaselineForm, PlanForm, PlanYearFormSet, ProgressForm, UploadForm
from ccm.reporting.models import PROGRESS_FIGURES, ReportStatus
from ccm.reporting.spreadsheets import build_template
from ccm.states import selectors as state_selectors
from ccm.states.models import Obligation, State


def _state(iso3: str) -> State:
    state = state_selectors.state_get(iso3=iso3)
    if state is None:
        raise Http404
    return state


def _editable_state(request: HttpRequest, iso3: str) -> State:
    return state_selectors.state_for_editor(iso3=iso3, user=request.user)


def _obligation(state: State, kind: str) -> Obligation:
    obligation = state.obligations.filter(kind=kind).first()
    if obligation is None:
        raise Http404
    return obligation


@require_safe
def progress_detail(request: HttpRequest, iso3: str, year: int) -> HttpResponse:
    state = _state(iso3)
    stored = get_for_user(policies.progress_reports, request.user, state=state, year=year)
    # A year never published is shown as the draft it is to those the policy lets see it (the State's
    # own government, coordinators); a published year, as ``year_shown`` decides.
    report = selectors.year_shown(stored, user=request.user) or stored
    return render(
        request,
        "reporting/progress_detail.html",
        {
            "state": state,
            "report": report,
            "versions": selectors.version_history(stored, user=request.user),
            "fields": [
                (f, getattr(report._meta.get_field(f), "verbose_name", f), getattr(report, f)) for f in PROGRESS_FIGURES
            ],
            "can_edit": policies.progress_reports.can(request.user, Action.CHANGE, stored),
            "can_publish": policies.progress_reports.can(request.user, policies.PUBLISH, stored),
            "signed_in": request.user.is_authenticated,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_edit(request: HttpRequest, iso3: str, year: int | None = None) -> HttpResponse:
    state = _editable_state(request, iso3)
    report = (
        get_for_action(policies.progress_reports, request.user, Action.CHANGE, state=state, year=year) if year else None
    )
    form = ProgressForm(request.POST or None, instance=report, fixed_year=year)
    if request.method == "POST" and form.is_valid():
        target_year = year or form.cleaned_data["year"]
        figures = {name: form.cleaned_data.get(name) for name in PROGRESS_FIGURES}
        try:
            result = services.progress_save(state=state, year=target_year, figures=figures, actor=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if result.report.needs_review:
                messages.warning(request, result.report.review_reason)
            elif result.changed or result.created:
                messages.success(request, _("Figures for %(y)s saved.") % {"y": target_year})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("reporting:progress", iso3=state.iso3, year=target_year)
    return render(request, "reporting/progress_form.html", {"state": state, "form": form, "year": year})


@login_required
@require_POST
def progress_status(request: HttpRequest, iso3: str, year: int) -> HttpResponse:
    state = _state(iso3)
    status = request.POST.get("status", "")
    action = policies.PUBLISH if status == ReportStatus.PUBLISHED else policies.SUBMIT
    report = get_for_action(policies.progress_reports, request.user, action, state=state, year=year)
    try:
        services.progress_set_status(report=report, status=status, actor=request.user)
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("The %(y)s report is now %(s)s.") % {"y": year, "s": ReportStatus(status).label.lower()}
        )
    return redirect("reporting:progress", iso3=state.iso3, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def baseline_add(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _editable_state(request, iso3)
    obligations = [(o.kind, o.get_kind_display()) for o in state.obligations.filter(completed=False)]
    form = BaselineForm(request.POST or None, obligations=obligations)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "obligation"}
        try:
            services.baseline_add(
                obligation=_obligation(state, form.cleaned_data["obligation"]), actor=request.user, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Figure recorded."))
            return redirect("profiles:profile", iso3=state.iso3)
    return render(request, "reporting/baseline_form.html", {"state": state, "form": form})


@require_safe
def plan_detail(request: HttpRequest, iso3: str, kind: str) -> HttpResponse:
    state = _state(iso3)
    obligation = _obligation(state, kind)
    plans = selectors.plans_for(obligation=obligation, user=request.user)
    return render(
        request,
        "reporting/plan_detail.html",
        {
            "state": state,
            "obligation": obligation,
            "plans": plans,
            "in_force": selectors.plan_in_force(plans),
            "can_edit": policies.can_edit_state(request.user, state.pk),
            "can_approve": policies.can_manage_state(request.user, state.pk),
            "signed_in": request.user.is_authenticated,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, iso3: str, kind: str) -> HttpResponse:
    state = _editable_state(request, iso3)
    obligation = _obligation(state, kind)
    latest = obligation.plans.order_by("-version").first()
    initial_years = [
        {
            "year": y.year,
            "target_output": y.target_output,
            "cost": y.cost,
            "national_funding": y.national_funding,
            "international_funding": y.international_funding,
        }
        for y in (latest.years.all() if latest else [])
    ] or [{"year": today().year + 1}]
    form = PlanForm(
        request.POST or None,
        initial={"currency": latest.currency, "visibility": latest.visibility, "note": latest.note} if latest else None,
    )
    adding = request.method == "POST" and "add_year" in request.POST
    if adding:
        formset = PlanYearFormSet(initial=_rows_and_one_more_year(request.POST, prefix="years"), prefix="years")
    else:
        formset = PlanYearFormSet(request.POST or None, initial=initial_years, prefix="years")
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        years = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            plan, created = services.plan_save(
                obligation=obligation,
                years=years,
                currency=form.cleaned_data["currency"],
                visibility=form.cleaned_data["visibility"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("Version %(v)s of the plan saved as a draft.") % {"v": plan.version})
            else:
                messages.info(
                    request, _("The plan is the same as version %(v)s: nothing changed.") % {"v": plan.version}
                )
            return redirect("reporting:plan", iso3=state.iso3, kind=kind)
    return render(
        request,
        "reporting/plan_form.html",
        {"state": state, "obligation": obligation, "form": form, "formset": formset},
    )


def _rows_and_one_more_year(post: Any, *, prefix: str) -> list[dict[str, Any]]:
    """The plan's rows as typed (those ticked "Remove" dropped) and one more row, its year the one after
    the last: "Add a year" works without JavaScript and saves nothing until the form is saved."""
    fields = ("year", "target_output", "cost", "national_funding", "international_funding")
    try:
        total = min(int(post.get(f"{prefix}-TOTAL_FORMS", "0")), PlanYearFormSet.max_num)
    except ValueError:
        total = 0
    rows = [
        {name: post.get(f"{prefix}-{index}-{name}", "") for name in fields}
        for index in range(max(total, 0))
        if not post.get(f"{prefix}-{index}-DELETE")
    ]
    years = [int(r["year"]) for r in rows if str(r["year"]).strip().isdigit() and len(str(r["year"]).strip()) == 4]
    if len(rows) < PlanYearFormSet.max_num:
        rows.append({"year": max(years) + 1 if years and max(years) < 2100 else today().year + 1})
    return rows


@login_required
@require_POST
def plan_approve(request: HttpRequest, iso3: str, pk: int) -> HttpResponse:
    state = _state(iso3)
    plan = get_for_action(policies.plans, request.user, policies.APPROVE, pk=pk, obligation__state=state)
    try:
        services.plan_approve(plan=plan, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Version %(v)s is now the plan in force.") % {"v": plan.version})
    return redirect("reporting:plan", iso3=state.iso3, kind=plan.obligation.kind)


@login_required
@require_safe
def spreadsheet_template(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _editable_state(request, iso3)
    reports = list(selectors.reports_for(state=state, user=request.user))
    plans: dict[str, Any] = {}
    for obligation in state.obligations.all():
        latest = next(iter(selectors.plans_for(obligation=obligation, user=request.user)), None)
        if latest is not None:
            plans[obligation.kind] = latest
    content = build_template(state=state, reports=reports, plans=plans)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{state.iso3}-progress-and-plan.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet_upload(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _editable_state(request, iso3)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sheet_import = services.spreadsheet_check(state=state, upload=form.cleaned_data["file"], actor=request.user)
        return redirect("reporting:import", iso3=state.iso3, pk=sheet_import.pk)
    return render(request, "reporting/upload.html", {"state": state, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet_preview(request: HttpRequest, iso3: str, pk: int) -> HttpResponse:
    state = _state(iso3)
    sheet_import = get_for_user(import_policy, request.user, pk=pk, state=state, kind="progress")
    return import_preview_page(
        request,
        sheet_import,
        state=state,
        done_url=reverse("profiles:profile", args=[state.iso3]),
        success_message=_(
            "Applied: %(created)s years added, %(updated)s updated, %(unchanged)s unchanged, "
            "%(plan_versions)s new plan versions."
        ),
    )
