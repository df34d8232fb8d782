"""Meeting services: times with their zone, replies closing at the start, invitations with the .ics
sent once (updates keep the UID and raise the sequence), agenda, notes and drafted key points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from ccm.core import clock
from ccm.core.models import AuditEntry
from ccm.meetings import policies, services
from ccm.meetings.models import KeyPoint, Meeting, MeetingStatus
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

START = datetime(2030, 5, 4, 8, 0, tzinfo=UTC)  # 10:00 in Geneva (summer time)


def _values(**changes):
    values = {
        "title": "Closed meeting on cooperation",
        "kind": "closed",
        "starts_at": START,
        "ends_at": START + timedelta(hours=4),
        "time_zone": "Europe/Zurich",
        "place": "Geneva",
        "confidentiality": "chatham_house",
    }
    values.update(changes)
    return values


@pytest.fixture
def convener():
    return persona("other_state_manager").user


@pytest.fixture
def meeting(convener):
    meeting = services.meeting_create(values=_values(), actor=convener)
    services.invite_organisation(meeting=meeting, organisation=organisation("state"), actor=convener)
    services.invite_organisation(meeting=meeting, organisation=organisation("operator"), actor=convener)
    return meeting


def test_a_time_without_a_zone_is_refused_and_nothing_is_created(convener):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(values=_values(starts_at=datetime(2030, 5, 4, 10, 0)), actor=convener)
    assert "time zone" in str(error.value.message_dict["starts_at"])
    assert not Meeting.objects.exists()


def test_the_end_comes_after_the_start_and_the_zone_is_a_real_one(convener):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(values=_values(ends_at=START), actor=convener)
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_create(values=_values(time_zone="Europe/Geneva"), actor=convener)
    assert "time_zone" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_the_creator_convenes_and_the_meeting_is_closed_to_outsiders(meeting, convener):
    assert policies.is_convener(convener, meeting, today=START.date())
    assert meeting.visibility == "meeting"
    assert not policies.meetings.visible_to(persona("io_manager").user).filter(pk=meeting.pk).exists()
    # in draft the invited do not see it yet
    assert not policies.meetings.visible_to(persona("state_viewer").user).filter(pk=meeting.pk).exists()


@time_machine.travel(datetime(2030, 4, 1, tzinfo=UTC), tick=False)
def test_convening_sends_each_invitation_once_with_the_ics(meeting, convener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_convene(meeting=meeting, actor=convener)
    recipients = sorted(m.to[0] for m in mail.outbox)
    members = {persona(p).user.email for p in ("state_viewer", "state_editor", "state_manager", "operator_viewer")}
    assert members <= set(recipients)
    assert convener.email in recipients
    assert persona("io_manager").user.email not in recipients
    assert len(recipients) == len(set(recipients))
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == Meeting.objects.get(pk=meeting.pk).ics_uid
    assert int(event["SEQUENCE"]) == 0
    # a second run (a retry, another invitation added) sends nothing twice
    sent = len(mail.outbox)
    from ccm.meetings.invitations import send_invitations

    assert send_invitations(meeting_id=meeting.pk) == 0
    assert len(mail.outbox) == sent


@time_machine.travel(datetime(2030, 4, 1, tzinfo=UTC), tick=False)
def test_a_change_of_time_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    meeting, convener, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_convene(meeting=meeting, actor=convener)
    first = len(mail.outbox)
    uid = Meeting.objects.get(pk=meeting.pk).ics_uid
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, values={"starts_at": START + timedelta(hours=1)}, actor=convener)
    updates = mail.outbox[first:]
    assert len(updates) == first
    assert updates[0].subject.startswith("Updated invitation")
    event = icalendar.Calendar.from_ical(updates[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    # a change of the purpose alone is no new calendar version
    services.meeting_update(meeting=meeting, values={"purpose": "More words"}, actor=convener)
    assert Meeting.objects.get(pk=meeting.pk).ics_sequence == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=convener)
    calendar = icalendar.Calendar.from_ical(mail.outbox[-1].attachments[0][1])
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 2 and str(event["UID"]) == uid


def test_the_ics_parses_back_with_its_zone(meeting):
    from ccm.meetings.ics import calendar_bytes

    calendar = icalendar.Calendar.from_ical(calendar_bytes(meeting))
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == START
    assert event["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert event.decoded("DTSTART").hour == 10  # local time in Geneva
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    assert str(event["SUMMARY"]) == meeting.title and str(event["LOCATION"]) == "Geneva"
    assert str(event["URL"]).endswith(f"/meetings/{meeting.pk}/")
    assert calendar_bytes(meeting).count(b"UID:") == 1
    assert icalendar.Calendar.from_ical(calendar_bytes(meeting)).walk("VEVENT")[0]["UID"] == event["UID"]


@time_machine.travel(datetime(2030, 4, 1, tzinfo=UTC), tick=False)
def test_a_reply_after_the_start_is_refused_naming_the_start_in_the_zone(meeting, convener):
    services.meeting_convene(meeting=meeting, actor=convener)
    manager = persona("state_manager").user
    reply = services.reply_save(
        meeting=meeting, organisation=organisation("state"), response="attending", delegate_name="A. B.", actor=manager
    )
    assert reply.delegate_name == "A. B."
    with pytest.raises(ValidationError) as error:
        services.reply_save(
            meeting=meeting,
            organisation=organisation("state"),
            response="not_attending",
            actor=manager,
            now=START + timedelta(minutes=1),
        )
    assert "4 May 2030, 10:00 (Europe/Zurich)" in error.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.replies.get().response == "attending"
    with pytest.raises(ValidationError):  # not invited
        services.reply_save(meeting=meeting, organisation=organisation("io"), response="attending", actor=manager)


def test_notes_never_reach_the_audit_trail_and_drafted_key_points_wait_for_approval(meeting, convener):
    item = services.agenda_item_save(meeting=meeting, values={"title": "Obstacles"}, actor=convener)
    note = services.note_save(agenda_item=item, text="State A's delegate said X.\nAnother said Y.", actor=convener)
    services.note_save(agenda_item=item, text="State A's delegate said Z.", note=note, actor=convener)
    for entry in AuditEntry.objects.filter(action__startswith="note."):
        assert "delegate" not in str(entry.data) and "delegate" not in entry.object_label
        assert entry.object_label == f"Note #{note.pk}"
    drafted = services.key_points_draft(meeting=meeting, actor=convener)
    assert [k.text for k in drafted] == ["State A's delegate said Z."]
    assert services.key_points_draft(meeting=meeting, actor=convener) == []  # not twice
    participant = persona("state_viewer").user
    meeting.status = MeetingStatus.CONVENED
    meeting.save()
    assert not policies.key_points.visible_to(participant).filter(meeting=meeting).exists()
    services.key_point_save(meeting=meeting, key_point=drafted[0], text="Survey capacity is short.", actor=convener)
    assert list(policies.key_points.visible_to(participant).values_list("text", flat=True)) == [
        "Survey capacity is short."
    ]
    assert KeyPoint.objects.get().is_draft is False


def test_who_reads_the_notes(meeting, convener):
    services.meeting_convene(meeting=meeting, actor=convener, now=START - timedelta(days=10))
    item = services.agenda_item_save(meeting=meeting, values={"title": "Obstacles"}, actor=convener)
    services.note_save(agenda_item=item, text="Confidential words", actor=convener)
    today = START.date()
    readers = {
        p
        for p in ("other_state_manager", "isu_viewer", "coordinator", "administrator", "state_manager")
        if policies.sees_notes(persona(p).user, meeting, today=today)
    }
    assert readers == {"other_state_manager", "isu_viewer"}
    # a convener whose mandate ended reads them no more
    now = clock.today()
    meeting.conveners.filter(user=convener).update(mandate_ends=now - timedelta(days=1))
    assert not policies.sees_notes(convener, meeting, today=now)
    assert not policies.notes.visible_to(convener).exists()
    # the conveners may share them with the participants
    services.meeting_share_notes(meeting=meeting, shared=True, actor=convener)
    meeting.refresh_from_db()
    assert policies.sees_notes(persona("state_viewer").user, meeting, today=today)
    assert not policies.sees_notes(persona("io_manager").user, meeting, today=today)
    assert not policies.sees_notes(persona("coordinator").user, meeting, today=today)


def test_invitations_and_agenda_refuse_bad_input(meeting, convener):
    with pytest.raises(ValidationError):
        services.invite_organisation(meeting=meeting, organisation=organisation("state"), actor=convener)
    with pytest.raises(ValidationError):
        services.invite_person(meeting=meeting, actor=convener)
    services.agenda_item_save(meeting=meeting, values={"title": "One", "position": 1}, actor=convener)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_save(meeting=meeting, values={"title": "Two", "position": 1}, actor=convener)
    assert "position" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.meeting_convene(meeting=meeting, actor=convener, now=START + timedelta(days=1))
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.DRAFT
