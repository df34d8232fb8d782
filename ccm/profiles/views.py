"""The country profile page and the Country Brief (PDF, DOCX)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from ccm.core.clock import today
from ccm.funding import selectors as funding_selectors
from ccm.funding.rates import rate_table
from ccm.needs import selectors as needs_selectors
from ccm.needs.policies import obstacles as obstacle_policy
from ccm.profiles import brief
from ccm.reporting import policies as reporting_policies
from ccm.reporting import selectors as reporting_selectors
from ccm.states import selectors as state_selectors
from ccm.states.models import State
from ccm.transparency.draft_policies import may_draft
from ccm.victims import selectors as victim_selectors


def _state(iso3: str) -> State:
    state = state_selectors.state_get(iso3=iso3)
    if state is None:
        raise Http404
    return state


PROFILE_NEEDS = 10


@require_safe
def profile(request: HttpRequest, iso3: str) -> HttpResponse:
    state = _state(iso3)
    day = today()
    user = request.user

    def funding_total() -> Any:
        # "required" as on the funding pages: one definition (plan gap + needs not in the plan)
        cells, _unconverted = funding_selectors.coverage_cells(user=user, table=rate_table(), state_iso3=state.iso3)
        totals = funding_selectors.by_state(cells)
        return totals[0] if totals else None

    # Each part is read when the template first shows it: for readers who share page parts (the public, the
    # coordinators), a profile whose part is in the shared cache reads none of them.
    data = SimpleLazyObject(lambda: reporting_selectors.country_profile(state=state, user=user, today=day))
    # the State's most urgent needs; the board lists them all (a profile stays short at any scale)
    needs: Any = SimpleLazyObject(
        lambda: needs_selectors.board(user=user, today=day, filters=needs_selectors.BoardFilters(state=state.iso3))
    )
    return render(
        request,
        "profiles/profile.html",
        {
            "state": state,
            "profile": data,
            "today": day,
            "can_edit": reporting_policies.can_edit_state(request.user, state.pk),
            "can_draft_art7": may_draft(request.user, state),
            "funding_total": SimpleLazyObject(funding_total),
            "needs": needs,
            "needs_shown": SimpleLazyObject(lambda: needs[:PROFILE_NEEDS]),
            "obstacles": obstacle_policy.visible_to(request.user).filter(state=state).select_related("obligation"),
            "victims": SimpleLazyObject(lambda: victim_selectors.reading(user, state)),
            "victim_age_labels": victim_selectors.AGE_LABELS,
        },
    )


@require_safe
def country_brief(request: HttpRequest, iso3: str, fmt: str) -> HttpResponse:
    state = _state(iso3)
    day = today()
    content = brief.brief_content(state=state, user=request.user, today=day)
    if fmt == "pdf":
        response = HttpResponse(brief.render_pdf(content), content_type="application/pdf")
    else:
        response = HttpResponse(
            brief.render_docx(content),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="country-brief-{state.iso3}-{day.isoformat()}.{fmt}"'
    return response
