"""A donor goes from the needs board to a pledge in two clicks; the need shows partly met."""

import re
from decimal import Decimal

import pytest

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
