"""An owner finds its overdue action on its home page, opens it from the tracker and marks it done."""

import re
from datetime import timedelta

import pytest

from ccm.actions import services
from ccm.core.clock import today
from tests.actions.helpers import need_as_source
from tests.factories import NeedFactory
from tests.journeys.conftest import look
from tests.journeys.test_accounts import sign_in
from tests.personas import organisation, persona

pytestmark = pytest.mark.journey


def test_owner_marks_an_overdue_action_done(page):
    with need_as_source():
        source = NeedFactory(title="Survey of the south", description="Two teams.")
        services.action_create(
            source=source,
            title="Share the survey maps of the southern districts with the operators",
            owner=organisation("state"),
            due_date=today() - timedelta(days=3),
            state=source.state,
            actor=None,
        )
        services.action_create(
            source=source,
            title="Send the budget",
            owner=organisation("io"),
            due_date=today() + timedelta(days=5),
            actor=None,
        )
        sign_in(page, persona("state_editor").user.email)
        page.wait_for_url(re.compile(r"/me/$"))
        assert "OVERDUE by 3 days" in page.locator("main").inner_text()
        page.get_by_role("navigation", name="Your account").get_by_role("link", name="Actions").click()
        main = page.locator("main").inner_text()
        assert "Overdue by 3 days" in main and "Send the budget" not in main  # my organisation's, by default
        look(page, "actions-tracker")
        page.get_by_label("Whose").select_option("all")
        page.get_by_role("button", name="Apply").click()
        assert "Send the budget" in page.locator("main").inner_text()
        page.get_by_role("link", name="Share the survey maps of the southern districts with the operators").click()
        look(page, "actions-detail")
        page.get_by_label("Status").select_option("done")
        page.get_by_label("Note").fill("Maps sent on a USB key.")
        page.get_by_role("button", name="Save").click()
        main = page.locator("main").inner_text()
        assert "Action updated." in main and "Status: Open → Done" in main and "Maps sent on a USB key." in main
        assert "Overdue" not in main
