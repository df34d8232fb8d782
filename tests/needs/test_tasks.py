"""The needs' background work: publication notices and the weekly digest as jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from ccm.core import periodic, tasks
from ccm.core.task_models import Job, JobStatus
from ccm.needs.models import DigestDelivery
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_publication_notices_are_a_task_and_a_retry_tells_nobody_twice(io_donor, django_capture_on_commit_callbacks):
    from ccm.needs import services

    need = NeedFactory(published=False, title="Teams for the south")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_publish(need=need, actor=None)
    job = Job.objects.get(name="needs.notify_matching_donors")
    sent = len(mail.outbox)
    assert sent > 0 and job.report == {"sent": sent}
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert tasks.execute(job.pk) == "done"
    assert len(mail.outbox) == sent and Job.objects.get(pk=job.pk).report == {"sent": 0}


def test_the_weekly_digest_is_a_periodic_job_sent_once_per_week(django_capture_on_commit_callbacks):
    need = NeedFactory(title="A need of last week")
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    type(need).objects.filter(pk=need.pk).update(published_at=monday - timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        first = periodic.tick(now=monday + timedelta(hours=3))
    assert "needs.weekly_digest 2026-W48" in first
    sent = len(mail.outbox)
    assert sent > 0 and DigestDelivery.objects.filter(week_start=monday.date() - timedelta(days=7)).count() == sent
    with django_capture_on_commit_callbacks(execute=True):
        again = periodic.tick(now=monday + timedelta(days=2))
    assert "needs.weekly_digest 2026-W48" not in again and len(mail.outbox) == sent
    job = Job.objects.get(name="periodic:needs.weekly_digest")
    assert job.status == JobStatus.DONE and job.report == {"sent": sent, "already_sent": 0}
