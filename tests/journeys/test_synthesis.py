"""A participant reads a closed campaign's synthesis without attribution; a convener reviews the quote
held back and writes the key points; every page is looked at on a phone and a laptop."""

import re

import pytest

from ccm.consultations import synthesis_services as services
from tests.consultations.synthesis_world import build
from tests.journeys.conftest import look
from tests.journeys.test_accounts import sign_in
from tests.personas import persona

pytestmark = pytest.mark.journey


def test_participant_and_convener_read_and_review_the_synthesis(page, browser, live_server):
    world = build()
    services.themes_auto_tag(campaign=world.campaign, actor=None)
    sign_in(page, persona("state_viewer").user.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"/consultations/campaigns/{world.campaign.pk}/synthesis/")
    main = page.locator("main").inner_text()
    assert "Without attribution" in main and "multi-year funding" in main
    assert "Lebanon" not in main and "State B government" not in main
    assert "1 answer held back until a convener reviews it." in main
    look(page, "synthesis-participant")

    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    convener = context.new_page()
    sign_in(convener, world.convener.email)
    convener.wait_for_url(re.compile(r"/me/$"))
    convener.goto(f"/consultations/campaigns/{world.campaign.pk}/synthesis/")
    assert "With attribution." in convener.locator("main").inner_text()
    look(convener, "synthesis-convener")
    convener.get_by_role("link", name="Review held quotes").click()
    assert convener.locator("mark").first.inner_text().startswith("Lebanon")
    look(convener, "synthesis-quotes")
    convener.get_by_label("The quote as it may be shown").fill("Survey capacity is too small in one region.")
    convener.get_by_role("button", name="Save the rewritten quote").click()
    assert convener.get_by_text("Quote reviewed.").is_visible()
    convener.goto(f"/consultations/campaigns/{world.campaign.pk}/synthesis/key-points/")
    convener.get_by_label("Key points").fill("Survey capacity and multi-year funding come first.")
    convener.get_by_role("button", name="Save and mark ready").click()
    assert convener.get_by_text("Key points saved and marked ready.").is_visible()
    look(convener, "synthesis-key-points")

    page.reload()
    assert "Survey capacity is too small in one region." in page.locator("main").inner_text()
