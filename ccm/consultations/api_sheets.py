"""API for answering offline and for field tools: a campaign's answering workbook and a question set
version's XLSForm, as files — through the same policies as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from ccm.consultations import sheets_selectors
from ccm.consultations.views_sheets import XLSX, workbook_download, xlsform_response

TAG = "consultations"


class _FileApi(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is a file whatever the client accepts; errors are JSON.
        return super().perform_content_negotiation(request, force=True)


class CampaignWorkbookApi(_FileApi):
    """A campaign's answering workbook (XLSX): one row per question, with a hidden key row naming the
    question set, its version and the campaign. Filled in with the draft answer of the caller's
    organisation (the ``organisation`` parameter, or the caller's only recipient organisation); blank for
    coordinators. Upload it back on the campaign's upload page. 404 when the campaign is not visible."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="consultations_campaign_workbook",
        tags=[TAG],
        parameters=[
            OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The campaign's id."),
            OpenApiParameter(
                "organisation",
                str,
                OpenApiParameter.QUERY,
                required=False,
                description="Short name of the recipient organisation whose draft answers fill the workbook.",
            ),
        ],
        responses={
            (200, XLSX): OpenApiTypes.BINARY,
            401: OpenApiResponse(description="Not signed in."),
            404: OpenApiResponse(description="Not found."),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        try:
            campaign = sheets_selectors.campaign_for(request.user, pk)
        except Http404:
            raise NotFound from None
        return workbook_download(request.user, campaign, request.query_params.get("organisation"))


class QuestionSetXlsformApi(_FileApi):
    """A question set version as an XLSForm (XLSX: survey, choices and settings sheets) to run in ODK or
    KoboToolbox; the tool's export of the answers can be uploaded back. Public for published versions;
    drafts for coordinators; 404 otherwise."""

    @extend_schema(
        operation_id="consultations_question_set_xlsform",
        tags=[TAG],
        parameters=[
            OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The question set's short name."),
            OpenApiParameter("number", int, OpenApiParameter.PATH, description="The version's number."),
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY, 404: OpenApiResponse(description="Not found.")},
    )
    def get(self, request: Request, slug: str, number: int) -> HttpResponse:
        try:
            version = sheets_selectors.version_for(request.user, slug, number)
        except Http404:
            raise NotFound from None
        return xlsform_response(version)
