"""API of the Article 7 draft: the same data as the page and the downloads, through the same policy."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.clock import today
from ccm.core.policies import Action
from ccm.states import selectors as state_selectors
from ccm.transparency import draft as drafts
from ccm.transparency.draft_policies import report_drafts


def _number(value: Any) -> str | None:
    """A figure as a decimal string ("1250000", "1200000.00"), or None for a text figure."""
    return None if value is None else str(value)


@extend_schema_serializer(component_name="ReportDraftFigure")
class DraftFigureSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"
    value = serializers.CharField(allow_null=True, help_text="The number as a decimal string; null for a date.")
    text = serializers.CharField(help_text="As written in the draft.")
    unit = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named "source"
    unpublished = serializers.BooleanField(help_text="From a report the State has not published.")
    illustrative = serializers.BooleanField()


@extend_schema_serializer(component_name="ReportDraftFlowLine")
class DraftFlowLineSerializer(serializers.Serializer):
    recipient = serializers.CharField()
    recipient_iso3 = serializers.CharField()
    pillar = serializers.CharField()
    pillar_label = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    currency = serializers.CharField()
    amount = serializers.CharField()
    usd = serializers.CharField(allow_null=True, help_text="Null when a flow of the line has no rate.")
    flows = serializers.IntegerField()
    sources = serializers.CharField()


@extend_schema_serializer(component_name="ReportDraftItem")
class DraftItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The letter of Article 7(1): a to n.")
    title = serializers.CharField()
    to_complete = serializers.BooleanField(help_text="The platform holds no figure for this item.")
    left_for_state = serializers.CharField(help_text="What the State still has to write.")
    figures = DraftFigureSerializer(many=True)
    flow_lines = DraftFlowLineSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(component_name="ReportDraftStageTotal")
class DraftStageTotalSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"
    usd = serializers.CharField()
    flows = serializers.IntegerField()
    unconverted = serializers.IntegerField()


@extend_schema_serializer(component_name="ReportDraft")
class DraftOutputSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="ISO 3166 alpha-3 code.")
    state_name = serializers.CharField()
    year = serializers.IntegerField()
    prepared_on = serializers.DateField()
    marking = serializers.CharField()
    language = serializers.CharField()
    language_note = serializers.CharField()
    uses_unpublished = serializers.BooleanField()
    year_under_way = serializers.BooleanField()
    items = DraftItemSerializer(many=True)
    flow_totals = DraftStageTotalSerializer(many=True)


class ReportDraftApi(APIView):
    """The Article 7 report of a State for a calendar year, drafted from the platform's data: items (a) to
    (n), each with its figures and their sources, and whether it is left for the State to complete. Only
    the State's government and coordinators may ask (404 for others); the figures are those the caller may
    see (a year the State has not published counts only for its own government, marked ``unpublished``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="transparency_draft_retrieve",
        tags=["transparency-drafts"],
        parameters=[
            OpenApiParameter(
                "lang",
                OpenApiTypes.STR,
                description="en (default), fr or es. The draft is in English until translations exist.",
            )
        ],
        responses=DraftOutputSerializer,
    )
    def get(self, request: Request, iso3: str, year: int) -> Response:
        state = state_selectors.state_get(iso3=iso3)
        if state is None or not report_drafts.can(request.user, Action.VIEW, state):
            raise NotFound("No State with this code.")
        day = today()
        if not drafts.year_in_range(year, today=day):
            raise NotFound(f"No Article 7 year {year}: choose one from {drafts.FIRST_YEAR} to {day.year}.")
        requested = request.query_params.get("lang", "")
        try:
            drafts.draft_language(requested)
        except ValueError as exc:
            raise ValidationError({"lang": [str(exc)]}) from exc
        draft = drafts.draft_for(state=state, year=year, user=request.user, today=day, language=requested)
        return Response(DraftOutputSerializer(as_data(draft)).data)


def as_data(draft: drafts.ReportDraft) -> dict[str, Any]:
    """The draft as plain JSON-ready data (decimals as strings)."""
    return {
        "state": draft.state.iso3,
        "state_name": draft.state.name,
        "year": draft.year,
        "prepared_on": draft.prepared_on,
        "marking": draft.marking,
        "language": draft.language,
        "language_note": draft.language_note,
        "uses_unpublished": draft.uses_unpublished,
        "year_under_way": draft.year_under_way,
        "items": [
            {
                "key": item.key,
                "title": item.title,
                "to_complete": item.to_complete,
                "left_for_state": item.left_for_state,
                "figures": [
                    {
                        "label": f.label,
                        "value": _number(f.value),
                        "text": f.text,
                        "unit": f.unit,
                        "source": f.source,
                        "unpublished": f.unpublished,
                        "illustrative": f.illustrative,
                    }
                    for f in item.figures
                ],
                "flow_lines": [
                    {
                        "recipient": line.recipient,
                        "recipient_iso3": line.recipient_iso3,
                        "pillar": line.pillar,
                        "pillar_label": line.pillar_label,
                        "stage": line.stage,
                        "stage_label": line.stage_label,
                        "currency": line.currency,
                        "amount": str(line.amount),
                        "usd": _number(line.usd),
                        "flows": line.flows,
                        "sources": line.sources,
                    }
                    for line in item.flow_lines
                ],
                "notes": item.notes,
            }
            for item in draft.items
        ],
        "flow_totals": [
            {"stage": t.stage, "label": t.label, "usd": str(t.usd), "flows": t.flows, "unconverted": t.unconverted}
            for t in draft.flow_totals
        ],
    }
