"""API for funding flows, exchange rates and coverage, with filters; the same policies as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core import cache as aggregate_cache
from ccm.core.clock import today
from ccm.core.money import AmountSerializerField
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import shared_audience
from ccm.funding import rates, selectors
from ccm.funding.models import Stage
from ccm.needs.models import Pillar


class FlowListApi(APIView):
    """Funding flows the caller may see (confidential ones: coordinators and the funder only)."""

    class FilterSerializer(serializers.Serializer):
        funder = serializers.CharField(required=False, max_length=100, help_text="IATI organisation reference or slug")
        recipient = serializers.CharField(required=False, max_length=3, help_text="ISO 3166 alpha-3")
        stage = serializers.ChoiceField(choices=Stage.choices, required=False)
        year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
        pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)

    @extend_schema_serializer(component_name="FundingFlow")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        funder_ref = serializers.CharField()
        funder_name = serializers.CharField()
        recipient = serializers.CharField(source="recipient_state.iso3", allow_null=True, default=None)
        recipient_label = serializers.CharField()
        recipient_region = serializers.CharField()
        pillar = serializers.ChoiceField(choices=Pillar.choices)
        stage = serializers.ChoiceField(choices=Stage.choices)
        amount = AmountSerializerField(read_only=True)
        currency = serializers.CharField()
        value_date = serializers.DateField()
        rate = serializers.DecimalField(max_digits=20, decimal_places=10, allow_null=True)
        rate_date = serializers.DateField(allow_null=True)
        usd_amount = AmountSerializerField(read_only=True, allow_null=True)
        rate_problem = serializers.CharField()
        rate_source = serializers.CharField()
        rate_provisional = serializers.BooleanField(
            help_text="Converted with the latest rate on file (older than the value date); converted again later."
        )
        source = serializers.CharField()  # type: ignore[assignment]
        iati_activity = serializers.CharField()
        need = serializers.SerializerMethodField(help_text="The need it answers, when the caller may see it")
        follows = serializers.IntegerField(source="follows_id", allow_null=True, help_text="The flow it follows")

        def get_need(self, flow: Any) -> int | None:
            return flow.need_id if getattr(flow, "need_visible", False) else None

    @extend_schema(operation_id="flows_list", parameters=[FilterSerializer], responses=paginated(OutputSerializer))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = selectors.flows(user=request.user, filters=selectors.FlowFilters(**filters.validated_data))
        # counting 200,000 flows costs more than the page itself: counted once per audience and selection;
        # the page itself is kept per audience too (who sees which flow and which need is the audience's)
        return paginate(
            request,
            self,
            rows,
            self.OutputSerializer,
            audience_topics=("funding", "needs", "accounts"),
            count=lambda: aggregate_cache.cached(
                "flows-count",
                topics=("funding",),
                parts=(shared_audience(request.user), sorted(filters.validated_data.items())),
                build=rows.count,
            ),
        )


class PledgeListApi(APIView):
    """Pledges the caller may see, each with what followed it: committed against the pledge and disbursed
    against those commitments (in the pledge's currency, and in US dollars). ``awaiting_commitment``
    lists instead the pledges of the caller's organisations with no commitment recorded yet."""

    class FilterSerializer(serializers.Serializer):
        state = serializers.CharField(required=False, max_length=3, help_text="Recipient, ISO 3166 alpha-3")
        funder = serializers.CharField(required=False, max_length=100, help_text="IATI organisation reference or slug")
        need = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
        awaiting_commitment = serializers.BooleanField(required=False, default=False)

    @extend_schema_serializer(component_name="PledgeChain")
    class OutputSerializer(serializers.Serializer):
        pledge = serializers.IntegerField(source="pledge.pk")
        funder_ref = serializers.CharField(source="pledge.funder_ref")
        funder_name = serializers.CharField(source="pledge.funder_name")
        recipient = serializers.CharField(source="pledge.recipient_state.iso3", allow_null=True, default=None)
        need = serializers.IntegerField(source="need.pk", allow_null=True, default=None)
        value_date = serializers.DateField(source="pledge.value_date")
        currency = serializers.CharField(source="pledge.currency")
        pledged = AmountSerializerField(read_only=True, source="pledge.amount")
        committed = AmountSerializerField(read_only=True)
        disbursed = AmountSerializerField(read_only=True)
        pledged_usd = AmountSerializerField(read_only=True, allow_null=True, source="pledge.usd_amount")
        committed_usd = AmountSerializerField(read_only=True)
        disbursed_usd = AmountSerializerField(read_only=True)

    @extend_schema(operation_id="pledges_list", parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data: dict[str, Any] = filters.validated_data
        if data["awaiting_commitment"]:
            if not request.user.is_authenticated:
                raise NotAuthenticated
            chains = selectors.chains_of(
                user=request.user, pledges=list(selectors.pledges_awaiting_commitment(request.user)[:500])
            )
        else:
            chains = selectors.pledge_chains(
                user=request.user,
                state_iso3=(data.get("state") or "").upper(),
                funder=data.get("funder", ""),
                need_id=data.get("need"),
                limit=500,
            )
        return Response(self.OutputSerializer(chains, many=True).data)


class CoverageListApi(APIView):
    """Coverage per State, pillar and year: required, pledged, committed, disbursed (USD), coverage,
    donors and concentration."""

    class FilterSerializer(serializers.Serializer):
        state = serializers.CharField(required=False, max_length=3)
        pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
        year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)

    @extend_schema_serializer(component_name="CoverageCell")
    class OutputSerializer(serializers.Serializer):
        state = serializers.CharField()
        pillar = serializers.CharField()
        year = serializers.IntegerField()
        required = AmountSerializerField(read_only=True)  # type: ignore[assignment]
        required_plan = AmountSerializerField(read_only=True, help_text="The plan gap: cost less national funding")
        required_needs = AmountSerializerField(read_only=True, help_text="The needs not in the plan")
        pledged = AmountSerializerField(read_only=True)
        committed = AmountSerializerField(read_only=True)
        disbursed = AmountSerializerField(read_only=True)
        funded = AmountSerializerField(read_only=True)
        coverage = serializers.FloatField(allow_null=True)
        donors = serializers.IntegerField()
        hhi = serializers.FloatField(allow_null=True)
        top_donor_share = serializers.FloatField(allow_null=True)

    @extend_schema(operation_id="coverage_list", parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> HttpResponse:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data: dict[str, Any] = filters.validated_data

        def serialised() -> Any:
            cells, _unconverted = selectors.coverage_cells(
                user=request.user,
                table=rates.rate_table(),
                state_iso3=(data.get("state") or "").upper(),
                year=data.get("year"),
                pillar=data.get("pillar", ""),
            )
            return self.OutputSerializer(cells, many=True).data

        # serialised once for the readers who see the same rows, like the cells themselves; as JSON (every
        # cell: close to a megabyte on the scale data), kept already written, which is most of the cost
        parts = (shared_audience(request.user), sorted(data.items()))
        if request.accepted_renderer.format == "json":
            body = aggregate_cache.cached(
                "coverage-api-json",
                topics=selectors.COVERAGE_TOPICS,
                parts=parts,
                build=lambda: JSONRenderer().render(serialised()),
            )
            return HttpResponse(body, content_type="application/json")
        return Response(
            aggregate_cache.cached("coverage-api", topics=selectors.COVERAGE_TOPICS, parts=parts, build=serialised)
        )


class RateApi(APIView):
    """The rate to USD used for a currency on a day (the nearest earlier business day's)."""

    class FilterSerializer(serializers.Serializer):
        currency = serializers.RegexField(r"^[A-Za-z]{3}$")
        date = serializers.DateField(required=False)

    @extend_schema_serializer(component_name="ExchangeRate")
    class OutputSerializer(serializers.Serializer):
        currency = serializers.CharField()
        to_usd = serializers.DecimalField(max_digits=20, decimal_places=10)
        on = serializers.DateField()
        source = serializers.CharField()  # type: ignore[assignment]
        kind = serializers.CharField()
        provisional = serializers.BooleanField(
            help_text="The day is after the last rate on file: the most recent rate is used (its date in `on`)."
        )

    @extend_schema(operation_id="rates_retrieve", parameters=[FilterSerializer], responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        day = filters.validated_data.get("date") or today()
        rate = rates.rate_table().rate(filters.validated_data["currency"], day)
        if rate is None:
            raise NotFound("No rate for this currency on or shortly before this day.")
        return Response(self.OutputSerializer(rate).data)


class RateCurrencyListApi(APIView):
    """Per currency with rates on file: how recent they are and where they come from."""

    @extend_schema_serializer(component_name="RateFreshness")
    class OutputSerializer(serializers.Serializer):
        currency = serializers.CharField()
        name = serializers.CharField()
        first = serializers.DateField(allow_null=True)
        last = serializers.DateField(allow_null=True, help_text="The latest daily rate on file")
        age_days = serializers.IntegerField(allow_null=True, help_text="Days from the latest daily rate to today")
        count = serializers.IntegerField(help_text="Daily rates on file")
        sources = serializers.ListField(child=serializers.CharField())
        annual_years = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(operation_id="rates_currencies_list", responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = rates.freshness(rates.rate_table(), today=today())
        return Response(self.OutputSerializer(rows, many=True).data)
