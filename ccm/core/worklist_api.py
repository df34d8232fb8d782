"""API: what waits for the caller (the same groups and items as their home page, ``/me/``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core import worklist
from ccm.core.clock import today


@extend_schema_serializer(component_name="WorkItem")
class WorkItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="Where it is done (an absolute link to the page)")
    detail = serializers.CharField(help_text="A line of context, in words")
    due = serializers.DateField(allow_null=True, help_text="By when, where there is a date")
    kind = serializers.CharField(help_text="The key of its group")

    @extend_schema_field(serializers.URLField())
    def get_url(self, item: worklist.WorkItem) -> str:
        return str(self.context["request"].build_absolute_uri(item.url))


@extend_schema_serializer(component_name="WorkGroup")
class WorkGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A stable key, e.g. needs.questions")
    heading = serializers.CharField(source="label", help_text="The heading, in words")
    count = serializers.IntegerField(help_text="How many items wait (more than listed when there are many)")
    items = WorkItemSerializer(many=True)


@extend_schema_serializer(component_name="Worklist")
class WorklistSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="How many items wait, in all groups")
    groups = WorkGroupSerializer(many=True)


class WorklistApi(APIView):
    """What waits for the caller, grouped as on their home page: each group lists its first items
    (``count`` says how many there are), each with the link where it is done."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_worklist", responses=WorklistSerializer)
    def get(self, request: Request) -> Response:
        groups = worklist.for_user(request.user, today=today())
        payload: dict[str, Any] = {"total": sum(g.count for g in groups), "groups": groups}
        return Response(WorklistSerializer(payload, context={"request": request}).data)
