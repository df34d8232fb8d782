"""Reminders: a week before the due date and the day after it passed, once each, to the owner's
editors and managers, through the periodic job."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from ccm.actions import services
from ccm.actions.reminders import send_reminders
from ccm.core import periodic
from tests.factories import NeedFactory
from tests.personas import organisation

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 10)
IO_EDITORS = {"io.editor@personas.test", "io.manager@personas.test"}


@pytest.fixture
def action():
    return services.action_create(
        source=NeedFactory(title="Public need"),
        title="Share the survey maps",
        owner=organisation("io"),
        due_date=DUE,
        actor=None,
    )


def _sent_on(day: date) -> list:
    before = len(mail.outbox)
    with time_machine.travel(datetime(day.year, day.month, day.day, 6, tzinfo=UTC), tick=False):
        send_reminders(today=day)
    return mail.outbox[before:]


def test_a_week_before_then_the_day_after_once_each(action):
    assert _sent_on(DUE - timedelta(days=8)) == []
    first = _sent_on(DUE - timedelta(days=7))
    assert {m.to[0] for m in first} == IO_EDITORS  # not the viewer, nobody of another organisation
    message = first[0]
    assert message.subject == "Due 10 December 2026: Share the survey maps"
    assert "is due on 10 December 2026, in 7 days" in message.body
    assert f"/actions/{action.pk}/" in message.body
    for day in range(6, -1, -1):
        assert _sent_on(DUE - timedelta(days=day)) == []  # once, not every day of the week
    late = _sent_on(DUE + timedelta(days=1))
    assert {m.to[0] for m in late} == IO_EDITORS
    assert late[0].subject == "Overdue since 10 December 2026: Share the survey maps"
    assert "still open (1 day late)" in late[0].body
    assert _sent_on(DUE + timedelta(days=2)) == []


def test_a_late_run_still_sends_and_a_new_due_date_is_reminded_again(action):
    assert len(_sent_on(DUE - timedelta(days=3))) == 2  # the job did not run earlier in the week
    services.action_update(action=action, actor=None, due_date=DUE + timedelta(days=20), today=DUE - timedelta(days=3))
    assert _sent_on(DUE + timedelta(days=1)) == []  # the old due date no longer counts
    assert len(_sent_on(DUE + timedelta(days=13))) == 2  # a week before the new one


def test_done_or_cancelled_actions_are_not_reminded(action):
    services.action_update(action=action, actor=None, status="done", today=DUE - timedelta(days=10))
    assert _sent_on(DUE - timedelta(days=7)) == [] and _sent_on(DUE + timedelta(days=1)) == []


def test_the_reminders_run_as_a_daily_periodic_job(action, django_capture_on_commit_callbacks):
    now = datetime(2026, 12, 3, 0, 5, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        enqueued = periodic.tick(now=now)
    assert "actions.reminders 2026-12-03" in enqueued
    reminders = [m for m in mail.outbox if "Share the survey maps" in m.subject]  # other jobs mail too
    assert {m.to[0] for m in reminders} == IO_EDITORS
    with django_capture_on_commit_callbacks(execute=True):
        periodic.tick(now=now + timedelta(hours=5))
    assert len([m for m in mail.outbox if "Share the survey maps" in m.subject]) == 2
