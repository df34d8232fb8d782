"""Pages of the Article 7 draft: the year chooser, the preview with its downloads (DOCX, XLSX).

Resolve the State through the draft policy (404 for anyone who may not draft), check the year (404 out of
range), read the language (400 when unknown), then hand over to ``draft.draft_for``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ccm.core.clock import today
from ccm.core.policies import get_for_user
from ccm.states.models import State
from ccm.transparency import draft as drafts
from ccm.transparency import draft_documents as documents
from ccm.transparency.draft_policies import report_drafts

MAX_PARAMETER = 20  # longer query values are refused before anything reads them


def _state(request: HttpRequest, iso3: str) -> State:
    return get_for_user(report_drafts, request.user, iso3=iso3)


def _year(year: int) -> int:
    if not drafts.year_in_range(year, today=today()):
        raise Http404
    return year


def _language(request: HttpRequest) -> tuple[str, str]:
    """The requested language (``?lang=``), checked: ValueError when unknown."""
    requested = request.GET.get("lang", "")
    if len(requested) > MAX_PARAMETER:
        raise ValueError(_("Unknown language."))
    return drafts.draft_language(requested)


def _query(lang: str) -> str:
    return "?" + urlencode({"lang": lang}) if lang and lang != "en" else ""


@login_required
@require_safe
def chooser(request: HttpRequest, iso3: str) -> HttpResponse:
    """Choose the year of the draft (a plain form: works without JavaScript)."""
    state = _state(request, iso3)
    day = today()
    years = list(range(day.year, drafts.FIRST_YEAR - 1, -1))
    error = ""
    chosen = request.GET.get("year", "")
    if chosen:
        year = int(chosen) if chosen.isdigit() and len(chosen) == 4 else None
        if year is not None and drafts.year_in_range(year, today=day):
            url = reverse("transparency_drafts:draft", args=[state.iso3, year])
            lang = request.GET.get("lang", "")[:MAX_PARAMETER]
            return redirect(url + _query(lang))
        error = _("Choose a year between %(first)s and %(last)s.") % {"first": drafts.FIRST_YEAR, "last": day.year}
    context: dict[str, Any] = {
        "state": state,
        "years": years,
        "default_year": day.year - 1,
        "error": error,
        "languages": [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))],
    }
    return render(request, "transparency/draft_chooser.html", context, status=400 if error else 200)


@login_required
@require_safe
def draft_page(request: HttpRequest, iso3: str, year: int) -> HttpResponse:
    state = _state(request, iso3)
    year = _year(year)
    try:
        lang, _note = _language(request)
    except ValueError as exc:
        return render(request, "transparency/draft_error.html", {"state": state, "message": str(exc)}, status=400)
    with translation.override(lang):
        draft = drafts.draft_for(
            state=state, year=year, user=request.user, today=today(), language=request.GET.get("lang", "")
        )
    query = _query(request.GET.get("lang", ""))
    return render(
        request,
        "transparency/draft.html",
        {
            "state": state,
            "draft": draft,
            "preamble": documents.preamble(draft),
            "docx_url": reverse("transparency_drafts:docx", args=[state.iso3, year]) + query,
            "xlsx_url": reverse("transparency_drafts:xlsx", args=[state.iso3, year]) + query,
            "api_url": reverse("api-transparency-draft", args=[state.iso3, year]),
        },
    )


@login_required
@require_safe
def draft_download(request: HttpRequest, iso3: str, year: int, fmt: str) -> HttpResponse:
    state = _state(request, iso3)
    year = _year(year)
    try:
        lang, _note = _language(request)
    except ValueError as exc:
        return render(request, "transparency/draft_error.html", {"state": state, "message": str(exc)}, status=400)
    with translation.override(lang):
        draft = drafts.draft_for(
            state=state, year=year, user=request.user, today=today(), language=request.GET.get("lang", "")
        )
        if fmt == "docx":
            response = HttpResponse(documents.render_docx(draft), content_type=documents.DOCX)
        else:
            response = HttpResponse(documents.render_xlsx(draft), content_type=documents.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(draft, fmt)}"'
    return response
