"""API of Article 7 reporting status (public, as the pages): every report owed with its status (filters),
one State's reports, and the on-time rate per year. Through the same policy and selectors as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated
from ccm.states.models import Region
from ccm.transparency import selectors
from ccm.transparency.models import ReportKind, SubmissionStatus
from ccm.transparency.selectors import ReportStanding

TAG = ["transparency"]
MIN_YEAR, MAX_YEAR = 2010, 2100


@extend_schema_serializer(component_name="TransparencyReportLine")
class ReportLineSerializer(serializers.Serializer):
    state = serializers.CharField(source="iso3", help_text="ISO 3166 alpha-3")
    state_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    year = serializers.IntegerField(allow_null=True, help_text="Calendar year covered (annual reports)")
    due = serializers.DateField()
    status = serializers.ChoiceField(choices=ReportStanding.choices)
    status_label = serializers.CharField()
    days_late = serializers.IntegerField(allow_null=True)
    days_overdue = serializers.IntegerField(allow_null=True)
    recorded_status = serializers.ChoiceField(
        choices=SubmissionStatus.choices, allow_blank=True, help_text="What is on record; empty when nothing is"
    )
    submitted_on = serializers.DateField(allow_null=True)
    checked_on = serializers.DateField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]
    source_url = serializers.CharField()
    self_reported = serializers.BooleanField(help_text="Recorded by the State's own government")
    illustrative = serializers.BooleanField()


@extend_schema_serializer(component_name="TransparencyYearRate")
class YearRateSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Calendar year of the due date")
    due = serializers.IntegerField(help_text="Reports due that year (due date passed)")
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    unknown = serializers.IntegerField(help_text="Nothing known: neither late nor on time")
    known = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="On time / known; null when none is known")
    known_share = serializers.FloatField(allow_null=True, help_text="Known / due")


FILTERS = [
    OpenApiParameter("status", str, enum=ReportStanding.values, required=False, description="Where the report stands"),
    OpenApiParameter("region", str, enum=Region.values, required=False),
    OpenApiParameter("year", int, required=False, description="Calendar year of the due date"),
    OpenApiParameter("state", str, required=False, description="ISO 3166 alpha-3"),
]


def _filters(request: Request) -> selectors.Filters:
    params = request.query_params
    errors: dict[str, list[str]] = {}
    status = params.get("status", "")
    if status and status not in ReportStanding.values:
        errors["status"] = [f"One of: {', '.join(ReportStanding.values)}."]
    region = params.get("region", "")
    if region and region not in Region.values:
        errors["region"] = [f"One of: {', '.join(Region.values)}."]
    year_text = params.get("year", "")
    year = None
    if year_text:
        if (
            year_text.isascii()
            and year_text.isdigit()
            and len(year_text) == 4
            and MIN_YEAR <= int(year_text) <= MAX_YEAR
        ):
            year = int(year_text)
        else:
            errors["year"] = [f"A year from {MIN_YEAR} to {MAX_YEAR}."]
    state = params.get("state", "")
    if state and not (state.isascii() and state.isalpha() and len(state) == 3):
        errors["state"] = ["An ISO 3166 alpha-3 code."]
    if errors:
        raise ValidationError(errors)
    return selectors.Filters(status=status, region=region, year=year, state=state.upper())


class ReportStatusListApi(APIView):
    """Every Article 7 report each State Party owes, with its due date and status (public)."""

    @extend_schema(
        operation_id="transparency_reports_list",
        tags=TAG,
        parameters=FILTERS,
        responses=paginated(ReportLineSerializer),
    )
    def get(self, request: Request) -> Response:
        lines = selectors.report_lines(user=request.user, today=today(), filters=_filters(request))
        return paginate(request, self, lines, ReportLineSerializer)


class StateReportListApi(APIView):
    """One State's Article 7 reports, newest first (404 for a State that owes none)."""

    @extend_schema(operation_id="transparency_state_reports", tags=TAG, responses=ReportLineSerializer(many=True))
    def get(self, request: Request, iso3: str) -> Response:
        state = selectors.state_for_reports(iso3)
        if state is None:
            raise Http404
        lines = selectors.state_lines(user=request.user, state=state, today=today())
        return Response(ReportLineSerializer(lines, many=True).data)


class YearRateListApi(APIView):
    """The on-time rate per calendar year of the due date, across States Parties; unknown counted apart."""

    @extend_schema(
        operation_id="transparency_rates_list",
        tags=TAG,
        parameters=[OpenApiParameter("region", str, enum=Region.values, required=False)],
        responses=YearRateSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        region = request.query_params.get("region", "")
        if region and region not in Region.values:
            raise ValidationError({"region": [f"One of: {', '.join(Region.values)}."]})
        rates = selectors.rates(user=request.user, today=today(), region=region)
        return Response(YearRateSerializer(rates, many=True).data)
