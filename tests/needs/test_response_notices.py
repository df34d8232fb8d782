"""Notifications both ways (issue 12, part 3): a State's editors hear when a donor responds to its need (at
once or in the weekly digest, as each prefers); publishing says what actually happened; every e-mail has
a plain-text and an HTML part and a link to change what one receives."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ccm.accounts import services as account_services
from ccm.core import tasks
from ccm.core.clock import today
from ccm.core.task_models import Job
from ccm.needs import services
from ccm.needs.models import Need, NotificationPreference, Response
from ccm.needs.notifications import send_digests, week_start
from tests.factories import DonorProfileFactory, NeedFactory
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db

STATE_EDITORS = {"state.editor@personas.test", "state.manager@personas.test"}


def _respond(name: str, need: Need, **data: str):
    return persona(name).client().post(f"/needs/{need.pk}/respond/", data)


def _pledge(name: str, need: Need, **data: str):
    """A pledge is entered once, in the funding ledger, from the need's page."""
    response = persona(name).client().post(f"/funding/needs/{need.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _parts(message) -> tuple[str, str]:
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html) == 1, "every e-mail has one HTML part"
    return message.body, html[0]


def test_a_donor_response_tells_the_states_editors_at_once(mailoutbox, django_capture_on_commit_callbacks):
    need = NeedFactory(title="Survey <teams> & dogs")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _respond("io_editor", need, kind="offer", message="Two dog teams from March.")
    assert response.status_code == 302
    told = {m.to[0] for m in mailoutbox}
    assert told == STATE_EDITORS  # not the State's viewer, not the donor, not other States
    text, html = _parts(mailoutbox[0])
    assert "International organisation made an offer on Lebanon's need “Survey <teams> & dogs”." in text
    assert "Two dog teams from March." in text
    assert f"/needs/{need.pk}/#thread" in text and "/needs/notifications/" in text
    assert "Survey <teams> & dogs" in mailoutbox[0].subject
    assert "Survey &lt;teams&gt; &amp; dogs" in html and "<teams>" not in html  # escaped in the HTML part
    assert 'href="http://127.0.0.1:8000/needs/notifications/"' in html
    job = Job.objects.get(name="needs.notify_state_of_response")
    assert job.report == {"sent": 2}
    with django_capture_on_commit_callbacks(execute=True):
        Job.objects.filter(pk=job.pk).update(status="failed")
        assert tasks.execute(job.pk) == "done"
    assert len(mailoutbox) == 2  # nobody is told twice of one response


def test_the_states_own_answer_tells_nobody(mailoutbox, django_capture_on_commit_callbacks):
    need = NeedFactory()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_create(
            need=need, organisation=organisation("state"), kind="answer", actor=None, message="Yes."
        )
    assert not mailoutbox and not Job.objects.filter(name="needs.notify_state_of_response").exists()


def test_an_editor_who_chose_the_digest_reads_the_response_there(mailoutbox, django_capture_on_commit_callbacks):
    editor = persona("state_editor")
    assert (
        editor.client().post("/needs/notifications/", {"weekly_digest": "on", "responses": "digest"}).status_code == 302
    )
    assert NotificationPreference.objects.get(user=editor.user).responses == "digest"
    need = NeedFactory(title="Clearance teams for the south")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _pledge("io_editor", need, amount="1000")
    assert {m.to[0] for m in mailoutbox} == {"state.manager@personas.test"}  # the manager wants it at once

    # the response is dated last week: the digest of that week lists it for the editor, not the manager
    last_week = timezone.now() - timedelta(days=7)
    Response.objects.filter(need=need).update(created_at=last_week)
    Need.objects.filter(pk=need.pk).update(published_at=last_week - timedelta(days=30))
    mailoutbox.clear()
    send_digests(today=week_start(today()) + timedelta(days=1))
    digests = {m.to[0]: m for m in mailoutbox}
    text, html = _parts(digests[editor.user.email])
    assert "Responses to your State's needs:" in text
    assert "International organisation → Clearance teams for the south: Pledge" in text
    assert f"/needs/{need.pk}/#thread" in text and "/needs/notifications/" in text
    assert "/needs/notifications/</a>" in html
    manager_digest = digests.get("state.manager@personas.test")
    assert manager_digest is None or "Clearance teams for the south" not in manager_digest.body


def test_responses_in_the_digest_need_the_digest(mailoutbox):
    client = persona("state_editor").client()
    page = client.post("/needs/notifications/", {"responses": "digest"})
    assert page.status_code == 200 and "need the weekly digest" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=persona("state_editor").user).exists()
    assert client.post("/needs/notifications/", {"responses": "sometimes"}).status_code == 200
    assert client.post("/needs/notifications/", {"weekly_digest": "on", "responses": "never"}).status_code == 302
    assert NotificationPreference.objects.get(user=persona("state_editor").user).responses == "never"


def test_an_editor_who_wants_no_mail_is_not_told(mailoutbox, django_capture_on_commit_callbacks):
    services.preference_save(
        user=persona("state_editor").user, matching_needs=True, weekly_digest=True, responses="never"
    )
    need = NeedFactory()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _respond("io_editor", need, kind="interest")
    assert {m.to[0] for m in mailoutbox} == {"state.manager@personas.test"}


def _publish(need: Need, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = persona("state_manager").client().post(f"/needs/{need.pk}/publish/", follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_publishing_with_no_matching_donor_says_nobody_was_told(mailoutbox, django_capture_on_commit_callbacks):
    DonorProfileFactory(pillars=["victim_assistance"])  # a donor, but not for clearance
    page = _publish(NeedFactory(published=False), django_capture_on_commit_callbacks)
    assert "No donor&#x27;s profile matches this need yet, so nobody was told by e-mail" in page
    assert "matching donors are told" not in page and not mailoutbox


def test_publishing_says_how_many_donors_are_told(mailoutbox, django_capture_on_commit_callbacks):
    for short in ("io", "operator", "isu"):
        DonorProfileFactory(organisation=organisation(short), pillars=["clearance"])
    DonorProfileFactory(organisation=organisation("other_state"), pillars=["survey"])  # does not match
    page = _publish(NeedFactory(published=False), django_capture_on_commit_callbacks)
    assert "Published. 3 donors whose profiles match this need are told by e-mail." in page
    told = {m.to[0].split("@")[0].split(".")[0] for m in mailoutbox}
    assert told == {"io", "operator", "isu"}
    for message in mailoutbox:
        text, html = _parts(message)
        assert "/needs/notifications/" in text and "/needs/notifications/" in html


def test_a_just_published_need_says_published_today_not_zero_days():
    need = NeedFactory()
    page = persona("state_editor").client().get(f"/needs/{need.pk}/").content.decode()
    assert "no answer yet, published today" in page and "0 days" not in page
    board = persona("state_editor").client().get("/needs/").content.decode()
    assert "no answer yet, published today" in board and "0 days" not in board
    Need.objects.filter(pk=need.pk).update(published_at=timezone.now() - timedelta(days=3, hours=1))
    assert "no answer in 3 days" in persona("state_editor").client().get(f"/needs/{need.pk}/").content.decode()


@pytest.mark.parametrize(
    ("name", "shown"), [("anonymous", False), ("state_editor", False), ("outsider", False), ("io_viewer", True)]
)
def test_the_profile_match_filter_is_only_for_people_whose_organisation_has_a_donor_profile(name, shown):
    DonorProfileFactory()
    page = persona(name).client().get("/needs/").content.decode()
    assert ("Matches my organisation&#x27;s profile" in page) is shown
    # the filter in a link is ignored (not an error) for people who cannot use it
    assert persona(name).client().get("/needs/?matching_me=on").status_code == 200


def test_every_email_has_an_html_part_even_when_written_as_text(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invitation_create(
            organisation=organisation("state"),
            email="new.person@example.org",
            role="viewer",
            actor=persona("state_manager").user,
            base_url="http://testserver",
        )
    _text, html = _parts(mailoutbox[-1])
    assert '<a href="http://testserver/accounts/invitations/accept/' in html


def test_a_pledge_in_the_thread_is_shown_in_the_notice(mailoutbox, django_capture_on_commit_callbacks):
    need = NeedFactory(amount=Decimal("5000"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _pledge("io_editor", need, amount="1234.5")
    text, html = _parts(mailoutbox[0])
    assert "Amount: 1,234.50\xa0USD" in text and "1,234.50\xa0USD" in html
