"""API for needs (with filters), a need's thread, obstacles and donor profiles — through the same
policies as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.clock import today
from ccm.core.money import AmountSerializerField
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import Visibility
from ccm.needs import policies, selectors
from ccm.needs.models import (
    NEED_VISIBILITIES,
    Modality,
    NeedStatus,
    ObstacleCategory,
    Pillar,
    ResponseKind,
    Severity,
)


@extend_schema_serializer(component_name="NeedResponse")
class ResponseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="For its documents: /api/v1/documents/needs.response/{id}/")
    organisation = serializers.CharField(source="organisation.name")
    kind = serializers.ChoiceField(choices=ResponseKind.choices)
    message = serializers.CharField()
    amount = AmountSerializerField(
        read_only=True, allow_null=True, source="ledger_flow.amount", default=None, help_text="A pledge's amount"
    )
    flow = serializers.IntegerField(
        source="ledger_flow.pk", allow_null=True, default=None, help_text="A pledge's flow in the funding ledger"
    )
    decline_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="Need")
class NeedOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="need.pk")
    state = serializers.CharField(source="need.state.iso3")
    title = serializers.CharField(source="need.title")
    pillar = serializers.ChoiceField(choices=Pillar.choices, source="need.pillar")
    modality = serializers.ChoiceField(choices=Modality.choices, source="need.modality")
    description = serializers.CharField(source="need.description")
    amount = AmountSerializerField(read_only=True, allow_null=True, source="need.amount")
    currency = serializers.CharField(source="need.currency")
    in_kind = serializers.CharField(source="need.in_kind")
    starts_on = serializers.DateField(allow_null=True, source="need.starts_on")
    ends_on = serializers.DateField(allow_null=True, source="need.ends_on")
    priority = serializers.IntegerField(source="need.priority")
    visibility = serializers.ChoiceField(choices=Visibility.subset(*NEED_VISIBILITIES), source="need.visibility")
    published_at = serializers.DateTimeField(allow_null=True, source="need.published_at")
    status = serializers.ChoiceField(choices=NeedStatus.choices)
    pledged = AmountSerializerField(read_only=True)
    remaining = AmountSerializerField(read_only=True, allow_null=True)
    donor_responses = serializers.IntegerField()
    days_published = serializers.IntegerField(allow_null=True)
    matching_donors = serializers.SerializerMethodField()

    def get_matching_donors(self, row: Any) -> list[str]:
        return [p.organisation.slug for p in row.matching]


class NeedListApi(APIView):
    """Needs the caller may see, most urgent first; filters as on the needs board."""

    class FilterSerializer(serializers.Serializer):
        pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
        modality = serializers.ChoiceField(choices=Modality.choices, required=False)
        state = serializers.CharField(required=False, max_length=3)
        status = serializers.ChoiceField(choices=NeedStatus.choices, required=False)
        min_age_days = serializers.IntegerField(required=False, min_value=0, max_value=36500)
        unanswered = serializers.BooleanField(required=False, default=False)

    @extend_schema(operation_id="needs_list", parameters=[FilterSerializer], responses=paginated(NeedOutputSerializer))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)

        def rows() -> Any:
            return selectors.board(
                user=request.user, today=today(), filters=selectors.BoardFilters(**filters.validated_data)
            )

        return paginate(request, self, rows, NeedOutputSerializer, audience_topics=selectors.BOARD_TOPICS)


class NeedDetailApi(APIView):
    """One need with its thread; 404 when missing or not visible to the caller."""

    @extend_schema_serializer(component_name="NeedWithThread")
    class OutputSerializer(NeedOutputSerializer):
        responses = serializers.SerializerMethodField()

        def get_responses(self, row: Any) -> Any:
            thread = (
                policies.responses.visible_to(self.context["user"])
                .filter(need=row.need)
                .select_related("organisation", "ledger_flow")
                .order_by("created_at")
            )
            return ResponseOutputSerializer(thread, many=True).data

    @extend_schema(operation_id="needs_retrieve", responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        row = selectors.need_detail(user=request.user, need_id=pk, today=today())
        if row is None:
            raise NotFound("No such need.")
        return Response(self.OutputSerializer(row, context={"user": request.user}).data)


class ObstacleListApi(APIView):
    """Obstacles the caller may see (public ones, or all of their own State's)."""

    class FilterSerializer(serializers.Serializer):
        state = serializers.CharField(required=False, max_length=3)
        category = serializers.ChoiceField(choices=ObstacleCategory.choices, required=False)
        pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)  # e.g. victim_assistance

    @extend_schema_serializer(component_name="Obstacle")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        state = serializers.CharField(source="state.iso3")
        obligation = serializers.CharField(source="obligation.kind", allow_null=True, default=None)
        category = serializers.ChoiceField(choices=ObstacleCategory.choices)
        pillar = serializers.CharField(help_text="The pillar the obstacle stands in the way of; empty if none")
        severity = serializers.ChoiceField(choices=Severity.choices)
        statement = serializers.CharField()
        observed_on = serializers.DateField()

    @extend_schema(operation_id="obstacles_list", parameters=[FilterSerializer], responses=paginated(OutputSerializer))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = policies.obstacles.visible_to(request.user).select_related("state", "obligation")
        if filters.validated_data.get("state"):
            rows = rows.filter(state__iso3=filters.validated_data["state"].upper())
        if filters.validated_data.get("category"):
            rows = rows.filter(category=filters.validated_data["category"])
        if filters.validated_data.get("pillar"):
            rows = rows.filter(pillar=filters.validated_data["pillar"])
        return paginate(request, self, rows, self.OutputSerializer)


class DonorProfileListApi(APIView):
    """Published donor profiles: what each donor funds, how and when, and how to ask."""

    @extend_schema_serializer(component_name="DonorProfile")
    class OutputSerializer(serializers.Serializer):
        organisation = serializers.CharField(source="organisation.slug")
        name = serializers.CharField(source="organisation.name")
        priority_states = serializers.SerializerMethodField()
        priority_regions = serializers.ListField(child=serializers.CharField())
        pillars = serializers.ListField(child=serializers.CharField())
        modalities = serializers.ListField(child=serializers.CharField())
        channels = serializers.ListField(child=serializers.CharField())
        grant_min = AmountSerializerField(read_only=True, allow_null=True)
        grant_max = AmountSerializerField(read_only=True, allow_null=True)
        currency = serializers.CharField()
        funding_cycle = serializers.CharField()
        how_to_apply = serializers.CharField()
        requirements = serializers.CharField()

        def get_priority_states(self, profile: Any) -> list[str]:
            return [s.iso3 for s in profile.priority_states.all()]

    @extend_schema(operation_id="donor_profiles_list", responses=paginated(OutputSerializer))
    def get(self, request: Request) -> Response:
        rows = (
            policies.donor_profiles.visible_to(request.user)
            .select_related("organisation")
            .prefetch_related("priority_states")
        )
        return paginate(request, self, rows, self.OutputSerializer)
