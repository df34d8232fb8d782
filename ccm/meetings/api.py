"""API for meetings: the meetings one may see, a meeting with its agenda, its replies (and replying),
its key points, its notes (only for those who may read them) and its ``.ics`` — through the same
policies as the pages (hidden → 404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.accounts.models import Organisation
from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated
from ccm.meetings import ics, policies, selectors, services
from ccm.meetings.models import (
    ConfidentialityRule,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ReplyChoice,
)
from ccm.meetings.timezones import local_span, reader_zone

TAG = "meetings"


def _meeting(request: Request, pk: int) -> Meeting:
    meeting = policies.meetings.visible_to(request.user).filter(pk=pk).first()
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


@extend_schema_serializer(component_name="Meeting")
class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    starts_at = serializers.DateTimeField(help_text="In UTC (ISO 8601)")
    ends_at = serializers.DateTimeField(help_text="In UTC (ISO 8601)")
    time_zone = serializers.CharField(help_text="The meeting's IANA time zone")
    when = serializers.SerializerMethodField(help_text="The times in the reader's zone, the zone named")
    place = serializers.CharField()
    confidentiality = serializers.ChoiceField(choices=ConfidentialityRule.choices)
    confidentiality_explanation = serializers.CharField()
    ics_uid = serializers.CharField()
    ics_sequence = serializers.IntegerField()

    def get_when(self, meeting: Meeting) -> str:
        return local_span(meeting, self.context.get("user"))


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$", "example": "10:00:00"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the meeting's own time zone, without an offset (so not OpenAPI's ``time``
    format, which is RFC 3339's full-time and requires one)."""


@extend_schema_serializer(component_name="MeetingAgendaItem")
class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    starts_at = LocalTimeField(allow_null=True, help_text="In the meeting's time zone (hh:mm:ss)")
    title = serializers.CharField()
    description = serializers.CharField()
    lead = serializers.CharField(source="lead_organisation.name", default=None, allow_null=True)
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
    campaign_title = serializers.CharField(source="campaign.title", default=None, allow_null=True)


@extend_schema_serializer(component_name="MeetingReply")
class ReplySerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    organisation_name = serializers.CharField(source="organisation.name")
    response = serializers.ChoiceField(choices=ReplyChoice.choices)
    delegate_name = serializers.CharField()
    replied_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="MeetingKeyPoint")
class KeyPointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    is_draft = serializers.BooleanField(help_text="Drafted from the notes, not yet approved (conveners only)")


@extend_schema_serializer(component_name="MeetingNote")
class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agenda_item = serializers.IntegerField(source="agenda_item_id")
    text = serializers.CharField()
    updated_at = serializers.DateTimeField()


class MeetingListApi(APIView):
    """The meetings the caller may see (closed ones only to their participants), newest first."""

    @extend_schema(tags=[TAG], operation_id="meetings_list", responses=paginated(MeetingSerializer))
    def get(self, request: Request) -> Response:
        rows = selectors.meetings_for(request.user)
        return paginate(request, self, rows, MeetingSerializer)


class MeetingDetailApi(APIView):
    """One meeting with its agenda and key points; 404 when missing or not visible to the caller."""

    @extend_schema_serializer(component_name="MeetingWithAgenda")
    class OutputSerializer(MeetingSerializer):
        agenda = AgendaItemSerializer(many=True, source="page.agenda")
        key_points = KeyPointSerializer(many=True, source="page.key_points")
        reader_time_zone = serializers.CharField(source="page.zone")
        sees_notes = serializers.BooleanField(source="page.sees_notes")

    @extend_schema(tags=[TAG], operation_id="meetings_retrieve", responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        page = selectors.meeting_page(user=request.user, meeting=meeting, today=today())
        meeting.page = page  # type: ignore[attr-defined]
        return Response(self.OutputSerializer(meeting, context={"user": request.user}).data)


class AgendaApi(APIView):
    """The meeting's agenda."""

    @extend_schema(tags=[TAG], operation_id="meetings_agenda_list", responses=AgendaItemSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        rows = (
            policies.agenda_items.visible_to(request.user)
            .filter(meeting=meeting)
            .select_related("lead_organisation", "campaign")
            .order_by("position")
        )
        return Response(AgendaItemSerializer(rows, many=True).data)


class KeyPointsApi(APIView):
    """The meeting's key points (approved ones; drafts too for those who read the notes)."""

    @extend_schema(tags=[TAG], operation_id="meetings_key_points_list", responses=KeyPointSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        rows = policies.key_points.visible_to(request.user).filter(meeting=meeting).order_by("position", "pk")
        return Response(KeyPointSerializer(rows, many=True).data)


class NotesApi(APIView):
    """The meeting's confidential notes: 404 for whoever may not read them."""

    @extend_schema(tags=[TAG], operation_id="meetings_notes_list", responses=NoteSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        if not policies.meetings.can(request.user, policies.NOTES, meeting):
            raise NotFound("No such meeting.")
        return Response(NoteSerializer(selectors.notes_for(user=request.user, meeting=meeting), many=True).data)


class RepliesApi(APIView):
    """Replies of the invited organisations; an invited organisation's editors and managers reply
    (refused once the meeting has started)."""

    @extend_schema_serializer(component_name="MeetingReplyInput")
    class InputSerializer(serializers.Serializer):
        organisation = serializers.SlugField(help_text="The replying organisation's short name")
        response = serializers.ChoiceField(choices=ReplyChoice.choices)
        delegate_name = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(tags=[TAG], operation_id="meetings_replies_list", responses=ReplySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        rows = policies.replies.visible_to(request.user).filter(meeting=meeting).select_related("organisation")
        return Response(ReplySerializer(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        operation_id="meetings_replies_create",
        request=InputSerializer,
        responses={201: ReplySerializer, 400: OpenApiResponse(description="The reason")},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        if not policies.meetings.can(request.user, policies.REPLY, meeting):
            raise PermissionDenied("You may not reply for an organisation invited to this meeting.")
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        allowed = policies.reply_organisation_ids(request.user, meeting)
        organisation = Organisation.objects.filter(slug=data["organisation"], pk__in=allowed).first()
        if organisation is None:
            raise ValidationError({"organisation": ["You may not reply for this organisation."]})
        try:
            reply = services.reply_save(
                meeting=meeting,
                organisation=organisation,
                response=data["response"],
                delegate_name=data.get("delegate_name", ""),
                actor=request.user,
                reader_zone=reader_zone(request.user, meeting),
            )
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from error
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


class MeetingIcsApi(APIView):
    """The meeting's iCalendar file (RFC 5545); 404 for whoever may not see the meeting."""

    @extend_schema(tags=[TAG], operation_id="meetings_ics", responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        meeting = _meeting(request, pk)
        response = HttpResponse(ics.calendar_bytes(meeting), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ics.file_name(meeting)}"'
        return response
