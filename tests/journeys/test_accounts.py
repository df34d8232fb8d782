"""A manager invites a colleague; a coordinator signs in with a second factor and sees it audited."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.personas import PASSWORD, persona

pytestmark = pytest.mark.journey


def sign_in(page, email):
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_manager_invites_and_coordinator_sees_it_in_the_audit_log(page, browser, live_server):
    sign_in(page, persona("state_manager").user.email)
    page.wait_for_url(re.compile(r"/me/$"))
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name="State A government").click()
    page.get_by_label("E-mail address").fill("colleague@example.org")
    page.get_by_label("Role").first.select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to colleague@example.org.").is_visible()
    assert "colleague@example.org" in page.locator("table").nth(1).inner_text()

    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    coordinator = context.new_page()
    sign_in(coordinator, persona("coordinator").user.email)
    coordinator.wait_for_url(re.compile(r"/accounts/verify/"))
    device = TOTPDevice.objects.get(user=persona("coordinator").user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    coordinator.get_by_label("Six-digit code from your authenticator app").fill(code)
    coordinator.get_by_role("button", name="Verify").click()
    coordinator.wait_for_url(re.compile(r"/me/$"))
    coordinator.get_by_role("link", name="Audit log").click()
    coordinator.get_by_label("Action").select_option("invitation.create")
    coordinator.get_by_role("button", name="Apply").click()
    rows = coordinator.locator("table.data tbody").inner_text()
    assert "colleague@example.org" in rows and persona("state_manager").user.email in rows
    context.close()
