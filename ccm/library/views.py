"""Library pages: practices (list, detail, write, change, delete), offers (list, detail, make, change,
withdraw, propose for a need), and their spreadsheets. No access → 404; visible but not allowed → 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccm.accounts.models import Organisation
from ccm.core import markdown
from ccm.core.clock import today
from ccm.core.policies import Action, get_for_action, get_for_user
from ccm.library import exports, policies, selectors, services
from ccm.library.forms import OfferFilterForm, OfferForm, PracticeFilterForm, PracticeForm
from ccm.library.models import Offer, Practice
from ccm.needs import policies as need_policies

PAGE_SIZE = 20
MAX_PAGE = 100_000


def _page(request: HttpRequest, rows: Any) -> Page[Any]:
    text = request.GET.get("page", "1")
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 1
    return Paginator(rows, PAGE_SIZE).get_page(min(max(number, 1), MAX_PAGE))


def _query_without_page(request: HttpRequest) -> str:
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _writing_organisations(request: HttpRequest) -> Any:
    return Organisation.objects.filter(pk__in=selectors.writing_organisation_ids(request.user)).order_by("name")


# --- Practices ------------------------------------------------------------------------------------


def practice_filters(request: HttpRequest) -> tuple[PracticeFilterForm, selectors.PracticeFilters]:
    form = PracticeFilterForm(request.GET or None)
    if not form.is_valid():
        return form, selectors.PracticeFilters()
    data = form.cleaned_data
    return form, selectors.PracticeFilters(
        pillar=data["pillar"], country=data["country"], tag=data["tag"], language=data["language"]
    )


@require_safe
def practice_list(request: HttpRequest) -> HttpResponse:
    form, filters = practice_filters(request)
    if form.is_bound and form.is_valid() and form.cleaned_data["kind"] == "offer":
        query = QueryDict(mutable=True)
        for name in ("pillar", "country"):
            if form.cleaned_data[name]:
                query[name] = form.cleaned_data[name]
        target = reverse("library:offers")
        return redirect(f"{target}?{query.urlencode()}" if query else target)
    # read only when the list's page part is not kept (shared by the public and coordinators, a member's own)
    page = SimpleLazyObject(lambda: _page(request, selectors.practices(user=request.user, filters=filters)))
    return render(
        request,
        "library/practice_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "may_write": bool(selectors.writing_organisation_ids(request.user)),
        },
    )


@require_safe
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_for_user(policies.practices, request.user, pk=pk)
    return render(
        request,
        "library/practice_detail.html",
        {
            "practice": practice,
            "body_html": markdown.render(practice.body),
            "countries": practice.countries.order_by("name"),
            "can_change": policies.practices.can(request.user, Action.CHANGE, practice),
        },
    )


def _practice_form(request: HttpRequest, practice: Practice | None) -> HttpResponse:
    organisations = _writing_organisations(request)
    form = PracticeForm(request.POST or None, instance=practice, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.practice_save(
                organisation=practice.organisation if practice else data["organisation"],
                practice=practice,
                actor=request.user,
                values={name: data[name] for name in services.PRACTICE_FIELDS},
                countries=data["countries"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Practice saved."))
            return redirect("library:practice", pk=saved.pk)
    return render(request, "library/practice_form.html", {"form": form, "practice": practice})


@login_required
@require_http_methods(["GET", "POST"])
def practice_new(request: HttpRequest) -> HttpResponse:
    if not selectors.writing_organisation_ids(request.user):
        raise PermissionDenied
    return _practice_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_for_action(policies.practices, request.user, Action.CHANGE, pk=pk)
    return _practice_form(request, practice)


@login_required
@require_http_methods(["GET", "POST"])
def practice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_for_action(policies.practices, request.user, Action.CHANGE, pk=pk)
    if request.method == "POST":
        services.practice_delete(practice=practice, actor=request.user)
        messages.success(request, _("Practice deleted."))
        return redirect("library:practices")
    return render(request, "library/practice_delete.html", {"practice": practice})


@require_safe
def practice_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, filters = practice_filters(request)
    return exports.practices_response(selectors.practices(user=request.user, filters=filters), fmt)


# --- Offers ---------------------------------------------------------------------------------------


def offer_filters(request: HttpRequest) -> tuple[OfferFilterForm, selectors.OfferFilters]:
    form = OfferFilterForm(request.GET or None, show_expired=selectors.may_see_expired(request.user))
    if not form.is_valid():
        return form, selectors.OfferFilters()
    data = form.cleaned_data
    return form, selectors.OfferFilters(
        kind=data["kind"],
        pillar=data["pillar"],
        country=data["country"],
        include_expired=bool(data.get("include_expired")),
    )


@require_safe
def offer_list(request: HttpRequest) -> HttpResponse:
    form, filters = offer_filters(request)
    page = _page(request, selectors.offers(user=request.user, today=today(), filters=filters))
    return render(
        request,
        "library/offer_list.html",
        {
            "form": form,
            "page": page,
            "today": today(),
            "query": _query_without_page(request),
            "may_write": bool(selectors.writing_organisation_ids(request.user)),
        },
    )


@require_safe
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_for_user(policies.offers, request.user, pk=pk)
    day = today()
    can_change = policies.offers.can(request.user, Action.CHANGE, offer)
    return render(
        request,
        "library/offer_detail.html",
        {
            "offer": offer,
            "countries": offer.countries.order_by("name"),
            "current": offer.withdrawn_at is None and offer.expires_on >= day,
            "can_change": can_change,
            "proposals": offer.proposals.select_related("need", "need__state").filter(
                need__in=need_policies.needs.visible_to(request.user)
            )
            if can_change
            else None,
        },
    )


def _offer_form(request: HttpRequest, offer: Offer | None) -> HttpResponse:
    organisations = _writing_organisations(request)
    form = OfferForm(request.POST or None, instance=offer, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.offer_save(
                organisation=offer.organisation if offer else data["organisation"],
                offer=offer,
                actor=request.user,
                values={name: data[name] for name in services.OFFER_FIELDS},
                countries=data["countries"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("library:offer", pk=saved.pk)
    return render(request, "library/offer_form.html", {"form": form, "offer": offer})


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    if not selectors.writing_organisation_ids(request.user):
        raise PermissionDenied
    return _offer_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_for_action(policies.offers, request.user, Action.CHANGE, pk=pk)
    if offer.withdrawn_at:
        messages.error(request, _("A withdrawn offer cannot be changed."))
        return redirect("library:offer", pk=offer.pk)
    return _offer_form(request, offer)


@login_required
@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_for_action(policies.offers, request.user, Action.CHANGE, pk=pk)
    try:
        services.offer_withdraw(offer=offer, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Offer withdrawn: it is no longer offered."))
    return redirect("library:offer", pk=offer.pk)


@login_required
@require_POST
def offer_propose(request: HttpRequest, pk: int, need: int) -> HttpResponse:
    """Propose the offer as a response to the need (a form in the need page's suggestions panel)."""
    target = get_for_user(need_policies.needs, request.user, pk=need)
    offer = get_for_action(policies.offers, request.user, Action.CHANGE, pk=pk)
    try:
        services.offer_propose(offer=offer, need=target, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your offer is proposed in the need's thread."))
    return redirect("needs:detail", pk=target.pk)


@require_safe
def offer_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, filters = offer_filters(request)
    return exports.offers_response(selectors.offers(user=request.user, today=today(), filters=filters), fmt)
