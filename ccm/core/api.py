"""API for the audit log, filtered through the audit policy like the page and the CSV export."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.forms import AuditFilterForm, valid_action_filter
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import audit_entries


class AuditEntryListApi(APIView):
    """Audit entries the caller may see (coordinators: all; managers: their organisations')."""

    permission_classes = [IsAuthenticated]

    class FilterSerializer(serializers.Serializer):
        action = serializers.CharField(
            required=False,
            help_text="A registered action (e.g. need.publish; the audit page lists them), or the start of one "
            "(e.g. need.).",
        )
        actor = serializers.CharField(required=False, help_text="Actor's e-mail contains.")
        object = serializers.CharField(required=False, help_text="Object label contains.")
        since = serializers.DateField(required=False)
        until = serializers.DateField(required=False)

        def validate_action(self, value: str) -> str:
            if value and not valid_action_filter(value):
                raise serializers.ValidationError("No such action.")
            return value

    @extend_schema_serializer(component_name="AuditEntry")
    class OutputSerializer(serializers.Serializer):
        timestamp = serializers.DateTimeField()
        actor = serializers.CharField(source="actor_label")
        action = serializers.CharField()
        action_label = serializers.CharField(help_text="The action, for people")
        object_type = serializers.CharField(source="content_type.model", allow_null=True, default=None)
        object_id = serializers.CharField()
        object_label = serializers.CharField()
        change = serializers.JSONField(
            source="data",
            help_text="old and new values; confidential fields as [confidential] or hmac-sha256:<hex> "
            "(equal values, equal fingerprints)",
        )
        request_id = serializers.CharField()

    @extend_schema(operation_id="audit_list", parameters=[FilterSerializer], responses=paginated(OutputSerializer))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        form = AuditFilterForm({k: v for k, v in request.query_params.items() if k in filters.fields})
        queryset = form.apply(audit_entries.visible_to(request.user)).select_related("content_type")
        return paginate(request, self, queryset, self.OutputSerializer)
