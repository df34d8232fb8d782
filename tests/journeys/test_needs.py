"""A donor goes from the needs board to a pledge in two clicks; the need shows partly met."""

import re
from decimal import Decimal

import pytest

from ccm.states.models import State
from tests.factories import DonorProfileFactory, NeedFactory
from tests.journeys.test_accounts import sign_in
from tests.personas import persona

pytestmark = pytest.mark.journey


def test_donor_pledges_from_the_board_in_two_clicks(page):
    DonorProfileFactory(pillars=["survey"])
    NeedFactory(title="Survey of the south", pillar="survey", description="Two teams.", amount=Decimal("500000"))
    sign_in(page, persona("io_editor").user.email)
    page.wait_for_url(re.compile(r"/me/$"))
    home = page.locator("main").inner_text()
    assert "New needs matching your profile (1)" in home and "Survey of the south" in home
    page.goto("/needs/")
    row = page.locator("tr", has=page.get_by_role("link", name="Survey of the south"))
    assert "matches your profile" in row.inner_text()
    page.get_by_role("link", name="Survey of the south").click()  # click 1
    page.get_by_label("Amount pledged").fill("200000")  # the pledge form, posted to the funding ledger
    page.get_by_role("button", name="Pledge", exact=True).click()  # click 2
    assert page.get_by_text("Your pledge is recorded in the funding ledger and shown in the thread.").is_visible()
    assert "Partly met" in page.locator("main").inner_text()
    assert "200,000\xa0USD" in page.locator("ol.thread").inner_text()


def test_the_state_filter_suggests_names_as_they_are_typed_with_javascript(browser, live_server, page):
    """Without JavaScript it is a plain select (the other journeys); with it, a box suggesting States."""
    NeedFactory(title="Survey of the south", pillar="survey", description="Two teams.")
    NeedFactory(state=State.objects.get(iso3="TCD"), title="Tibesti survey", pillar="survey", description="x")
    context = browser.new_context(java_script_enabled=True, base_url=live_server.url)
    scripted = context.new_page()
    scripted.goto("/needs/")
    box = scripted.get_by_label("State")
    assert box.evaluate("e => e.tagName") == "INPUT" and box.get_attribute("list")
    suggestions = scripted.locator(f"datalist#{box.get_attribute('list')} option")
    assert "Lebanon" in [suggestions.nth(i).get_attribute("value") for i in range(suggestions.count())]
    box.fill("Lebanon")
    scripted.get_by_role("button", name="Apply").click()
    scripted.wait_for_url(re.compile(r"state=Lebanon"))
    titles = scripted.locator("table.data tbody th a, table.data tbody td a").all_inner_texts()
    assert "Survey of the south" in titles and "Tibesti survey" not in titles
    assert scripted.get_by_label("State").input_value() == "Lebanon"
    context.close()
