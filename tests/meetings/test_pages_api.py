"""Meeting pages and API: what each reader sees, replying, the conveners' forms, notes that never leak
(by page, API or audit log), and fixed query counts on the lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine
from django.urls import reverse

from ccm.meetings import services
from ccm.meetings.models import AgendaItem, KeyPoint, Meeting, Note, Reply
from tests.meetings.world import NOTE_TEXT, make_meetings
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

BEFORE = datetime(2030, 4, 1, tzinfo=UTC)


@pytest.fixture
def world():
    return make_meetings()


def test_the_list_shows_what_each_reader_may_see(world, client):
    page = persona("io_manager").client().get(reverse("meetings:list")).content.decode()
    assert "Open briefing" in page and "Closed meeting on cooperation" not in page
    page = persona("state_viewer").client().get(reverse("meetings:list")).content.decode()
    assert "Closed meeting on cooperation" in page and "Draft closed meeting" not in page
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Open briefing" in page and "Closed meeting on cooperation" not in page


def test_the_kept_list_moves_a_meeting_to_the_past_as_soon_as_it_ends(world):
    """The two tables are a page part kept in the shared cache: the next meeting's end is part of its key."""

    def upcoming_and_past() -> tuple[str, str]:
        page = persona("state_viewer").client().get(reverse("meetings:list")).content.decode()
        tables = page.split("<h1>", 1)[1].split("</main>", 1)[0]
        return tuple(tables.split("<h2>Past</h2>", 1))  # type: ignore[return-value]

    with time_machine.travel(datetime(2030, 5, 4, 11, 59, tzinfo=UTC), tick=False):
        upcoming, past = upcoming_and_past()
        assert "Closed meeting on cooperation" in upcoming and "Closed meeting on cooperation" not in past
        assert upcoming_and_past() == (upcoming, past)  # read back
    with time_machine.travel(datetime(2030, 5, 4, 12, 1, tzinfo=UTC), tick=False):
        upcoming, past = upcoming_and_past()
        assert "Closed meeting on cooperation" not in upcoming and "Closed meeting on cooperation" in past


def test_the_meeting_page_shows_times_in_the_meetings_zone_and_hides_notes(world):
    response = persona("state_viewer").client().get(reverse("meetings:detail", args=[world["closed_meeting"]]))
    page = response.content.decode()
    assert "4 May 2030, 10:00–14:00 (Europe/Zurich)" in page
    assert "Chatham House rule" in page
    assert NOTE_TEXT not in page and reverse("meetings:notes", args=[world["closed_meeting"]]) not in page
    assert "Funding is the main obstacle." in page


@pytest.mark.parametrize("name", ["coordinator", "administrator", "state_manager", "operator_manager", "io_manager"])
def test_notes_never_reach_those_who_may_not_read_them(world, name):
    client = persona(name).client()
    meeting = world["closed_meeting"]
    for url in (reverse("meetings:notes", args=[meeting]), reverse("api-meetings-notes", args=[meeting])):
        assert client.get(url).status_code == 404
    for url in (
        reverse("meetings:detail", args=[meeting]),
        reverse("api-meetings-detail", args=[meeting]),
        reverse("core:audit-log"),
        reverse("core:audit-export"),
        reverse("api-audit-list"),
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert NOTE_TEXT not in body.decode(), url


def test_the_audit_log_lists_note_entries_only_to_note_readers(world):
    convener = persona("other_state_manager").user
    item = AgendaItem.objects.get(pk=world["agenda_item"])
    note = services.note_save(agenda_item=item, text="Secret words of a delegate", actor=convener)
    label = f"Note #{note.pk}"
    audit = reverse("api-audit-list")
    coordinator = persona("coordinator").client().get(audit + "?limit=500").content.decode()
    assert label not in coordinator and "Secret words" not in coordinator
    page = persona("coordinator").client().get(reverse("core:audit-log")).content.decode()
    assert label not in page
    # the support unit's managers read the notes; their audit log is of their own organisation's entries
    assert "Secret words" not in persona("isu_manager").client().get(audit).content.decode()


def test_notes_page_for_the_convener_and_the_support_unit(world):
    url = reverse("meetings:notes", args=[world["closed_meeting"]])
    page = persona("other_state_manager").client().get(url).content.decode()
    assert NOTE_TEXT in page and "Add the note" in page
    page = persona("isu_viewer").client().get(url).content.decode()
    assert NOTE_TEXT in page and "Add the note" not in page
    assert persona("isu_viewer").client().post(url, {"item": world["agenda_item"], "text": "x"}).status_code == 403
    response = persona("other_state_manager").client().post(url, {"item": world["agenda_item"], "text": "New note"})
    assert response.status_code == 302
    assert Note.objects.filter(text="New note").exists()
    response = persona("other_state_manager").client().post(url, {"item": world["agenda_item"], "text": ""})
    assert Note.objects.count() == 2  # an empty note is refused


@time_machine.travel(BEFORE, tick=False)
def test_an_invited_editor_replies_by_page_and_by_api(world):
    url = reverse("meetings:reply", args=[world["closed_meeting"]])
    client = persona("state_editor").client()
    response = client.post(
        url, {"organisation": organisation("state").pk, "response": "attending", "delegate_name": "D"}
    )
    assert response.status_code == 302
    assert Reply.objects.get(organisation=organisation("state")).delegate_name == "D"
    api = reverse("api-meetings-replies", args=[world["closed_meeting"]])
    response = client.post(api, {"organisation": "state-a-government", "response": "not_attending"}, format="json")
    assert response.status_code == 201, response.content
    assert Reply.objects.get(organisation=organisation("state")).response == "not_attending"
    response = client.post(api, {"organisation": "operator", "response": "attending"})
    assert response.status_code == 400  # not theirs
    assert persona("state_viewer").client().post(api, {"organisation": "state-a-government"}).status_code == 403
    assert persona("io_manager").client().post(api, {"organisation": "io"}).status_code == 404


@time_machine.travel(datetime(2030, 5, 4, 9, 0, tzinfo=UTC), tick=False)
def test_a_reply_after_the_start_is_refused_with_the_start_named(world):
    api = reverse("api-meetings-replies", args=[world["closed_meeting"]])
    response = (
        persona("state_editor").client().post(api, {"organisation": "state-a-government", "response": "attending"})
    )
    assert response.status_code == 400
    assert "4 May 2030, 10:00 (Europe/Zurich)" in response.content.decode()
    assert not Reply.objects.filter(organisation=organisation("state")).exists()


def test_the_ics_download_follows_the_meeting_policy(world):
    url = reverse("meetings:ics", args=[world["closed_meeting"]])
    response = persona("operator_viewer").client().get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == Meeting.objects.get(pk=world["closed_meeting"]).ics_uid
    assert persona("io_manager").client().get(url).status_code == 404
    assert (
        persona("io_manager").client().get(reverse("api-meetings-ics", args=[world["closed_meeting"]])).status_code
        == 404
    )


@time_machine.travel(BEFORE, tick=False)
def test_a_convener_creates_invites_sets_the_agenda_and_key_points(client):
    convener = persona("isu_manager").client()
    response = convener.post(
        reverse("meetings:new"),
        {
            "title": "Donors and affected States",
            "kind": "closed",
            "time_zone": "Asia/Beirut",
            "starts_at": "2030-06-01T09:00",
            "ends_at": "2030-06-01T12:00",
            "confidentiality": "chatham_house",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(title="Donors and affected States")
    assert meeting.starts_at == datetime(2030, 6, 1, 6, 0, tzinfo=UTC)  # 09:00 in Beirut (UTC+3)
    manage = reverse("meetings:manage", args=[meeting.pk])
    convener.post(manage, {"step": "invite_organisation", "organisation": organisation("state").pk})
    convener.post(manage, {"step": "invite_person", "email": "guest@example.org", "name": "Guest"})
    convener.post(reverse("meetings:agenda", args=[meeting.pk]), {"title": "Obstacles", "starts_at": "09:30"})
    convener.post(reverse("meetings:key-points", args=[meeting.pk]), {"text": "Funding first."})
    convener.post(manage, {"step": "convene"})
    meeting.refresh_from_db()
    assert meeting.status == "convened"
    assert meeting.invited_people.get().email == "guest@example.org"
    assert AgendaItem.objects.get(meeting=meeting).starts_at.hour == 9
    assert KeyPoint.objects.get(meeting=meeting).text == "Funding first."
    page = persona("state_viewer").client().get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "1 Jun 2030, 09:00–12:00 (Asia/Beirut)" in page or "1 June 2030, 09:00–12:00 (Asia/Beirut)" in page
    # a time the zone does not make sense of is refused with a message, nothing created
    response = convener.post(
        reverse("meetings:new"),
        {
            "title": "X",
            "kind": "closed",
            "time_zone": "Mars/Olympus",
            "starts_at": "2030-06-01T09:00",
            "ends_at": "2030-06-01T08:00",
            "confidentiality": "chatham_house",
        },
    )
    assert response.status_code == 200 and "not a time zone name" in response.content.decode()
    assert not Meeting.objects.filter(title="X").exists()


def test_the_api_lists_and_details_only_what_one_may_see(world, client):
    ids = {row["id"] for row in persona("io_manager").client().get(reverse("api-meetings-list")).json()["results"]}
    assert ids == {world["open_meeting"]}
    detail = persona("state_viewer").client().get(reverse("api-meetings-detail", args=[world["closed_meeting"]])).json()
    assert detail["sees_notes"] is False and detail["agenda"][0]["title"] == "Obstacles to meeting deadlines"
    assert detail["when"] == "4 May 2030, 10:00–14:00 (Europe/Zurich)"
    notes = persona("isu_viewer").client().get(reverse("api-meetings-notes", args=[world["closed_meeting"]])).json()
    assert [n["text"] for n in notes] == [NOTE_TEXT]
    assert client.get(reverse("api-meetings-detail", args=[world["closed_meeting"]])).status_code == 404


def test_lists_run_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    convener = persona("other_state_manager").user
    for i in range(12):
        meeting = Meeting.objects.create(
            title=f"Meeting {i}",
            kind="closed",
            starts_at=datetime(2030, 8, 1, tzinfo=UTC) + timedelta(days=i),
            ends_at=datetime(2030, 8, 1, 2, tzinfo=UTC) + timedelta(days=i),
            time_zone="UTC",
            status="convened",
        )
        meeting.conveners.create(user=convener)
        meeting.invited_organisation_rows.create(organisation=organisation("state"))
        services.agenda_item_save(meeting=meeting, values={"title": "Item"}, actor=None)
    client = persona("state_viewer").client()
    client.get(reverse("meetings:list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("api-meetings-list") + "?limit=100").status_code == 200
    client.get(reverse("meetings:detail", args=[world["closed_meeting"]]))  # warm: the content types are cached
    with django_assert_max_num_queries(22):
        assert client.get(reverse("meetings:detail", args=[world["closed_meeting"]])).status_code == 200
