"""Writes of accounts (ccm.accounts.services)."""

import pytest
from django.test import Client

from ccm.accounts import services
from ccm.accounts.models import ApiToken
from tests.personas import persona

pytestmark = pytest.mark.django_db


def test_changing_a_platform_role_revokes_api_tokens():
    user = persona("state_viewer").user
    token, key = services.api_token_create(user=user, name="old", actor=user)
    services.user_set_platform_role(user=user, platform_role="coordinator", actor=persona("administrator").user)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
