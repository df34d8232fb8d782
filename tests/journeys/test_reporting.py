"""A State editor brings in a year's figures and sees the profile and the brief follow."""

import re
from datetime import date

import pytest

from ccm.reporting import services
from ccm.states.models import State
from tests.journeys.test_accounts import sign_in
from tests.personas import persona

pytestmark = pytest.mark.journey


def test_editor_adds_a_year_and_the_profile_and_brief_update(page):
    lebanon = State.objects.get(iso3="LBN")
    services.baseline_add(
        obligation=lebanon.obligations.get(kind="clearance"),
        kind="baseline",
        recorded_on=date(2015, 12, 31),
        cha_m2=10_000_000,
        source="Monitor",
        actor=None,
    )
    sign_in(page, persona("state_editor").user.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto("/states/LBN/profile/")
    assert "10,000,000" in page.locator("dl.figures").first.inner_text()
    page.get_by_role("link", name="Add a year's figures").click()
    page.get_by_label("Year").fill("2024")
    page.get_by_label("Cleared (m²)").fill("1500000")
    page.get_by_label("Obstacles").fill("Heavy rains closed the roads for three months.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/states/LBN/progress/2024/$"))
    assert page.get_by_text("Figures for 2024 saved.").is_visible()
    page.get_by_role("link", name="Country profile").click()
    assert "8,500,000" in page.locator("dl.figures").first.inner_text()
    assert page.locator("figure.chart svg[role=img]:visible").count() == 1  # the wide or the narrow drawing
    assert page.get_by_text("Heavy rains closed the roads").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.startswith("country-brief-LBN-")
