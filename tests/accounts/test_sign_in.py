import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccm.accounts import services
from ccm.accounts.models import PlatformRole
from tests.personas import PASSWORD, persona

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_member_signs_in_with_email_and_password():
    client = Client()
    response = sign_in(client, persona("state_editor").user.email)
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.get("/accounts/profile/").status_code == 200


def test_a_wrong_password_gives_the_same_message_as_an_unknown_account():
    wrong = sign_in(Client(), persona("state_editor").user.email, "not-the-password").content.decode()
    unknown = sign_in(Client(), "nobody@example.org", "not-the-password").content.decode()
    message = "The e-mail address or password is not right."
    assert message in wrong and message in unknown


@pytest.mark.parametrize("email", ["state.editor@personas.test", "nobody@example.org"])
def test_sign_in_is_throttled_after_five_failures_whether_or_not_the_account_exists(email):
    client = Client()
    for _ in range(4):
        assert sign_in(client, email, "wrong-password").status_code == 200
    assert sign_in(client, email, "wrong-password").status_code == 429  # the fifth failure locks
    locked = sign_in(client, email, PASSWORD if "personas" in email else "wrong-password")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_coordinator_cannot_use_the_platform_before_setting_up_a_second_factor():
    user = services.user_create(
        email="new.coordinator@example.org",
        full_name="New",
        password=PASSWORD,
        actor=None,
        platform_role=PlatformRole.COORDINATOR,
    )
    client = Client()
    response = sign_in(client, user.email)
    assert response["Location"].startswith("/accounts/two-factor/")
    blocked = client.get("/audit/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/accounts/two-factor/")
    assert client.get("/api/v1/me/").status_code == 403

    client.get("/accounts/two-factor/")  # shows the QR code of a new, unconfirmed device
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    assert client.post("/accounts/two-factor/", {"token": wrong}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait; the test does not
    response = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get("/audit/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed


def test_a_user_with_a_second_factor_is_held_at_verification_until_the_code_is_given():
    user = persona("coordinator").user
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    response = sign_in(client, user.email)
    assert response["Location"].startswith("/accounts/verify/")
    assert client.get("/accounts/organisations/")["Location"].startswith("/accounts/verify/")
    wrong = client.post("/accounts/verify/", {"token": "12345x"})
    assert wrong.status_code == 200
    assert "six digits" in wrong.content.decode()
    assert client.post("/accounts/verify/", {"token": current_code(device), "next": "/audit/"})["Location"] == "/audit/"
    assert client.get("/accounts/organisations/").status_code == 200


def test_the_second_factor_is_optional_for_other_users():
    client = Client()
    sign_in(client, persona("state_viewer").user.email)
    assert client.get("/accounts/organisations/").status_code == 200


def test_password_reset_sends_a_link_without_revealing_whether_the_account_exists(
    mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is sent by a background task
        known = client.post("/accounts/password-reset/", {"email": persona("state_viewer").user.email})
        unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert len(mailoutbox) == 1
    assert "/accounts/password-reset/" in mailoutbox[0].body


def test_sign_in_matches_the_e_mail_address_ignoring_case():
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "State.Editor@Personas.test", "password": PASSWORD})
    assert response.status_code == 302
