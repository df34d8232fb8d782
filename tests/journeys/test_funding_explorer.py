"""A donor desk officer, without JavaScript and on a phone, asks the funding explorer "who funded
clearance in Lao PDR in 2021, and how much?" and has the answer in two clicks."""

import re
from datetime import date
from decimal import Decimal

import pytest

from ccm.states.models import State
from tests.factories import FlowFactory
from tests.journeys.conftest import look
from tests.personas import organisation

pytestmark = pytest.mark.journey


def _no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1366])
def test_two_clicks_from_the_explorer_to_who_funded_clearance_in_lao_in_2021(page, width):
    lao = State.objects.get(iso3="LAO")
    FlowFactory(funder=organisation("io"), recipient_state=lao, amount=Decimal("300000"), value_date=date(2021, 2, 1))
    FlowFactory(
        funder=organisation("operator"), recipient_state=lao, amount=Decimal("150000"), value_date=date(2021, 5, 1)
    )
    FlowFactory(funder=organisation("io"), recipient_state=lao, amount=Decimal("999"), value_date=date(2022, 5, 1))
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding explorer").click()
    page.wait_for_url(re.compile(r"/funding/explorer/$"))
    _no_sideways_scroll(page, width)
    # the chart's labels stay readable: at least 12 px on the screen
    sizes = page.evaluate(
        "Array.from(document.querySelectorAll('figure.chart svg text')).map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 12

    recipients = page.get_by_role("table").filter(has_text="Recipient States by pillar")
    row = recipients.get_by_role("row").filter(has_text="Lao People's Democratic Republic")
    row.get_by_role("link", name="Clearance").click()  # click 1
    page.wait_for_url(re.compile(r"recipient=LAO"))
    years = page.get_by_role("table").filter(has_text="Each year of value date")
    years.get_by_role("link", name="2021", exact=True).click()  # click 2
    page.wait_for_url(re.compile(r"year=2021"))
    _no_sideways_scroll(page, width)

    ranking = page.get_by_role("table").filter(has_text="Funders by what they funded")
    funders = ranking.locator("tbody th").all_inner_texts()
    assert funders == ["International organisation", "Operator"]
    assert ranking.locator("tbody tr").first.locator("td").nth(1).inner_text() == "300,000"
    assert page.locator("dl.figures").inner_text().count("450,000") == 1
    look(page, f"funding-explorer-answer-{width}")
