"""API of a campaign's synthesis: the same reads as the page, through the same policy — de-attributed
and without held quotes unless the reader sees attribution."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.consultations import synthesis_policies as policies
from ccm.consultations import synthesis_selectors as selectors
from ccm.consultations.models import QuestionType
from ccm.consultations.synthesis_models import QuoteStatus
from ccm.core.clock import today


class CampaignSynthesisApi(APIView):
    """The synthesis of one campaign: per question, counts per option, figures, and free-text answers
    grouped by theme with the reasons for each automatic theme."""

    permission_classes = [IsAuthenticated]

    class QuoteSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="item_id")
        text = serializers.CharField()
        organisation = serializers.CharField(
            allow_null=True, help_text="Only for readers who see attribution (conveners, support unit)."
        )
        status = serializers.ChoiceField(choices=QuoteStatus.choices)
        themes = serializers.SerializerMethodField()

        def get_themes(self, quote: Any) -> list[dict[str, str]]:
            return [{"theme": t.theme, "source": t.source, "reason": t.reason} for t in quote.tags]

    @extend_schema_serializer(component_name="ConsultationSynthesisQuestion")
    class QuestionSerializer(serializers.Serializer):
        key = serializers.CharField(source="question.key")
        text = serializers.CharField(source="question.text")
        type = serializers.ChoiceField(choices=QuestionType.choices, source="question.qtype")
        answered = serializers.IntegerField()
        options = serializers.SerializerMethodField()
        figures = serializers.SerializerMethodField()
        themes = serializers.SerializerMethodField()
        held = serializers.IntegerField(help_text="Answers held back until a convener reviews them.")

        def get_options(self, s: Any) -> list[dict[str, Any]]:
            return [{"key": o.key, "label": o.label, "count": o.count, "share": round(o.share, 4)} for o in s.options]

        def get_figures(self, s: Any) -> dict[str, Any] | None:
            f = s.figures
            if f is None:
                return None
            values = {"median": f.median, "min": f.minimum, "max": f.maximum}
            return {"n": f.n, **{k: None if v is None else f"{v.normalize():f}" for k, v in values.items()}}

        def get_themes(self, s: Any) -> list[dict[str, Any]]:
            quote = CampaignSynthesisApi.QuoteSerializer
            return [{"theme": g.theme, "label": g.label, "quotes": quote(g.quotes, many=True).data} for g in s.groups]

    @extend_schema_serializer(component_name="ConsultationSynthesis")
    class OutputSerializer(serializers.Serializer):
        campaign = serializers.IntegerField(source="campaign.pk")
        title = serializers.CharField(source="campaign.title")
        attributed = serializers.BooleanField(help_text="Whether the organisations are named.")
        answers = serializers.IntegerField(help_text="Submitted answers.")
        held = serializers.IntegerField()
        questions = serializers.SerializerMethodField()

        def get_questions(self, synthesis: Any) -> list[dict[str, Any]]:
            return list(CampaignSynthesisApi.QuestionSerializer(synthesis.questions, many=True).data)

    @extend_schema(operation_id="consultation_synthesis", tags=["syntheses"], responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        campaign = policies.synthesis.visible_to(request.user).filter(pk=pk).first()
        if campaign is None:
            raise NotFound
        synthesis = selectors.campaign_synthesis(campaign=campaign, user=request.user, today=today())
        return Response(self.OutputSerializer(synthesis).data)
