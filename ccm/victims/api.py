"""API for victim assistance: the States' profiles, one State's years with their figures (protected for
the public, exact for its government and the coordinators — ``selectors.reading`` decides), and the
write of a year by the State's editors. The same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.pagination import BoundedLimitOffsetPagination, paginated
from ccm.core.policies import is_signed_in
from ccm.states import selectors as state_selectors
from ccm.states.models import Region, State
from ccm.victims import selectors, services
from ccm.victims.models import AgeGroup, HasVictims, Measure, Sex
from ccm.victims.rules import FIRST_YEAR, MAX_COUNT

TAG = ["victims"]
MAX_CELLS = len(Measure.values) * len(selectors.GRID_SEXES) * len(selectors.GRID_AGES)


def _state(iso3: str) -> State:
    state = state_selectors.state_get(iso3=iso3)
    if state is None:
        raise Http404
    return state


@extend_schema_serializer(component_name="VictimAssistanceProfile")
class ProfileSerializer(serializers.Serializer):
    state = serializers.CharField(source="state.iso3", help_text="ISO 3166 alpha-3 code")
    state_name = serializers.CharField(source="state.name")
    has_victims = serializers.SerializerMethodField(help_text="yes, no, or unknown (not declared)")
    declaration_source = serializers.CharField(source="profile.declaration_source", default="")
    focal_point_name = serializers.CharField(source="profile.focal_point_name", default="")
    focal_point_institution = serializers.CharField(source="profile.focal_point_institution", default="")
    plan_title = serializers.CharField(source="profile.plan_title", default="")
    plan_starts_on = serializers.DateField(source="profile.plan_starts_on", default=None, allow_null=True)
    plan_ends_on = serializers.DateField(source="profile.plan_ends_on", default=None, allow_null=True)
    latest_year = serializers.IntegerField(source="latest.year", default=None, allow_null=True)
    illustrative = serializers.SerializerMethodField()

    def get_has_victims(self, row: Any) -> str:
        return row.profile.has_victims if row.profile else HasVictims.UNKNOWN

    def get_illustrative(self, row: Any) -> bool:
        return bool((row.profile and row.profile.illustrative) or (row.latest and row.latest.illustrative))


class ProfileListApi(APIView):
    """States that declared whether they have cluster munition victims or entered figures, by name."""

    class FilterSerializer(serializers.Serializer):
        has_victims = serializers.ChoiceField(choices=HasVictims.choices, required=False, allow_blank=True, default="")
        region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True, default="")
        q = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)

    @extend_schema(
        operation_id="victims_profiles_list",
        tags=TAG,
        parameters=[FilterSerializer],
        responses=paginated(ProfileSerializer),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        states = selectors.states_with_victim_assistance(**filters.validated_data)
        paginator = BoundedLimitOffsetPagination()
        page: Any = paginator.paginate_queryset(states, request, view=self)
        rows = selectors.state_rows(request.user, list(page))
        return paginator.get_paginated_response(ProfileSerializer(rows, many=True).data)


@extend_schema_serializer(component_name="VictimAssistanceFigure")
class FigureSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=Measure.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    status = serializers.ChoiceField(
        choices=selectors.FigureStatus.choices,
        help_text="shown: the count is given; small: 1 to 4 (count is null); withheld: hidden so that a small "
        "count cannot be worked out from the totals (count is null)",
    )
    count = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="VictimAssistanceYear")
class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named "source"
    source_url = serializers.CharField()
    note = serializers.CharField()
    illustrative = serializers.BooleanField()
    before_entry_into_force = serializers.BooleanField(
        help_text="The year is before the Convention bound the State (victims of earlier use are covered by Article 5)"
    )
    figures = serializers.SerializerMethodField()

    @extend_schema_field(FigureSerializer(many=True))
    def get_figures(self, year: Any) -> list[dict[str, Any]]:
        return [
            {"measure": t.measure, "sex": sex, "age_group": age, "status": cell.status, "count": cell.value}
            for t in year.measures
            for (sex, age), cell in sorted(t.cells.items())
        ]


@extend_schema_serializer(component_name="VictimAssistanceYears")
class YearsSerializer(serializers.Serializer):
    state = serializers.CharField(source="state.iso3")
    exact = serializers.BooleanField(help_text="true: exact figures (the State's government, coordinators)")
    years = YearSerializer(many=True)


@extend_schema_serializer(component_name="VictimAssistanceYearInput")
class YearInputSerializer(serializers.Serializer):
    class CellSerializer(serializers.Serializer):
        measure = serializers.ChoiceField(choices=Measure.choices)
        sex = serializers.ChoiceField(choices=Sex.choices)
        age_group = serializers.ChoiceField(choices=AgeGroup.choices)
        count = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)

    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=9999)
    source = serializers.CharField(max_length=300)  # type: ignore[assignment]  # a field named "source"
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    figures = CellSerializer(  # type: ignore[call-arg]  # max_length: DRF 3.15+, not in the stubs
        many=True, max_length=MAX_CELLS, help_text="Every reported cell; the year is replaced"
    )


class YearListApi(APIView):
    """One State's years with their figures: protected (small numbers) unless the caller may see them
    exact; and (POST) a year entered or replaced by the State's editors."""

    @extend_schema(operation_id="victims_years_list", tags=TAG, responses={200: YearsSerializer})
    def get(self, request: Request, iso3: str) -> Response:
        read = selectors.reading(request.user, _state(iso3))
        return Response(YearsSerializer(read).data)

    @extend_schema(
        operation_id="victims_years_save", tags=TAG, request=YearInputSerializer, responses={200: YearsSerializer}
    )
    def post(self, request: Request, iso3: str) -> Response:
        if not is_signed_in(request.user):
            raise NotAuthenticated
        state = state_selectors.state_for_editor(iso3=iso3, user=request.user)
        data = YearInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cells: dict[tuple[str, str, str], int | None] = {}
        for cell in values["figures"]:
            key = (cell["measure"], cell["sex"], cell["age_group"])
            if key in cells:
                raise ApiValidationError({"figures": [f"The cell {'-'.join(key)} is given twice."]})
            cells[key] = cell["count"]
        try:
            services.year_save(
                state=state,
                year=values["year"],
                source=values["source"],
                source_url=values["source_url"],
                note=values["note"],
                cells=cells,
                actor=request.user,
            )
        except DjangoValidationError as exc:
            raise ApiValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from exc
        read = selectors.reading(request.user, state, year=values["year"])
        return Response(YearsSerializer(read).data, status=status.HTTP_200_OK)
