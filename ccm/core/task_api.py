"""API for background jobs: coordinators see every job with its status and error; others get 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.core.pagination import paginate, paginated
from ccm.core.policies import is_coordinator
from ccm.core.task_models import Job, JobStatus


class JobListApi(APIView):
    """Background jobs, newest first (coordinators only): failed ones carry their error."""

    permission_classes = [IsAuthenticated]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=JobStatus.choices, required=False)
        name = serializers.CharField(required=False, help_text="Jobs of this task, e.g. funding.iati_import.")

    @extend_schema_serializer(component_name="BackgroundJob")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        task = serializers.CharField(source="kind_label", help_text="What the task is, in words.")
        about = serializers.CharField(source="label", help_text="What the job is about, e.g. a file's name.")
        status = serializers.ChoiceField(choices=JobStatus.choices)
        progress = serializers.IntegerField()
        progress_note = serializers.CharField()
        error = serializers.CharField()
        report = serializers.JSONField()
        attempts = serializers.IntegerField()
        created_at = serializers.DateTimeField()
        started_at = serializers.DateTimeField(allow_null=True)
        finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(operation_id="jobs_list", parameters=[FilterSerializer], responses=paginated(OutputSerializer))
    def get(self, request: Request) -> Response:
        if not is_coordinator(request.user):
            raise NotFound
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        jobs = Job.objects.all()
        if filters.validated_data.get("status"):
            jobs = jobs.filter(status=filters.validated_data["status"])
        if filters.validated_data.get("name"):
            jobs = jobs.filter(name=filters.validated_data["name"])
        return paginate(request, self, jobs, self.OutputSerializer)
