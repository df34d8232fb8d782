"""Limit/offset pagination for APIViews, with the envelope described in the OpenAPI schema.

``limit`` and ``offset`` are read strictly: a value that is not a whole number, or is outside its range
(``limit`` 1–500, ``offset`` 0–1,000,000,000), answers 400 with the reason, never 500 and never a silent
fallback. Every paginated operation documents both parameters (added by ``add_page_parameters``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core import cache as aggregate_cache
from ccm.core.clock import today
from ccm.core.policies import shared_audience

MAX_PAGE_SIZE = 500
MAX_OFFSET = 1_000_000_000


def _bounded_int(request: Request, name: str, *, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise ValidationError(
            {name: [_("Must be a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]}
        )
    value = int(text)
    if not low <= value <= high:
        raise ValidationError({name: [_("Must be from %(low)s to %(high)s.") % {"low": low, "high": high}]})
    return value


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``LimitOffsetPagination`` that refuses out-of-range or malformed values with 400."""

    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request: Request) -> int:
        default = int(getattr(settings, "REST_FRAMEWORK", {}).get("PAGE_SIZE") or 100)
        return _bounded_int(
            request, self.limit_query_param, default=min(default, MAX_PAGE_SIZE), low=1, high=MAX_PAGE_SIZE
        )

    def get_offset(self, request: Request) -> int:
        return _bounded_int(request, self.offset_query_param, default=0, low=0, high=MAX_OFFSET)


@cache
def paginated(item_serializer: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The serializer of one page: ``count``, ``next``, ``previous`` and ``results``."""
    name = item_serializer.__qualname__.split(".")[0].removesuffix("Api").removesuffix("Serializer")
    if not name.endswith("List"):
        name += "List"
    return type(
        f"Paginated{name}",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
        },
    )


def paginate(
    request: Request,
    view: APIView,
    rows: Any,
    item_serializer: type[serializers.Serializer],
    count: Callable[[], int] | None = None,
    public_topics: tuple[str, ...] = (),
    audience_topics: tuple[str, ...] = (),
) -> Response:
    """One page of ``rows``; ``count`` gives their number when it is known more cheaply than by counting
    them (e.g. from the shared cache).

    ``public_topics``: for a reader not signed in, the serialised page is kept in the shared cache under these
    topics (with the address, the day, the hour and the language), so every anonymous reader of the same page gets it
    without a query. Only the public audience: what a signed-in person sees may depend on who they are.
    ``rows`` may then be a callable giving them, so that a page served from the cache reads nothing else.

    ``audience_topics``: the same for every reader, keyed by their shared audience
    (``ccm.core.policies.shared_audience``: the public, coordinators, or the members of the same
    organisations). Only for rows whose visibility that audience decides and whose serialised form does not
    depend on the reader's role (no actions, no per-person fields)."""

    def build() -> Any:
        paginator = BoundedLimitOffsetPagination()
        if count is not None:
            paginator.get_count = lambda _rows: count()  # type: ignore[method-assign, assignment]
        found = rows() if callable(rows) else rows
        page: Any = paginator.paginate_queryset(found, request, view=view)
        return paginator.get_paginated_response(item_serializer(page, many=True).data).data

    audience = shared_audience(request.user)
    topics = audience_topics or (public_topics if audience == "public" else ())
    if topics:
        data = aggregate_cache.cached(
            f"api-page:{type(view).__name__}",
            topics=topics,
            # by the hour as well: a filter such as the needs' minimum age counts from now
            parts=(audience, request.build_absolute_uri(), today(), timezone.now().strftime("%H")),
            build=build,
        )
        return Response(data)
    return Response(build())


def add_page_parameters(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: document ``limit`` and ``offset`` on every paginated list.

    A list is recognised by its 200 response, a ``Paginated…`` component. Parameters already declared
    by the view are kept as they are.
    """
    limit = {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"Number of results per page (1–{MAX_PAGE_SIZE}; default 100).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }
    offset = {
        "name": "offset",
        "in": "query",
        "required": False,
        "description": "Index of the first result.",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
    }
    for path_item in result.get("paths", {}).values():
        operation = path_item.get("get")
        if not operation:
            continue
        content: dict[str, Any] = operation.get("responses", {}).get("200", {}).get("content", {})
        first: dict[str, Any] = next(iter(content.values()), {})
        ref = str(first.get("schema", {}).get("$ref", ""))
        if not ref.rsplit("/", 1)[-1].startswith("Paginated"):
            continue
        parameters = [p for p in operation.setdefault("parameters", []) if p.get("name") not in ("limit", "offset")]
        operation["parameters"] = [*parameters, limit, offset]
    return result
