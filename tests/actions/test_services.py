"""Creating and changing follow-up actions: validation, audit, and who sees them (through a test source)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ccm.accounts.models import Organisation
from ccm.actions import policies, services
from ccm.actions.models import Action, ActionStatus
from ccm.core.models import AuditEntry
from ccm.core.policies import get_for_user
from ccm.states.models import State
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def _draft_need():
    return NeedFactory(published=False, title="Draft need")


def _create(source=None, **overrides):
    values = {
        "source": source or _draft_need(),
        "title": "Send the survey maps",
        "owner": organisation("state"),
        "due_date": date(2026, 12, 15),
        "actor": persona("coordinator").user,
    }
    values.update(overrides)
    return services.action_create(**values)


def test_create_records_the_action_and_an_audit_entry():
    action = _create(description="All of them")
    assert action.pk and action.status == ActionStatus.OPEN and action.description == "All of them"
    entry = AuditEntry.objects.get(action="action.create", object_id=str(action.pk))
    assert entry.organisation_id == organisation("state").pk
    assert entry.data["new"]["due_date"] == "2026-12-15"


def test_state_is_taken_from_the_need_and_another_states_obligation_is_refused():
    need = _draft_need()
    action = _create(need=need)
    assert action.state == need.state
    norway = State.objects.get(iso3="NOR")
    with pytest.raises(ValidationError) as err:
        _create(state=State.objects.get(iso3="LBN"), obligation=norway.obligations.first())
    assert "obligation" in err.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_date": None}, "due_date"),
        ({"title": "  "}, "title"),
        ({"owner": None}, "owner"),
    ],
)
def test_missing_values_are_refused_by_name(overrides, field):
    with pytest.raises(ValidationError) as err:
        _create(**overrides)
    assert field in err.value.message_dict
    assert not Action.objects.exists()


def test_an_owner_outside_the_allowed_organisations_is_refused():
    with pytest.raises(ValidationError) as err:
        _create(owner=organisation("operator"), allowed_owners=[organisation("state"), organisation("io")])
    assert "Operator cannot own this action" in err.value.message_dict["owner"][0]
    assert _create(owner=organisation("io"), allowed_owners=[organisation("io")]).owner == organisation("io")


def test_an_inactive_owner_is_refused():
    org = organisation("operator")
    Organisation.objects.filter(pk=org.pk).update(is_active=False)
    org.refresh_from_db()
    with pytest.raises(ValidationError):
        _create(owner=org)


def test_an_unregistered_source_is_refused():
    with pytest.raises(ValidationError):
        _create(source=organisation("state"))


def test_done_takes_today_when_no_date_is_given_and_refuses_a_future_date():
    action = _create()
    with pytest.raises(ValidationError) as err:
        services.action_update(
            action=action, actor=None, status="done", completed_on=date(2026, 12, 1), today=date(2026, 11, 28)
        )
    assert "completed_on" in err.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    services.action_update(action=action, actor=None, status="done", today=date(2026, 11, 28), note="Maps sent")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on == date(2026, 11, 28)
    entry = AuditEntry.objects.get(action="action.update", object_id=str(action.pk))
    assert entry.data["old"] == {"status": "open", "completed_on": None}
    assert entry.data["new"] == {"status": "done", "completed_on": "2026-11-28"}
    assert entry.data["extra"] == {"note": "Maps sent"}


def test_reopening_clears_the_completion_date_and_a_date_without_done_is_refused():
    action = _create()
    services.action_update(
        action=action, actor=None, status="done", completed_on=date(2026, 11, 20), today=date(2026, 11, 28)
    )
    with pytest.raises(ValidationError):
        services.action_update(action=action, actor=None, status="in_progress", completed_on=date(2026, 11, 20))
    services.action_update(action=action, actor=None, status="in_progress")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.completed_on is None


def test_cancelling_needs_a_reason_and_nothing_to_change_is_refused():
    action = _create()
    with pytest.raises(ValidationError) as err:
        services.action_update(action=action, actor=None, status="cancelled")
    assert "note" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.action_update(action=action, actor=None, status="open")
    services.action_update(action=action, actor=None, note="Waiting for the maps")
    assert AuditEntry.objects.filter(action="action.update").count() == 1


def test_whoever_sees_the_source_sees_the_action_and_others_get_404():
    from django.http import Http404

    action = _create()  # its source: a draft need, seen by State A's government and coordinators
    for name in ("state_viewer", "state_manager", "coordinator"):
        assert get_for_user(policies.actions, persona(name).user, pk=action.pk) == action
    for name in ("outsider", "io_manager", "other_state_manager", "anonymous"):
        with pytest.raises(Http404):
            get_for_user(policies.actions, persona(name).user, pk=action.pk)


def test_owner_editors_and_source_editors_may_change():
    # Owned by the operator, created from State A's published need: the operator's editors may change it
    # (they see the public need), State A's editors may (they may change the need), viewers may not.
    action = _create(source=NeedFactory(title="Public need"), owner=organisation("operator"))
    changers = {
        name
        for name in ("operator_viewer", "operator_editor", "state_viewer", "state_editor", "io_manager", "outsider")
        if policies.actions.can(persona(name).user, "change", action)
    }
    assert changers == {"operator_editor", "state_editor"}
    assert set(policies.actions.visible_to(persona("operator_editor").user, "change")) == {action}
    assert not policies.actions.visible_to(persona("io_manager").user, "change").exists()


def test_an_action_whose_source_kind_is_not_registered_is_seen_by_nobody(need_source):
    from ccm.actions import sources
    from ccm.needs.models import Need

    action = _create()
    sources.unregister(Need)
    try:
        assert not policies.actions.visible_to(persona("coordinator").user).exists()
        assert not policies.actions.can(persona("coordinator").user, "view", action)
    finally:
        sources.register(Need, policy=need_source.policy, page_url=need_source.page_url, label=need_source.label)
