"""The completion forecast, computed in the background (``coordination.forecast``): 10,000 draws for
every open obligation take about a second, too long to hold a page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from ccm.coordination.models import ForecastRun, RunStatus
from ccm.core import tasks
from ccm.core.task_models import Job

FORECAST = "coordination.forecast"


def enqueue_forecast(*, run: ForecastRun, actor: Any) -> Job:
    return tasks.enqueue(FORECAST, arguments={"run_id": run.pk}, label=f"forecast run #{run.pk}", actor=actor)


@tasks.job_kind(FORECAST, label=gettext_lazy("Completion forecast of open obligations"))
def _forecast(job: Job) -> dict[str, Any]:
    from ccm.coordination import services

    run = ForecastRun.objects.get(pk=job.arguments["run_id"])
    user = get_user_model().objects.filter(pk=run.created_by_id).first() if run.created_by_id else None
    try:
        run = services.forecast_compute(run_id=run.pk, user=user)
    except Exception as error:
        # the job records the failure (and lists it at /tasks/); the run says so too, rather than stay queued
        ForecastRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return {"obligations": len(run.results)}
