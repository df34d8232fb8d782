"""API for coordination: forecasts, the attention gap (weights as query parameters), matching for a need,
allocation runs (list, detail, create). Through the same policies and selectors as the pages: the same
figures, 404 for whoever may not see them (401 when not signed in)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.analytics import attention as att
from ccm.coordination import policies, selectors, services
from ccm.coordination.models import AllocationStatus, ForecastStatus
from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import get_for_user, is_signed_in
from ccm.needs.policies import needs as need_policy

TAG = ["coordination"]


def _api_error(exc: DjangoValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"detail": exc.messages})


def _coordinator(request: Request) -> None:
    if not is_signed_in(request.user):
        raise NotAuthenticated
    if not policies.may_coordinate(request.user):
        raise Http404


def _signed_in(request: Request) -> None:
    if not is_signed_in(request.user):
        raise NotAuthenticated


@extend_schema_serializer(component_name="CoordinationForecast")
class ForecastSerializer(serializers.Serializer):
    key = serializers.CharField(source="info.key", help_text="State ISO3 and obligation: art3 or art4")
    state = serializers.CharField(source="info.iso3")
    state_name = serializers.CharField(source="info.state_name")
    obligation = serializers.CharField(source="info.kind")
    deadline = serializers.DateField(source="info.deadline", allow_null=True)
    remaining = serializers.FloatField(source="info.remaining", allow_null=True)
    status = serializers.ChoiceField(choices=ForecastStatus.choices, source="result.status")
    reason = serializers.CharField(source="result.reason")
    p10 = serializers.IntegerField(source="result.p10", allow_null=True)
    p50 = serializers.IntegerField(source="result.p50", allow_null=True)
    p90 = serializers.IntegerField(source="result.p90", allow_null=True)
    probability_on_time = serializers.FloatField(source="result.probability_on_time", allow_null=True)
    beyond_horizon = serializers.FloatField(source="result.beyond_horizon", allow_null=True)
    extra_funding_for_80 = serializers.FloatField(
        source="result.extra_funding_for_80",
        allow_null=True,
        help_text="Additional USD per year to reach an 80% chance of finishing on time",
    )
    draws = serializers.IntegerField(source="result.draws")
    seed = serializers.IntegerField(source="result.seed")


class ForecastListApi(APIView):
    """Completion forecasts of every open obligation, most at risk first (coordinators)."""

    @extend_schema(operation_id="coordination_forecasts_list", tags=TAG, responses=paginated(ForecastSerializer))
    def get(self, request: Request) -> Response:
        _coordinator(request)
        view = selectors.forecasts(user=request.user, today=today())
        return paginate(request, self, view.rows, ForecastSerializer)


@extend_schema_serializer(component_name="CoordinationAttentionComponent")
class ComponentSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=[(c, c) for c in att.COMPONENTS])
    raw = serializers.FloatField(allow_null=True)
    normalised = serializers.FloatField(allow_null=True)


@extend_schema_serializer(component_name="CoordinationAttentionState")
class AttentionSerializer(serializers.Serializer):
    state = serializers.CharField(source="iso3")
    state_name = serializers.CharField(source="name")
    rank = serializers.IntegerField(source="score.rank")
    score = serializers.FloatField(source="score.score")
    components = ComponentSerializer(many=True, source="score.components")
    missing = serializers.ListField(child=serializers.CharField(), source="score.missing")
    requirement = serializers.FloatField(source="facts.requirement", help_text="USD required over the window")
    received = serializers.FloatField(source="facts.received", help_text="USD received over the window")
    coverage = serializers.FloatField(allow_null=True)
    open_needs = serializers.IntegerField(source="facts.open_needs")
    unanswered_needs = serializers.IntegerField(source="facts.unanswered_needs")
    probability_on_time = serializers.FloatField(source="facts.probability_on_time", allow_null=True)


WEIGHT_PARAMETERS = [
    OpenApiParameter(
        name, float, OpenApiParameter.QUERY, required=False, description=f"Weight of {name} (0 or more; default: saved)"
    )
    for name in att.COMPONENTS
]


class AttentionListApi(APIView):
    """The attention gap of every affected State, most neglected first; weights given in the query replace
    the saved ones for this answer (every weight not given counts 0 then)."""

    @extend_schema(
        operation_id="coordination_attention_list",
        tags=TAG,
        parameters=WEIGHT_PARAMETERS,
        responses=paginated(AttentionSerializer),
    )
    def get(self, request: Request) -> Response:
        _coordinator(request)
        weights = None
        given = {name: request.query_params[name] for name in att.COMPONENTS if name in request.query_params}
        if given:
            try:
                weights = services.check_weights({k: float(v) for k, v in given.items()})
            except ValueError:
                raise ApiValidationError({"weights": ["Each weight is a number."]}) from None
            except DjangoValidationError as exc:
                raise _api_error(exc) from exc
        data = selectors.dashboard(user=request.user, today=today(), weights=weights)
        rows = [line for line in data.states if line.score is not None]
        return paginate(request, self, rows, AttentionSerializer)


@extend_schema_serializer(component_name="CoordinationMatchReason")
class ReasonSerializer(serializers.Serializer):
    text = serializers.CharField()
    points = serializers.FloatField()


@extend_schema_serializer(component_name="CoordinationDonorMatch")
class DonorMatchSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="donor.organisation.slug")
    name = serializers.CharField(source="donor.organisation.name")
    score = serializers.FloatField(source="match.score")
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, row: Any) -> list[dict[str, Any]]:
        return [{"text": text, "points": points} for text, points in row.reasons]


class NeedDonorListApi(APIView):
    """Donors that fit one need, best first, with the reasons (coordinators)."""

    @extend_schema(operation_id="coordination_need_donors_list", tags=TAG, responses=paginated(DonorMatchSerializer))
    def get(self, request: Request, pk: int) -> Response:
        _coordinator(request)
        need = get_for_user(need_policy, request.user, pk=pk)
        _info, rows = selectors.need_matches(user=request.user, need=need, today=today(), limit=50)
        return paginate(request, self, rows, DonorMatchSerializer)


@extend_schema_serializer(component_name="CoordinationAllocationMetrics")
class MetricsSerializer(serializers.Serializer):
    states_with_nothing = serializers.IntegerField()
    lowest_coverage = serializers.FloatField()
    gini = serializers.FloatField()
    total_placed = serializers.FloatField(help_text="USD")
    states = serializers.IntegerField()


@extend_schema_serializer(component_name="CoordinationAllocationRun")
class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=AllocationStatus.choices)
    message = serializers.CharField()
    solver = serializers.CharField()
    seconds = serializers.FloatField()
    eligible_pairs = serializers.IntegerField()
    envelope_percent = serializers.IntegerField()
    shared = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    coordinated = MetricsSerializer(source="outputs.coordinated", allow_null=True)
    baseline = MetricsSerializer(source="outputs.baseline", allow_null=True)


@extend_schema_serializer(component_name="CoordinationAllocationLine")
class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    donor = serializers.CharField(source="donor.slug")
    donor_name = serializers.CharField(source="donor.name")
    need = serializers.IntegerField(source="need_id")
    state = serializers.CharField(source="need.state.iso3")
    amount_usd = serializers.DecimalField(source="amount", max_digits=20, decimal_places=2)
    pledged = serializers.BooleanField()
    pledged_flow = serializers.IntegerField(source="pledged_flow_id", allow_null=True)


class AllocationListApi(APIView):
    """Saved allocation runs (coordinators: every run); POST runs a new one on the current data."""

    @extend_schema_serializer(component_name="CoordinationAllocationInput")
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        percent = serializers.IntegerField(min_value=1, max_value=100, default=100)

    @extend_schema(operation_id="coordination_allocations_list", tags=TAG, responses=paginated(RunSerializer))
    def get(self, request: Request) -> Response:
        _coordinator(request)
        return paginate(request, self, selectors.run_rows(user=request.user), RunSerializer)

    @extend_schema(
        operation_id="coordination_allocations_create",
        tags=TAG,
        request=InputSerializer,
        responses={201: RunSerializer},
    )
    def post(self, request: Request) -> Response:
        _coordinator(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            run = services.allocation_create(
                title=data.validated_data["title"], percent=data.validated_data["percent"], actor=request.user
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(RunSerializer(run).data, status=201)


class AllocationDetailApi(APIView):
    """One run: its metrics, coordinated and baseline, and the lines the caller may see (a donor its own)."""

    @extend_schema_serializer(component_name="CoordinationAllocationRunDetail")
    class OutputSerializer(RunSerializer):
        lines = LineSerializer(many=True, source="lines_shown")

    @extend_schema(operation_id="coordination_allocations_retrieve", tags=TAG, responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        _signed_in(request)
        run = get_for_user(policies.runs, request.user, pk=pk)
        view = selectors.run_view(user=request.user, run=run)
        run.lines_shown = view.lines  # type: ignore[attr-defined]
        return Response(self.OutputSerializer(run).data)
