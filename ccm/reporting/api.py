"""Read API for a State's baselines, progress reports, completion plans and remaining work;
the same policies as the pages (hidden reports and plans are simply absent)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.clock import today
from ccm.core.money import AmountSerializerField
from ccm.core.pagination import paginate, paginated
from ccm.reporting import policies, selectors
from ccm.reporting.models import FigureKind, PlanStatus, ReportStatus
from ccm.states import selectors as state_selectors
from ccm.states.models import ObligationKind, State


def _state(iso3: str) -> State:
    state = state_selectors.state_get(iso3=iso3)
    if state is None:
        raise NotFound("No State with this code.")
    return state


class BaselineListApi(APIView):
    """Baselines and newly discovered work, per obligation."""

    @extend_schema_serializer(component_name="BaselineFigure")
    class OutputSerializer(serializers.Serializer):
        obligation = serializers.ChoiceField(choices=ObligationKind.choices, source="obligation.kind")
        kind = serializers.ChoiceField(choices=FigureKind.choices)
        recorded_on = serializers.DateField()
        sha_m2 = serializers.IntegerField(allow_null=True)
        cha_m2 = serializers.IntegerField(allow_null=True)
        areas = serializers.IntegerField(allow_null=True)
        munition_type = serializers.CharField()
        munitions = serializers.IntegerField(allow_null=True)
        submunitions = serializers.IntegerField(allow_null=True)
        source = serializers.CharField()  # type: ignore[assignment]  # a field named "source"
        source_url = serializers.CharField()
        illustrative = serializers.BooleanField()

    @extend_schema(operation_id="baselines_list", responses=paginated(OutputSerializer))
    def get(self, request: Request, iso3: str) -> Response:
        rows = (
            policies.baselines.visible_to(request.user)
            .filter(obligation__state=_state(iso3))
            .select_related("obligation")
        )
        return paginate(request, self, rows, self.OutputSerializer)


class ProgressReportListApi(APIView):
    """Yearly progress figures as the caller sees them: the State's editors get the working figures
    (drafts and corrections), everyone else the last published version of each year."""

    @extend_schema_serializer(component_name="ProgressReport")
    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        status = serializers.ChoiceField(choices=ReportStatus.choices)
        cancelled_m2 = serializers.IntegerField()
        reduced_m2 = serializers.IntegerField()
        cleared_m2 = serializers.IntegerField()
        land_released_m2 = serializers.IntegerField()
        submunitions_destroyed = serializers.IntegerField()
        other_remnants_destroyed = serializers.IntegerField()
        stockpile_munitions_destroyed = serializers.IntegerField()
        stockpile_submunitions_destroyed = serializers.IntegerField()
        national_resources = AmountSerializerField(read_only=True, allow_null=True)
        national_resources_currency = serializers.CharField()
        risk_education_beneficiaries = serializers.IntegerField(allow_null=True)
        victim_assistance_beneficiaries = serializers.IntegerField(allow_null=True)
        obstacles = serializers.CharField()
        source = serializers.CharField()  # type: ignore[assignment]
        illustrative = serializers.BooleanField()
        needs_review = serializers.BooleanField()
        correction_under_review = serializers.BooleanField(
            help_text="Published, with a correction awaiting review. Readers without edit rights get the "
            "published figures until a manager publishes the correction; the State's editors get the corrected ones."
        )

    @extend_schema(operation_id="progress_reports_list", responses=paginated(OutputSerializer))
    def get(self, request: Request, iso3: str) -> Response:
        rows = selectors.reports_for(state=_state(iso3), user=request.user)
        return paginate(request, self, rows, self.OutputSerializer)


class CompletionPlanListApi(APIView):
    """Completion plan versions the caller may see, newest first, with their years and gaps. A reader who
    may not see a plan's version in force (the newest approved) sees none of its versions."""

    @extend_schema_serializer(component_name="CompletionPlan")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="PlanYear")
        class YearSerializer(serializers.Serializer):
            year = serializers.IntegerField()
            target_output = serializers.IntegerField()
            cost = AmountSerializerField(read_only=True)
            national_funding = AmountSerializerField(read_only=True)
            international_funding = AmountSerializerField(read_only=True)
            gap = AmountSerializerField(read_only=True)

        obligation = serializers.ChoiceField(choices=ObligationKind.choices, source="obligation.kind")
        version = serializers.IntegerField()
        status = serializers.ChoiceField(choices=PlanStatus.choices)
        currency = serializers.CharField()
        approved_at = serializers.DateTimeField(allow_null=True)
        illustrative = serializers.BooleanField()
        years = YearSerializer(many=True, source="years.all")

    @extend_schema(operation_id="completion_plans_list", responses=paginated(OutputSerializer))
    def get(self, request: Request, iso3: str) -> Response:
        rows = sorted(
            selectors.plans_shown(user=request.user, state=_state(iso3)),
            key=lambda p: (p.obligation.kind, -p.version),
        )
        return paginate(request, self, rows, self.OutputSerializer)


class RemainingWorkApi(APIView):
    """Remaining work per open obligation, computed from the baseline, additions and the reports the
    caller may see."""

    @extend_schema_serializer(component_name="RemainingWork")
    class OutputSerializer(serializers.Serializer):
        obligation = serializers.CharField(source="obligation.kind")
        unit = serializers.CharField()
        baseline = serializers.IntegerField(source="work.baseline", allow_null=True)
        additions = serializers.IntegerField(source="work.additions")
        released = serializers.IntegerField(source="work.released")
        remaining = serializers.IntegerField(source="work.remaining", allow_null=True)
        deadline = serializers.DateField(source="work.deadline", allow_null=True)
        years_to_deadline = serializers.FloatField(source="work.years_to_deadline", allow_null=True)
        rate_needed = serializers.FloatField(source="work.rate_needed", allow_null=True)
        recent_rate = serializers.FloatField(source="work.recent_rate", allow_null=True)
        recent_years = serializers.ListField(child=serializers.IntegerField(), source="work.recent_years")
        years_left_at_recent_rate = serializers.FloatField(source="work.years_left_at_recent_rate", allow_null=True)
        on_course = serializers.BooleanField(source="work.on_course", allow_null=True)

    @extend_schema(operation_id="remaining_work_list", responses=OutputSerializer(many=True))
    def get(self, request: Request, iso3: str) -> Response:
        profile = selectors.country_profile(state=_state(iso3), user=request.user, today=today())
        return Response(self.OutputSerializer(profile.work, many=True).data)
