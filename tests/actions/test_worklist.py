"""The worklist group "Follow-up actions your organisation owns": soonest first, overdue flagged,
a fixed number of queries."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccm.actions import services
from ccm.actions.worklist import MINE, my_actions
from tests.factories import NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


def _action(title, due, owner="io", source=None):
    return services.action_create(
        source=source or NeedFactory(title=f"Need for {title}"),
        title=title,
        owner=organisation(owner),
        due_date=due,
        actor=None,
    )


def test_my_organisations_open_actions_soonest_first_overdue_flagged():
    _action("Later", TODAY + timedelta(days=20))
    _action("Late", TODAY - timedelta(days=4))
    _action("Someone else's", TODAY, owner="operator")
    done = _action("Done", TODAY)
    services.action_update(action=done, actor=None, status="done", today=TODAY)
    items = my_actions(persona("io_viewer").user, TODAY)
    assert [i.title for i in items] == ["Late", "Later"]
    assert items[0].kind == MINE and items[0].detail.startswith("OVERDUE by 4 days")
    assert items[1].detail.startswith("Due 18 December 2026")
    assert my_actions(persona("outsider").user, TODAY) == []
    with time_machine.travel(TODAY, tick=False):
        page = persona("io_viewer").client().get("/me/").content.decode()
    assert "Follow-up actions your organisation owns" in page and "OVERDUE by 4 days" in page


def test_the_group_costs_the_same_queries_with_one_or_thirty_actions():
    user = persona("io_editor").user
    _action("Action 0", TODAY)

    def count():
        fresh = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as captured:
            assert my_actions(fresh, TODAY)
        return len(captured)

    few = count()
    for i in range(1, 30):
        _action(f"Action {i}", TODAY + timedelta(days=i))
    assert count() == few
    assert few <= 3
