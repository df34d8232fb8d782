"""The funding explorer's API: the same filters, totals and breakdowns as the page, and one page of
the selection's flows; through the same policy (a flow the caller may not see is not counted)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.money import AmountSerializerField
from ccm.core.pagination import MAX_OFFSET, MAX_PAGE_SIZE, BoundedLimitOffsetPagination
from ccm.funding import explorer
from ccm.funding.api import FlowListApi
from ccm.funding.models import FlowSource, Stage
from ccm.needs.models import Pillar
from ccm.states.models import State


class ExplorerFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Words in the funder, recipient, implementer or IATI activity identifier",
    )
    funder = serializers.CharField(
        required=False, max_length=100, help_text="Funder reference (organisation slug or IATI organisation reference)"
    )
    recipient = serializers.CharField(required=False, max_length=3, help_text="Recipient State, ISO 3166 alpha-3")
    pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100, help_text="Year of the value date")
    source = serializers.ChoiceField(choices=FlowSource.choices, required=False)  # type: ignore[assignment]
    activity = serializers.CharField(required=False, max_length=200, help_text="IATI activity identifier")

    def validate_recipient(self, value: str) -> str:
        iso3 = value.strip().upper()
        if not State.objects.filter(iso3=iso3).exists():
            raise serializers.ValidationError(_("No State has this code."))
        return iso3


class ExplorerTotalsSerializer(serializers.Serializer):
    flows = serializers.IntegerField()
    unconverted = serializers.IntegerField(help_text="Flows without a US-dollar amount (counted, not summed)")
    funders = serializers.IntegerField()
    recipients = serializers.IntegerField(help_text="Recipient States")
    pledged = AmountSerializerField(read_only=True, help_text="USD")
    committed = AmountSerializerField(read_only=True, help_text="USD")
    disbursed = AmountSerializerField(read_only=True, help_text="USD")


class ExplorerRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The filter value that narrows the selection to this row")
    label = serializers.CharField()  # type: ignore[assignment]
    flows = serializers.IntegerField()
    pledged = AmountSerializerField(read_only=True)
    committed = AmountSerializerField(read_only=True)
    disbursed = AmountSerializerField(read_only=True)
    funded = AmountSerializerField(read_only=True, help_text="The larger of committed and disbursed")


class ExplorerRecipientSerializer(ExplorerRowSerializer):
    pillar = serializers.ChoiceField(choices=Pillar.choices)


class ExplorerFlowsPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FlowListApi.OutputSerializer(many=True)


class _KnownCount(BoundedLimitOffsetPagination):
    """The flows' count is known from the totals: no second count query."""

    def __init__(self, count: int):
        self.known_count = count

    def get_count(self, queryset: Any) -> int:
        return self.known_count


class FundingExplorerApi(APIView):
    """The funding explorer: totals of the selection (per stage, in US dollars), the donor ranking, the
    recipients by pillar, the trend per year, and one page of the flows (``limit``, ``offset``). Stages
    are not added together; a funder's funded amount is the larger of what it committed and disbursed."""

    @extend_schema_serializer(component_name="FundingExplorer")
    class OutputSerializer(serializers.Serializer):
        totals = ExplorerTotalsSerializer()
        by_funder = ExplorerRowSerializer(many=True)
        by_recipient = ExplorerRecipientSerializer(many=True)
        by_year = ExplorerRowSerializer(many=True)
        flows = ExplorerFlowsPageSerializer()

    @extend_schema(
        operation_id="funding_explorer_retrieve",
        tags=["flows"],
        parameters=[
            ExplorerFilterSerializer,
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=f"Flows per page (1–{MAX_PAGE_SIZE}; default 100)."
            ),
            OpenApiParameter("offset", OpenApiTypes.INT, description=f"Index of the first flow (0–{MAX_OFFSET})."),
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        serializer = ExplorerFilterSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        filters = explorer.ExplorerFilters(**data)
        summary = explorer.summary(user=request.user, filters=filters)
        paginator = _KnownCount(summary.totals.flows)
        page: Any = paginator.paginate_queryset(
            explorer.explorer_flows(user=request.user, filters=filters), request, view=self
        )
        body = {
            "totals": summary.totals,
            "by_funder": summary.by_funder,
            "by_recipient": summary.by_recipient,
            "by_year": summary.by_year,
            "flows": {
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": page,
            },
        }
        return Response(self.OutputSerializer(body).data)
