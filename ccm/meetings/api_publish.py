"""API of meeting summaries and briefing packs, through the same policies as the pages: published
summaries for everyone; for conveners and reviewers the draft, its hits and the actions (write, submit,
waive a hit with a reason, publish); for a meeting's circle, one's own briefing pack."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core import clock
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import Action, get_for_user, is_signed_in
from ccm.meetings import summary as service
from ccm.meetings.pack_tasks import pack_request
from ccm.meetings.policies import meetings as meeting_policy
from ccm.meetings.publish_models import HitDecision, Summary, SummaryStatus
from ccm.meetings.publish_policies import REVIEW, in_circle, packs, summaries
from ccm.meetings.views_pack import CONTENT_TYPES

TAG = "summaries"


def _api_error(exc: DjangoValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"detail": exc.messages})


def _signed_in(request: Request) -> None:
    if not is_signed_in(request.user):
        raise NotAuthenticated


@extend_schema_serializer(component_name="MeetingSummary")
class SummaryOutputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting_id")
    title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=SummaryStatus.choices)
    published_at = serializers.DateTimeField(allow_null=True)


class SummaryListApi(APIView):
    """Published summaries of meetings, newest first (public)."""

    @extend_schema(operation_id="meeting_summaries_list", tags=[TAG], responses=paginated(SummaryOutputSerializer))
    def get(self, request: Request) -> Response:
        return paginate(request, self, service.published(user=request.user), SummaryOutputSerializer)


def _summary(request: Request, pk: int) -> Summary:
    found = service.summary_for(meeting_id=pk, user=request.user)
    if found is None:
        raise NotFound("No summary to show.")
    return found


class SummaryDetailApi(APIView):
    """A meeting's summary: the published text for everyone; for its conveners and reviewers the draft
    with every hit of the check in context (PUT: a convener writes the title and the text)."""

    @extend_schema_serializer(component_name="MeetingSummaryHit")
    class HitSerializer(serializers.Serializer):
        fingerprint = serializers.CharField(help_text="Pass it to the waive action.")
        kind = serializers.CharField(source="hit.term.kind")
        identifies = serializers.CharField(source="hit.term.participant")
        before = serializers.CharField()
        matched = serializers.CharField()
        after = serializers.CharField()
        waived = serializers.BooleanField()
        reason = serializers.SerializerMethodField()

        def get_reason(self, row: Any) -> str:
            return row.waiver.reason if row.waiver else ""

    @extend_schema_serializer(component_name="MeetingSummaryDraft")
    class OutputSerializer(SummaryOutputSerializer):
        hits = serializers.SerializerMethodField(help_text="Only for the conveners and reviewers, before publication.")
        passes = serializers.SerializerMethodField()

        def get_hits(self, summary: Summary) -> Any:
            check = self.context.get("check")
            return SummaryDetailApi.HitSerializer(check.hits, many=True).data if check else []

        def get_passes(self, summary: Summary) -> bool | None:
            check = self.context.get("check")
            return check.passes if check else None

    @extend_schema_serializer(component_name="MeetingSummaryInput")
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        text = serializers.CharField(max_length=service.MAX_TEXT)

    def _out(self, request: Request, found: Summary) -> Response:
        check = None
        if not found.is_published and (
            summaries.can(request.user, Action.CHANGE, found) or summaries.can(request.user, REVIEW, found)
        ):
            check = service.check(found, today=clock.today())
        return Response(self.OutputSerializer(found, context={"check": check}).data)

    @extend_schema(operation_id="meeting_summary_retrieve", tags=[TAG], responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return self._out(request, _summary(request, pk))

    @extend_schema(
        operation_id="meeting_summary_write", tags=[TAG], request=InputSerializer, responses=OutputSerializer
    )
    def put(self, request: Request, pk: int) -> Response:
        _signed_in(request)
        meeting = get_for_user(meeting_policy, request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            found = service.summary_save(
                meeting=meeting,
                text=data.validated_data["text"],
                title=data.validated_data["title"],
                actor=request.user,
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return self._out(request, found)


def _acting(request: Request, pk: int, action: str) -> Summary:
    _signed_in(request)
    found = _summary(request, pk)
    if not summaries.can(request.user, action, found):
        raise PermissionDenied
    return found


class SummarySubmitApi(APIView):
    """A convener submits the draft for review."""

    @extend_schema(operation_id="meeting_summary_submit", tags=[TAG], request=None, responses=SummaryOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        found = _acting(request, pk, Action.CHANGE)
        try:
            found = service.summary_submit(summary=found, actor=request.user)
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(SummaryOutputSerializer(found).data)


class SummaryWaiveApi(APIView):
    """A reviewer waives one hit of the check, with the reason (recorded in the audit trail)."""

    @extend_schema_serializer(component_name="MeetingSummaryWaiveInput")
    class InputSerializer(serializers.Serializer):
        fingerprint = serializers.CharField(max_length=64)
        reason = serializers.CharField(max_length=service.MAX_REASON)

    @extend_schema_serializer(component_name="MeetingSummaryWaiver")
    class OutputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=HitDecision.choices)
        reason = serializers.CharField()
        decided_at = serializers.DateTimeField()

    @extend_schema(
        operation_id="meeting_summary_waive", tags=[TAG], request=InputSerializer, responses=OutputSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        found = _acting(request, pk, REVIEW)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            decision = service.hit_waive(
                summary=found,
                fingerprint_key=data.validated_data["fingerprint"],
                reason=data.validated_data["reason"],
                actor=request.user,
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(self.OutputSerializer(decision).data)


class SummaryPublishApi(APIView):
    """A reviewer (not the one who submitted it) publishes: refused while a hit is neither rewritten nor waived."""

    @extend_schema(operation_id="meeting_summary_publish", tags=[TAG], request=None, responses=SummaryOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        found = _acting(request, pk, REVIEW)
        try:
            found = service.summary_publish(summary=found, actor=request.user)
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(SummaryOutputSerializer(found).data)


@extend_schema_serializer(component_name="BriefingPack")
class PackOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    ready = serializers.BooleanField(source="is_ready")
    job_status = serializers.CharField(source="job.status", default="", allow_null=True)
    requested_at = serializers.DateTimeField()
    built_at = serializers.DateTimeField(allow_null=True)
    pdf = serializers.SerializerMethodField()
    docx = serializers.SerializerMethodField()

    def get_pdf(self, pack: Any) -> str:
        return f"/api/v1/meetings/{pack.meeting_id}/pack.pdf" if pack.is_ready else ""

    def get_docx(self, pack: Any) -> str:
        return f"/api/v1/meetings/{pack.meeting_id}/pack.docx" if pack.is_ready else ""


class PackApi(APIView):
    """The caller's own briefing pack for a meeting: GET its state, POST to ask for a fresh one (built by
    a background job). 404 for anyone outside the meeting's circle."""

    def _meeting(self, request: Request, pk: int) -> Any:
        _signed_in(request)
        meeting = in_circle(request.user).filter(pk=pk).first()
        if meeting is None:
            raise NotFound("No such meeting.")
        return meeting

    @extend_schema(operation_id="meeting_pack_retrieve", tags=[TAG], responses=PackOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        meeting = self._meeting(request, pk)
        pack = packs.visible_to(request.user).filter(meeting=meeting).select_related("job").defer("pdf", "docx").first()
        if pack is None:
            raise NotFound("No briefing pack asked for yet: POST to ask for one.")
        return Response(PackOutputSerializer(pack).data)

    @extend_schema(operation_id="meeting_pack_request", tags=[TAG], request=None, responses={202: PackOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = self._meeting(request, pk)
        pack = pack_request(meeting=meeting, actor=request.user)
        return Response(PackOutputSerializer(pack).data, status=202)


class PackDownloadApi(APIView):
    """The caller's newest ready briefing pack, as PDF or DOCX."""

    def get(self, request: Request, pk: int, fmt: str) -> HttpResponse:
        _signed_in(request)
        meeting = in_circle(request.user).filter(pk=pk).first()
        pack = (
            packs.visible_to(request.user).filter(meeting=meeting, built_at__isnull=False).first() if meeting else None
        )
        if meeting is None or pack is None or fmt not in CONTENT_TYPES:
            raise NotFound("No briefing pack ready.")
        response = HttpResponse(bytes(pack.pdf if fmt == "pdf" else pack.docx), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="briefing-pack-{meeting.pk}.{fmt}"'
        return response


@extend_schema_view(
    get=extend_schema(
        operation_id="meeting_pack_pdf", tags=[TAG], responses={(200, "application/pdf"): OpenApiTypes.BINARY}
    )
)
class PackPdfApi(PackDownloadApi):
    """The caller's newest ready briefing pack as PDF."""


@extend_schema_view(
    get=extend_schema(
        operation_id="meeting_pack_docx",
        tags=[TAG],
        responses={(200, CONTENT_TYPES["docx"]): OpenApiTypes.BINARY},
    )
)
class PackDocxApi(PackDownloadApi):
    """The caller's newest ready briefing pack as DOCX."""
