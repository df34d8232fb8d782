"""API for follow-up actions: the list (filters as on the tracker), one action, and changing its status
— through the same policy as the pages (whoever sees the source sees the action)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.actions import selectors, services
from ccm.actions.models import ActionStatus
from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated

STATUS_FILTER = [selectors.OPEN, selectors.ALL, *ActionStatus.values]


@extend_schema_serializer(component_name="Action")
class ActionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="action.pk")
    title = serializers.CharField(source="action.title")
    description = serializers.CharField(source="action.description")
    owner = serializers.CharField(source="action.owner.slug", help_text="The owner organisation's short name")
    owner_name = serializers.CharField(source="action.owner.name")
    state = serializers.CharField(source="action.state.iso3", allow_null=True, default=None)
    due_date = serializers.DateField(source="action.due_date")
    status = serializers.ChoiceField(choices=ActionStatus.choices, source="action.status")
    completed_on = serializers.DateField(source="action.completed_on", allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")
    source_kind = serializers.CharField(help_text="The kind of object that created it, e.g. meetings.meeting")
    source_id = serializers.IntegerField(source="action.source_id")
    source_name = serializers.CharField()
    source_url = serializers.CharField(help_text="The page of the object that created it")
    need = serializers.IntegerField(source="action.need_id", allow_null=True)
    obligation = serializers.IntegerField(source="action.obligation_id", allow_null=True)
    follows = serializers.IntegerField(source="action.follows_id", allow_null=True)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["source_kind"] = _source_key(instance)
        return data


def _source_key(row: selectors.ActionRow) -> str:
    from ccm.actions import sources

    entry = sources.for_content_type_id(row.action.source_type_id)
    return entry.key if entry else ""


class ActionListApi(APIView):
    """Follow-up actions the caller may see, soonest due first; by default the open ones."""

    permission_classes = [IsAuthenticated]

    class FilterSerializer(serializers.Serializer):
        owner = serializers.SlugField(required=False, help_text="The owner organisation's short name")
        state = serializers.CharField(required=False, max_length=3, help_text="ISO 3166-1 alpha-3 code")
        source_kind = serializers.CharField(required=False, max_length=100, help_text="e.g. meetings.meeting")
        status = serializers.ChoiceField(choices=STATUS_FILTER, required=False, default=selectors.OPEN)
        overdue = serializers.BooleanField(required=False, default=False)
        mine = serializers.BooleanField(required=False, default=False, help_text="Only my organisations' actions")

    @extend_schema(
        operation_id="actions_list",
        tags=["actions"],
        parameters=[FilterSerializer],
        responses=paginated(ActionOutputSerializer),
    )
    def get(self, request: Request) -> Response:
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        filters = selectors.TrackerFilters(
            owner=data.get("owner", ""),
            state=data.get("state", ""),
            source=data.get("source_kind", ""),
            status=data["status"],
            overdue=data["overdue"],
            scope=selectors.MINE if data["mine"] else selectors.ALL,
        )
        day = today()
        rows = selectors.filtered(request.user, filters=filters, today=day)
        return paginate(request, self, _Rows(rows, day), ActionOutputSerializer)


class _Rows:
    """A queryset whose slices become rows with their sources named (the paginator slices it once)."""

    def __init__(self, queryset: Any, day: Any) -> None:
        self.queryset, self.day = queryset, day

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[selectors.ActionRow]:
        return selectors.rows_for(list(self.queryset[item]), today=self.day)


class ActionDetailApi(APIView):
    """One follow-up action (404 when missing or not visible); PATCH changes its status, completion
    date or due date, or adds a note (the owner's editors and managers, and whoever may change its
    source; others who see it get 403)."""

    permission_classes = [IsAuthenticated]

    class PatchSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
        completed_on = serializers.DateField(required=False, allow_null=True)
        due_date = serializers.DateField(required=False)
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    @extend_schema(operation_id="actions_retrieve", tags=["actions"], responses=ActionOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        detail = selectors.action_detail(request.user, pk=pk, today=today())
        if detail is None:
            raise NotFound("No such action.")
        return Response(ActionOutputSerializer(detail).data)

    @extend_schema(
        operation_id="actions_partial_update",
        tags=["actions"],
        request=PatchSerializer,
        responses=ActionOutputSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        day = today()
        detail = selectors.action_detail(request.user, pk=pk, today=day)
        if detail is None:
            raise NotFound("No such action.")
        if not detail.may_change:
            raise PermissionDenied("You may see this action but not change it.")
        body = self.PatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            services.action_update(
                action=detail.action,
                actor=request.user,
                status=data.get("status"),
                completed_on=data.get("completed_on"),
                due_date=data.get("due_date"),
                note=data.get("note", ""),
                today=day,
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        updated = selectors.action_detail(request.user, pk=pk, today=day)
        return Response(ActionOutputSerializer(updated).data)
