"""Timed work: one registry of periodic jobs, and ``ccm tick`` (run by cron every few minutes) to enqueue them.

The tasks API has no scheduler. Apps register their periodic jobs here from their own ``tasks`` module
(imported by their ``AppConfig.ready``; ``core`` imports no domain app)::

    periodic.register("needs.weekly_digest", period="weekly", handler=send_weekly_digest)

``handler(period_start)`` receives the start of the period it runs for (an aware UTC datetime: the top
of the hour, midnight, or Monday midnight). :func:`tick` inserts one ``PeriodicRun`` row per (job,
period) *before* enqueueing it, under a unique constraint: a second tick in the same period, or two
ticks at once, enqueue nothing twice. A late tick catches up the periods missed since the last one
(at most ``MAX_CATCH_UP``), so nothing is missed either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ccm.core import tasks
from ccm.core.task_models import Job, PeriodicRun

PERIODS = ("hourly", "daily", "weekly")
MAX_CATCH_UP = 8  # periods enqueued at most per job and tick after a long pause

PeriodicHandler = Callable[[datetime], dict[str, Any] | None]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    period: str
    handler: PeriodicHandler


_registry: dict[str, PeriodicJob] = {}


def register(name: str, *, period: str, handler: PeriodicHandler, retries: int = 0, label: Any = "") -> PeriodicJob:
    """Register a periodic job (once per name); its runs are background jobs named ``periodic:<name>``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    existing = _registry.get(name)
    if existing is not None:
        if existing.handler is handler and existing.period == period:
            return existing
        raise ValueError(f"The periodic job {name!r} is registered twice.")
    job = PeriodicJob(name=name, period=period, handler=handler)
    _registry[name] = job
    if f"periodic:{name}" not in tasks.registered_kinds():
        tasks.job_kind(f"periodic:{name}", retries=retries, label=label)(_runner(name))
    return job


def _runner(name: str) -> tasks.Handler:
    def run(background_job: Job) -> dict[str, Any] | None:
        registered_job = _registry.get(name)
        if registered_job is None:
            raise LookupError(f"No periodic job {name!r} is registered in this process.")
        return registered_job.handler(datetime.fromisoformat(background_job.arguments["period_start"]))

    return run


def registered() -> list[PeriodicJob]:
    return [_registry[name] for name in sorted(_registry)]


def period_start(period: str, moment: datetime) -> datetime:
    """The start of the period that contains ``moment`` (UTC)."""
    moment = moment.astimezone(UTC)
    if period == "hourly":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "daily":
        return day
    return day - timedelta(days=day.weekday())


def _step(period: str) -> timedelta:
    return {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}[period]


def period_key(period: str, start: datetime) -> str:
    if period == "hourly":
        return start.strftime("%Y-%m-%dT%H")
    if period == "daily":
        return start.date().isoformat()
    year, week, _weekday = start.isocalendar()
    return f"{year}-W{week:02d}"


def due_periods(job: PeriodicJob, now: datetime) -> list[datetime]:
    """The periods of ``job`` to enqueue now: the current one, and those missed since the last run."""
    current = period_start(job.period, now)
    last = PeriodicRun.objects.filter(job=job.name).order_by("-period_start").first()
    if last is None:
        return [current]
    step = _step(job.period)
    starts: list[datetime] = []
    start = current
    while start > last.period_start and len(starts) < MAX_CATCH_UP:
        starts.append(start)
        start -= step
    return sorted(starts)


def tick(*, now: datetime | None = None) -> list[str]:
    """Enqueue every registered job that is due, once per period; returns "job period" for each enqueued.
    Also hands again to the backend any job that never reached it."""
    now = now or timezone.now()
    enqueued = []
    for job in registered():
        for start in due_periods(job, now):
            key = period_key(job.period, start)
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        run = PeriodicRun.objects.create(job=job.name, period_key=key, period_start=start)
                except IntegrityError:
                    continue  # another tick took this period
                run.background_job = tasks.enqueue(
                    f"periodic:{job.name}", arguments={"period_start": start.isoformat()}, label=f"{job.name} {key}"
                )
                run.save(update_fields=["background_job"])
            enqueued.append(f"{job.name} {key}")
    tasks.requeue_lost()
    tasks.retry_failed(now=now)
    return enqueued
