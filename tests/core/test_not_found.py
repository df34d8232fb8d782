"""The demo (DEBUG on) shows the same friendly "Not found" page as a deployment, and every page names
the site's icon."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.personas import persona

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_address_shows_the_friendly_page(debug):
    with override_settings(DEBUG=debug):
        response = Client().get("/no-such-page/at-all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is nothing at this address" in html
    assert "URLconf" not in html and "DEBUG = True" not in html


@override_settings(DEBUG=True)
def test_a_hidden_object_in_the_demo_shows_the_friendly_page_not_the_technical_one():
    response = persona("outsider").client().get("/needs/999999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is nothing at this address" in html
    assert "Raised by" not in html


@override_settings(DEBUG=True)
def test_a_missing_trailing_slash_is_still_redirected_in_the_demo():
    response = Client().get("/states")
    assert response.status_code == 301 and response["Location"] == "/states/"


@override_settings(DEBUG=True, CCM_TECHNICAL_404=True)
def test_a_developer_can_ask_for_the_technical_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "There is nothing at this address" not in response.content.decode()


def test_every_page_names_the_icon():
    html = Client().get("/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
