"""Question set versioning, campaigns (recipients, sending, e-mail), reminders a week and a day before
closing (each once), the status board and the worklist."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from ccm.consultations import campaign_services, notifications, selectors, services, set_services
from ccm.consultations.models import VersionStatus
from ccm.consultations.worklist import campaigns_to_answer
from ccm.core import clock, periodic
from ccm.core.models import AuditEntry
from tests.consultations.conftest import FULL
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_versions_publish_and_copy(coordinator):
    qs = set_services.question_set_create(title="Donors", audience="donors", actor=coordinator)
    draft = set_services.draft_of(qs)
    with pytest.raises(ValidationError, match="at least one question"):
        set_services.version_publish(version=draft, actor=coordinator)
    with pytest.raises(ValidationError, match="at least two options"):
        set_services.question_add(
            version=draft, text="Pick", qtype="single", options=[{"key": "a", "label": "A"}], actor=coordinator
        )
    first = set_services.question_add(version=draft, text="Why?", qtype="text", actor=coordinator)
    second = set_services.question_add(
        version=draft,
        text="Which?",
        qtype="multiple",
        options=set_services.parse_options("One\nb | Two"),
        actor=coordinator,
    )
    assert second.options == [{"key": "one", "label": "One"}, {"key": "b", "label": "Two"}]
    set_services.question_move(question=second, direction="up", actor=coordinator)
    assert [q.key for q in draft.questions.order_by("position")] == [second.key, first.key]
    v1 = set_services.version_publish(version=draft, actor=coordinator)
    assert v1.status == VersionStatus.PUBLISHED and v1.number == 1
    with pytest.raises(ValidationError, match="never changed"):
        set_services.question_add(version=v1, text="Late", qtype="text", actor=coordinator)
    v2 = set_services.draft_start(question_set=qs, actor=coordinator)
    assert v2.number == 2 and [q.text for q in v2.questions.all()] == ["Which?", "Why?"]
    set_services.question_delete(question=v2.questions.get(position=1), actor=coordinator)
    assert list(v2.questions.values_list("position", flat=True)) == [1]
    set_services.version_publish(version=v2, actor=coordinator, change_note="Shorter")
    assert v1.questions.count() == 2
    actions = set(AuditEntry.objects.filter(object_id=str(qs.pk)).values_list("action", flat=True))
    assert {"question_set.create", "question_set.publish", "question_set.new_draft"} <= actions


def test_campaign_rules(version, coordinator):
    today = clock.today()
    with pytest.raises(ValidationError) as caught:
        campaign_services.campaign_create(
            title="",
            version=version,
            opens_on=today,
            closes_on=today - timedelta(days=1),
            recipients=[],
            actor=coordinator,
        )
    assert set(caught.value.message_dict) == {"title", "closes_on", "recipients"}
    draft = set_services.draft_start(question_set=version.question_set, actor=coordinator)
    with pytest.raises(ValidationError, match="published version"):
        campaign_services.campaign_create(
            title="x",
            version=draft,
            opens_on=today,
            closes_on=today,
            recipients=[organisation("state")],
            actor=coordinator,
        )


def test_sending_tells_editors_and_managers_once(campaign, mailoutbox, coordinator):
    told = sorted(m.to[0] for m in mailoutbox)
    assert told == ["other.state.manager@personas.test", "state.editor@personas.test", "state.manager@personas.test"]
    assert "Obstacles 2026" in mailoutbox[0].subject
    assert f"/consultations/campaigns/{campaign.pk}/answer/" in mailoutbox[0].body
    assert notifications.send_invitations(campaign_id=campaign.pk) == 0
    with pytest.raises(ValidationError, match="already sent"):
        campaign_services.campaign_send(campaign=campaign, actor=coordinator)


def test_sent_campaign_keeps_its_recipients(campaign, coordinator):
    with pytest.raises(ValidationError, match="stay asked"):
        campaign_services.campaign_update(
            campaign=campaign,
            title=campaign.title,
            opens_on=campaign.opens_on,
            closes_on=campaign.closes_on,
            recipients=[organisation("state")],
            actor=coordinator,
        )


def test_all_affected_states_parties_are_government_organisations_with_open_obligations():
    affected = list(selectors.affected_states_parties())
    assert organisation("state") in affected  # Lebanon: an open clearance obligation
    assert organisation("other_state") not in affected  # Norway: no open obligation
    assert all(o.kind == "state_government" and o.state.ccm_status == "state_party" for o in affected)


def _at(day):
    return datetime.combine(day, time(0, 30), tzinfo=UTC)


def test_reminders_a_week_and_a_day_before_closing_each_once(campaign, mailoutbox, time_machine):
    services.answer_submit(
        answer=services.answer_save(
            campaign=campaign, organisation=organisation("state"), values=FULL, actor=persona("state_editor").user
        ),
        actor=persona("state_manager").user,
    )
    mailoutbox.clear()
    week_before = campaign.closes_on - timedelta(days=7)
    time_machine.move_to(_at(week_before), tick=False)
    assert notifications.send_reminders(today=week_before - timedelta(days=1)) == 0
    assert notifications.send_reminders(today=week_before) == 1
    assert notifications.send_reminders(today=week_before + timedelta(days=1)) == 0  # once per reminder
    assert [m.to[0] for m in mailoutbox] == ["other.state.manager@personas.test"]  # State A submitted
    assert "Reminder" in mailoutbox[0].subject
    day_before = campaign.closes_on - timedelta(days=1)
    assert notifications.send_reminders(today=day_before) == 1
    assert notifications.send_reminders(today=campaign.closes_on) == 0
    assert notifications.send_reminders(today=campaign.closes_on + timedelta(days=1)) == 0
    assert len(mailoutbox) == 2


def test_reminders_run_daily_through_tick(campaign, mailoutbox, time_machine, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    time_machine.move_to(_at(campaign.closes_on - timedelta(days=7)), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        periodic.tick()
    with django_capture_on_commit_callbacks(execute=True):
        periodic.tick()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "other.state.manager@personas.test",
        "state.editor@personas.test",
        "state.manager@personas.test",
    ]


def test_status_board_says_who_answered_not_what(campaign, django_assert_max_num_queries):
    services.answer_save(
        campaign=campaign, organisation=organisation("state"), values={"teams": 1}, actor=persona("state_editor").user
    )
    with django_assert_max_num_queries(2):
        board = selectors.status_board(campaign=campaign)
    assert [(r.organisation.slug, r.status) for r in board] == [
        ("state-a-government", "draft"),
        ("state-b-government", "not_started"),
    ]


def test_worklist_lists_open_campaigns_not_submitted(campaign, django_assert_max_num_queries):
    editor = persona("state_editor").user
    today = clock.today()
    with django_assert_max_num_queries(3):
        items = campaigns_to_answer(editor, today)
    assert [i.title for i in items] == ["State A government: Obstacles 2026"]
    assert items[0].due == campaign.closes_on and "Not started" in items[0].detail
    assert campaigns_to_answer(persona("state_viewer").user, today) == []
    assert campaigns_to_answer(persona("coordinator").user, today) == []
    services.answer_submit(
        answer=services.answer_save(campaign=campaign, organisation=organisation("state"), values=FULL, actor=editor),
        actor=persona("state_manager").user,
    )
    assert campaigns_to_answer(persona("state_editor").user, today) == []
