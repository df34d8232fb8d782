"""The tracker and an action's page: filters, who sees what, updating, and what they cost."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccm.actions import services
from ccm.actions.models import Action, ActionStatus
from ccm.states.models import State
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def on_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _action(source, title, owner="state", due=TODAY + timedelta(days=10), **kwargs):
    return services.action_create(
        source=source, title=title, owner=organisation(owner), due_date=due, actor=None, **kwargs
    )


@pytest.fixture
def world():
    public = NeedFactory(title="Public need")
    draft = NeedFactory(published=False, title="Draft need")
    lebanon = State.objects.get(iso3="LBN")
    return {
        "late": _action(public, "Share the survey maps", owner="io", due=TODAY - timedelta(days=3), state=lebanon),
        "soon": _action(public, "Send the budget", owner="state", due=TODAY + timedelta(days=2)),
        "hidden": _action(draft, "Confidential follow-up", owner="state"),
        "operator": _action(public, "Plan the deployment", owner="operator", due=TODAY + timedelta(days=40)),
    }


def _page(name, query=""):
    response = persona(name).client().get(f"/actions/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_tracker_shows_overdue_in_words_with_the_source_linked(world):
    page = _page("coordinator")
    for title in ("Share the survey maps", "Send the budget", "Confidential follow-up", "Plan the deployment"):
        assert title in page
    assert "Overdue by 3 days" in page and "status-overdue" in page
    assert "Due in 2 days" in page
    assert f'href="/needs/{world["late"].source_id}/"' in page
    assert "Need (test source): Lebanon: Public need" in page
    assert page.index("Share the survey maps") < page.index("Send the budget") < page.index("Plan the deployment")


def test_members_start_with_their_organisations_actions_and_may_look_wider(world):
    io = _page("io_viewer")
    assert "Share the survey maps" in io and "Send the budget" not in io and "owned by your organisations" in io
    wider = _page("io_viewer", "?scope=all")
    assert "Send the budget" in wider and "Plan the deployment" in wider
    assert "Confidential follow-up" not in wider  # its source is a draft need of State A
    coordinator = _page("coordinator")
    assert 'name="scope"' not in coordinator  # coordinators have one list
    assert "Nothing" not in _page("outsider") and "Confidential follow-up" not in _page("outsider")


@pytest.mark.parametrize(
    ("query", "shown", "not_shown"),
    [
        ("?owner=operator", ["Plan the deployment"], ["Send the budget", "Share the survey maps"]),
        ("?state=LBN", ["Share the survey maps"], ["Plan the deployment"]),
        ("?overdue=on", ["Share the survey maps"], ["Send the budget", "Plan the deployment"]),
        ("?source=needs.need", ["Send the budget", "Plan the deployment"], []),
        ("?status=done", ["Done already"], ["Send the budget"]),
        ("?status=all", ["Done already", "Send the budget"], []),
    ],
)
def test_tracker_filters(world, query, shown, not_shown):
    done = _action(NeedFactory(title="Another need"), "Done already", owner="io")
    services.action_update(action=done, actor=None, status="done", today=TODAY)
    page = _page("coordinator", query)
    for title in shown:
        assert title in page, (query, title)
    for title in not_shown:
        assert title not in page, (query, title)
    if "Done already" not in shown:
        assert "Done already" not in page


def test_a_filter_value_out_of_range_shows_the_form_error_and_the_default_list(world):
    page = _page("coordinator", "?status=nonsense")
    assert "Select a valid choice" in page and "Send the budget" in page
    page = _page("coordinator", "?source=nobody.nothing")  # a kind no app registered (meetings now is one)
    assert "Select a valid choice" in page


def _queries(name):
    client = persona(name).client()
    client.get("/actions/?scope=all")  # warm: the State chooser's list is kept in the shared cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/actions/?scope=all").status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["coordinator", "state_editor", "io_viewer"])
def test_the_tracker_costs_the_same_with_one_or_thirty_actions(name):
    need = NeedFactory(title="Public need")
    _action(need, "Action 0", owner="io")
    few = _queries(name)
    for i in range(1, 30):
        _action(NeedFactory(title=f"Need {i}"), f"Action {i}", owner="io" if i % 2 else "state")
    many = _queries(name)
    assert few == many, f"{name}: {few} queries with one action, {many} with thirty"
    assert many <= 25


def test_the_owner_updates_an_action_and_its_history_shows_the_change_and_note(world):
    client = persona("io_editor").client()
    url = f"/actions/{world['late'].pk}/"
    page = client.get(url).content.decode()
    assert 'name="status"' in page and "Overdue by 3 days" in page
    response = client.post(
        url, {"status": "done", "completed_on": "", "due_date": "", "note": "Maps sent to the IMSMA team"}
    )
    assert response.status_code == 302
    action = Action.objects.get(pk=world["late"].pk)
    assert action.status == ActionStatus.DONE and action.completed_on == TODAY
    page = client.get(url).content.decode()
    assert "Status: Open → Done" in page and "Maps sent to the IMSMA team" in page and "Overdue" not in page


def test_bad_input_is_refused_with_the_reason_and_nothing_changes(world):
    client = persona("io_editor").client()
    url = f"/actions/{world['late'].pk}/"
    response = client.post(url, {"status": "open", "completed_on": "2026-11-01", "note": ""})
    assert response.status_code == 200
    assert "Give a completion date only when the action is done." in response.content.decode()
    response = client.post(url, {"status": "cancelled", "note": ""})
    assert "Say why the action is cancelled." in response.content.decode()
    assert Action.objects.get(pk=world["late"].pk).status == ActionStatus.OPEN


def test_readers_who_may_not_change_get_no_form_and_403_on_post_and_outsiders_404(world):
    url = f"/actions/{world['late'].pk}/"
    viewer = persona("io_viewer").client()
    assert 'name="status"' not in viewer.get(url).content.decode()
    assert viewer.post(url, {"status": "done"}).status_code == 403
    hidden = f"/actions/{world['hidden'].pk}/"
    assert persona("io_manager").client().get(hidden).status_code == 404
    assert persona("outsider").client().post(hidden, {"status": "done"}).status_code == 404
    assert persona("state_viewer").client().get(hidden).status_code == 200
    assert persona("anonymous").client().get(url).status_code == 302
