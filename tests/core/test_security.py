import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from ccm.accounts.models import User

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_and_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


def test_the_api_docs_need_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html and "<style>" not in html


def test_forms_are_protected_against_cross_site_requests():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from ccm import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(DEBUG=False)
def test_seed_demo_refuses_a_production_configuration():
    before = User.objects.count()
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == before


@override_settings(DEBUG=True)
def test_seed_demo_creates_one_user_per_role_and_is_idempotent():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    count = User.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == count
    text = out.getvalue()
    assert "DEMO ONLY" in text and "demo-password-2026" in text
    assert "4 flows imported from the real IATI sample" in text  # shipped in ccm/funding/data/iati/
    assert User.objects.get(email="coordinator@example.org").is_coordinator
    assert User.objects.get(email="admin@example.org").is_staff


@pytest.mark.django_db(transaction=True)  # each demo step commits, as in `make demo`
def test_seeding_prints_no_email_and_leaves_no_job_for_the_worker_to_print(settings, capsys):
    from django.core import mail

    from ccm.core.task_models import Job

    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue() + capsys.readouterr().out
    assert "Content-Type" not in text and "Subject:" not in text
    assert "notification e-mail(s) the demo data caused were composed and not sent" in text
    assert Job.objects.exists() and not Job.objects.exclude(status="done").exists()
    assert mail.outbox == []  # the test's own outbox is untouched
