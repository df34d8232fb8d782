"""The actions API: list with filters and pages, one action, PATCH — through the same policy as the pages."""

from datetime import date, timedelta

import pytest
import time_machine

from ccm.actions import services
from ccm.actions.models import Action, ActionStatus
from ccm.core.models import AuditEntry
from ccm.states.models import State
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def on_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def world():
    public = NeedFactory(title="Public need")
    draft = NeedFactory(published=False, title="Draft need")

    def make(source, title, owner, due, **kw):
        return services.action_create(
            source=source, title=title, owner=organisation(owner), due_date=due, actor=None, **kw
        )

    return {
        "late": make(public, "Share the maps", "io", TODAY - timedelta(days=2), state=State.objects.get(iso3="LBN")),
        "soon": make(public, "Send the budget", "state", TODAY + timedelta(days=5)),
        "hidden": make(draft, "Confidential follow-up", "state", TODAY + timedelta(days=9)),
    }


def test_the_list_shows_what_the_caller_may_see_with_filters(world):
    client = persona("io_viewer").client()
    body = client.get("/api/v1/actions/").json()
    assert body["count"] == 2 and [r["title"] for r in body["results"]] == ["Share the maps", "Send the budget"]
    first = body["results"][0]
    assert first["owner"] == "international-organisation" and first["state"] == "LBN"
    assert first["overdue"] is True and first["status"] == "open" and first["source_kind"] == "needs.need"
    assert first["source_url"] == f"/needs/{world['late'].source_id}/"
    assert [r["title"] for r in client.get("/api/v1/actions/?mine=true").json()["results"]] == ["Share the maps"]
    assert client.get("/api/v1/actions/?overdue=true").json()["count"] == 1
    assert client.get("/api/v1/actions/?owner=state-a-government").json()["count"] == 1
    assert client.get("/api/v1/actions/?source_kind=needs.need&state=LBN").json()["count"] == 1
    assert client.get("/api/v1/actions/?status=done").json()["count"] == 0
    coordinator = persona("coordinator").client().get("/api/v1/actions/?limit=2&offset=2").json()
    assert coordinator["count"] == 3 and [r["title"] for r in coordinator["results"]] == ["Confidential follow-up"]


def test_bad_filters_and_pages_answer_400(world):
    client = persona("coordinator").client()
    assert client.get("/api/v1/actions/?status=late").status_code == 400
    assert client.get("/api/v1/actions/?limit=0").status_code == 400


def test_detail_is_404_for_those_who_do_not_see_the_source(world):
    url = f"/api/v1/actions/{world['hidden'].pk}/"
    assert persona("state_viewer").client().get(url).json()["title"] == "Confidential follow-up"
    assert persona("io_manager").client().get(url).status_code == 404
    assert persona("anonymous").client().get(url).status_code == 401


def test_patch_by_the_owner_changes_the_status_and_is_audited(world):
    url = f"/api/v1/actions/{world['late'].pk}/"
    response = persona("io_editor").client().patch(
        url, {"status": "done", "completed_on": "2026-11-27", "note": "Sent"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done" and response.json()["completed_on"] == "2026-11-27"
    assert Action.objects.get(pk=world["late"].pk).status == ActionStatus.DONE
    assert AuditEntry.objects.filter(action="action.update", object_id=str(world["late"].pk)).count() == 1


def test_patch_refuses_bad_input_and_readers_who_may_not_change(world):
    url = f"/api/v1/actions/{world['late'].pk}/"
    editor = persona("io_editor").client()
    response = editor.patch(url, {"status": "open", "completed_on": "2026-11-27"}, content_type="application/json")
    assert response.status_code == 400 and "completed_on" in response.json()
    response = editor.patch(url, {"status": "done", "completed_on": "2026-12-27"}, content_type="application/json")
    assert response.status_code == 400 and "future" in response.json()["completed_on"][0]
    assert persona("io_viewer").client().patch(url, {"status": "done"}, content_type="application/json").status_code == 403
    hidden = f"/api/v1/actions/{world['hidden'].pk}/"
    assert persona("io_editor").client().patch(hidden, {"status": "done"}, content_type="application/json").status_code == 404
    assert Action.objects.get(pk=world["late"].pk).status == ActionStatus.OPEN
