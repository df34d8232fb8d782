import pytest
from django.core.exceptions import ValidationError

from ccm.accounts import services
from ccm.accounts.models import ROLE_PERMISSIONS, Membership, Role
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def test_roles_grow_from_viewer_to_editor_to_manager():
    assert ROLE_PERMISSIONS[Role.VIEWER] < ROLE_PERMISSIONS[Role.EDITOR] < ROLE_PERMISSIONS[Role.MANAGER]
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert ROLE_PERMISSIONS[Role.MANAGER] == {"view", "change", "manage"}


def test_a_manager_changes_a_role_on_the_page():
    membership = Membership.objects.get(user=persona("state_viewer").user)
    response = (
        persona("state_manager").client().post(f"/accounts/memberships/{membership.pk}/role/", {"role": "editor"})
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "editor"


def test_the_last_manager_can_be_neither_demoted_nor_removed():
    membership = Membership.objects.get(user=persona("state_manager").user)
    with pytest.raises(ValidationError, match="at least one manager"):
        services.membership_change_role(membership=membership, role="viewer", actor=persona("administrator").user)
    with pytest.raises(ValidationError, match="at least one manager"):
        services.membership_remove(membership=membership, actor=persona("administrator").user)
    assert Membership.objects.get(pk=membership.pk).role == "manager"


def test_a_state_b_manager_cannot_touch_state_a_members_and_learns_nothing():
    membership = Membership.objects.get(user=persona("state_viewer").user)
    client = persona("other_state_manager").client()
    assert client.post(f"/accounts/memberships/{membership.pk}/remove/").status_code == 404
    assert client.post("/accounts/memberships/999999/remove/").status_code == 404
    assert client.get(f"/accounts/organisations/{organisation('state').slug}/").status_code == 404
    assert client.get("/accounts/organisations/no-such-organisation/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_organisation_pages_run_a_fixed_number_of_queries(django_assert_max_num_queries):
    client = persona("coordinator").client()
    client.get("/accounts/organisations/")
    with django_assert_max_num_queries(8):
        response = client.get("/accounts/organisations/")
    assert len(response.context["organisations"]) >= 5
    with django_assert_max_num_queries(10):
        client.get(f"/accounts/organisations/{organisation('state').slug}/")


def test_api_tokens_are_shown_once_and_stored_hashed():
    client = persona("state_editor").client()
    response = client.post("/accounts/tokens/", {"name": "nightly export"})
    key = response.context["new_key"]
    assert key.startswith("ccm_") and key in response.content.decode()
    token = persona("state_editor").user.api_tokens.get()
    assert token.key_hash != key and key not in token.key_hash
    listing = client.get("/accounts/tokens/").content.decode()
    assert key not in listing and token.prefix in listing
    api = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.json()["email"] == persona("state_editor").user.email
