"""Timed work: one registry, and `ccm tick` enqueues what is due once per job and period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from ccm.core import periodic
from ccm.core.task_models import Job, JobStatus, PeriodicRun

pytestmark = pytest.mark.django_db

RUNS: list[datetime] = []


@pytest.fixture
def daily_job():
    RUNS.clear()

    def handler(start: datetime) -> dict[str, str]:
        RUNS.append(start)
        return {"day": start.date().isoformat()}

    job = periodic.register("tests.daily", period="daily", handler=handler)
    yield job
    periodic._registry.pop("tests.daily", None)


def test_period_keys_and_starts():
    moment = datetime(2026, 11, 28, 14, 37, tzinfo=UTC)  # a Saturday
    assert periodic.period_start("hourly", moment) == datetime(2026, 11, 28, 14, tzinfo=UTC)
    assert periodic.period_start("daily", moment) == datetime(2026, 11, 28, tzinfo=UTC)
    assert periodic.period_start("weekly", moment) == datetime(2026, 11, 23, tzinfo=UTC)
    assert periodic.period_key("weekly", periodic.period_start("weekly", moment)) == "2026-W48"
    assert periodic.period_key("hourly", periodic.period_start("hourly", moment)) == "2026-11-28T14"
    with pytest.raises(ValueError, match="period"):
        periodic.register("tests.bad", period="fortnightly", handler=lambda start: None)


def test_tick_twice_enqueues_once_and_a_late_tick_catches_up(daily_job, django_capture_on_commit_callbacks):
    now = datetime(2026, 11, 28, 9, 5, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert "tests.daily 2026-11-28" in periodic.tick(now=now)
        assert "tests.daily 2026-11-28" not in periodic.tick(now=now + timedelta(minutes=5))
    assert [datetime(2026, 11, 28, tzinfo=UTC)] == RUNS
    # cron was down for three days: the missed days run, each once, in order
    with django_capture_on_commit_callbacks(execute=True):
        late = [line for line in periodic.tick(now=now + timedelta(days=3)) if line.startswith("tests.daily")]
    assert late == ["tests.daily 2026-11-29", "tests.daily 2026-11-30", "tests.daily 2026-12-01"]
    assert [r.day for r in RUNS] == [28, 29, 30, 1]
    assert PeriodicRun.objects.filter(job="tests.daily").count() == 4
    assert Job.objects.filter(name="periodic:tests.daily", status=JobStatus.DONE).count() == 4


def test_the_tick_command(daily_job, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tick", "--now", "2026-11-28T10:00:00+00:00", stdout=out)
    assert "Enqueued: tests.daily 2026-11-28" in out.getvalue()
    out = StringIO()
    call_command("tick", "--now", "2026-11-28T10:05:00+00:00", stdout=out)
    assert "Enqueued: tests.daily" not in out.getvalue()
    assert len(RUNS) == 1


def test_a_job_that_never_reached_the_backend_is_handed_over_again(daily_job, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from ccm.core import tasks

    lost = Job.objects.create(name="periodic:tests.daily", arguments={"period_start": "2026-11-20T00:00:00+00:00"})
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert tasks.requeue_lost() == 1
    lost.refresh_from_db()
    assert lost.status == JobStatus.DONE and [datetime(2026, 11, 20, tzinfo=UTC)] == RUNS
