"""Background jobs: one task runs them all, idempotently; failures are visible to coordinators."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail

from ccm.core import tasks
from ccm.core.models import AuditEntry
from ccm.core.task_models import Job, JobStatus, SentMessage
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


@tasks.job_kind("tests.count")
def _count(job: Job) -> dict[str, int]:
    CALLS.append(job.pk)
    return {"n": job.arguments["n"]}


@tasks.job_kind("tests.boom")
def _boom(job: Job) -> None:
    raise RuntimeError("the printer is on fire")


def test_a_job_runs_once_and_keeps_its_report(django_capture_on_commit_callbacks):
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.enqueue("tests.count", arguments={"n": 3}, label="three")
    job.refresh_from_db()
    assert (job.status, job.report, job.attempts, job.progress) == (JobStatus.DONE, {"n": 3}, 1, 100)
    assert job.task_id and job.started_at and job.finished_at
    assert tasks.execute(job.pk) == "done"  # a retry, or a second delivery, does nothing
    assert [job.pk] == CALLS


def test_a_job_waits_for_the_commit_of_the_request_that_enqueued_it(django_capture_on_commit_callbacks):
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = tasks.enqueue("tests.count", arguments={"n": 1})
    assert CALLS == [] and Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert len(callbacks) == 1


def test_a_failed_job_records_its_error_and_is_shown_to_coordinators_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.enqueue("tests.boom", label="on fire")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: the printer is on fire"
    assert AuditEntry.objects.filter(action=tasks.TASK_FAILED, object_id=str(job.pk)).exists()
    page = persona("coordinator").client().get("/tasks/")
    assert page.status_code == 200 and "the printer is on fire" in page.content.decode()
    api = persona("coordinator").client().get("/api/v1/tasks/?status=failed").json()
    assert [(r["id"], r["error"]) for r in api["results"]] == [(job.pk, "RuntimeError: the printer is on fire")]
    for name in ("state_manager", "io_manager"):
        assert persona(name).client().get("/tasks/").status_code == 404
        assert persona(name).client().get("/api/v1/tasks/").status_code == 404


def test_a_failed_job_runs_again_when_retried_and_then_never_again():
    job = Job.objects.create(name="tests.count", arguments={"n": 2}, status=JobStatus.FAILED, error="earlier")
    CALLS.clear()
    assert tasks.execute(job.pk) == "done"
    assert tasks.execute(job.pk) == "done"
    job.refresh_from_db()
    assert (CALLS, job.error, job.attempts) == ([job.pk], "", 1)


def test_an_unknown_job_kind_cannot_be_enqueued():
    with pytest.raises(ValueError, match="Unknown job kind"):
        tasks.enqueue("tests.nothing")


def test_send_once_sends_nothing_twice_and_a_failed_sending_leaves_no_record():
    with (
        mock.patch("ccm.core.tasks.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")),
        pytest.raises(OSError),
    ):
        tasks.send_once(key="k:1", kind="test", recipient="a@example.org", subject="S", body="B")
    assert not SentMessage.objects.exists() and mail.outbox == []
    assert tasks.send_once(key="k:1", kind="test", recipient="a@example.org", subject="S", body="B")
    assert not tasks.send_once(key="k:1", kind="test", recipient="a@example.org", subject="S", body="B")
    assert len(mail.outbox) == 1


def test_an_invitation_is_mailed_by_a_task_once_and_no_usable_token_is_stored(django_capture_on_commit_callbacks):
    from ccm.accounts import services
    from ccm.accounts.models import Invitation
    from ccm.accounts.tokens import digest

    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = services.invitation_create(
            organisation=organisation("state"),
            email="new@example.org",
            role="viewer",
            actor=persona("state_manager").user,
        )
    [message] = mail.outbox
    token = message.body.split("/accounts/invitations/accept/")[1].split("/")[0]
    job = Job.objects.get(name="accounts.send_invitation")
    assert job.status == JobStatus.DONE and token not in str(job.arguments)
    assert Invitation.objects.get(pk=invitation.pk).token_hash == digest(token)
    assert not services.invitation_send(invitation_id=invitation.pk, base_url="")  # a retry sends nothing
    assert len(mail.outbox) == 1
    assert Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED) == 1
    assert tasks.execute(job.pk) == "done" and len(mail.outbox) == 1


def test_large_spreadsheet_applies_go_to_a_registered_applier(django_capture_on_commit_callbacks, settings):
    settings.CCM_TASK_APPLY_ABOVE_ROWS = 300
    assert not tasks.apply_in_background(300) and tasks.apply_in_background(301)
    applied = []

    def apply(*, import_id, actor):
        applied.append((import_id, actor))
        return {"created": 7}

    tasks.register_import_applier("tests-kind", apply)
    actor = persona("state_editor").user
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.apply_import_task(kind="tests-kind", import_id=42, actor_id=actor.pk)
    job.refresh_from_db()
    assert (job.status, job.report, applied) == (JobStatus.DONE, {"created": 7}, [(42, actor)])


def test_a_password_reset_is_mailed_by_a_task_once(django_capture_on_commit_callbacks):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password-reset/", {"email": persona("state_viewer").user.email})
    [message] = mail.outbox
    job = Job.objects.get(name="accounts.send_password_reset")
    token = message.body.strip().splitlines()[1].rstrip("/").rsplit("/", 1)[1]
    assert job.status == JobStatus.DONE and token not in str(job.arguments)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert tasks.execute(job.pk) == "done" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_jobs_page_and_api_name_each_task_in_words_not_codes():
    from ccm.core.task_models import Job
    from tests.personas import persona

    Job.objects.create(name="funding.iati_import", label="eu.xml", status="failed", error="boom")
    client = persona("coordinator").client()
    page = client.get("/tasks/").content.decode()
    assert "IATI file import" in page and "funding.iati_import" not in page
    rows = client.get("/api/v1/tasks/").json()["results"]
    assert rows[0]["task"] == "IATI file import" and rows[0]["name"] == "funding.iati_import"
