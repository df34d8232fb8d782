"""Every main page, as the people who use it, at 390 px and 1366 px: no page scrolls sideways and chart
text stays readable. Screenshots go to $CCM_JOURNEY_SHOTS (default var/journeys/, kept out of the repository)."""

import pytest
from django.core.management import call_command

from tests.journeys.conftest import look
from tests.journeys.test_accounts import sign_in

pytestmark = pytest.mark.journey

PUBLIC_PAGES = {
    "home": "/",
    "states": "/states/",
    "state-lbn": "/states/LBN/",
    "deadlines": "/deadlines/",
    "profile-lbn": "/states/LBN/profile/",
    "needs": "/needs/",
    "donors": "/donors/",
    "funding": "/funding/",
    "funding-lbn": "/funding/states/LBN/",
    "funding-explorer": "/funding/explorer/",
    "funding-explorer-lao-2021": "/funding/explorer/?recipient=LAO&pillar=clearance&year=2021",
    "rates": "/funding/rates/",
    "state-ltu": "/states/LTU/",
    "year-lbn-2023": "/states/LBN/progress/2023/",
}
SIGNED_IN_PAGES = {
    "lebanon.editor@example.org": {
        "home-editor": "/me/",
        "needs-editor": "/needs/",
        "profile-editor": "/states/LBN/profile/",
        "year-editor": "/states/LBN/progress/2023/",
    },
    "norway.editor@example.org": {"home-donor": "/me/", "needs-donor": "/needs/", "funding-donor": "/funding/"},
    "eu.editor@example.org": {"home-eu": "/me/", "donor-eu": "/funding/donors/european-union-demo/"},
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_public_pages_fit_a_phone(page, demo):
    for name, url in PUBLIC_PAGES.items():
        response = page.goto(url)
        assert response.status == 200, url
        look(page, name)


@pytest.mark.parametrize("email", list(SIGNED_IN_PAGES))
def test_signed_in_pages_fit_a_phone(page, demo, email):
    sign_in(page, email)
    for name, url in SIGNED_IN_PAGES[email].items():
        response = page.goto(url)
        assert response.status == 200, url
        look(page, name)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_public_pages_fit_a_phone_in_french_and_spanish(page, demo, language, live_server):
    """French and Spanish run longer than English: the same pages, in each, still fit a phone."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for name, url in PUBLIC_PAGES.items():
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == language
        look(page, f"{name}-{language}")
