"""Answers that may hold non-public data carry ``Cache-Control: no-store``; public pages stay cacheable."""

import pytest

from ccm.accounts.services import api_token_create
from tests.personas import persona

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_page_that_shows_a_new_api_token_is_not_stored():
    user = persona("state_manager").user
    client = persona("state_manager").client()
    response = client.post("/accounts/tokens/", {"name": "script"}, follow=True)
    assert response.status_code == 200
    assert _no_store(response)
    _token, key = api_token_create(user=user, name="api", actor=user)
    api = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200 and _no_store(api)


@pytest.mark.parametrize(
    "url", ["/needs/export.csv", "/needs/export.xlsx", "/funding/coverage.csv", "/audit/export.csv"]
)
def test_exports_are_not_stored(url):
    signed_in = persona("coordinator").client().get(url)
    assert signed_in.status_code == 200
    assert _no_store(signed_in)


def test_exports_for_anonymous_readers_are_not_stored_either():
    response = persona("anonymous").client().get("/needs/export.csv")
    assert response.status_code == 200 and _no_store(response)


@pytest.mark.parametrize("url", ["/", "/states/", "/needs/", "/states/LBN/profile/", "/accounts/profile/"])
def test_every_signed_in_page_is_not_stored(url):
    response = persona("state_viewer").client().get(url)
    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.parametrize("url", ["/", "/states/", "/states/LBN/"])
def test_public_pages_for_anonymous_readers_stay_cacheable(url):
    response = persona("anonymous").client().get(url)
    assert response.status_code == 200
    assert not _no_store(response)
