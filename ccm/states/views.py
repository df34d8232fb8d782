from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from ccm.core.clock import today
from ccm.states import exports, selectors
from ccm.states.forms import StateFilterForm
from ccm.states.models import ObligationStatus


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    day = today()
    figures = selectors.headline_figures(today=day)
    return render(
        request,
        "states/home.html",
        {"figures": figures, "today": day, "status_labels": dict(ObligationStatus.choices)},
    )


@require_safe
def state_list(request: HttpRequest) -> HttpResponse:
    form = StateFilterForm(request.GET or None)
    filters = form.filters()
    # computed only when the table is not in the shared cache (the template calls it)
    day = today()
    rows = SimpleLazyObject(lambda: selectors.state_list(today=day, **filters))
    return render(request, "states/state_list.html", {"form": form, "rows": rows, "filters": filters})


@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The States the list shows (same filters), one line per obligation, as CSV or XLSX."""
    filters = StateFilterForm(request.GET or None).filters()
    return exports.states_response(selectors.state_list(today=today(), **filters), fmt)


@require_safe
def state_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    if iso3 != iso3.upper():
        return redirect("states:detail", iso3=iso3.upper(), permanent=True)
    state = selectors.state_get(iso3=iso3)
    if state is None:
        raise Http404("No State with this code.")
    day = today()
    return render(
        request,
        "states/state_detail.html",
        {
            "state": state,
            "row": selectors.state_row(state=state, today=day),
            "timeline": selectors.state_timeline(state=state),
            "today": day,
        },
    )


@require_safe
def deadlines(request: HttpRequest) -> HttpResponse:
    day = today()
    return render(request, "states/deadlines.html", {"board": selectors.deadline_board(today=day), "today": day})
