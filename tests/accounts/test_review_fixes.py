"""Admin, e-mail case, CSV export, token and configuration hardening."""

import csv
import io

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings

from ccm.accounts import services
from ccm.accounts.models import ApiToken, Membership, User
from ccm.core.models import AuditEntry
from tests.personas import PASSWORD, organisation, persona

pytestmark = pytest.mark.django_db


def _user_change(client, user, **changes):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "platform_role": user.platform_role,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_a_role_changed_in_the_admin_sets_staff_access_and_is_audited():
    admin_client = persona("administrator").client()
    user = persona("outsider").user
    assert _user_change(admin_client, user, platform_role="administrator").status_code == 302
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser and user.requires_second_factor
    assert _user_change(admin_client, user, platform_role="").status_code == 302
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    roles = [
        e.new.get("platform_role")
        for e in AuditEntry.objects.filter(action="user.set_platform_role", object_id=str(user.pk))
    ]
    assert roles == ["", "administrator"]


def test_memberships_edited_inline_in_the_admin_are_audited():
    admin_client = persona("administrator").client()
    user = persona("outsider").user
    response = _user_change(
        admin_client,
        user,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-organisation": organisation("state").pk,
            "memberships-0-role": "manager",
            "memberships-0-user": user.pk,
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, role="manager").exists()
    entry = AuditEntry.objects.filter(action="membership.admin_add").latest("id")
    assert entry.actor == persona("administrator").user
    assert entry.organisation_id == organisation("state").pk


def test_the_admin_never_shows_a_second_factor_key():
    device = persona("coordinator").user.totpdevice_set.get()
    html = persona("administrator").client().get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in html


def test_e_mail_addresses_are_matched_ignoring_case():
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "State.Editor@Personas.test", "password": PASSWORD})
    assert response.status_code == 302
    _invitation, token = services.invitation_create(
        organisation=organisation("other_state"),
        email="OUTSIDER@personas.test",
        role="viewer",
        actor=persona("other_state_manager").user,
    )
    accepted = persona("outsider").client().post(f"/accounts/invitations/accept/{token}/")
    assert accepted.status_code == 302
    assert User.objects.filter(email__iexact="outsider@personas.test").count() == 1


def test_changing_a_platform_role_revokes_api_tokens():
    user = persona("state_viewer").user
    token, key = services.api_token_create(user=user, name="old", actor=user)
    services.user_set_platform_role(user=user, platform_role="coordinator", actor=persona("administrator").user)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_audit_export_neutralises_spreadsheet_formulas():
    viewer = persona("state_viewer").user
    services.user_update_profile(user=viewer, full_name='=HYPERLINK("http://evil.example","x")', actor=viewer)
    services.membership_change_role(
        membership=viewer.memberships.get(), role="editor", actor=persona("state_manager").user
    )
    response = persona("coordinator").client().get("/audit/export.csv", {"action": "membership.change_role"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


@override_settings(DEBUG=False, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_production_without_an_smtp_server_fails_the_deploy_check():
    errors = [m for m in run_checks(include_deployment_checks=True) if m.id == "ccm.E001"]
    assert errors
