"""API for practices and offers: lists (with the pages' filters) and one of each, through the same
policies and selectors as the pages (404 for what the caller may not see)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core import markdown
from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import get_for_user
from ccm.library import policies, selectors
from ccm.library.models import Condition, Language, OfferKind
from ccm.needs.models import Modality, Pillar

TAG = ["library"]


# What a public page of practices or offers shows: the library's rows, the countries (states), the
# organisations (accounts) and attached documents (core).
PUBLIC_TOPICS = ("library", "states", "accounts", "core")


class _CountriesField(serializers.ListField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-3 codes")
        super().__init__(child=serializers.CharField(), **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return sorted(state.iso3 for state in instance.countries.all())


@extend_schema_serializer(component_name="LibraryPractice")
class PracticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    pillar = serializers.ChoiceField(choices=Pillar.choices)
    tags = serializers.ListField(child=serializers.CharField())
    countries = _CountriesField()
    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    source_organisation = serializers.CharField()
    published_on = serializers.DateField()
    language = serializers.ChoiceField(choices=Language.choices)
    visibility = serializers.CharField()
    illustrative = serializers.BooleanField()


class _PracticeFilterSerializer(serializers.Serializer):
    pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
    country = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, help_text="ISO3 code")
    tag = serializers.CharField(max_length=40, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)


class PracticeListApi(APIView):
    """Practices the caller may see, newest first; filters: pillar, country, tag, language."""

    @extend_schema(
        operation_id="library_practices_list",
        tags=TAG,
        parameters=[_PracticeFilterSerializer],
        responses=paginated(PracticeSerializer),
    )
    def get(self, request: Request) -> Response:
        params = _PracticeFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = selectors.PracticeFilters(
            pillar=data.get("pillar", ""),
            country=data.get("country", "").upper(),
            tag=data.get("tag", ""),
            language=data.get("language", ""),
        )
        return paginate(
            request,
            self,
            lambda: selectors.practices(user=request.user, filters=filters),
            PracticeSerializer,
            public_topics=PUBLIC_TOPICS,
        )


class PracticeDetailApi(APIView):
    """One practice, with its text in Markdown and as sanitised HTML; 404 when hidden."""

    @extend_schema_serializer(component_name="LibraryPracticeDetail")
    class OutputSerializer(PracticeSerializer):
        body = serializers.CharField(help_text="Markdown, as written")
        body_html = serializers.SerializerMethodField(help_text="Rendered and sanitised HTML")

        def get_body_html(self, practice: Any) -> str:
            return str(markdown.render(practice.body))

    @extend_schema(operation_id="library_practices_retrieve", tags=TAG, responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        practice = get_for_user(policies.practices, request.user, pk=pk)
        return Response(self.OutputSerializer(practice).data)


@extend_schema_serializer(component_name="LibraryOffer")
class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    title = serializers.CharField()
    description = serializers.CharField()
    pillar = serializers.ChoiceField(choices=Pillar.choices)
    modality = serializers.ChoiceField(choices=Modality.choices)
    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    expert_name = serializers.CharField(help_text="For expertise: the person or the agency")
    skills = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    availability = serializers.CharField()
    quantity = serializers.IntegerField(allow_null=True)
    condition = serializers.ChoiceField(choices=[("", "Not given"), *Condition.choices])
    location = serializers.CharField()
    countries = _CountriesField(help_text="ISO3 codes; empty when offered to any country")
    expires_on = serializers.DateField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    visibility = serializers.CharField()
    illustrative = serializers.BooleanField()


class _OfferFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OfferKind.choices, required=False)
    pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
    country = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, help_text="ISO3 code")
    include_expired = serializers.BooleanField(
        required=False, default=False, help_text="Also the expired and withdrawn offers of your organisations"
    )


class OfferListApi(APIView):
    """Offers the caller may see, soonest to end first: only those still offered, unless include_expired
    (the caller's own organisations' expired and withdrawn offers; all for coordinators)."""

    @extend_schema(
        operation_id="library_offers_list",
        tags=TAG,
        parameters=[_OfferFilterSerializer],
        responses=paginated(OfferSerializer),
    )
    def get(self, request: Request) -> Response:
        params = _OfferFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = selectors.OfferFilters(
            kind=data.get("kind", ""),
            pillar=data.get("pillar", ""),
            country=data.get("country", "").upper(),
            include_expired=bool(data.get("include_expired")),
        )
        return paginate(
            request,
            self,
            lambda: selectors.offers(user=request.user, today=today(), filters=filters),
            OfferSerializer,
            public_topics=PUBLIC_TOPICS,
        )


class OfferDetailApi(APIView):
    """One offer; 404 when hidden (an expired or withdrawn offer is seen only by its organisation and the
    coordinators)."""

    @extend_schema(operation_id="library_offers_retrieve", tags=TAG, responses=OfferSerializer)
    def get(self, request: Request, pk: int) -> Response:
        offer = get_for_user(policies.offers, request.user, pk=pk)
        return Response(OfferSerializer(offer).data)
