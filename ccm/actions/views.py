"""The actions tracker (open actions across meetings and coalitions) and one action's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ccm.actions import selectors, services
from ccm.actions.forms import ActionUpdateForm, TrackerFilterForm
from ccm.core.clock import today

PER_PAGE = 50


@login_required
@require_safe
def tracker(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.pop("page", None)
    form = TrackerFilterForm(params or None, user=request.user)
    filters = form.filters(request.user)
    day = today()
    page = Paginator(selectors.filtered(request.user, filters=filters, today=day), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = selectors.rows_for(list(page.object_list), today=day)
    return render(
        request,
        "actions/tracker.html",
        {"form": form, "rows": rows, "page": page, "query": params.urlencode(), "filters": filters},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    day = today()
    detail = selectors.action_detail(request.user, pk=pk, today=day)
    if detail is None:
        raise Http404
    action = detail.action
    form = None
    if detail.may_change:
        form = ActionUpdateForm(
            request.POST or None, initial={"status": action.status, "completed_on": action.completed_on}
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                action=action,
                actor=request.user,
                status=data["status"],
                completed_on=data["completed_on"],
                due_date=data["due_date"],
                note=data["note"],
                today=day,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Action updated."))
            return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/detail.html", {"d": detail, "form": form})
