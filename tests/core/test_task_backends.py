"""The same job through the real backends: the database backend with `ccm db_worker`, and RQ on Redis.

The RQ test needs the Redis at REDIS_URL (tests: redis://127.0.0.1:6379/5). Without it the test is
skipped, unless CCM_REQUIRE_REDIS=1 (as in CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from ccm.core import tasks
from ccm.core.task_models import Job, JobStatus

pytestmark = pytest.mark.django_db

MAIL_JOB = "tests.backend_mail"


@tasks.job_kind(MAIL_JOB)
def _mail(job: Job) -> dict[str, bool]:
    sent = tasks.send_once(
        key=f"backend-test:{job.pk}", kind="test", recipient="worker@example.org", subject="From a worker", body="Hi"
    )
    return {"sent": sent}


@pytest.mark.django_db(transaction=True)  # the worker commits and reconnects, as in production
def test_a_job_runs_through_the_database_backend_and_db_worker(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    job = tasks.enqueue(MAIL_JOB, label="db backend")  # outside a transaction: handed over at once
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and mail.outbox == []
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.report) == (JobStatus.DONE, {"sent": True})
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def _redis_or_skip() -> None:
    import redis

    url = settings.RQ_QUEUES["default"]["URL"]
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        if os.environ.get("CCM_REQUIRE_REDIS") == "1":
            pytest.fail(f"CCM_REQUIRE_REDIS=1 but Redis is not reachable at {url}: {exc}")
        pytest.skip(f"Redis is not reachable at {url} ({exc}); set CCM_REQUIRE_REDIS=1 to make this a failure")


def test_a_job_runs_through_rq_on_a_real_redis_worker(settings, django_capture_on_commit_callbacks):
    _redis_or_skip()
    import django_rq
    from rq import SimpleWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.enqueue(MAIL_JOB, label="rq backend")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and queue.count == 1 and mail.outbox == []
    # A real RQ worker on the real Redis, in this process (so it shares the test's database transaction).
    worker = django_rq.get_worker("default", worker_class=SimpleWorker)
    assert worker.work(burst=True)
    job.refresh_from_db()
    assert (job.status, job.report) == (JobStatus.DONE, {"sent": True})
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    assert queue.fetch_job(job.task_id).get_status() == "finished"
    assert queue.count == 0


def test_a_failed_job_on_rq_is_visible_with_its_error(settings, django_capture_on_commit_callbacks):
    _redis_or_skip()
    import django_rq
    from rq import SimpleWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    django_rq.get_queue("default").empty()
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.enqueue("tests.backend_fails", label="rq failure")
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "ValueError: no such donor"
    assert django_rq.get_queue("default").fetch_job(job.task_id).get_status() == "failed"


@tasks.job_kind("tests.backend_fails")
def _fails(job: Job) -> None:
    raise ValueError("no such donor")
