from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ccm.accounts import services
from ccm.accounts.models import Invitation, Membership, User
from ccm.core.models import AuditEntry
from tests.personas import PASSWORD, organisation, persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client():
    return persona("state_manager").client()


@pytest.fixture
def invite(manager_client, django_capture_on_commit_callbacks):
    """Post the invitation form; the e-mail leaves once the transaction commits, so run that too."""

    def post(email="new.person@example.org", role="editor"):
        with django_capture_on_commit_callbacks(execute=True):
            return manager_client.post(
                f"/accounts/organisations/{organisation('state').slug}/", {"email": email, "role": role}
            )

    return post


def _token_from(mail) -> str:
    return mail.body.split("/accounts/invitations/accept/")[1].split("/")[0]


def test_a_manager_invites_and_the_invitee_joins(invite, mailoutbox):
    assert invite().status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["new.person@example.org"]
    token = _token_from(mail)
    invitee = Client()
    page = invitee.get(f"/accounts/invitations/accept/{token}/")
    assert "new.person@example.org" in page.content.decode()
    response = invitee.post(
        f"/accounts/invitations/accept/{token}/",
        {"full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert Membership.objects.get(user=user, organisation=organisation("state")).role == "editor"
    assert invitee.get("/accounts/profile/").status_code == 200
    actions = list(AuditEntry.objects.filter(action__startswith="invitation").values_list("action", "actor_label"))
    assert ("invitation.create", persona("state_manager").user.email) in actions
    assert ("invitation.accept", "new.person@example.org") in actions


def test_the_token_is_stored_only_as_a_hash(invite, mailoutbox):
    invite()
    token = _token_from(mailoutbox[0])
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert Invitation.objects.get(email="new.person@example.org").token_hash != token


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda inv: Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(seconds=1)),
            "expired",
        ),
        (lambda inv: Invitation.objects.filter(pk=inv.pk).update(accepted_at=timezone.now()), "already been used"),
        (lambda inv: Invitation.objects.filter(pk=inv.pk).update(revoked_at=timezone.now()), "withdrawn"),
    ],
)
def test_an_unusable_invitation_says_why_and_creates_nothing(spoil, message):
    invitation, token = services.invitation_create(
        organisation=organisation("state"), email="late@example.org", role="viewer", actor=persona("state_manager").user
    )
    spoil(invitation)
    users_before = User.objects.count()
    response = Client().post(
        f"/accounts/invitations/accept/{token}/",
        {"full_name": "Late", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 410
    assert message in response.content.decode()
    assert User.objects.count() == users_before


def test_an_unknown_token_is_refused():
    response = Client().get("/accounts/invitations/accept/not-a-real-token/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_an_existing_account_must_sign_in_to_accept():
    user = persona("outsider").user
    _invitation, token = services.invitation_create(
        organisation=organisation("state"), email=user.email, role="viewer", actor=persona("state_manager").user
    )
    anonymous = Client().post(
        f"/accounts/invitations/accept/{token}/", {"full_name": "X", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert "sign in first" in anonymous.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    response = persona("outsider").client().post(f"/accounts/invitations/accept/{token}/")
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, organisation=organisation("state")).exists()


def test_an_invitation_for_someone_else_cannot_be_taken_by_a_signed_in_user():
    _invitation, token = services.invitation_create(
        organisation=organisation("state"),
        email="someone@example.org",
        role="manager",
        actor=persona("state_manager").user,
    )
    response = persona("outsider").client().post(f"/accounts/invitations/accept/{token}/")
    assert "another e-mail address" in response.content.decode()
    assert not Membership.objects.filter(user=persona("outsider").user).exists()


def test_weak_passwords_are_refused_and_nothing_is_created():
    _invitation, token = services.invitation_create(
        organisation=organisation("state"), email="weak@example.org", role="viewer", actor=persona("state_manager").user
    )
    response = Client().post(
        f"/accounts/invitations/accept/{token}/",
        {"full_name": "Weak", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert "password" in response.context["form"].errors["password1"][0].lower()
    assert not User.objects.filter(email="weak@example.org").exists()


def test_inviting_an_existing_member_is_refused(invite, mailoutbox):
    response = invite(email=persona("state_viewer").user.email)
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert mailoutbox == []


def test_a_viewer_cannot_invite():
    response = (
        persona("state_viewer")
        .client()
        .post(f"/accounts/organisations/{organisation('state').slug}/", {"email": "x@example.org", "role": "viewer"})
    )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_an_invitation_is_accepted_by_the_account_whose_address_matches_ignoring_case():
    _invitation, token = services.invitation_create(
        organisation=organisation("other_state"),
        email="OUTSIDER@personas.test",
        role="viewer",
        actor=persona("other_state_manager").user,
    )
    accepted = persona("outsider").client().post(f"/accounts/invitations/accept/{token}/")
    assert accepted.status_code == 302
    assert User.objects.filter(email__iexact="outsider@personas.test").count() == 1
