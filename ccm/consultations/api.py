"""API for consultations: question sets (public once published) and their versions with questions,
campaigns (by policy), and answers — an organisation reads, drafts (PUT) and submits (POST) its own; the
coordinators and conveners read submitted answers, with the organisation (and free text) only for those
who may see who said what (``sees_attribution``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.accounts.models import Organisation
from ccm.consultations import policies, selectors, services
from ccm.consultations.models import (
    Answer,
    AnswerStatus,
    Audience,
    Campaign,
    QuestionType,
    VersionStatus,
)
from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import get_for_user, is_coordinator, organisation_ids

TAG = ["consultations"]


class OptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


@extend_schema_serializer(component_name="ConsultationQuestion")
class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable across versions; answers are keyed by it")
    position = serializers.IntegerField()
    text = serializers.CharField()
    help_text = serializers.CharField()  # type: ignore[assignment]
    qtype = serializers.ChoiceField(choices=QuestionType.choices)
    qtype_label = serializers.CharField(source="get_qtype_display")
    required = serializers.BooleanField()  # type: ignore[assignment]
    options = OptionSerializer(many=True)


@extend_schema_serializer(component_name="QuestionSetVersionSummary")
class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=VersionStatus.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    change_note = serializers.CharField()


@extend_schema_serializer(component_name="QuestionSet")
class QuestionSetSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    audience = serializers.ChoiceField(choices=Audience.choices)
    description = serializers.CharField()
    versions = VersionSummarySerializer(many=True, source="shown_versions")


class QuestionSetListApi(APIView):
    """Question sets: those with a published version for everyone (with their published versions);
    coordinators also see drafts."""

    @extend_schema(tags=TAG, operation_id="consultations_sets_list", responses=paginated(QuestionSetSerializer))
    def get(self, request: Request) -> Response:
        return paginate(request, self, selectors.question_sets(user=request.user), QuestionSetSerializer)


@extend_schema_serializer(component_name="QuestionSetVersion")
class VersionSerializer(VersionSummarySerializer):
    question_set = serializers.CharField(source="question_set.slug")
    title = serializers.CharField(source="question_set.title")
    introduction = serializers.CharField()
    questions = QuestionSerializer(many=True)


class QuestionSetVersionApi(APIView):
    """One version of a question set with its questions, in order (drafts for coordinators only)."""

    @extend_schema(tags=TAG, operation_id="consultations_version_retrieve", responses=VersionSerializer)
    def get(self, request: Request, slug: str, number: int) -> Response:
        version = (
            policies.versions.visible_to(request.user)
            .filter(question_set__slug=slug, number=number)
            .select_related("question_set")
            .first()
        )
        if version is None:
            raise NotFound("No such version.")
        return Response(VersionSerializer(selectors.version_with_questions(version)).data)


@extend_schema_serializer(component_name="ConsultationCampaign")
class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    question_set = serializers.CharField(source="version.question_set.slug")
    version = serializers.IntegerField(source="version.number")
    message = serializers.CharField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    sent_at = serializers.DateTimeField(allow_null=True)


class CampaignListApi(APIView):
    """Campaigns the caller may see: all for coordinators; for an organisation, those sent to it."""

    @extend_schema(tags=TAG, operation_id="consultations_campaigns_list", responses=paginated(CampaignSerializer))
    def get(self, request: Request) -> Response:
        return paginate(request, self, selectors.campaigns(user=request.user), CampaignSerializer)


@extend_schema_serializer(component_name="ConsultationBoardRow")
class BoardRowSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    status = serializers.ChoiceField(choices=[("not_started", "Not started"), *AnswerStatus.choices])
    updated_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)


class CampaignDetailApi(APIView):
    """One campaign; for coordinators with its status board (who has answered, never what they said)."""

    @extend_schema_serializer(component_name="ConsultationCampaignWithBoard")
    class OutputSerializer(CampaignSerializer):
        board = BoardRowSerializer(many=True, allow_null=True, help_text="Coordinators only")

    @extend_schema(tags=TAG, operation_id="consultations_campaigns_retrieve", responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        campaign = _campaign(request, pk)
        board = selectors.status_board(campaign=campaign) if is_coordinator(request.user) else None
        campaign.board = board  # type: ignore[attr-defined]
        return Response(self.OutputSerializer(campaign).data)


def _campaign(request: Request, pk: int) -> Campaign:
    return get_for_user(
        policies.campaigns, request.user, Campaign.objects.select_related("version__question_set"), pk=pk
    )


def _item_value(question: Any, item: Any, *, with_text: bool) -> Any:
    if question.qtype == QuestionType.TEXT:
        return item.text if with_text else None
    if question.qtype in (QuestionType.NUMBER, QuestionType.SCALE):
        return None if item.number is None else str(item.number.normalize())
    if question.qtype == QuestionType.YES_NO:
        return item.choices == ["yes"]
    if question.qtype == QuestionType.SINGLE:
        return item.choices[0] if item.choices else None
    return list(item.choices)


@extend_schema_serializer(component_name="ConsultationAnswer")
class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="For its documents: /api/v1/documents/consultations.answer/{id}/")
    organisation = serializers.CharField(
        allow_null=True, help_text="Only for its own members, the conveners and the implementation support unit"
    )
    status = serializers.ChoiceField(choices=AnswerStatus.choices)
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="By question key: text, number (as a string), option key, list of option keys, or true/false. "
        "Free text is null for readers who may not see who gave the answer.",
    )


def answer_data(answer: Answer, *, user: Any, attributed: bool) -> dict[str, Any]:
    own = answer.organisation_id in organisation_ids(user)
    shown = own or attributed
    return {
        "id": answer.pk,
        "organisation": answer.organisation.slug if shown else None,
        "status": answer.status,
        "version": answer.version.number,
        "submitted_at": answer.submitted_at if shown else None,
        "values": {item.question.key: _item_value(item.question, item, with_text=shown) for item in answer.items.all()},
    }


class CampaignAnswerListApi(APIView):
    """The campaign's answers the caller may see: their own organisation's; submitted ones for
    coordinators and conveners (without the organisation and free text unless they may see who said what)."""

    @extend_schema(tags=TAG, operation_id="consultations_answers_list", responses=paginated(AnswerSerializer))
    def get(self, request: Request, pk: int) -> Response:
        campaign = _campaign(request, pk)
        attributed = policies.sees_attribution(request.user, campaign, today=today())
        rows = [
            answer_data(a, user=request.user, attributed=attributed)
            for a in selectors.answers(user=request.user, campaign=campaign)
        ]
        return paginate(request, self, rows, AnswerSerializer)


class AnswerValuesSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="By question key: text; a number; an option key; a list of option keys; true/false. "
        "An empty value clears the answer; questions left out keep theirs.",
    )


def _own(request: Request, pk: int, org: str) -> tuple[Campaign, Organisation]:
    campaign = _campaign(request, pk)
    organisation = Organisation.objects.filter(slug=org, pk__in=organisation_ids(request.user)).first()
    if organisation is None or not campaign.recipient_rows.filter(organisation=organisation).exists():
        raise NotFound("No such answer.")
    return campaign, organisation


def _refused(error: ValidationError) -> ApiValidationError:
    return ApiValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


def _number(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    return value


class OrganisationAnswerApi(APIView):
    """An organisation's own answer to a campaign: its members read it (GET); its editors and managers
    save draft values (PUT). 404 for anyone outside the organisation."""

    @extend_schema(tags=TAG, operation_id="consultations_answer_retrieve", responses=AnswerSerializer)
    def get(self, request: Request, pk: int, org: str) -> Response:
        campaign, organisation = _own(request, pk, org)
        found = selectors.answer_of(campaign=campaign, organisation=organisation)
        if found is None:
            raise NotFound("No answer yet.")
        return Response(answer_data(found, user=request.user, attributed=True))

    @extend_schema(
        tags=TAG, operation_id="consultations_answer_save", request=AnswerValuesSerializer, responses=AnswerSerializer
    )
    def put(self, request: Request, pk: int, org: str) -> Response:
        campaign, organisation = _own(request, pk, org)
        if organisation.pk not in policies.may_answer_for(request.user):
            raise PermissionDenied("Only the organisation's editors and managers may answer for it.")
        payload = AnswerValuesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = {key: _number(value) for key, value in payload.validated_data["values"].items()}
        try:
            saved = services.answer_save(
                campaign=campaign, organisation=organisation, values=values, actor=request.user
            )
        except ValidationError as error:
            raise _refused(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        found = selectors.answer_of(campaign=campaign, organisation=organisation) or saved
        return Response(answer_data(found, user=request.user, attributed=True))


class OrganisationAnswerSubmitApi(APIView):
    """Submit the organisation's answer (its managers): refused after the closing date and while a
    required question is left empty, naming it."""

    @extend_schema(tags=TAG, operation_id="consultations_answer_submit", request=None, responses=AnswerSerializer)
    def post(self, request: Request, pk: int, org: str) -> Response:
        campaign, organisation = _own(request, pk, org)
        found = selectors.answer_of(campaign=campaign, organisation=organisation)
        if organisation.pk not in policies.may_submit_for(request.user):
            raise PermissionDenied("Only the organisation's managers may submit its answer.")
        if found is None:
            raise ApiValidationError({"detail": ["Save the answer before submitting it."]})
        try:
            saved = services.answer_submit(answer=found, actor=request.user)
        except ValidationError as error:
            raise _refused(error) from None
        found = selectors.answer_of(campaign=campaign, organisation=organisation) or saved
        return Response(answer_data(found, user=request.user, attributed=True))
