"""Notifications of needs (ccm.needs.notifications): the weekly digest and what each person chooses to receive."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ccm.core.clock import today
from ccm.needs import services
from ccm.needs.models import DigestDelivery, NotificationPreference
from ccm.needs.notifications import send_digests, week_start
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
