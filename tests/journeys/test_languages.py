"""A French-speaking visitor and a Spanish-speaking State editor use the platform in their language."""

import re

import pytest
from django.utils import translation

from tests.journeys.conftest import look
from tests.personas import PASSWORD, persona

pytestmark = pytest.mark.journey


def _t(language: str, text: str, context: str = "") -> str:
    with translation.override(language):
        return translation.pgettext(context, text) if context else translation.gettext(text)


@pytest.fixture
def visit(browser, live_server, page):  # ``page``: the reference world and the personas are loaded
    contexts = []

    def open_in(locale: str):
        context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale=locale)
        contexts.append(context)
        return context.new_page()

    yield open_in
    for context in contexts:
        context.close()


def test_a_french_browser_gets_french_pages_and_switches_to_spanish(visit):
    page = visit("fr-FR")
    page.goto("/states/LBN/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Liban")
    assert page.get_by_text("Statut conventionnel").first.is_visible()
    look(page, "fr-state-LBN")
    page.goto("/transparency/")
    assert page.locator("html").get_attribute("lang") == "fr"
    look(page, "fr-transparency")
    page.get_by_label(_t("fr", "Language")).select_option("es")
    page.get_by_role("button", name=_t("fr", "Change", "language switch")).click()
    page.wait_for_url(re.compile(r"/transparency/$"))  # the same address in every language
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto("/states/LBN/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Líbano")


def test_a_spanish_state_editor_works_in_spanish_and_saves_french_for_every_device(visit):
    user = persona("state_editor").user
    page = visit("es-CO")
    page.goto("/accounts/sign-in/")
    page.get_by_label(_t("es", "E-mail address")).fill(user.email)
    page.get_by_label(_t("es", "Password")).fill(PASSWORD)
    page.get_by_role("button", name=_t("es", "Sign in")).click()
    page.wait_for_url(re.compile(r"/me/$"))
    assert page.locator("html").get_attribute("lang") == "es"
    look(page, "es-me")
    page.goto("/accounts/profile/")
    page.get_by_label(_t("es", "Language of pages and e-mail")).select_option("fr")
    page.get_by_role("button", name=_t("es", "Save")).click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    look(page, "fr-profile")
    user.refresh_from_db()
    assert user.language == "fr"
