"""Notifications of needs (ccm.needs.notifications): the weekly digest and what each person chooses to receive."""

import io
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone

from ccm.core import tasks
from ccm.core.clock import today
from ccm.core.task_models import Job, JobStatus
from ccm.needs import services
from ccm.needs.models import DigestDelivery, Need, NeedNotification, NotificationPreference
from ccm.needs.notifications import MailNotSent, send_digests, week_start
from tests.factories import NeedFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db


def test_the_weekly_digest_goes_once_per_week_and_respects_choices(mailoutbox):
    need = NeedFactory(title="Last week's need")
    last_week = week_start(today()) - timedelta(days=5)
    type(need).objects.filter(pk=need.pk).update(
        published_at=timezone.make_aware(timezone.datetime.combine(last_week, timezone.datetime.min.time()))
    )
    services.preference_save(user=persona("io_viewer").user, matching_needs=True, weekly_digest=False)
    sent, skipped = send_digests(today=today())
    recipients = {m.to[0] for m in mailoutbox}
    assert persona("io_editor").user.email in recipients
    assert persona("io_viewer").user.email not in recipients
    assert sent == len(mailoutbox) and skipped == 0
    assert "Last week's need" in mailoutbox[0].body
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert f"Digests sent: 0; already sent before: {sent}." in out.getvalue()
    assert DigestDelivery.objects.count() == sent


def test_people_choose_what_they_receive():
    client = persona("io_editor").client()
    assert client.post("/needs/notifications/", {"weekly_digest": "on"}).status_code == 302
    preference = NotificationPreference.objects.get(user=persona("io_editor").user)
    assert (preference.matching_needs, preference.weekly_digest) == (False, True)


# Mail never half-done (issue 11, item 4) ------------------------------------------------------------


class FailingForSome(LocmemBackend):
    """The test mail server: refuses every message to an address in ``refused`` (as an SMTP server that
    is down for one domain would), delivers the others to ``mail.outbox``."""

    refused: set[str] = set()

    def send_messages(self, email_messages):
        for message in email_messages:
            if self.refused.intersection(message.to):
                raise ConnectionRefusedError(f"refused: {', '.join(message.to)}")
        return super().send_messages(email_messages)


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingForSome"
    FailingForSome.refused = {persona("io_editor").user.email}
    yield FailingForSome
    FailingForSome.refused = set()


def test_one_failing_recipient_stops_nobody_and_is_sent_once_on_retry(
    io_donor, failing_mail, mailoutbox, django_capture_on_commit_callbacks
):
    need = NeedFactory(published=False, title="Survey teams")
    refused = persona("io_editor").user.email
    with django_capture_on_commit_callbacks(execute=True):
        response = persona("state_manager").client().post(f"/needs/{need.pk}/publish/")
    assert response.status_code == 302  # the publication does not depend on the mail
    assert Need.objects.get(pk=need.pk).published_at is not None
    told = {m.to[0] for m in mailoutbox}
    assert {persona("io_viewer").user.email, persona("io_manager").user.email} <= told
    assert refused not in told
    assert not NeedNotification.objects.filter(need=need, user__email=refused).exists()  # not counted as sent
    job = Job.objects.get(name="needs.notify_matching_donors")
    assert job.status == JobStatus.FAILED and "1 notice(s)" in job.error

    assert tasks.retry_failed() == 0  # not before the pause
    failing_mail.refused = set()
    later = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_failed(now=later) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report == {"sent": 1}
    assert [m.to[0] for m in mailoutbox].count(refused) == 1
    assert len(mailoutbox) == len(told) + 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_failed(now=later + timedelta(days=1)) == 0
        assert tasks.execute(job.pk) == "done"
    assert len(mailoutbox) == len(told) + 1  # nobody twice


def test_retries_stop_when_the_attempts_are_used_up(io_donor, failing_mail, django_capture_on_commit_callbacks):
    from ccm.needs.tasks import MAIL_RETRIES

    need = NeedFactory(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.need_publish(need=need, actor=None)
    job = Job.objects.get(name="needs.notify_matching_donors")
    moment = timezone.now()
    for _attempt in range(MAIL_RETRIES + 3):
        moment += timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.retry_failed(now=moment)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == MAIL_RETRIES + 1


def test_a_task_backend_out_of_reach_never_fails_a_publication(
    io_donor, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(tasks, "_hand_over", down)
    need = NeedFactory(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = persona("state_manager").client().post(f"/needs/{need.pk}/publish/")
    assert response.status_code == 302 and Need.objects.get(pk=need.pk).published_at is not None
    job = Job.objects.get(name="needs.notify_matching_donors")
    assert job.status == JobStatus.QUEUED and not mailoutbox  # kept, handed over again by tick
    monkeypatch.undo()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.requeue_lost() == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE and mailoutbox


def test_a_digest_that_fails_for_one_person_reaches_the_others_and_is_sent_on_retry(failing_mail, mailoutbox):
    need = NeedFactory(title="Last week's need")
    last_week = week_start(today()) - timedelta(days=5)
    type(need).objects.filter(pk=need.pk).update(
        published_at=timezone.make_aware(timezone.datetime.combine(last_week, timezone.datetime.min.time()))
    )
    refused = persona("io_editor").user.email
    with pytest.raises(MailNotSent):
        send_digests(today=today())
    first = [m.to[0] for m in mailoutbox]
    assert first and refused not in first
    failing_mail.refused = set()
    assert send_digests(today=today()) == (1, len(first))
    assert [m.to[0] for m in mailoutbox] == [*first, refused]
