"""Read-only public API for States, their obligations, deadlines and extensions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated
from ccm.states import selectors
from ccm.states.forms import OBLIGATION_CHOICES, REGION_CHOICES, SORT_CHOICES, STATUS_CHOICES
from ccm.states.models import Confidence, Decision, ObligationKind, ObligationStatus, Region, State


class SourceSerializer(serializers.Serializer):
    citation = serializers.CharField()
    url = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)


class ExtensionSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    is_interim = serializers.BooleanField()
    submitted_on = serializers.DateField(allow_null=True)
    meeting = serializers.CharField()
    meeting_on = serializers.DateField(allow_null=True)
    requested_until = serializers.DateField(allow_null=True)
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_on = serializers.DateField(allow_null=True)
    granted_until = serializers.DateField(allow_null=True)
    benchmarks = serializers.CharField()
    note = serializers.CharField()
    confidence = serializers.ChoiceField(choices=Confidence.choices)
    source = SourceSerializer()  # type: ignore[assignment]  # a field named "source"


class ObligationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ObligationKind.choices, source="obligation.kind")
    article = serializers.IntegerField(source="obligation.article")
    original_deadline = serializers.DateField(allow_null=True, source="obligation.original_deadline")
    current_deadline = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ObligationStatus.choices)
    status_label = serializers.CharField(help_text="The status in words, as on every page.")
    status_sentence = serializers.CharField(
        source="sentence", help_text="The sentence that describes the obligation's status, as on every page."
    )
    completed = serializers.BooleanField(source="obligation.completed")
    completed_on = serializers.DateField(allow_null=True, source="obligation.completed_on")
    completed_on_precision = serializers.CharField(source="obligation.completed_on_precision")
    confidence = serializers.ChoiceField(choices=Confidence.choices, source="obligation.confidence")
    source = SourceSerializer(source="obligation.source")  # type: ignore[assignment]
    extensions = ExtensionSerializer(many=True, source="obligation.extensions.all")


class StateOutputSerializer(serializers.Serializer):
    iso3 = serializers.CharField(source="state.iso3")
    iso2 = serializers.CharField(source="state.iso2")
    name = serializers.CharField(source="state.name")
    region = serializers.ChoiceField(choices=Region.choices, allow_blank=True, source="state.region")
    is_state = serializers.BooleanField(
        source="state.is_state", help_text="False for territories and other areas (not listed as States)."
    )
    ccm_status = serializers.CharField(
        source="state.ccm_status",
        help_text="state_party, signatory, withdrawn, or empty for a State that is neither signatory nor party",
    )
    ccm_status_label = serializers.CharField(source="state.get_ccm_status_display")
    signature_date = serializers.DateField(allow_null=True, source="state.signature_date")
    deposit_date = serializers.DateField(allow_null=True, source="state.deposit_date")
    instrument = serializers.CharField(source="state.instrument")
    entry_into_force = serializers.DateField(allow_null=True, source="state.entry_into_force")
    withdrawal_notified = serializers.DateField(allow_null=True, source="state.withdrawal_notified")
    withdrawal_effective = serializers.DateField(allow_null=True, source="state.withdrawal_effective")
    treaty_source = SourceSerializer(allow_null=True, source="state.treaty_source")
    obligations = ObligationSerializer(many=True)


class StateListApi(APIView):
    """States with their treaty status and obligations; filters as on the States page."""

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False, allow_blank=True, default="")
        obligation = serializers.ChoiceField(choices=OBLIGATION_CHOICES, required=False, allow_blank=True, default="")
        region = serializers.ChoiceField(
            choices=[("", "Any"), *REGION_CHOICES], required=False, allow_blank=True, default=""
        )
        sort = serializers.ChoiceField(choices=SORT_CHOICES, required=False, default="name")

    @extend_schema(
        operation_id="states_list",
        parameters=[
            FilterSerializer,
        ],
        responses=paginated(StateOutputSerializer),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)

        def rows() -> Any:
            return selectors.state_list(today=today(), **filters.validated_data)

        return paginate(request, self, rows, StateOutputSerializer, public_topics=("states",))


class StateDetailApi(APIView):
    """One State by its ISO 3166 alpha-3 code, with obligations, deadlines and extensions."""

    @extend_schema(operation_id="states_retrieve", responses={200: StateOutputSerializer})
    def get(self, request: Request, iso3: str) -> Response:
        state: State | None = selectors.state_get(iso3=iso3)
        if state is None:
            raise NotFound("No State with this code.")
        row: Any = selectors.state_row(state=state, today=today())
        return Response(StateOutputSerializer(row).data)
