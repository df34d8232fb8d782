"""API for coalitions, members, the work plan, threads (members only) and scorecards — through the
same policies as the pages (404 for what the caller may not see)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.actions.models import ActionStatus
from ccm.coalitions import policies, selectors
from ccm.coalitions import scorecard as scorecard_selectors
from ccm.coalitions.models import CoalitionStatus, Element, MemberRole, MemberStatus, Trend
from ccm.core.clock import today
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import get_for_user

TAG = ["coalitions"]


@extend_schema_serializer(component_name="CoalitionMember")
class MemberSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    role = serializers.ChoiceField(choices=MemberRole.choices)
    status = serializers.ChoiceField(choices=MemberStatus.choices)
    named_publicly = serializers.BooleanField()


@extend_schema_serializer(component_name="Coalition")
class CoalitionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="coalition.pk")
    name = serializers.CharField(source="coalition.name")
    state = serializers.CharField(source="coalition.state.iso3")
    status = serializers.ChoiceField(choices=CoalitionStatus.choices, source="coalition.status")
    proposed_on = serializers.DateField(source="coalition.proposed_on")
    activated_on = serializers.DateField(source="coalition.activated_on", allow_null=True)
    concluded_on = serializers.DateField(source="coalition.concluded_on", allow_null=True)
    conclusion_reason = serializers.CharField(source="coalition.conclusion_reason")
    partners = MemberSerializer(many=True, help_text="Accepted members: all for members, else those named publicly")
    progress_done = serializers.IntegerField(source="headline.done")
    progress_total = serializers.IntegerField(source="headline.total")
    next_deadline = serializers.DateField(allow_null=True)
    illustrative = serializers.BooleanField(source="coalition.illustrative")


class CoalitionListApi(APIView):
    """Coalitions the caller may see, with their public summary."""

    @extend_schema(operation_id="coalitions_list", tags=TAG, responses=paginated(CoalitionSerializer))
    def get(self, request: Request) -> Response:
        return paginate(request, self, selectors.coalition_rows(request.user, today=today()), CoalitionSerializer)


class CoalitionDetailApi(APIView):
    """One coalition's summary (and terms of reference); 404 when hidden."""

    @extend_schema_serializer(component_name="CoalitionDetail")
    class OutputSerializer(CoalitionSerializer):
        terms_of_reference = serializers.CharField(source="coalition.terms_of_reference")
        objectives = serializers.SerializerMethodField()

        def get_objectives(self, row: Any) -> list[dict[str, Any]]:
            return [
                {"text": o.text, "target": str(o.target) if o.target is not None else None, "unit": o.unit}
                for o in row.coalition.objectives.all()
            ]

    @extend_schema(operation_id="coalitions_retrieve", tags=TAG, responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        coalition = get_for_user(policies.coalitions, request.user, pk=pk)
        return Response(self.OutputSerializer(selectors.coalition_row(coalition, request.user, today=today())).data)


class MemberListApi(APIView):
    """A coalition's members: every one for members and coordinators, else the partners named publicly."""

    @extend_schema(operation_id="coalitions_members_list", tags=TAG, responses=paginated(MemberSerializer))
    def get(self, request: Request, pk: int) -> Response:
        coalition = get_for_user(policies.coalitions, request.user, pk=pk)
        rows = policies.members.visible_to(request.user).filter(coalition=coalition).select_related("organisation")
        return paginate(request, self, rows.order_by("role", "organisation__name"), MemberSerializer)


class WorkPlanApi(APIView):
    """The work plan (milestones and actions): members and coordinators; 404 for anyone else."""

    @extend_schema_serializer(component_name="CoalitionWorkPlanItem")
    class OutputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=[("milestone", "milestone"), ("action", "action")])
        id = serializers.IntegerField()
        title = serializers.CharField()
        owner = serializers.CharField(allow_null=True)
        due_date = serializers.DateField()
        status = serializers.ChoiceField(choices=[*ActionStatus.choices, ("reached", "reached")])
        completed_on = serializers.DateField(allow_null=True)
        overdue = serializers.BooleanField()
        need = serializers.IntegerField(allow_null=True)
        flow = serializers.IntegerField(allow_null=True)
        follows = serializers.IntegerField(allow_null=True)

    @extend_schema(operation_id="coalitions_work_plan_list", tags=TAG, responses=paginated(OutputSerializer))
    def get(self, request: Request, pk: int) -> Response:
        coalition = get_for_user(
            policies.coalitions, request.user, policies.coalitions.visible_to(request.user, policies.WORKSPACE), pk=pk
        )
        day = today()
        ws = selectors.workspace(coalition, request.user, today=day)
        rows: list[dict[str, Any]] = [
            {
                "kind": "milestone",
                "id": m.pk,
                "title": m.title,
                "owner": None,
                "due_date": m.due_date,
                "status": "reached" if m.done_on else ActionStatus.OPEN,
                "completed_on": m.done_on,
                "overdue": m.done_on is None and m.due_date < day,
                "need": None,
                "flow": None,
                "follows": None,
            }
            for m in ws.milestones
        ]
        rows += [
            {
                "kind": "action",
                "id": a.pk,
                "title": a.title,
                "owner": a.owner.slug,
                "due_date": a.due_date,
                "status": a.status,
                "completed_on": a.completed_on,
                "overdue": a.overdue,  # type: ignore[attr-defined]
                "need": a.need_id,
                "flow": a.flow_id,
                "follows": a.follows_id,
            }
            for a in ws.actions
        ]
        return paginate(request, self, rows, self.OutputSerializer)


@extend_schema_serializer(component_name="CoalitionThread")
class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="thread.pk")
    subject = serializers.CharField(source="thread.subject")
    messages = serializers.IntegerField()
    decisions = serializers.IntegerField()
    unread = serializers.IntegerField()


class ThreadListApi(APIView):
    """A coalition's threads: accepted members only (404 for everyone else, coordinators included)."""

    @extend_schema(operation_id="coalitions_threads_list", tags=TAG, responses=paginated(ThreadSerializer))
    def get(self, request: Request, pk: int) -> Response:
        coalition = get_for_user(
            policies.coalitions, request.user, policies.coalitions.visible_to(request.user, policies.CONVERSE), pk=pk
        )
        return paginate(request, self, selectors.thread_rows(coalition, request.user), ThreadSerializer)


class ThreadDetailApi(APIView):
    """A thread's messages: accepted members only."""

    @extend_schema_serializer(component_name="CoalitionMessage")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(help_text="For its documents: /api/v1/documents/coalitions.message/{id}/")
        organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)
        body = serializers.CharField()
        is_decision = serializers.BooleanField()
        created_at = serializers.DateTimeField()

    @extend_schema(operation_id="coalitions_thread_messages_list", tags=TAG, responses=paginated(OutputSerializer))
    def get(self, request: Request, pk: int, thread: int) -> Response:
        item = get_for_user(policies.threads, request.user, pk=thread, coalition_id=pk)
        return paginate(request, self, selectors.thread_messages(item, request.user), self.OutputSerializer)


class ScorecardApi(APIView):
    """The five indicators now (1–5, or null: not enough data) with their formulas, and the reviews'
    ratings beside the indicator computed when each was given (flagged when two or more apart)."""

    @extend_schema_serializer(component_name="CoalitionScorecard")
    class OutputSerializer(serializers.Serializer):
        indicators = serializers.ListField(child=serializers.DictField())
        reviews = serializers.ListField(child=serializers.DictField())
        rule = serializers.CharField()

    @extend_schema(operation_id="coalitions_scorecard_retrieve", tags=TAG, responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        coalition = get_for_user(
            policies.coalitions, request.user, policies.coalitions.visible_to(request.user, policies.WORKSPACE), pk=pk
        )
        day = today()
        lines = scorecard_selectors.lines(coalition, request.user, today=day)
        reviews = policies.reviews.visible_to(request.user).filter(coalition=coalition).prefetch_related("ratings")
        data = {
            "rule": str(scorecard_selectors.COMMON),
            "indicators": [
                {
                    "element": line.element,
                    "indicator": line.indicator.score,
                    "parts": line.indicator.parts,
                    "formula": str(line.formula),
                }
                for line in lines
            ],
            "reviews": [
                {
                    "held_on": review.held_on.isoformat(),
                    "ratings": [
                        {
                            "element": Element(r.element).value,
                            "score": r.score,
                            "indicator": r.indicator,
                            "trend": Trend(r.trend).value,
                            "evidence": r.evidence,
                            "flagged": r.flagged,
                        }
                        for r in review.ratings.all()
                    ],
                }
                for review in reviews
            ],
        }
        return Response(self.OutputSerializer(data).data)
