"""Background jobs for coordinators: the failed ones with their error, and the recent ones (404 for others)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ccm.core.policies import is_coordinator
from ccm.core.task_models import Job, JobStatus


@login_required
@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise Http404
    status = request.GET.get("status", "")
    jobs = Job.objects.select_related("created_by")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    failed = Job.objects.filter(status=JobStatus.FAILED).select_related("created_by")[:20]
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/job_list.html",
        {"failed": failed, "page": page, "status": status, "statuses": JobStatus.choices},
    )
