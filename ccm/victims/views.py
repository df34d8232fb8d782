"""Victim assistance pages: the list of States, a State's page, the forms and the export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.core.spreadsheets import csv_text, xlsx_from_rows
from ccm.states import selectors as state_selectors
from ccm.states.models import State
from ccm.victims import policies, selectors, services
from ccm.victims.forms import ListFilterForm, ProfileForm, YearForm
from ccm.victims.models import VictimAssistanceProfile, VictimAssistanceYear
from ccm.victims.rules import FIRST_YEAR

PER_PAGE = 25


def _state(iso3: str) -> State:
    state = state_selectors.state_get(iso3=iso3)
    if state is None:
        raise Http404
    return state


@require_safe
def state_list(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.pop("page", None)
    form = ListFilterForm(params or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    states = selectors.states_with_victim_assistance(
        has_victims=filters.get("has_victims") or "",
        region=filters.get("region") or "",
        q=filters.get("q") or "",
        sort=filters.get("sort") or "name",
    )
    # Read when the table is shown: a table kept as a shared page part (the public, coordinators; a member's
    # own) reads neither the States nor their figures (the protection of small numbers solves a programme).
    page: Any = SimpleLazyObject(lambda: Paginator(states, PER_PAGE).get_page(request.GET.get("page")))
    rows = SimpleLazyObject(lambda: selectors.state_rows(request.user, list(page.object_list)))
    return render(
        request,
        "victims/list.html",
        {"form": form, "rows": rows, "page": page, "query": params.urlencode()},
    )


@require_safe
def state_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _state(iso3)
    read = selectors.reading(request.user, state)
    return render(
        request,
        "victims/detail.html",
        {
            "state": state,
            "read": read,
            "can_write": policies.may_write(request.user, state.pk),
            "age_labels": selectors.AGE_LABELS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, iso3: str) -> HttpResponse:
    state = state_selectors.state_for_editor(iso3=iso3, user=request.user)
    profile = VictimAssistanceProfile.objects.filter(state=state).first()
    form = ProfileForm(request.POST or None, instance=profile, state=state)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.profile_save(state=state, actor=request.user, **values)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Victim assistance profile saved."))
            return redirect("victims:detail", iso3=state.iso3)
    return render(request, "victims/profile_form.html", {"state": state, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, iso3: str, year: int | None = None) -> HttpResponse:
    state = state_selectors.state_for_editor(iso3=iso3, user=request.user)
    record = None
    initial: dict[str, Any] = {}
    if year is not None:
        record = VictimAssistanceYear.objects.filter(state=state, year=year).first()
        if record is None:
            raise Http404
        exact = selectors.exact_year(state, year)
        initial = {"source": record.source, "source_url": record.source_url, "note": record.note}
        initial.update(YearForm.initial_from(exact.cells if exact else {}))
    form = YearForm(request.POST or None, initial=initial, fixed_year=year)
    if request.method == "POST" and form.is_valid():
        chosen = year if year is not None else form.cleaned_data["year"]
        if year is None and VictimAssistanceYear.objects.filter(state=state, year=chosen).exists():
            form.add_error("year", _("This year is already entered: change it from the State's page."))
        else:
            try:
                services.year_save(
                    state=state,
                    year=chosen,
                    source=form.cleaned_data["source"],
                    source_url=form.cleaned_data["source_url"],
                    note=form.cleaned_data["note"],
                    cells=form.cells(),
                    illustrative=record.illustrative if record else False,
                    actor=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Figures for %(year)s saved.") % {"year": chosen})
                return redirect("victims:detail", iso3=state.iso3)
    return render(
        request,
        "victims/year_form.html",
        {
            "state": state,
            "form": form,
            "year": year,
            "record": record,
            "first_year": FIRST_YEAR,
            "age_labels": selectors.AGE_LABELS,
        },
    )


@login_required
@require_POST
def year_delete(request: HttpRequest, iso3: str, year: int) -> HttpResponse:
    state = state_selectors.state_for_editor(iso3=iso3, user=request.user)
    record = VictimAssistanceYear.objects.filter(state=state, year=year).first()
    if record is None:
        raise Http404
    services.year_delete(record=record, actor=request.user)
    messages.success(request, _("Figures for %(year)s deleted.") % {"year": year})
    return redirect("victims:detail", iso3=state.iso3)


@require_safe
def export(request: HttpRequest, iso3: str, fmt: str) -> HttpResponse:
    """The State's figures as the reader may see them (protected or exact)."""
    state = _state(iso3)
    read = selectors.reading(request.user, state)
    table = selectors.export_rows(read)
    kind = "exact" if read.exact else "protected"
    if fmt == "csv":
        response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_from_rows(str(_("Victim assistance")), table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="victim-assistance-{state.iso3}-{kind}.{fmt}"'
    return response


def _add_errors(form: Any, exc: ValidationError) -> None:
    """The service's problems on the form: on their field, or (a measure's sums, the year of an
    existing record) under their own key, listed at the top of the page."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        if key in form.fields:
            form.add_error(key, errors)
        else:
            form.errors.setdefault(key, form.error_class()).extend(errors)
