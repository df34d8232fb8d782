"""French and Spanish: the catalogues and their checks, choosing a language, e-mail in each recipient's
language, jobs in the requester's language, country names, and spreadsheets read in any language."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ccm.accounts import services as accounts
from ccm.core import catalogues, tasks
from ccm.core.models import AuditEntry
from ccm.core.task_models import Job
from ccm.states.models import State
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- The catalogues ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
def test_the_catalogue_is_complete_and_follows_the_glossary(language):
    assert catalogues.check_catalogue(language) == []


def test_the_check_finds_a_changed_placeholder_a_lost_tag_and_a_glossary_term():
    assert catalogues.message_problems("%(n)s needs", "%(nombre)s besoins", "fr")[0].startswith("placeholders differ")
    assert catalogues.message_problems("<strong>%(s)s</strong>", "%(s)s", "es")[0].startswith("placeholders differ")
    assert catalogues.message_problems("Victim assistance", "Aide aux victimes", "fr") == [
        "'victim assistance' (Art. 5) should read 'assistance aux victimes'"
    ]
    assert catalogues.message_problems("States Parties", "Estados miembros", "es") == [
        "'State(s) Party / States Parties' (Art. 1) should read 'Estados Partes'"
    ]
    assert catalogues.message_problems("Stockpile destruction", "Destruction des stocks", "fr") == []
    assert catalogues.message_problems("Save", "", "fr") == ["no translation"]


def test_every_glossary_term_names_its_article_and_both_renderings():
    terms = catalogues.glossary()
    assert len(terms) >= 15
    for term in terms:
        assert term.article and term.rendering["fr"] and term.rendering["es"]
        # the rendering the glossary gives passes its own check
        assert term.accepted["fr"].search(term.rendering["fr"]) and term.accepted["es"].search(term.rendering["es"])


# --- Choosing a language -------------------------------------------------------------------------


def test_a_first_visit_follows_accept_language_and_urls_stay_the_same():
    french = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5").get("/states/LBN/")
    assert french.status_code == 200 and french["Content-Language"] == "fr"
    page = french.content.decode()
    assert '<html lang="fr">' in page and "Liban" in page and "États" in page
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get("/states/LBN/").content.decode()
    assert '<html lang="es">' in spanish and "Líbano" in spanish
    assert '<html lang="en">' in Client(HTTP_ACCEPT_LANGUAGE="de").get("/states/LBN/").content.decode()


def test_the_switch_sets_a_cookie_for_anyone_and_the_pages_follow_it():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/states/"})
    assert response.status_code == 302 and response["Location"] == "/states/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get("/states/").content.decode()


def test_a_signed_in_persons_choice_is_saved_audited_and_followed_on_another_device():
    user = persona("state_editor").user
    first = persona("state_editor").client()
    first.post("/i18n/setlang/", {"language": "fr", "next": "/me/"})
    user.refresh_from_db()
    assert user.language == "fr"
    entry = AuditEntry.objects.filter(action="user.update_profile", object_id=str(user.pk)).latest("pk")
    assert entry.new == {"language": "fr"}
    other_device = persona("state_editor").client()  # no language cookie, a browser asking for English
    response = other_device.get("/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="fr">' in response.content.decode()
    assert other_device.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"  # kept after signing out


def test_an_unknown_language_changes_nothing():
    user = persona("state_editor").user
    client = persona("state_editor").client()
    client.post("/i18n/setlang/", {"language": "xx", "next": "/me/"})
    user.refresh_from_db()
    assert user.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_the_profile_form_saves_the_language_and_can_go_back_to_the_browsers():
    user = persona("io_editor").user
    client = persona("io_editor").client()
    page = client.get("/accounts/profile/").content.decode()
    assert "Language of pages and e-mail" in page
    client.post("/accounts/profile/", {"full_name": "IO Editor", "language": "es"})
    user.refresh_from_db()
    assert user.language == "es"
    client.post("/accounts/profile/", {"full_name": "IO Editor", "language": ""})
    user.refresh_from_db()
    assert user.language == ""
    assert client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode().count('<html lang="en">') == 1


# --- E-mail, jobs and documents in the right language ----------------------------------------------


def test_an_invitation_is_written_in_the_inviters_language(mailoutbox, django_capture_on_commit_callbacks):
    manager = persona("state_manager").client()
    manager.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            f"/accounts/organisations/{organisation('state').slug}/", {"email": "x@example.org", "role": "viewer"}
        )
    [mail] = mailoutbox
    with translation.override("fr"):
        assert mail.subject == translation.gettext("Invitation to join %(organisation)s on Country Coalitions") % {
            "organisation": organisation("state").name
        }
    assert mail.subject != f"Invitation to join {organisation('state').name} on Country Coalitions"


def _reset_subject(language: str) -> str:
    from django.template import loader

    with translation.override(language):
        context = {"site_name": "testserver", "domain": "testserver"}
        return "".join(loader.render_to_string("accounts/password_reset_subject.txt", context).splitlines())


def test_a_password_reset_mail_is_in_the_recipients_language_not_the_jobs(mailoutbox):
    assert _reset_subject("es") != _reset_subject("en")
    user = persona("io_editor").user
    user.language = "es"
    user.save(update_fields=["language"])
    with translation.override("fr"):  # whatever language the job runs in
        assert accounts.password_reset_send(user_id=user.pk, domain="testserver", protocol="https", request_key="k")
    assert mailoutbox[0].subject == _reset_subject("es")
    user.language = ""
    user.save(update_fields=["language"])
    with translation.override("es"):
        assert accounts.password_reset_send(user_id=user.pk, domain="testserver", protocol="https", request_key="k2")
    assert mailoutbox[1].subject == _reset_subject("en")  # no preference: the platform's default


def test_a_job_runs_in_the_language_of_whoever_asked():
    seen = []

    @tasks.job_kind("tests.language_probe")
    def probe(job):
        seen.append(translation.get_language())
        return {}

    with translation.override("es"):
        job = tasks.enqueue("tests.language_probe")
    assert Job.objects.get(pk=job.pk).language == "es"
    with translation.override("en"):
        tasks.execute(job.pk)
    assert seen == ["es"]


def test_country_names_come_from_cldr_with_the_un_names_where_cldr_differs():
    lebanon = State.objects.get(iso3="LBN")
    with translation.override("fr"):
        assert lebanon.display_name == "Liban" and str(lebanon) == "Liban"
    with translation.override("es"):
        assert lebanon.display_name == "Líbano"
    with translation.override("en"):
        assert lebanon.display_name == lebanon.name
    palestine = State.objects.filter(iso2="PS").first()
    if palestine is not None:
        with translation.override("fr"):
            assert palestine.display_name == "État de Palestine"
