"""The search page: ``/search/`` (everyone; each result shown only to those its object's policy allows)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ccm.core import cache as aggregate_cache
from ccm.core.policies import is_signed_in, person_key
from ccm.library.search import SEARCH_TOPIC, Filters, page_results, search
from ccm.library.search_forms import SearchForm

PAGE_SIZE = 20
MAX_PAGE = 1_000


def filters_from(form: SearchForm) -> Filters:
    data = form.cleaned_data
    return Filters(
        kind=data.get("kind") or "",
        pillar=data.get("pillar") or "",
        state_id=form.state_id(),
        language=data.get("language") or "",
    )


def _page_number(raw: str | None, pages: int) -> int:
    text = (raw or "").strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 1
    return max(1, min(number, pages, MAX_PAGE))


def _reader(user: Any) -> tuple[object, ...]:
    return person_key(user) if is_signed_in(user) else ("public",)


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        filters = filters_from(form)
        query = request.GET.copy()
        query.pop("page", None)

        def link(n: int) -> str:
            query["page"] = str(n)
            return "?" + query.urlencode()

        def build() -> dict[str, Any]:
            results = search(request.user, form.cleaned_data["q"], filters)
            pages = max(1, -(-results.count // PAGE_SIZE))
            number = _page_number(request.GET.get("page"), pages)
            return {
                "results": results,
                "shown": page_results(results.terms, results.hits[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]),
                "page": number,
                "pages": pages,
                "first_number": (number - 1) * PAGE_SIZE + 1,
                "previous_url": link(number - 1) if number > 1 else "",
                "next_url": link(number + 1) if number < pages else "",
            }

        # One page of results for what this reader may see, kept until the index or anything else changes:
        # shared by readers not signed in; for anyone signed in, their own (who sees a closed meeting's
        # summary or a coalition is not decided by their organisations alone, even among coordinators).
        context.update(
            aggregate_cache.cached(
                "search-page",
                topics=(SEARCH_TOPIC, aggregate_cache.EVERY_WRITE),
                parts=(*_reader(request.user), form.cleaned_data["q"], filters, request.GET.get("page", "")),
                build=build,
            )
        )
    return render(request, "library/search.html", context)
