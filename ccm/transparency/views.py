"""Pages of Article 7 reporting status.

The board, the overdue list, the yearly rates and each State's reports are public (the UN publishes
them). Coordinators, and a State's own managers for their State, record a report's status (403 for
anyone else signed in: the report is public, only the writing is not theirs); coordinators import a
file (404 for anyone else: the import is theirs alone).
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.core.clock import today
from ccm.core.import_views import import_preview_page
from ccm.core.policies import Action, get_for_action, get_for_user, is_coordinator
from ccm.core.spreadsheets import csv_cell
from ccm.transparency import imports, policies, selectors, services
from ccm.transparency.forms import BoardFilterForm, ImportForm, RecordForm
from ccm.transparency.models import ReportKind

PER_PAGE = 50


def _filters(form: BoardFilterForm) -> selectors.Filters:
    if not form.is_valid():
        return selectors.Filters()
    data = form.cleaned_data
    return selectors.Filters(status=data["status"], region=data["region"], year=data["year"])


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    day = today()
    form = BoardFilterForm(request.GET or None)
    filters = _filters(form)
    # Read only when the page part that shows them is not in the shared cache already (lazy).
    lines: Any = SimpleLazyObject(lambda: selectors.report_lines(user=request.user, today=day, filters=filters))
    whole = filters == selectors.Filters(region=filters.region)  # the lines are those the rates count
    return render(
        request,
        "transparency/board.html",
        {
            "form": form,
            "page": SimpleLazyObject(lambda: Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))),
            "rates": SimpleLazyObject(
                lambda: selectors.rates(
                    user=request.user, today=day, region=filters.region, lines=list(lines) if whole else None
                )
            ),
            "region_filtered": bool(filters.region),
            "query": _query_without_page(request),
            "today": day,
            "may_import": is_coordinator(request.user),
        },
    )


@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    day = today()
    lines = selectors.overdue_lines(user=request.user, today=day)
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "transparency/overdue.html", {"page": page, "total": len(lines), "today": day})


def _state(iso3: str) -> Any:
    state = selectors.state_for_reports(iso3)
    if state is None:
        raise Http404(_("This State owes no Article 7 report."))
    return state


@require_safe
def state_reports(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _state(iso3)
    day = today()
    return render(
        request,
        "transparency/state.html",
        {
            "state": state,
            "lines": selectors.state_lines(user=request.user, state=state, today=day),
            "may_record": policies.may_record(request.user, state),
            "today": day,
        },
    )


def _initial(request: HttpRequest, state: Any) -> dict[str, Any]:
    kind = request.GET.get("kind", "")
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isascii() and year_text.isdigit() and len(year_text) == 4 else None
    if kind not in ReportKind.values:
        return {}
    record = selectors.record_for(state=state, kind=kind, year=year if kind == ReportKind.ANNUAL else None)
    initial: dict[str, Any] = {"kind": kind, "year": year}
    if record is not None:
        initial.update(
            status=record.status,
            submitted_on=record.submitted_on,
            checked_on=record.checked_on,
            source=record.source,
            source_url=record.source_url,
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _state(iso3)
    if not policies.may_record(request.user, state):
        raise PermissionDenied
    form = RecordForm(request.POST or None, initial=_initial(request, state))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.report_record(
                state=state,
                kind=data["kind"],
                year=data["year"],
                status=data["status"],
                submitted_on=data["submitted_on"],
                checked_on=data["checked_on"],
                source=data["source"],
                source_url=data["source_url"],
                actor=request.user,
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            if done.changed:
                messages.success(request, _("Recorded: %(r)s.") % {"r": done.report})
            else:
                messages.info(request, _("Nothing changed: this is what was on record."))
            return redirect("transparency:state", iso3=state.iso3)
    return render(
        request,
        "transparency/record.html",
        {"state": state, "form": form, "self_reported": not policies.records_for_others(request.user)},
    )


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_action(policies.reports, request.user, Action.DELETE, pk=pk)
    iso3 = report.state.iso3
    services.report_delete(report=report, actor=request.user)
    messages.success(request, _("The record was removed: the report is unknown again."))
    return redirect("transparency:state", iso3=iso3)


def _coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sheet_import = imports.reports_check(upload=form.cleaned_data["file"], actor=request.user)
        return redirect("transparency:import", pk=sheet_import.pk)
    return render(request, "transparency/import_form.html", {"form": form, "columns": imports.COLUMNS})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    sheet_import = get_for_user(policies.report_imports, request.user, pk=pk)
    return import_preview_page(
        request,
        sheet_import,
        state=None,
        done_url=reverse("transparency:board"),
        success_message=_("Applied: %(created)s reports recorded, %(updated)s changed, %(unchanged)s unchanged."),
        retry_url=reverse("transparency:import-new"),
        key_heading=_("State and report"),
    )


@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    """The CSV file to fill in: the headings and two example rows."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    for row in imports.TEMPLATE_ROWS:
        writer.writerow([csv_cell(value) for value in row])
    response["Content-Disposition"] = 'attachment; filename="article7-reporting-status.csv"'
    return response
