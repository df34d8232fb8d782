"""The project's system checks (ccm.core.checks)."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_production_without_an_smtp_server_fails_the_deploy_check():
    errors = [m for m in run_checks(include_deployment_checks=True) if m.id == "ccm.E001"]
    assert errors
