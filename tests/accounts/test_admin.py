"""The Django admin of accounts (ccm.accounts.admin): roles and memberships changed there are audited; no
second-factor key is ever shown."""

import pytest

from ccm.accounts.models import Membership
from ccm.core.models import AuditEntry
from tests.personas import organisation, persona

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
