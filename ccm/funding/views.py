"""Funding overview, a State's funding, a donor's portfolio, recording flows, IATI upload."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ccm.accounts import policies as account_policies
from ccm.accounts.models import Organisation
from ccm.core import cache as aggregate_cache
from ccm.core.clock import today
from ccm.core.import_views import import_preview_page
from ccm.core.imports import imports as import_policy
from ccm.core.policies import Action, get_for_action, get_for_user, is_coordinator, shared_audience
from ccm.core.spreadsheets import csv_text, xlsx_from_rows
from ccm.core.task_models import Job, JobStatus
from ccm.core.uploads import validate_upload
from ccm.funding import iati_import, imports, policies, selectors, services, tasks
from ccm.funding.forms import CoverageFilterForm, FlowForm, FollowForm, IatiUploadForm
from ccm.funding.models import Stage
from ccm.funding.rates import freshness, rate_table
from ccm.needs import policies as need_policies
from ccm.needs.forms import PledgeForm
from ccm.needs.models import Pillar
from ccm.reporting.charts import bar_svg
from ccm.reporting.forms import UploadForm as FlowsUploadForm
from ccm.states import selectors as state_selectors
from ccm.states.models import State
from ccm.states.names import localized_name


def _filters(request: HttpRequest) -> tuple[CoverageFilterForm, int | None, str]:
    form = CoverageFilterForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["pillar"]
    return form, None, ""


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    form, year, pillar = _filters(request)

    def build() -> dict[str, Any]:
        cells, unconverted = selectors.coverage_cells(user=request.user, table=rate_table(), year=year, pillar=pillar)
        totals = selectors.by_state(cells)
        names = {  # in the reader's language (the value is kept per language)
            iso3: localized_name(iso2, name)
            for iso3, iso2, name in State.objects.filter(iso3__in=[t.iso3 for t in totals]).values_list(
                "iso3", "iso2", "name"
            )
        }
        chart = bar_svg(
            _("Coverage of the requirement by State"),
            _("Funded (committed or disbursed) as a share of the requirement; lowest first."),
            [(names.get(t.iso3, t.iso3), t.coverage) for t in totals if t.coverage is not None],
        )
        return {"totals": totals, "names": names, "chart": str(chart), "unconverted": unconverted}

    # The totals, names and chart for this audience, filters and language, kept with the coverage cells they
    # come from (summing thousands of cells took most of the page's time).
    shown = aggregate_cache.cached(
        "funding-overview",
        topics=selectors.COVERAGE_TOPICS,
        parts=(shared_audience(request.user), year, pillar),
        build=build,
    )
    return render(
        request,
        "funding/overview.html",
        {"form": form, **shown, "chart": mark_safe(shown["chart"]), "query": request.GET.urlencode()},  # noqa: S308
    )


@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, year, pillar = _filters(request)
    cells, _unconverted = selectors.coverage_cells(user=request.user, table=rate_table(), year=year, pillar=pillar)
    header = [
        "state",
        "pillar",
        "year",
        "required_usd",
        "pledged_usd",
        "committed_usd",
        "disbursed_usd",
        "funded_usd",
        "coverage",
        "donors",
        "hhi",
        "top_donor_share",
    ]
    rows = [
        [
            c.state,
            c.pillar,
            c.year,
            c.required,
            c.pledged,
            c.committed,
            c.disbursed,
            c.funded,
            round(c.coverage, 4) if c.coverage is not None else None,
            c.donors,
            round(c.hhi, 4) if c.hhi is not None else None,
            round(c.top_donor_share, 4) if c.top_donor_share is not None else None,
        ]
        for c in cells
    ]
    if fmt == "csv":
        response = HttpResponse(csv_text([header, *rows]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_from_rows("Coverage", [header, *rows]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="coverage.{fmt}"'
    return response


@require_safe
def state_funding(request: HttpRequest, iso3: str) -> HttpResponse:
    state = state_selectors.state_get(iso3=iso3)
    if state is None:
        raise Http404
    cells, unconverted = selectors.coverage_cells(user=request.user, table=rate_table(), state_iso3=iso3)
    flow_rows = _with_follow_links(
        request, selectors.flows(user=request.user, filters=selectors.FlowFilters(recipient=iso3))[:200]
    )
    chains = selectors.pledge_chains(user=request.user, state_iso3=iso3)
    totals = selectors.by_state(cells)
    return render(
        request,
        "funding/state.html",
        {
            "state": state,
            "cells": cells,
            "total": totals[0] if totals else None,
            "pillars": {k: str(v) for k, v in Pillar.choices},
            "flows": flow_rows,
            "unconverted": unconverted,
            "chains": chains,
            "chains_caption": _("Pledges and what followed them"),
            "followable": _followable(request, [c.pledge for c in chains]),
        },
    )


def _followable(request: HttpRequest, flows: list[Any]) -> set[int]:
    """Of ``flows``, those the user may record the next step of (their funder's editors and managers)."""
    ids = [f.pk for f in flows if f.stage != Stage.DISBURSEMENT and f.funder_id and f.recipient_state_id]
    if not ids or not request.user.is_authenticated:
        return set()
    return set(
        policies.flows.visible_to(request.user, action=Action.CHANGE).filter(pk__in=ids).values_list("pk", flat=True)
    )


def _with_follow_links(request: HttpRequest, flows: Any) -> list[Any]:
    rows = list(flows)
    followable = _followable(request, rows)
    for flow in rows:
        flow.can_follow = flow.pk in followable
    return rows


@require_safe
def donor_portfolio(request: HttpRequest, ref: str) -> HttpResponse:
    flow_rows = _with_follow_links(
        request, selectors.flows(user=request.user, filters=selectors.FlowFilters(funder=ref))[:500]
    )
    organisation = Organisation.objects.filter(slug=ref).first()
    if not flow_rows and organisation is None:
        raise Http404
    chains = selectors.pledge_chains(user=request.user, funder=ref)
    by_state: dict[str, dict[str, Any]] = {}
    for flow in flow_rows:
        key = flow.recipient_state.name if flow.recipient_state else (flow.recipient_label or "—")
        entry = by_state.setdefault(key, {"pledge": 0, "commitment": 0, "disbursement": 0})
        entry[flow.stage] += flow.usd_amount or 0
    name = organisation.name if organisation else (flow_rows[0].funder_name or ref)
    return render(
        request,
        "funding/donor.html",
        {
            "name": name,
            "ref": ref,
            "flows": flow_rows,
            "by_state": sorted(by_state.items()),
            "chains": chains,
            "chains_caption": _("Pledges and what followed them"),
            "followable": _followable(request, [c.pledge for c in chains]),
        },
    )


@require_http_methods(["GET", "POST"])
def need_funding(request: HttpRequest, pk: int) -> HttpResponse:
    """A need's money: its pledges and what followed them; donors pledge here (the need's page posts its
    pledge form here), once, as a pledge flow in the ledger."""
    need = get_for_user(need_policies.needs, request.user, pk=pk)
    can_pledge = need_policies.needs.can(request.user, need_policies.RESPOND, need)
    responders = Organisation.objects.filter(pk__in=need_policies.responding_organisation_ids(request.user, need))
    form = PledgeForm(request.POST or None, organisations=responders) if can_pledge else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is None:
            if need.withdrawn_at:
                messages.error(request, _("This need was withdrawn: it accepts no new responses."))
                return redirect("needs:detail", pk=need.pk)
            raise PermissionDenied
        if not request.POST.get("organisation") and responders.count() == 1:
            data = request.POST.copy()
            data["organisation"] = str(responders.get().pk)  # one organisation: no need to choose
            form = PledgeForm(data, organisations=responders)
        if form.is_valid():
            try:
                services.pledge_create(
                    need=need,
                    funder=form.cleaned_data["organisation"],
                    amount=form.cleaned_data["amount"],
                    message=form.cleaned_data["message"],
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Your pledge is recorded in the funding ledger and shown in the thread."))
                return redirect("needs:detail", pk=need.pk)
    chains = selectors.pledge_chains(user=request.user, need_id=need.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "funding/need.html",
        {
            "need": need,
            "form": form,
            "chains": chains,
            "chains_caption": _("Pledges on this need and what followed them"),
            "followable": _followable(request, [c.pledge for c in chains]),
            "pledged": sum((c.pledge.amount for c in chains), Decimal(0)),
            "committed": sum((c.committed for c in chains), Decimal(0)),
            "disbursed": sum((c.disbursed for c in chains), Decimal(0)),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def flow_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the next step against a flow: a commitment against a pledge, a disbursement against a
    commitment (the funder's editors and managers)."""
    flow = get_for_action(policies.flows, request.user, Action.CHANGE, pk=pk)
    if flow.stage == Stage.DISBURSEMENT or flow.funder_id is None or flow.recipient_state_id is None:
        raise Http404
    next_stage = Stage.COMMITMENT if flow.stage == Stage.PLEDGE else Stage.DISBURSEMENT
    form = FollowForm(request.POST or None, initial={"currency": flow.currency, "visibility": flow.visibility})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.flow_follow_create(follows=flow, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Recorded against the %(stage)s.") % {"stage": flow.get_stage_display().lower()}
                if created.usd_amount is not None
                else _("Recorded, but without a US-dollar amount: %(p)s") % {"p": created.rate_problem},
            )
            return redirect("funding:donor", ref=flow.funder_ref)
    need_visible = (
        flow.need_id is not None and need_policies.needs.visible_to(request.user).filter(pk=flow.need_id).exists()
    )
    return render(
        request,
        "funding/flow_follow.html",
        {"flow": flow, "form": form, "next_stage": Stage(next_stage).label, "need_visible": need_visible},
    )


@login_required
@require_http_methods(["GET", "POST"])
def flow_new(request: HttpRequest) -> HttpResponse:
    funders = Organisation.objects.filter(pk__in=_recording_for(request))
    needs = need_policies.needs.visible_to(request.user).filter(published_at__isnull=False, withdrawn_at__isnull=True)
    initial = {}
    state = state_selectors.state_get(iso3=request.GET.get("state", "")[:3]) if request.GET.get("state") else None
    if state is not None:
        initial["recipient_state"] = state
    form = FlowForm(request.POST or None, funders=funders, needs=needs.select_related("state"), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            flow = services.flow_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if flow.usd_amount is None:
                text = _("Recorded, but without a US-dollar amount: %(p)s") % {"p": flow.rate_problem}
            elif flow.rate_provisional:
                text = _(
                    "Recorded. The US-dollar amount is provisional: it uses the rate of %(d)s, the latest on file, "
                    "and is converted again when newer rates arrive."
                ) % {"d": flow.rate_date}
            else:
                text = _("Recorded.")
            messages.success(request, text)
            return redirect("funding:donor", ref=flow.funder_ref)
    return render(request, "funding/flow_form.html", {"form": form})


@require_safe
def rates_page(request: HttpRequest) -> HttpResponse:
    """Per currency: how recent the exchange rates on file are and where they come from."""
    day = today()
    rows = freshness(rate_table(), today=day)
    return render(request, "funding/rates.html", {"rows": rows, "today": day, "stale_after": STALE_AFTER_DAYS})


STALE_AFTER_DAYS = 7  # a last daily rate older than this is flagged on the rates page


@login_required
@require_http_methods(["GET", "POST"])
def iati_upload(request: HttpRequest) -> HttpResponse:
    """Upload an IATI file: it is stored and imported by a background task; the job's page follows it."""
    if not is_coordinator(request.user):
        raise Http404
    form = IatiUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            clean = validate_upload(form.cleaned_data["file"], allowed={"xml"}, max_bytes=500 * 1024 * 1024)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            job = tasks.enqueue_iati_upload(upload=clean, dry_run=form.cleaned_data["dry_run"], actor=request.user)
            return redirect("funding:iati-job", pk=job.pk)
    recent = Job.objects.filter(name=tasks.IATI_IMPORT)[:10]
    return render(request, "funding/iati_upload.html", {"form": form, "recent": recent})


@login_required
@require_safe
def iati_job(request: HttpRequest, pk: int) -> HttpResponse:
    """An IATI upload's progress, then its report (the page reloads itself until the job is finished)."""
    if not is_coordinator(request.user):
        raise Http404
    job = Job.objects.filter(pk=pk, name=tasks.IATI_IMPORT).first()
    if job is None:
        raise Http404
    report = job.report if job.status == JobStatus.DONE and isinstance(job.report, dict) else None
    response = render(
        request,
        "funding/iati_job.html",
        {"job": job, "report": report, "tables": iati_import.report_tables(report) if report else None},
    )
    if not job.is_finished:
        response["Refresh"] = "3"  # no JavaScript needed: the browser asks again
    return response


@login_required
@require_safe
def iati_report_json(request: HttpRequest, pk: int) -> HttpResponse:
    """An IATI import's full report as a JSON download (every skip, warning and total)."""
    if not is_coordinator(request.user):
        raise Http404
    job = Job.objects.filter(pk=pk, name=tasks.IATI_IMPORT, status=JobStatus.DONE).first()
    if job is None or not isinstance(job.report, dict):
        raise Http404
    response = HttpResponse(
        json.dumps(job.report, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="iati-import-{job.pk}.json"'
    return response


def _recording_for(request: HttpRequest) -> list[int]:
    """The organisations the user records flows for; when none, 403 if they see inside some
    organisation (its read-only members, coordinators), 404 otherwise."""
    funder_ids = policies.can_record_flows(request.user)
    if not funder_ids:
        if account_policies.organisations.members_visible_to(request.user).exists():
            raise PermissionDenied
        raise Http404
    return funder_ids


def _funders(request: HttpRequest) -> dict[str, Organisation]:
    return {o.slug: o for o in Organisation.objects.filter(pk__in=policies.can_record_flows(request.user))}


@login_required
@require_http_methods(["GET", "POST"])
def flows_import_new(request: HttpRequest) -> HttpResponse:
    _recording_for(request)
    funders = _funders(request)
    form = FlowsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sheet_import = imports.flows_check(
            organisation=next(iter(funders.values())), upload=form.cleaned_data["file"], actor=request.user
        )
        return redirect("funding:flows-import", pk=sheet_import.pk)
    return render(request, "funding/flows_import.html", {"form": form, "funders": funders})


@login_required
@require_http_methods(["GET", "POST"])
def flows_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    sheet_import = get_for_user(import_policy, request.user, pk=pk, kind="flows")
    return import_preview_page(
        request,
        sheet_import,
        state=None,
        done_url=reverse("funding:overview"),
        success_message=_("Applied. Flows recorded: %(created)s; already on record: %(unchanged)s."),
        retry_url=reverse("funding:flows-import-new"),
    )
