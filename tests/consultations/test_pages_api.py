"""Pages and API of consultations: happy paths, refusals, attribution, and query counts on lists."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ccm.consultations import services, set_services
from ccm.consultations.models import Answer, AnswerStatus, Campaign
from ccm.core import clock
from tests.consultations.conftest import FULL, make_version
from tests.personas import organisation, persona

pytestmark = pytest.mark.django_db


def _answer_url(campaign, org="state"):
    return reverse("consultations:answer", args=[campaign.pk, organisation(org).slug])


def _form(**values):
    data = {
        "obstacles": "Funding and access.",
        "main_obstacle": "funding",
        "help": ["money"],
        "teams": "3",
        "satisfaction": "4",
        "coalition": "yes",
    }
    data.update(values)
    return data


def test_editor_saves_a_draft_and_manager_submits_by_page(campaign):
    page = persona("state_editor").client().get(_answer_url(campaign))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'type="radio"' in html and 'type="checkbox"' in html and "5 — very well" in html
    assert "Save draft" in html and 'name="submit"' not in html
    response = persona("state_editor").client().post(_answer_url(campaign), {**_form(), "save": "1"})
    assert response.status_code == 302
    answer = Answer.objects.get(campaign=campaign, organisation=organisation("state"))
    assert answer.status == AnswerStatus.DRAFT and answer.items.count() == 6
    refused = persona("state_editor").client().post(_answer_url(campaign), {**_form(), "submit": "1"})
    assert refused.status_code == 403
    manager = persona("state_manager").client()
    assert 'name="submit"' in manager.get(_answer_url(campaign)).content.decode()
    assert manager.post(_answer_url(campaign), {**_form(), "submit": "1"}).status_code == 302
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED


def test_page_names_required_questions_and_refuses_a_bad_choice(campaign):
    manager = persona("state_manager").client()
    response = manager.post(_answer_url(campaign), {"teams": "2", "submit": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Answer the required questions before submitting" in html and "Question 1" in html
    assert "Draft saved, but not submitted" in html
    assert Answer.objects.get(campaign=campaign).status == AnswerStatus.DRAFT
    bad = manager.post(_answer_url(campaign), {**_form(main_obstacle="weather"), "save": "1"})
    assert bad.status_code == 200 and "weather" in bad.content.decode()
    assert not Answer.objects.get(campaign=campaign).items.filter(question__key="obstacles").exists()


def test_page_after_closing_shows_the_date_and_refuses(campaign, time_machine):
    time_machine.move_to(campaign.closes_on + timedelta(days=2))
    client = persona("state_manager").client()
    html = client.get(_answer_url(campaign)).content.decode()
    assert "closed on" in html and "Save draft" not in html
    response = client.post(_answer_url(campaign), {**_form(), "save": "1"})
    assert "closed on" in response.content.decode()
    assert not Answer.objects.filter(campaign=campaign).exists()


def test_another_organisation_gets_404_everywhere(campaign):
    answer = services.answer_submit(
        answer=services.answer_save(
            campaign=campaign, organisation=organisation("state"), values=FULL, actor=persona("state_editor").user
        ),
        actor=persona("state_manager").user,
    )
    other = persona("other_state_manager").client()
    assert other.get(_answer_url(campaign)).status_code == 404
    assert other.get(reverse("consultations:answer_detail", args=[answer.pk])).status_code == 404
    api = other.get(reverse("api-consultations-answers", args=[campaign.pk])).json()
    assert api["results"] == []
    assert other.get(reverse("api-consultations-answer", args=[campaign.pk, "state-a-government"])).status_code == 404


def test_coordinator_reads_submitted_answers_without_attribution(campaign):
    answer = services.answer_submit(
        answer=services.answer_save(
            campaign=campaign, organisation=organisation("state"), values=FULL, actor=persona("state_editor").user
        ),
        actor=persona("state_manager").user,
    )
    coordinator = persona("coordinator").client()
    html = coordinator.get(reverse("consultations:answer_detail", args=[answer.pk])).content.decode()
    assert "State A government" not in html and "Funding ran out" not in html and "Funding, " not in html
    assert "Free text, withheld here" in html
    rows = coordinator.get(reverse("api-consultations-answers", args=[campaign.pk])).json()["results"]
    assert rows[0]["organisation"] is None and rows[0]["values"]["obstacles"] is None
    assert rows[0]["values"]["help"] == ["money", "training"] and rows[0]["values"]["coalition"] is True
    # the convener (io_manager) and the support unit see who said what
    for name in ("io_manager", "isu_viewer"):
        client = persona(name).client()
        rows = client.get(reverse("api-consultations-answers", args=[campaign.pk])).json()["results"]
        assert rows[0]["organisation"] == "state-a-government" and rows[0]["values"]["obstacles"].startswith("Funding")
        page = client.get(reverse("consultations:answer_detail", args=[answer.pk])).content.decode()
        assert "State A government" in page and "Funding ran out" in page
    # the campaign page: a board of who answered for coordinators, de-attributed answers
    page = coordinator.get(reverse("consultations:campaign", args=[campaign.pk])).content.decode()
    assert "Who has answered" in page and "Submitted" in page and "Answer 1" in page


def test_api_put_and_submit(campaign):
    url = reverse("api-consultations-answer", args=[campaign.pk, "state-a-government"])
    editor = persona("state_editor").client()
    bad = editor.put(url, {"values": {"main_obstacle": "weather"}}, content_type="application/json")
    assert bad.status_code == 400 and "weather" in str(bad.json()["main_obstacle"])
    ok = editor.put(url, {"values": {"teams": 2.5, "coalition": False}}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["values"] == {"teams": "2.5", "coalition": False}
    submit = reverse("api-consultations-answer-submit", args=[campaign.pk, "state-a-government"])
    assert editor.post(submit).status_code == 403
    missing = persona("state_manager").client().post(submit)
    assert missing.status_code == 400 and "Question 1" in str(missing.json())
    editor.put(url, {"values": FULL}, content_type="application/json")
    done = persona("state_manager").client().post(submit)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert persona("state_viewer").client().put(url, {"values": {}}, content_type="application/json").status_code == 403


def test_question_set_api_and_pages(version, coordinator):
    draft_set = set_services.question_set_create(title="Hidden draft", audience="all", actor=coordinator)
    client = persona("anonymous").client()
    sets = client.get(reverse("api-consultations-sets")).json()["results"]
    assert version.question_set.slug in [s["slug"] for s in sets]
    assert draft_set.slug not in [s["slug"] for s in sets]
    data = client.get(reverse("api-consultations-version", args=[version.question_set.slug, 1])).json()
    assert [q["qtype"] for q in data["questions"]] == ["text", "single", "multiple", "number", "scale", "yes_no"]
    assert data["questions"][5]["qtype_label"] == "Yes or no"
    html = client.get(reverse("consultations:set_detail", args=[version.question_set.slug])).content.decode()
    assert "Single choice" in html and "Scale from 1 to 5" in html and "yes_no" not in html
    assert client.get(reverse("consultations:set_detail", args=[draft_set.slug])).status_code == 404


def test_coordinator_builds_publishes_and_sends_by_page(coordinator, mailoutbox, django_capture_on_commit_callbacks):
    client = persona("coordinator").client()
    response = client.post(reverse("consultations:set_new"), {"title": "Everyone", "audience": "all"})
    slug = response["Location"].split("/")[-3]
    add = reverse("consultations:question_new", args=[slug])
    assert client.post(add, {"text": "Coalitions?", "qtype": "yes_no"}).status_code == 302
    refused = client.post(add, {"text": "Pick", "qtype": "single", "options": "Only one"})
    assert refused.status_code == 200 and "at least two options" in refused.content.decode()
    assert client.post(add, {"text": "Pick", "qtype": "single", "options": "a | A\nb | B"}).status_code == 302
    assert client.post(reverse("consultations:set_publish", args=[slug]), {"change_note": ""}).status_code == 302
    from ccm.consultations.models import QuestionSetVersion

    published = QuestionSetVersion.objects.get(question_set__slug=slug, number=1)
    assert published.status == "published"
    today = clock.today()
    response = client.post(
        reverse("consultations:campaign_new"),
        {
            "title": "Coalitions 2026",
            "version": published.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
            "all_affected": "on",
            "conveners": [coordinator.pk],
            "mandate_ends": (today + timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(title="Coalitions 2026")
    assert organisation("state") in campaign.recipients.all()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consultations:campaign_send", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.sent_at is not None
    assert {"state.editor@personas.test", "state.manager@personas.test"} <= {m.to[0] for m in mailoutbox}


def test_lists_use_a_fixed_number_of_queries(coordinator, django_assert_max_num_queries):
    today = clock.today()
    from ccm.consultations import campaign_services

    for n in range(4):
        version = make_version(coordinator, title=f"Set {n}")
        campaign_services.campaign_send(
            campaign=campaign_services.campaign_create(
                title=f"Campaign {n}",
                version=version,
                opens_on=today,
                closes_on=today + timedelta(days=5),
                recipients=[organisation("state")],
                actor=coordinator,
            ),
            actor=coordinator,
        )
    for name in ("coordinator", "state_manager", "anonymous"):
        client = persona(name).client()
        with django_assert_max_num_queries(14):
            assert client.get(reverse("consultations:index")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("api-consultations-sets")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("api-consultations-campaigns")).status_code == 200


def test_demo_is_idempotent_and_illustrative():
    from ccm.accounts import demo as accounts_demo
    from ccm.consultations import demo

    accounts_demo.seed()
    first = demo.seed()
    second = demo.seed()
    assert any("3 submitted" in line for line in first)
    assert Campaign.objects.filter(title__endswith="(demo)").count() == 2
    assert any("already there" in line for line in second)
    affected = Campaign.objects.get(title="Obstacles and assistance: affected States (demo)")
    assert sorted(affected.recipients.values_list("state__iso3", flat=True)) == ["IRQ", "LAO", "LBN"]
    assert "Illustrative" in affected.message
    statuses = sorted(Answer.objects.filter(campaign__title__endswith="(demo)").values_list("status", flat=True))
    assert statuses.count("draft") == 1 and statuses.count("submitted") == 4


def test_admin_pages_open_for_administrators_only(campaign):
    for model in ("questionset", "campaign"):
        url = reverse(f"admin:consultations_{model}_changelist")
        assert persona("administrator").client().get(url).status_code == 200
        assert persona("coordinator").client().get(url).status_code == 302
    change = reverse("admin:consultations_campaign_change", args=[campaign.pk])
    assert persona("administrator").client().get(change).status_code == 200
