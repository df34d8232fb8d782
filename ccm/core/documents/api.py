"""API for documents: the documents of an object, and a document's bytes — through the parent's policy,
like the pages. Attaching through the API is not offered (yet): attach on the object's page."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.documents import registry
from ccm.core.documents.policies import documents
from ccm.core.documents.views import CONTENT_TYPES, file_response
from ccm.core.models import Document
from ccm.core.pagination import BoundedLimitOffsetPagination, paginated


@extend_schema_serializer(component_name="Document")
class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    file_name = serializers.CharField(source="download_name", help_text="Safe name to save the file under.")
    kind = serializers.ChoiceField(choices=sorted(CONTENT_TYPES), help_text="Recognised from the content.")
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField(help_text="SHA-256 of the content, hex.")
    uploaded_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField(help_text="API address of the file.")

    def get_download(self, document: Document) -> str:
        path = reverse("api-documents-download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class DocumentListApi(APIView):
    """The documents attached to one object; 404 when the object is missing or not visible to the caller."""

    @extend_schema(
        operation_id="documents_list",
        parameters=[
            OpenApiParameter(
                "parent_type",
                str,
                OpenApiParameter.PATH,
                description="The kind of object, e.g. needs.need or needs.response.",
                # the models registered by the apps (all registered before the URLs are loaded)
                enum=sorted(entry.key for entry in registry.registered()) or None,
            ),
            OpenApiParameter("parent_id", int, OpenApiParameter.PATH, description="The object's id."),
        ],
        responses={200: paginated(DocumentOutputSerializer), 404: OpenApiResponse(description="Not found.")},
    )
    def get(self, request: Request, parent_type: str, parent_id: int) -> Response:
        entry = registry.for_key(parent_type)
        if entry is None or not entry.visible_parents(request.user).filter(pk=parent_id).exists():
            raise NotFound
        rows = (
            documents.attached_to(request.user, entry.model).filter(object_id=parent_id).order_by("uploaded_at", "id")
        )
        paginator = BoundedLimitOffsetPagination()
        page: Any = paginator.paginate_queryset(rows, request, view=self)
        data = DocumentOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class DocumentDownloadApi(APIView):
    """A document's file; 404 when it is missing, withdrawn, or its object is not visible to the caller."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is a file whatever the client accepts; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="documents_download",
        responses={
            **{(200, media.split(";")[0]): OpenApiTypes.BINARY for media in CONTENT_TYPES.values()},
            404: OpenApiResponse(description="Not found."),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        document = documents.visible_to(request.user).filter(pk=pk).first()
        if document is None:
            raise NotFound
        return file_response(document)
