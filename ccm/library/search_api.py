"""``/api/v1/search/``: the site search, with the page's parameters; each result only if its object's
policy shows it to the caller (so the count never reveals a hidden object)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.pagination import BoundedLimitOffsetPagination
from ccm.library.models import Language
from ccm.library.search import Filters, page_results, search
from ccm.library.search_forms import query_text
from ccm.library.search_models import SearchKind
from ccm.needs.models import Pillar
from ccm.states.models import State

TAG = ["search"]


class QueryTextField(serializers.CharField):
    """Any text is a query (made one line and capped), never refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = []  # null characters are removed, not refused

    def to_internal_value(self, data: Any) -> str:
        return query_text(data)


@extend_schema_serializer(component_name="SearchResult")
class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SearchKind.choices)
    kind_label = serializers.CharField()
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    snippet = serializers.CharField(source="snippet_text", help_text="Plain text around the first matched word")
    url = serializers.CharField(help_text="The object's page")
    pillars = serializers.ListField(
        child=serializers.CharField(), help_text="Pillar codes (the same as the pillar parameter's values)"
    )
    language = serializers.CharField(help_text="ISO 639-1 code of the text's language, or empty")


@extend_schema_serializer(component_name="PaginatedSearchResultList")
class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Results the caller may see (a lower bound when count_is_lower_bound)")
    count_is_lower_bound = serializers.BooleanField(
        help_text="True when a kind had more results than are listed: narrow the search"
    )
    terms = serializers.ListField(child=serializers.CharField(), help_text="The words searched for")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchResultSerializer(many=True)


class SearchApi(APIView):
    """Search practices, offers, needs, States, donor profiles, published meeting summaries and
    coalitions: every word must match; best first."""

    @extend_schema_serializer(component_name="SearchQuery")
    class InputSerializer(serializers.Serializer):
        q = QueryTextField(required=False, allow_blank=True, trim_whitespace=False, help_text="Words to search for")
        kind = serializers.ChoiceField(choices=SearchKind.choices, required=False)
        pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
        country = serializers.CharField(required=False, max_length=3, help_text="ISO alpha-3 code of a State")
        language = serializers.ChoiceField(choices=Language.choices, required=False)

        def validate_country(self, value: str) -> State:
            state = State.objects.states().filter(iso3=value.upper()).first()
            if state is None:
                raise serializers.ValidationError(_("No State has this code."))
            return state

    @extend_schema(operation_id="search_list", tags=TAG, parameters=[InputSerializer], responses=SearchPageSerializer)
    def get(self, request: Request) -> Response:
        given = self.InputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        country = data.get("country")
        results = search(
            request.user,
            data.get("q", ""),
            Filters(
                kind=data.get("kind", ""),
                pillar=data.get("pillar", ""),
                state_id=country.pk if country is not None else None,
                language=data.get("language", ""),
            ),
        )
        paginator = BoundedLimitOffsetPagination()
        hits: Any = paginator.paginate_queryset(results.hits, request, view=self)  # type: ignore[arg-type]  # a list
        return Response(
            SearchPageSerializer(
                {
                    "count": results.count,
                    "count_is_lower_bound": results.more,
                    "terms": results.terms,
                    "next": paginator.get_next_link(),
                    "previous": paginator.get_previous_link(),
                    "results": page_results(results.terms, hits),
                }
            ).data
        )
