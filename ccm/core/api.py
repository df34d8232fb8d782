"""API for the audit log, filtered through the audit policy like the page and the CSV export."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.forms import AuditFilterForm
from ccm.core.policies import audit_entries


class AuditEntryListApi(APIView):
    """Audit entries the caller may see (coordinators: all; managers: their organisations')."""

    permission_classes = [IsAuthenticated]

    class FilterSerializer(serializers.Serializer):
        action = serializers.CharField(required=False, help_text="Entries whose action starts with this.")
        actor = serializers.CharField(required=False, help_text="Actor's e-mail contains.")
        object = serializers.CharField(required=False, help_text="Object label contains.")
        since = serializers.DateField(required=False)
        until = serializers.DateField(required=False)

    class OutputSerializer(serializers.Serializer):
        timestamp = serializers.DateTimeField()
        actor = serializers.CharField(source="actor_label")
        action = serializers.CharField()
        object_type = serializers.CharField(source="content_type.model", allow_null=True, default=None)
        object_id = serializers.CharField()
        object_label = serializers.CharField()
        change = serializers.JSONField(source="data", help_text="old and new values")
        request_id = serializers.CharField()

    @extend_schema(operation_id="audit_list", parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        form = AuditFilterForm({k: v for k, v in request.query_params.items() if k in filters.fields})
        queryset = form.apply(audit_entries.visible_to(request.user)).select_related("content_type")
        paginator = LimitOffsetPagination()
        page: Any = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
