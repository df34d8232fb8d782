"""A visitor, without JavaScript, finds a State's deadlines from the home page."""

import re

import pytest

pytestmark = pytest.mark.journey


def test_visitor_goes_from_home_to_states_list_to_lebanon(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Country Coalitions"
    assert page.get_by_text("States Parties", exact=True).is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="States").click()
    page.wait_for_url(re.compile(r"/states/$"))
    page.get_by_label("Region").select_option("asia")
    page.get_by_label("Obligation").select_option("clearance")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"region=asia"))
    names = page.locator("table.data tbody th[scope=row] a").all_inner_texts()
    assert names == ["Afghanistan", "Iraq", "Lao People's Democratic Republic", "Lebanon"]

    page.get_by_role("link", name="Lebanon").click()
    page.wait_for_url(re.compile(r"/states/LBN/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Lebanon")
    obligations = page.get_by_role("table").first.inner_text()
    assert "1 May 2021" in obligations and "1 May 2026" in obligations
    timeline = page.locator("ol.timeline").inner_text()
    assert "Extension granted: Clearance (Art 4) until 1 May 2026" in timeline
    assert page.get_by_role("link", name="Cluster Munition Monitor 2021, Lebanon: impact").count() >= 1


def test_visitor_reads_the_deadlines_board(page):
    page.goto("/deadlines/")
    heading = page.get_by_role("heading", name="Extension request considered; decision not on record")
    assert heading.is_visible()
    considered = page.locator("section", has=heading).inner_text()
    assert "Lebanon" in considered and "Thirteenth Meeting of States Parties" in considered
