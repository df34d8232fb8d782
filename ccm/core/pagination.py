"""Limit/offset pagination for APIViews, with the envelope described in the OpenAPI schema."""

from __future__ import annotations

from functools import cache
from typing import Any

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


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


def paginate(request: Request, view: APIView, rows: Any, item_serializer: type[serializers.Serializer]) -> Response:
    paginator = LimitOffsetPagination()
    page: Any = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(item_serializer(page, many=True).data)
